import { cpuPart, type CpuRaw } from '../host/cpu';
import { diskioPart, EXCLUDED_DISK_DEVICES } from '../host/diskio';
import { filesystemPart, type FilesystemInfo, isReportedMount } from '../host/filesystem';
import { memoryFromMeminfo, memoryPart } from '../host/memory';
import { networkPart } from '../host/network';
import type { HostEnv, HostFacts, HostPart } from '../host/part';
import { clampPercent, round } from '../host/part';
import { temperaturePart, type Temperature } from '../host/temperature';
import { uptimePart } from '../host/uptime';
import type { MetricsPage, PromSample } from '../../prometheus-text';
import type { CounterSet, Sample } from '../types';

/*
 * node_exporter's page -> the Host collector's samples, so a remote host looks like the local one
 * on the dashboard and in alerts. The figures are rebuilt into the raw shapes the local host parts
 * read from /proc and /sys, then those same parts' pure `build` runs: names, labels, rounding and
 * rate rules cannot drift apart. Counters (CPU seconds, disk and network bytes) become rates
 * against the previous scrape, like the local collector's jiffies; a first scrape has none.
 *
 *   cpu_usage_percent{cpu}, cpu_mode_percent{mode}, cpu_count   node_cpu_seconds_total{cpu,mode}
 *   load_average{period}                                        node_load1/5/15
 *   memory_*, swap_*                                            node_memory_<meminfo key>_bytes
 *   filesystem_*{mount,device,fstype}                           node_filesystem_*{mountpoint,...}
 *   disk_*_per_second{device}                                   node_disk_*_total
 *   net_*_per_second{interface}                                 node_network_*_total{device}
 *   uptime_seconds                                              node_time_seconds - node_boot_time_seconds
 *   temperature_celsius{sensor}                                 node_hwmon_temp_celsius, node_thermal_zone_temp
 *   process_count                                               node_processes_pids (--collector.processes)
 */

const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

const DISK_COUNTERS: Record<string, string> = {
	node_disk_read_bytes_total: 'read_bytes',
	node_disk_written_bytes_total: 'write_bytes',
	node_disk_reads_completed_total: 'reads',
	node_disk_writes_completed_total: 'writes',
};

const NET_COUNTERS: Record<string, string> = {
	node_network_receive_bytes_total: 'rx_bytes',
	node_network_receive_packets_total: 'rx_packets',
	node_network_receive_errs_total: 'rx_errors',
	node_network_receive_drop_total: 'rx_drops',
	node_network_transmit_bytes_total: 'tx_bytes',
	node_network_transmit_packets_total: 'tx_packets',
	node_network_transmit_errs_total: 'tx_errors',
	node_network_transmit_drop_total: 'tx_drops',
};

/** What one scrape yields before rates: counters by `part:key` (as the host collector keys them). */
export interface NodeExporterReading {
	counters: CounterSet;
	cores: string[];
	load: CpuRaw['load'];
	meminfo: Record<string, number>;
	filesystems: FilesystemInfo[];
	devices: string[];
	interfaces: string[];
	uptimeSeconds: number | null;
	temperatures: Temperature[];
	processCount: number | null;
}

function single(page: MetricsPage, name: string): number | null {
	const v = page.get(name)?.[0]?.value;
	return v === undefined || !Number.isFinite(v) ? null : v;
}

function natural(a: string, b: string): number {
	return a.localeCompare(b, 'en', { numeric: true });
}

function cpuCounters(list: PromSample[], counters: CounterSet): string[] {
	const byCpu = new Map<string, Record<string, number>>();
	for (const s of list) {
		const cpu = s.labels.cpu;
		if (cpu === undefined || !(CPU_MODES as readonly string[]).includes(s.labels.mode)) continue;
		let modes = byCpu.get(cpu);
		if (!modes) byCpu.set(cpu, (modes = {}));
		modes[s.labels.mode] = s.value;
	}
	if (byCpu.size === 0) return [];
	const cores = [...byCpu.keys()].sort(natural);
	const total: Record<string, number> = {};
	for (const core of cores) {
		const modes = byCpu.get(core)!;
		let all = 0;
		for (const mode of CPU_MODES) {
			const v = modes[mode] ?? 0;
			all += v;
			total[mode] = (total[mode] ?? 0) + v;
		}
		counters[`cpu:${core}:inactive`] = (modes.idle ?? 0) + (modes.iowait ?? 0);
		counters[`cpu:${core}:all`] = all;
	}
	for (const mode of CPU_MODES) counters[`cpu:total:${mode}`] = total[mode];
	counters['cpu:total:inactive'] = total.idle + total.iowait;
	counters['cpu:total:all'] = CPU_MODES.reduce((sum, m) => sum + total[m], 0);
	return cores;
}

