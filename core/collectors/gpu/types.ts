import type { CounterSet } from '../types';

/** What the GPU collector reports, whichever vendor tool the numbers came from. */

export type GpuVendor = 'nvidia' | 'amd';

/** One GPU as the snapshot shows it. A value the tool could not give is null, never a guess. */
export interface GpuInfo {
	vendor: GpuVendor;
	/** The tool's own device index, as a string: the `gpu` label of every series of this GPU. */
	index: string;
	/** NVIDIA's GPU UUID, AMD's unique id (or PCI bus, or cardN when the card has none). */
	uuid: string;
	name: string | null;
	driverVersion: string | null;
	utilizationPercent: number | null;
	memoryUtilizationPercent: number | null;
	memoryTotalBytes: number | null;
	memoryUsedBytes: number | null;
	memoryFreeBytes: number | null;
	memoryUsedPercent: number | null;
	temperatureCelsius: number | null;
	powerDrawWatts: number | null;
	powerLimitWatts: number | null;
	fanSpeedPercent: number | null;
	clockGraphicsMhz: number | null;
	clockMemoryMhz: number | null;
	/** P0 (full speed) .. P12 (idle); NVIDIA only. */
	pstate: number | null;
	/** Decoded active clock event (throttle) reasons, e.g. ['sw_power_cap']; NVIDIA only. */
	throttleReasons: string[] | null;
	throttled: boolean | null;
	eccErrorsUncorrected: number | null;
	eccErrorsCorrected: number | null;
	migEnabled: boolean | null;
	/** Which sensor the temperature is (AMD cards without an edge sensor report the junction). */
	temperatureSensor?: string;
}

/** One process that holds memory on a GPU, joined with the host's process table where it can be. */
export interface GpuProcess {
	vendor: GpuVendor;
	/** Index of the GPU (the `gpu` label), or null when the tool named a GPU we did not list. */
	gpu: string | null;
	uuid: string;
	pid: number;
	/** The name the GPU tool reported (usually the executable path). */
	name: string;
	usedMemoryBytes: number | null;
	/**
	 * False when the pid is not in this machine's process table as the same program: a process in
	 * another PID namespace (nvidia-smi reports host pids, n8n may run in a container) or one that
	 * exited. The host fields below are then absent rather than wrong.
	 */
	inProcessTable: boolean;
	user?: string;
	command?: string;
	rssBytes?: number;
	/** Cumulative user + system CPU seconds since the process started. */
	cpuSeconds?: number;
	/** CPU % over the time since the previous collection; absent on a first collection. */
	cpuPercent?: number | null;
}

/** How one vendor's tool answered. */
export interface GpuSource {
	vendor: GpuVendor;
	tool: string;
	/** `ok`: GPUs listed; `absent`: no tool installed; `no-device`: tool present, no GPU for it. */
	status: 'ok' | 'absent' | 'no-device';
	message?: string;
	/** nvidia-smi: the name of the clock event reasons field the driver accepted. */
	throttleField?: string;
	/** Fields this driver rejected and the collector stopped asking for. */
	droppedFields?: string[];
}

export interface GpuSnapshot {
	gpus: GpuInfo[];
	/** Every GPU process (the per-process table is here and not in series: pids would explode them). */
	processes: GpuProcess[];
	/** Whether processes were asked for (option `processes`). */
	processesCollected: boolean;
	sources: GpuSource[];
	/** Set when no GPU was found: why, in words ("no GPU found: nvidia-smi is not installed"). */
	message?: string;
}

/** What one vendor module returns to the collector. */
export interface VendorResult {
	source: GpuSource;
	gpus: GpuInfo[];
	processes: GpuProcess[];
	warnings: string[];
	/** True when the process list was read: only then are the gpu_process_* series emitted. */
	processesCollected?: boolean;
	/** CPU tick counters of the GPU processes, for CPU % on the next collection. */
	counters?: CounterSet;
}
