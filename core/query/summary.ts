import type { MetricName } from '../catalog/metrics';
import type { DigestRow, StoreReader } from '../store';
import { QueryError } from './errors';

/** The figures a digest reports per kind of target, and from which metric. */
const DIGEST_METRICS = {
	cpu: 'cpu_usage_percent',
	memory: 'memory_used_percent',
	disk: 'filesystem_used_percent',
	gpu: 'gpu_utilization_percent',
	dbUp: 'db_up',
	dbQuery: 'db_query_seconds',
	endpointUp: 'endpoint_up',
	endpointTotal: 'endpoint_total_seconds',
} as const satisfies Record<string, MetricName>;

export interface Figure {
	avg: number | null;
	max: number | null;
}

export interface Summary {
	from: number;
	to: number;
	hosts: Array<{ host: string; cpu: Figure; memory: Figure; disk: Figure; gpu: Figure }>;
	databases: Array<{ host: string; db: string; availability: number | null; queryP: Figure }>;
	endpoints: Array<{ host: string; endpoint: string; availability: number | null; total: Figure }>;
	workflows: Array<{
		instance: string;
		workflowId: string;
		workflowName: string | null;
		runs: number;
		failures: number;
	}>;
	/** The worst few of each kind, for the digest's first lines. */
	worst: {
		cpu: Array<{ host: string; max: number }>;
		disk: Array<{ host: string; max: number }>;
		endpoints: Array<{ endpoint: string; host: string; availability: number }>;
		workflows: Array<{ workflowId: string; workflowName: string | null; failures: number }>;
	};
}

type RollupRow = DigestRow;
type ExecutionCount = Awaited<ReturnType<StoreReader['executions']['statusCounts']>>[number];

const MAX_RANGE_MS = 366 * 86_400_000;
/** Joins a host and a label into one map key. */
const SEP = '\u0000';

/**
 * A digest of a period (a day, a week) from the hourly rollups and the executions table: averages
 * and peaks per host, availability of databases and endpoints, failures per workflow, and the
 * worst offenders. Reads only what the period's hourly buckets hold, whatever the raw volume.
 */
export async function summary(
	store: Pick<StoreReader, 'samples' | 'executions'>,
	range: { from: number; to: number; worst?: number },
): Promise<Summary> {
	const { from, to } = range;
	if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
		throw new QueryError('the summary range must have from before to');
	}
	if (to - from > MAX_RANGE_MS) throw new QueryError('the summary range may be at most a year');
	const top = Math.min(Math.max(range.worst ?? 5, 1), 50);

	const rows = await store.samples.digest(Object.values(DIGEST_METRICS), from, to);
	const hosts = hostFigures(rows);
	const databases = databaseFigures(rows);
	const endpoints = endpointFigures(rows);
	const workflows = workflowFigures(await store.executions.statusCounts(from, to));
	return {
		from,
		to,
		hosts,
		databases,
		endpoints,
		workflows,
		worst: worstOf(hosts, endpoints, workflows, top),
	};
}

function figure(list: RollupRow[]): Figure {
	const count = list.reduce((n, r) => n + Number(r.count), 0);
	if (count === 0) return { avg: null, max: null };
	return {
		avg: list.reduce((n, r) => n + Number(r.sum), 0) / count,
		max: Math.max(...list.map((r) => Number(r.max))),
	};
}

/** One metric's rows by a key made of their labels and host. */
function group(
	rows: RollupRow[],
	metric: string,
	key: (labels: Record<string, string>, host: string) => string,
): Map<string, RollupRow[]> {
	const byKey = new Map<string, RollupRow[]>();
	for (const row of rows) {
		if (row.metric !== metric) continue;
		const labels = JSON.parse(row.labels) as Record<string, string>;
		const k = key(labels, row.host);
		byKey.set(k, [...(byKey.get(k) ?? []), row]);
	}
	return byKey;
}

/** Hosts: CPU total only; disk as the fullest filesystem's peak and average. */
function hostFigures(rows: RollupRow[]): Summary['hosts'] {
	const cpu = group(rows, DIGEST_METRICS.cpu, (l, h) => (l.cpu === 'total' ? h : ''));
	cpu.delete('');
	const memory = group(rows, DIGEST_METRICS.memory, (_l, h) => h);
	const gpu = group(rows, DIGEST_METRICS.gpu, (_l, h) => h);
	const disk = group(rows, DIGEST_METRICS.disk, (_l, h) => h);
	const hostNames = [
		...new Set([...cpu.keys(), ...memory.keys(), ...disk.keys(), ...gpu.keys()]),
	].sort();
	return hostNames.map((host) => ({
		host,
		cpu: figure(cpu.get(host) ?? []),
		memory: figure(memory.get(host) ?? []),
		disk: fullest(disk.get(host) ?? []),
		gpu: figure(gpu.get(host) ?? []),
	}));
}