function labelledCounters(
	page: MetricsPage,
	names: Record<string, string>,
	part: string,
	keep: (device: string) => boolean,
	counters: CounterSet,
): string[] {
	const devices = new Set<string>();
	for (const [metric, field] of Object.entries(names)) {
		for (const s of page.get(metric) ?? []) {
			const device = s.labels.device;
			if (!device || !keep(device)) continue;
			devices.add(device);
			counters[`${part}:${device}:${field}`] = s.value;
		}
	}
	return [...devices].sort(natural);
}

/** node_memory_MemTotal_bytes -> MemTotal: node_exporter's names are /proc/meminfo's keys. */
function meminfo(page: MetricsPage): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [name, list] of page) {
		const m = /^node_memory_(\w+)_bytes$/.exec(name);
		if (m && list[0]) out[m[1]] = list[0].value;
	}
	return out;
}

function filesystems(page: MetricsPage): FilesystemInfo[] {
	const key = (l: Record<string, string>) => `${l.device}\u0000${l.mountpoint}\u0000${l.fstype}`;
	const field = (name: string) => {
		const out = new Map<string, number>();
		for (const s of page.get(name) ?? []) out.set(key(s.labels), s.value);
		return out;
	};
	const free = field('node_filesystem_free_bytes');
	const avail = field('node_filesystem_avail_bytes');
	const files = field('node_filesystem_files');
	const filesFree = field('node_filesystem_files_free');
	const errors = field('node_filesystem_device_error');
	const byDevice = new Map<string, FilesystemInfo>();
	const others: FilesystemInfo[] = [];
	for (const s of page.get('node_filesystem_size_bytes') ?? []) {
		const k = key(s.labels);
		const entry = {
			device: s.labels.device ?? '',
			mount: s.labels.mountpoint ?? '',
			fstype: s.labels.fstype ?? '',
		};
		// As the local collector: pseudo filesystems and zero-block ones are left out, and so is a
		// filesystem node_exporter could not stat (its figures are absent or stale).
		if (!entry.mount || !isReportedMount(entry) || !(s.value > 0) || errors.get(k) === 1) continue;
		const freeBytes = avail.get(k) ?? 0;
		const usedBytes = Math.max(0, s.value - (free.get(k) ?? s.value));
		const info: FilesystemInfo = {
			...entry,
			sizeBytes: s.value,
			usedBytes,
			freeBytes,
			usedPercent: round(clampPercent((100 * usedBytes) / (usedBytes + freeBytes || 1))),
			inodesTotal: files.get(k) ?? 0,
			inodesUsed: Math.max(0, (files.get(k) ?? 0) - (filesFree.get(k) ?? 0)),
		};
		// Bind mounts of one block device are one filesystem: reported once, at the shortest mount
		// point (the local collector tells them apart by st_dev, which node_exporter does not give).
		if (entry.device.startsWith('/')) {
			const seen = byDevice.get(entry.device);
			if (!seen || info.mount.length < seen.mount.length) byDevice.set(entry.device, info);
		} else {
			others.push(info);
		}
	}
	return [...byDevice.values(), ...others].sort((a, b) => a.mount.localeCompare(b.mount));
}

/** Sensor names as the local collector writes them: `chip name/label` (hwmon), `zone/type`. */
function temperatures(page: MetricsPage): Temperature[] {
	const chipNames = new Map<string, string>();
	for (const s of page.get('node_hwmon_chip_names') ?? []) {
		if (s.labels.chip && s.labels.chip_name) chipNames.set(s.labels.chip, s.labels.chip_name);
	}
	const sensorLabels = new Map<string, string>();
	for (const s of page.get('node_hwmon_sensor_label') ?? []) {
		if (s.labels.label) sensorLabels.set(`${s.labels.chip}/${s.labels.sensor}`, s.labels.label);
	}
	const out: Temperature[] = [];
	const push = (sensor: string, celsius: number) => {
		// Unplugged channels report -273 or absurd values, as in the local collector.
		if (celsius > -60 && celsius < 200) out.push({ sensor, celsius: round(celsius, 1) });
	};
	for (const s of page.get('node_hwmon_temp_celsius') ?? []) {
		const { chip = '', sensor = '' } = s.labels;
		const label = sensorLabels.get(`${chip}/${sensor}`);
		push(`${chipNames.get(chip) || chip}/${label || sensor}`, s.value);
	}
	for (const s of page.get('node_thermal_zone_temp') ?? []) {
		push(`thermal_zone${s.labels.zone ?? ''}/${s.labels.type || 'unknown'}`, s.value);
	}
	return out;
}

