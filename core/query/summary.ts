import type { Knex } from 'knex';

import { hotSamplesNotRolledUp } from '../store/hot';
import type { MetricName } from '../catalog/metrics';
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

interface RollupRow {
	host: string;
	metric: string;
	labels: string;
	sum: number;
	count: number;
	max: number;
}

const MAX_RANGE_MS = 366 * 86_400_000;

/**
 * A digest of a period (a day, a week) from the hourly rollups and the executions table: averages
 * and peaks per host, availability of databases and endpoints, failures per workflow, and the
 * worst offenders. Reads only what the period's hourly buckets hold, whatever the raw volume.
 */
export async function summary(
	knex: Knex,
	range: { from: number; to: number; worst?: number },
): Promise<Summary> {
	const { from, to } = range;
	if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
		throw new QueryError('the summary range must have from before to');
	}
	if (to - from > MAX_RANGE_MS) throw new QueryError('the summary range may be at most a year');
	const top = Math.min(Math.max(range.worst ?? 5, 1), 50);

	const rows = (await knex('mon_rollup_1h as r')
		.join('mon_series as s', 's.id', 'r.series_id')
		.whereIn('s.metric', Object.values(DIGEST_METRICS))
		.andWhere('r.ts', '>=', from)
		.andWhere('r.ts', '<', to)
		.groupBy('s.id', 's.host', 's.metric', 's.labels')
		.select('s.host', 's.metric', 's.labels')
		.sum({ sum: 'r.sum' })
		.sum({ count: 'r.count' })
		.max({ max: 'r.max' })) as RollupRow[];
	await addHotSamples(knex, rows, from, to);

	const figure = (list: RollupRow[]): Figure => {
		const count = list.reduce((n, r) => n + Number(r.count), 0);
		if (count === 0) return { avg: null, max: null };
		return {
			avg: list.reduce((n, r) => n + Number(r.sum), 0) / count,
			max: Math.max(...list.map((r) => Number(r.max))),
		};
	};
	const group = (metric: string, key: (labels: Record<string, string>, host: string) => string) => {
		const byKey = new Map<string, RollupRow[]>();
		for (const row of rows) {
			if (row.metric !== metric) continue;
			const labels = JSON.parse(row.labels) as Record<string, string>;
			const k = key(labels, row.host);
			byKey.set(k, [...(byKey.get(k) ?? []), row]);
		}
		return byKey;
	};

	// Hosts: CPU total only; disk as the fullest filesystem's peak and average.
	const cpu = group(DIGEST_METRICS.cpu, (l, h) => (l.cpu === 'total' ? h : ''));
	cpu.delete('');
	const memory = group(DIGEST_METRICS.memory, (_l, h) => h);
	const gpu = group(DIGEST_METRICS.gpu, (_l, h) => h);
	const disk = group(DIGEST_METRICS.disk, (_l, h) => h);
	const hostNames = [
		...new Set([...cpu.keys(), ...memory.keys(), ...disk.keys(), ...gpu.keys()]),
	].sort();
	const hosts = hostNames.map((host) => ({
		host,
		cpu: figure(cpu.get(host) ?? []),
		memory: figure(memory.get(host) ?? []),
		disk: fullest(disk.get(host) ?? []),
		gpu: figure(gpu.get(host) ?? []),
	}));

	const sep = '\u0000';
	const dbUp = group(DIGEST_METRICS.dbUp, (l, h) => `${h}${sep}${l.db ?? ''}`);
	const dbQuery = group(DIGEST_METRICS.dbQuery, (l, h) => `${h}${sep}${l.db ?? ''}`);
	const databases = [...dbUp.keys()].sort().map((k) => {
		const [host, db] = k.split(sep);
		return {
			host,
			db,
			availability: figure(dbUp.get(k)!).avg,
			queryP: figure(dbQuery.get(k) ?? []),
		};
	});
	const epUp = group(DIGEST_METRICS.endpointUp, (l, h) => `${h}${sep}${l.endpoint ?? ''}`);
	const epTotal = group(DIGEST_METRICS.endpointTotal, (l, h) => `${h}${sep}${l.endpoint ?? ''}`);
	const endpoints = [...epUp.keys()].sort().map((k) => {
		const [host, endpoint] = k.split(sep);
		return {
			host,
			endpoint,
			availability: figure(epUp.get(k)!).avg,
			total: figure(epTotal.get(k) ?? []),
		};
	});

	const executionRows = (await knex('mon_executions')
		.where('started_at', '>=', from)
		.andWhere('started_at', '<', to)
		.whereNot('mode', 'manual')
		.groupBy('instance', 'workflow_id', 'workflow_name', 'status')
		.select('instance', 'workflow_id', 'workflow_name', 'status')
		.count({ n: '*' })) as Array<{
		instance: string;
		workflow_id: string;
		workflow_name: string | null;
		status: string;
		n: number | string;
	}>;
	const workflowsByKey = new Map<string, Summary['workflows'][number]>();
	for (const r of executionRows) {
		const key = `${r.instance}${sep}${r.workflow_id}`;
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
	const workflows = [...workflowsByKey.values()].sort(
		(a, b) => b.failures - a.failures || b.runs - a.runs,
	);

	const byMax = (list: Array<{ host: string; f: Figure }>) =>
		list
			.filter((x) => x.f.max !== null)
			.sort((a, b) => b.f.max! - a.f.max!)
			.slice(0, top)
			.map((x) => ({ host: x.host, max: x.f.max! }));
	return {
		from,
		to,
		hosts,
		databases,
		endpoints,
		workflows,
		worst: {
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
		},
	};
}

/** The fullest filesystem's figures: the one with the highest peak. */
/** The hours not packed yet (the last hour or two) are in the hot table, not in the rollups. */
async function addHotSamples(knex: Knex, rows: RollupRow[], from: number, to: number) {
	const digest = knex('mon_series').whereIn('metric', Object.values(DIGEST_METRICS)).select('id');
	const hot = (await hotSamplesNotRolledUp(knex, digest, from, to - 1)).filter((h) => h.ts < to);
	if (hot.length === 0) return;
	const ids = [...new Set(hot.map((h) => h.seriesId))];
	const series = new Map<number, { host: string; metric: string; labels: string }>();
	for (let i = 0; i < ids.length; i += 500)
		for (const s of await knex('mon_series')
			.whereIn('id', ids.slice(i, i + 500))
			.select('id', 'host', 'metric', 'labels'))
			series.set(Number(s.id), {
				host: String(s.host),
				metric: String(s.metric),
				labels: String(s.labels),
			});
	const byKey = new Map<string, RollupRow>();
	const keyOf = (r: { host: string; metric: string; labels: string }) =>
		`${r.host}\u0000${r.metric}\u0000${r.labels}`;
	for (const row of rows) byKey.set(keyOf(row), row);
	for (const h of hot) {
		const s = series.get(h.seriesId);
		if (!s) continue;
		let row = byKey.get(keyOf(s));
		if (!row) {
			row = { ...s, sum: 0, count: 0, max: h.value } as RollupRow;
			byKey.set(keyOf(s), row);
			rows.push(row);
		}
		row.sum = Number(row.sum) + h.value;
		row.count = Number(row.count) + 1;
		row.max = Math.max(Number(row.max), h.value);
	}
}

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