function databaseFigures(rows: RollupRow[]): Summary['databases'] {
	const dbUp = group(rows, DIGEST_METRICS.dbUp, (l, h) => `${h}${SEP}${l.db ?? ''}`);
	const dbQuery = group(rows, DIGEST_METRICS.dbQuery, (l, h) => `${h}${SEP}${l.db ?? ''}`);
	return [...dbUp.keys()].sort().map((k) => {
		const [host, db] = k.split(SEP);
		return {
			host,
			db,
			availability: figure(dbUp.get(k)!).avg,
			queryP: figure(dbQuery.get(k) ?? []),
		};
	});
}

function endpointFigures(rows: RollupRow[]): Summary['endpoints'] {
	const epUp = group(rows, DIGEST_METRICS.endpointUp, (l, h) => `${h}${SEP}${l.endpoint ?? ''}`);
	const epTotal = group(
		rows,
		DIGEST_METRICS.endpointTotal,
		(l, h) => `${h}${SEP}${l.endpoint ?? ''}`,
	);
	return [...epUp.keys()].sort().map((k) => {
		const [host, endpoint] = k.split(SEP);
		return {
			host,
			endpoint,
			availability: figure(epUp.get(k)!).avg,
			total: figure(epTotal.get(k) ?? []),
		};
	});
}

/** Runs and failures per workflow, the most failing first. */
function workflowFigures(executionRows: ExecutionCount[]): Summary['workflows'] {
	const workflowsByKey = new Map<string, Summary['workflows'][number]>();
	for (const r of executionRows) {
		const key = `${r.instance}${SEP}${r.workflow_id}`;
		const w = workflowsByKey.get(key) ?? {
			instance: r.instance,
			workflowId: r.workflow_id,
			workflowName: r.workflow_name,
			runs: 0,
			failures: 0,
		};
		w.runs += Number(r.n);
		if (r.status === 'error' || r.status === 'crashed') w.failures += Number(r.n);
		workflowsByKey.set(key, w);
	}
	return [...workflowsByKey.values()].sort((a, b) => b.failures - a.failures || b.runs - a.runs);
}

/** The `top` worst of each kind. */
function worstOf(
	hosts: Summary['hosts'],
	endpoints: Summary['endpoints'],
	workflows: Summary['workflows'],
	top: number,
): Summary['worst'] {
	const byMax = (list: Array<{ host: string; f: Figure }>) =>
		list
			.filter((x) => x.f.max !== null)
			.sort((a, b) => b.f.max! - a.f.max!)
			.slice(0, top)
			.map((x) => ({ host: x.host, max: x.f.max! }));
	return {
		cpu: byMax(hosts.map((h) => ({ host: h.host, f: h.cpu }))),
		disk: byMax(hosts.map((h) => ({ host: h.host, f: h.disk }))),
		endpoints: endpoints
			.filter((e) => e.availability !== null && e.availability < 1)
			.sort((a, b) => a.availability! - b.availability!)
			.slice(0, top)
			.map((e) => ({ endpoint: e.endpoint, host: e.host, availability: e.availability! })),
		workflows: workflows
			.filter((w) => w.failures > 0)
			.slice(0, top)
			.map((w) => ({
				workflowId: w.workflowId,
				workflowName: w.workflowName,
				failures: w.failures,
			})),
	};
}

/** The fullest filesystem's figures: the one with the highest peak. */
function fullest(list: RollupRow[]): Figure {
	const byLabels = new Map<string, RollupRow[]>();
	for (const r of list) byLabels.set(r.labels, [...(byLabels.get(r.labels) ?? []), r]);
	let best: Figure = { avg: null, max: null };
	for (const rows of byLabels.values()) {
		const count = rows.reduce((n, r) => n + Number(r.count), 0);
		const f = {
			avg: rows.reduce((n, r) => n + Number(r.sum), 0) / count,
			max: Math.max(...rows.map((r) => Number(r.max))),
		};
		if (best.max === null || f.max > best.max) best = f;
	}
	return best;
}