/** Reads everything the mapping needs out of one scrape. */
export function readNodeExporter(page: MetricsPage): NodeExporterReading {
	const counters: CounterSet = {};
	const cores = cpuCounters(page.get('node_cpu_seconds_total') ?? [], counters);
	const [l1, l5, l15] = ['node_load1', 'node_load5', 'node_load15'].map((n) => single(page, n));
	const boot = single(page, 'node_boot_time_seconds');
	const now = single(page, 'node_time_seconds');
	return {
		counters,
		cores,
		load: l1 !== null && l5 !== null && l15 !== null ? { '1': l1, '5': l5, '15': l15 } : null,
		meminfo: meminfo(page),
		filesystems: filesystems(page),
		devices: labelledCounters(
			page,
			DISK_COUNTERS,
			'disk',
			(d) => !EXCLUDED_DISK_DEVICES.test(d),
			counters,
		),
		interfaces: labelledCounters(page, NET_COUNTERS, 'net', () => true, counters),
		uptimeSeconds: boot !== null && now !== null && now >= boot ? round(now - boot) : null,
		temperatures: temperatures(page),
		processCount: single(page, 'node_processes_pids'),
	};
}

/** The remote parts are pure builds: they never read the environment the local ones read from. */
const NO_ENV: HostEnv = {
	procRoot: '',
	sysRoot: '',
	cgroupRoot: '',
	mountsFile: '',
	topProcesses: 0,
	live: false,
	signal: new AbortController().signal,
};

export interface NodeExporterResult {
	samples: Sample[];
	snapshot: Record<string, unknown>;
	warnings: string[];
}

/**
 * Samples and a host-like snapshot from one reading and the rates since the previous scrape
 * (keyed `cpu:…`, `disk:…`, `net:…` like the counters). Parts the page has nothing for are left
 * out without a warning (a machine without disks or sensors); a page without CPU or memory figures
 * is not node_exporter's, and the caller reports that.
 */
export async function buildNodeExporter(
	reading: NodeExporterReading,
	rates: Record<string, number>,
	elapsedSeconds: number,
): Promise<NodeExporterResult> {
	const ratesOf = (part: string) => {
		const out: Record<string, number> = {};
		for (const [k, v] of Object.entries(rates))
			if (k.startsWith(`${part}:`)) out[k.slice(part.length + 1)] = v;
		return out;
	};
	const facts: HostFacts = {};
	const samples: Sample[] = [];
	const snapshot: Record<string, unknown> = {};
	const warnings: string[] = [];
	const run = async <R>(part: HostPart<R>, raw: R, partRates: Record<string, number> = {}) => {
		const result = await part.build({ raw, rates: partRates, elapsedSeconds, env: NO_ENV, facts });
		samples.push(...result.samples);
		Object.assign(snapshot, result.snapshot);
		if (result.warnings) warnings.push(...result.warnings);
	};
	if (reading.cores.length > 0) {
		await run(cpuPart, { cores: reading.cores, load: reading.load }, ratesOf('cpu'));
	} else if (reading.load) {
		for (const period of ['1', '5', '15'] as const) {
			samples.push({ name: 'load_average', value: reading.load[period], labels: { period } });
		}
	}
	if (reading.meminfo.MemTotal !== undefined) {
		await run(memoryPart, memoryFromMeminfo(reading.meminfo));
	}
	if (reading.filesystems.length > 0) {
		await run(filesystemPart, { filesystems: reading.filesystems, warnings: [] });
	}
	await run(diskioPart, { devices: reading.devices }, ratesOf('disk'));
	await run(networkPart, { interfaces: reading.interfaces }, ratesOf('net'));
	if (reading.uptimeSeconds !== null) await run(uptimePart, { seconds: reading.uptimeSeconds });
	await run(temperaturePart, { temperatures: reading.temperatures });
	if (reading.processCount !== null) {
		samples.push({ name: 'process_count', value: reading.processCount });
		snapshot.processes = { count: reading.processCount, byCpu: [], byMemory: [] };
	}
	snapshot.intervalSeconds = elapsedSeconds > 0 ? round(elapsedSeconds, 3) : null;
	return { samples, snapshot, warnings };
}

/** True when a page has none of the figures node_exporter always serves. */
export function lacksNodeExporterFigures(reading: NodeExporterReading): boolean {
	return reading.cores.length === 0 && reading.meminfo.MemTotal === undefined;
}
