import type { MetricName } from '../../catalog/metrics';
import { ratesFromCounters } from '../rates';
import type { CounterSet, Labels, Sample } from '../types';
import type { StatsCounters, StatsGauges } from './parse';
import { exitedWithError, type ContainerRow } from '../../model';

/** What one collection learned about one container, before rates. */
export interface ContainerReading {
	id: string;
	name: string;
	image: string;
	project?: string;
	/** created, running, paused, restarting, removing, exited, dead. */
	state: string;
	/** The engine's words: "Up 5 minutes (healthy)", "Exited (1) 2 hours ago". */
	status: string;
	/** healthy, unhealthy, starting, or none (no health check). */
	health: string;
	healthy?: boolean;
	restarts: number;
	exitCode: number;
	oomKilled: boolean;
	startedAtMs?: number;
	restartPolicy?: string;
	cpuLimitCores?: number;
	/** Set with `--memory`; without it the engine reports the host's memory as the limit. */
	memoryLimited: boolean;
	stats?: { counters: StatsCounters; gauges: StatsGauges };
	/** A first read moments before, for a container seen for the first time (no rate spike). */
	before?: StatsCounters;
}

const COUNTER_FIELDS = ['cpuNs', 'rx', 'tx', 'blockRead', 'blockWrite'] as const;

/** Counters are kept by short id: a container recreated under the same name starts afresh. */
const key = (id: string, field: string) => `${id.slice(0, 12)}:${field}`;

export function countersOf(id: string, c: StatsCounters): CounterSet {
	const out: CounterSet = { [key(id, 'readMs')]: c.readMs };
	for (const f of COUNTER_FIELDS) if (c[f] !== undefined) out[key(id, f)] = c[f];
	return out;
}

/** The counters a previous collection kept for this container, if it kept any. */
export function previousOf(
	id: string,
	counters: CounterSet | undefined,
): StatsCounters | undefined {
	const readMs = counters?.[key(id, 'readMs')];
	const cpuNs = counters?.[key(id, 'cpuNs')];
	if (readMs === undefined || cpuNs === undefined) return undefined;
	const out: StatsCounters = { readMs, cpuNs };
	for (const f of COUNTER_FIELDS) {
		const v = counters?.[key(id, f)];
		if (v !== undefined) out[f] = v;
	}
	return out;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Samples and the snapshot row of each container, and the counters to keep. Rates come from the
 * previous collection's counters (or a read moments before); a container without either has
 * gauges only this time, and one that vanished leaves nothing behind.
 */
export function buildContainers(
	readings: ContainerReading[],
	previous: CounterSet | undefined,
	now: number,
	hostCpus: number | undefined,
): { samples: Sample[]; rows: ContainerRow[]; counters: CounterSet } {
	const samples: Sample[] = [];
	const rows: ContainerRow[] = [];
	const counters: CounterSet = {};
	for (const r of readings) {
		const labels: Labels = { container: r.name, image: r.image };
		if (r.project) labels.project = r.project;
		const add = (name: MetricName, value: number | undefined) => {
			if (value !== undefined && Number.isFinite(value)) samples.push({ name, value, labels });
		};
		const row: ContainerRow = {
			name: r.name,
			id: r.id.slice(0, 12),
			image: r.image,
			...(r.project ? { project: r.project } : {}),
			state: r.state,
			status: r.status,
			health: r.health,
			restarts: r.restarts,
			exitCode: r.exitCode,
			oomKilled: r.oomKilled,
			...(r.restartPolicy ? { restartPolicy: r.restartPolicy } : {}),
			memoryLimited: r.memoryLimited,
		};
		const running = r.state === 'running';
		add('docker_container_up', running ? 1 : 0);
		if (r.healthy !== undefined) add('docker_container_healthy', r.healthy ? 1 : 0);
		add('docker_container_restarts_total', r.restarts);
		add('docker_container_exit_code', r.exitCode);
		add('docker_container_failed', exitedWithError(r) ? 1 : 0);
		if (running && r.startedAtMs) {
			row.uptimeSeconds = Math.max(0, Math.round((now - r.startedAtMs) / 1000));
			add('docker_container_uptime_seconds', row.uptimeSeconds);
		}
		if (r.cpuLimitCores !== undefined) {
			row.cpuLimitCores = r.cpuLimitCores;
			add('docker_container_cpu_limit_cores', r.cpuLimitCores);
		}
		if (r.stats) {
			const { gauges, counters: current } = r.stats;
			Object.assign(counters, countersOf(r.id, current));
			if (gauges.memoryUsedBytes !== undefined) {
				row.memoryUsedBytes = gauges.memoryUsedBytes;
				add('docker_container_memory_used_bytes', gauges.memoryUsedBytes);
			}
			if (gauges.memoryLimitBytes !== undefined) {
				row.memoryLimitBytes = gauges.memoryLimitBytes;
				add('docker_container_memory_limit_bytes', gauges.memoryLimitBytes);
				if (gauges.memoryUsedBytes !== undefined) {
					row.memoryPercent = round((gauges.memoryUsedBytes / gauges.memoryLimitBytes) * 100);
					add('docker_container_memory_percent', row.memoryPercent);
				}
			}
			if (gauges.pids !== undefined) {
				row.pids = gauges.pids;
				add('docker_container_pids', gauges.pids);
			}
			const base = r.before ?? previousOf(r.id, previous);
			if (base) {
				const elapsed = (current.readMs - base.readMs) / 1000;
				const rates = ratesFromCounters(pick(base), pick(current), elapsed);
				if (rates.cpuNs !== undefined) {
					const cores = rates.cpuNs / 1e9;
					row.cpuCores = round(cores, 3);
					const cpus = gauges.onlineCpus ?? hostCpus;
					if (cpus) {
						row.cpuPercent = round((cores / cpus) * 100);
						add('docker_container_cpu_percent', row.cpuPercent);
					}
					if (r.cpuLimitCores) {
						row.cpuLimitPercent = round((cores / r.cpuLimitCores) * 100);
						add('docker_container_cpu_limit_percent', row.cpuLimitPercent);
					}
				}
				const rate = (field: keyof typeof rates, name: MetricName, prop: keyof ContainerRow) => {
					const v = rates[field];
					if (v === undefined) return;
					(row as unknown as Record<string, number>)[prop] = round(v);
					add(name, round(v));
				};
				rate('rx', 'docker_container_net_rx_bytes_per_second', 'netRxBytesPerSecond');
				rate('tx', 'docker_container_net_tx_bytes_per_second', 'netTxBytesPerSecond');
				rate(
					'blockRead',
					'docker_container_block_read_bytes_per_second',
					'blockReadBytesPerSecond',
				);
				rate(
					'blockWrite',
					'docker_container_block_write_bytes_per_second',
					'blockWriteBytesPerSecond',
				);
			}
		}
		rows.push(row);
	}
	rows.sort((a, b) => a.name.localeCompare(b.name));
	return { samples, rows, counters };
}

function pick(c: StatsCounters): CounterSet {
	const out: CounterSet = {};
	for (const f of COUNTER_FIELDS) if (c[f] !== undefined) out[f] = c[f];
	return out;
}
