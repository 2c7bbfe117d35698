/*
 * The Engine API's answers (the fields read here; Docker Engine API 1.41+, Podman's compat API)
 * and pure functions from them to one container's figures.
 */

export interface EngineInfo {
	Name?: string;
	ServerVersion?: string;
	OperatingSystem?: string;
	KernelVersion?: string;
	NCPU?: number;
	MemTotal?: number;
	Driver?: string;
	CgroupVersion?: string;
	Containers?: number;
	ContainersRunning?: number;
	ContainersPaused?: number;
	ContainersStopped?: number;
	Images?: number;
}

export interface EngineVersion {
	ApiVersion?: string;
	Version?: string;
	Components?: Array<{ Name?: string }>;
}

/** One row of GET /containers/json. */
export interface ContainerSummary {
	Id: string;
	Names?: string[];
	Image?: string;
	State?: string;
	Status?: string;
	Created?: number;
	Labels?: Record<string, string> | null;
}

/** GET /containers/{id}/json, the fields read. */
export interface ContainerInspect {
	Id?: string;
	Name?: string;
	RestartCount?: number;
	State?: {
		Status?: string;
		Running?: boolean;
		Paused?: boolean;
		Restarting?: boolean;
		OOMKilled?: boolean;
		ExitCode?: number;
		StartedAt?: string;
		FinishedAt?: string;
		Health?: { Status?: string; FailingStreak?: number };
	};
	Config?: { Image?: string; Labels?: Record<string, string> | null };
	HostConfig?: {
		NanoCpus?: number;
		CpuQuota?: number;
		CpuPeriod?: number;
		Memory?: number;
		RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
	};
}

/** GET /containers/{id}/stats?stream=false&one-shot=true, the fields read. */
export interface ContainerStats {
	read?: string;
	pids_stats?: { current?: number };
	cpu_stats?: { cpu_usage?: { total_usage?: number }; online_cpus?: number };
	memory_stats?: MemoryStats;
	networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
	blkio_stats?: { io_service_bytes_recursive?: Array<{ op?: string; value?: number }> | null };
}

export interface MemoryStats {
	usage?: number;
	limit?: number;
	stats?: Record<string, number>;
}

/** The counters of one stats read, for rates between two reads. */
export interface StatsCounters {
	/** When the engine read them, Unix ms. */
	readMs: number;
	cpuNs: number;
	rx?: number;
	tx?: number;
	blockRead?: number;
	blockWrite?: number;
}

export interface StatsGauges {
	memoryUsedBytes?: number;
	memoryLimitBytes?: number;
	pids?: number;
	onlineCpus?: number;
}

export const COMPOSE_PROJECT = 'com.docker.compose.project';

/** The name without the leading slash the engine gives it. */
export function containerName(c: ContainerSummary): string {
	const name = c.Names?.[0] ?? c.Id.slice(0, 12);
	return name.replace(/^\//, '');
}

/**
 * Memory in use as `docker stats` shows it: the cgroup's usage less the inactive page cache
 * (total_inactive_file on cgroup v1, inactive_file on v2), which the kernel drops before it
 * would kill anything.
 */
export function memoryUsed(memory: MemoryStats): number | undefined {
	if (memory.usage === undefined) return undefined;
	const stats = memory.stats ?? {};
	const v1 = stats.total_inactive_file;
	if (v1 !== undefined && v1 < memory.usage) return memory.usage - v1;
	const v2 = stats.inactive_file;
	if (v2 !== undefined && v2 < memory.usage) return memory.usage - v2;
	return memory.usage;
}

export function statsCounters(stats: ContainerStats): StatsCounters | null {
	const readMs = stats.read ? Date.parse(stats.read) : NaN;
	const cpuNs = stats.cpu_stats?.cpu_usage?.total_usage;
	// A container that stopped between the list and the stats has an all-zero answer.
	if (!Number.isFinite(readMs) || readMs <= 0 || cpuNs === undefined) return null;
	const counters: StatsCounters = { readMs, cpuNs };
	if (stats.networks) {
		counters.rx = 0;
		counters.tx = 0;
		for (const n of Object.values(stats.networks)) {
			counters.rx += n.rx_bytes ?? 0;
			counters.tx += n.tx_bytes ?? 0;
		}
	}
	const io = stats.blkio_stats?.io_service_bytes_recursive;
	if (stats.blkio_stats) {
		counters.blockRead = 0;
		counters.blockWrite = 0;
		// cgroup v1 writes "Read"/"Write", v2 "read"/"write".
		for (const e of io ?? []) {
			const op = e.op?.toLowerCase();
			if (op === 'read') counters.blockRead += e.value ?? 0;
			else if (op === 'write') counters.blockWrite += e.value ?? 0;
		}
	}
	return counters;
}

export function statsGauges(stats: ContainerStats): StatsGauges {
	const gauges: StatsGauges = {};
	const memory = stats.memory_stats;
	if (memory) {
		const used = memoryUsed(memory);
		if (used !== undefined) gauges.memoryUsedBytes = used;
		if (memory.limit) gauges.memoryLimitBytes = memory.limit;
	}
	if (stats.pids_stats?.current !== undefined) gauges.pids = stats.pids_stats.current;
	if (stats.cpu_stats?.online_cpus) gauges.onlineCpus = stats.cpu_stats.online_cpus;
	return gauges;
}

/** The CPU limit in cores (`--cpus`, or a CFS quota), undefined when there is none. */
export function cpuLimitCores(host: ContainerInspect['HostConfig']): number | undefined {
	if (!host) return undefined;
	if (host.NanoCpus && host.NanoCpus > 0) return host.NanoCpus / 1e9;
	if (host.CpuQuota && host.CpuQuota > 0) return host.CpuQuota / (host.CpuPeriod || 100_000);
	return undefined;
}

/** The health check's verdict: true, false, or undefined when there is none or it is starting. */
export function healthOf(inspect: ContainerInspect): boolean | undefined {
	const status = inspect.State?.Health?.Status;
	if (status === 'healthy') return true;
	if (status === 'unhealthy') return false;
	return undefined;
}
