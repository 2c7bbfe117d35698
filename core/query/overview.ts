import type { Knex } from 'knex';

import { QueryError } from './errors';
import { readRawSamples, type RawSample } from './raw';
import { latestValues, type LatestValue } from './latest';
import { HOUR_MS, MINUTE_MS, num } from './validate';

export type Status = 'ok' | 'warning' | 'critical' | 'nodata';

/** Where a figure turns amber and red. `below` thresholds warn when the value is small. */
export const THRESHOLDS = {
	cpu: { warning: 80, critical: 95 },
	memory: { warning: 85, critical: 95 },
	disk: { warning: 85, critical: 95 },
	gpuTemperature: { warning: 80, critical: 90 },
	certDaysLeft: { warning: 14, critical: 3, below: true },
	failureRate: { warning: 0.1, critical: 0.5 },
} as const;

/** A value older than this is not "the current value": the status is nodata. */
export const LATEST_WINDOW_MS = 15 * MINUTE_MS;
/** A collection is stale after this many of its usual intervals... */
export const STALE_INTERVALS = 3;
/** ...or, when its interval cannot be told (fewer than two runs in the window below), after this. */
export const STALE_FALLBACK_MS = 5 * MINUTE_MS;
/** The window over which a collector's usual interval is measured (covers hourly collectors). */
export const INTERVAL_WINDOW_MS = 6 * HOUR_MS;
/** How far back a status change is looked for; older means "since at least then". */
export const SINCE_LOOKBACK_MS = 24 * HOUR_MS;
export const SPARKLINE_MS = 60 * MINUTE_MS;

/** Which collector writes which metric, to tell whether a figure is stale. */
const COLLECTOR_OF: Record<string, string> = {
	cpu_usage_percent: 'host',
	memory_used_percent: 'host',
	filesystem_used_percent: 'host',
	gpu_utilization_percent: 'gpu',
	gpu_temperature_celsius: 'gpu',
	model_server_up: 'model_server',
	db_up: 'database',
	endpoint_up: 'endpoint',
	endpoint_cert_days_left: 'endpoint',
	n8n_workflow_stalled: 'n8n',
	n8n_execution_failure_rate: 'n8n',
};
const BINARY_METRICS = ['model_server_up', 'db_up', 'endpoint_up', 'n8n_workflow_stalled'];

export interface Gauge {
	value: number | null;
	/** Time of the sample the value comes from. */
	ts: number | null;
	status: Status;
	/** See `since` on TargetStatus; for gauges it is the latest sample's time. */
	since: number | null;
	stale: boolean;
}

export interface CollectorStatus {
	collector: string;
	lastTs: number;
	ok: boolean;
	error: string | null;
	/** The usual time between two runs, measured over the last 6 hours; null when unknown. */
	intervalMs: number | null;
	stale: boolean;
}

export interface HostOverview {
	host: string;
	/** The worst status of its gauges and failing collectors (nodata only when all are). */
	status: Status;
	gauges: {
		cpu: Gauge;
		memory: Gauge;
		disk: Gauge;
		gpuUtilization: Gauge;
		gpuTemperature: Gauge;
	};
	collectors: CollectorStatus[];
	/** CPU total over the last 60 minutes, raw, at most 60 points (one per minute). */
	sparkline: Array<[number, number]>;
}

export type TargetKind = 'model_server' | 'database' | 'endpoint' | 'workflow';

export interface TargetStatus {
	kind: TargetKind;
	/** The host whose collector checks the target. */
	host: string;
	/** The server, db, endpoint or workflow id label. */
	name: string;
	status: Status;
	/**
	 * When the status began, as far as it is cheap to know: for up/down and stalled, the first
	 * sample after the last one with another value within 24 h (or the first sample of those 24 h
	 * when nothing changed: "at least since"); for thresholded figures (certificate days,
	 * failure rate) the latest sample's time. Null for nodata.
	 */
	since: number | null;
	/** The collector of this target on this host has not run for 3 of its intervals (or 5 min). */
	stale: boolean;
	/** The up or stalled value (1/0); null when none in the last 15 minutes. */
	value: number | null;
	certDaysLeft?: number | null;
	failureRate?: number | null;
}

/** How the fleet's hosts can be ordered: worst first, by name, or by a figure (highest first). */
export const FLEET_SORTS = ['status', 'name', 'cpu', 'memory', 'disk'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];
export const STATUSES: Status[] = ['ok', 'warning', 'critical', 'nodata'];
/** The most hosts one answer carries with their sparklines. */
export const MAX_FLEET_LIMIT = 1000;

export interface OverviewOptions {
	now: number;
	/** `name` when absent (the order the overview always had). */
	sort?: FleetSort;
	/** Hosts whose name contains this text (any case). */
	filter?: string;
	/** Hosts in one of these states. */
	status?: Status[];
	/** One page of hosts: at most `limit` from `offset` on; all hosts when absent. */
	limit?: number;
	offset?: number;
}

/** The whole fleet's counts and where `hosts` lies in the filtered, sorted list. */
export interface FleetPage {
	/** Hosts in the whole fleet, whatever the filter. */
	hosts: number;
	/** Hosts per status in the whole fleet, whatever the filter. */
	counts: Record<Status, number>;
	/** Hosts that pass the filter and status (the length of the list that is paged). */
	matched: number;
	offset: number;
	limit: number | null;
	sort: FleetSort;
	filter: string;
	status: Status[];
}

export interface Overview {
	now: number;
	/** The page of hosts (all of them unless a limit was asked for). */
	hosts: HostOverview[];
	fleet: FleetPage;
	targets: TargetStatus[];
	thresholds: typeof THRESHOLDS;
}

const RANK: Record<Status, number> = { nodata: 0, ok: 1, warning: 2, critical: 3 };

export function worst(statuses: Status[]): Status {
	let result: Status = 'nodata';
	for (const s of statuses) if (RANK[s] > RANK[result]) result = s;
	return result;
}

/** The status of a value against a threshold pair (pure; exported for the alerts and the tests). */
export function thresholdStatus(
	value: number | null | undefined,
	t: { warning: number; critical: number; below?: boolean },
): Status {
	if (value === null || value === undefined || !Number.isFinite(value)) return 'nodata';
	if (t.below) return value <= t.critical ? 'critical' : value <= t.warning ? 'warning' : 'ok';
	return value >= t.critical ? 'critical' : value >= t.warning ? 'warning' : 'ok';
}

/** Whether a collector whose last run was at `lastTs` is late at `now`. */
export function isStale(now: number, lastTs: number | null, intervalMs: number | null): boolean {
	if (lastTs === null) return true;
	const limit = intervalMs && intervalMs > 0 ? STALE_INTERVALS * intervalMs : STALE_FALLBACK_MS;
	return now - lastTs > limit;
}

/** The order "worst first" puts states in: a silent host is worse than an amber one. */
const SEVERITY: Record<Status, number> = { critical: 0, warning: 1, nodata: 2, ok: 3 };
/** Metrics the overview reads that describe the host itself, not a target it checks. */
const HOST_METRICS = new Set([
	'cpu_usage_percent',
	'memory_used_percent',
	'filesystem_used_percent',
	'gpu_utilization_percent',
	'gpu_temperature_celsius',
]);

/** Checks paging, sorting and filter options; a QueryError says which one is wrong. */
export function checkOverviewOptions(options: OverviewOptions): void {
	if (options.sort !== undefined && !FLEET_SORTS.includes(options.sort))
		throw new QueryError(`sort must be one of ${FLEET_SORTS.join(', ')}`);
	for (const s of options.status ?? [])
		if (!STATUSES.includes(s)) throw new QueryError(`status must be one of ${STATUSES.join(', ')}`);
	if (
		options.limit !== undefined &&
		(!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_FLEET_LIMIT)
	)
		throw new QueryError(`limit must be a whole number from 1 to ${MAX_FLEET_LIMIT}`);
	if (options.offset !== undefined && (!Number.isInteger(options.offset) || options.offset < 0))
		throw new QueryError('offset must be a whole number, 0 or more');
	if (options.filter !== undefined && options.filter.length > 255)
		throw new QueryError('filter must be at most 255 characters');
}

/**
 * Everything the dashboard's first screen shows, in a handful of indexed queries. The status of
 * every host is always worked out (the counts are for the whole fleet); the costlier parts
 * (sparklines, collector intervals) are read only for the hosts on the page asked for.
 */
export async function overview(knex: Knex, options: OverviewOptions): Promise<Overview> {
	checkOverviewOptions(options);
	const now = options.now;
	const [latest, runs] = await Promise.all([
		latestValues(knex, now - LATEST_WINDOW_MS, now, Object.keys(COLLECTOR_OF), {
			cpu_usage_percent: { cpu: 'total' },
		}),
		latestRuns(knex, now),
	]);

	const hostNames = new Set<string>();
	for (const r of runs) hostNames.add(r.host);
	for (const l of latest) hostNames.add(l.host);
	const byHost = new Map<string, LatestValue[]>();
	for (const l of latest) {
		const list = byHost.get(l.host) ?? [];
		list.push(l);
		byHost.set(l.host, list);
	}
	const runsOf = new Map<string, LatestRun[]>();
	for (const r of runs) {
		const list = runsOf.get(r.host) ?? [];
		list.push(r);
		runsOf.set(r.host, list);
	}

	// Every host's gauges and status (cheap: values already read); staleness comes later.
	const all = [...hostNames].sort().map((host) => {
		const values = byHost.get(host) ?? [];
		const gauge = (
			metric: string,
			t?: { warning: number; critical: number },
		): Gauge & { metric: string } => {
			let best: LatestValue | undefined;
			for (const l of values) if (l.metric === metric && (!best || l.value > best.value)) best = l;
			if (!best)
				return { metric, value: null, ts: null, status: 'nodata', since: null, stale: true };
			return {
				metric,
				value: best.value,
				ts: best.ts,
				status: t ? thresholdStatus(best.value, t) : 'ok',
				since: best.ts,
				stale: true,
			};
		};
		const gauges = {
			cpu: gauge('cpu_usage_percent', THRESHOLDS.cpu),
			memory: gauge('memory_used_percent', THRESHOLDS.memory),
			disk: gauge('filesystem_used_percent', THRESHOLDS.disk),
			gpuUtilization: gauge('gpu_utilization_percent'),
			gpuTemperature: gauge('gpu_temperature_celsius', THRESHOLDS.gpuTemperature),
		};
		const hostRuns = runsOf.get(host) ?? [];
		const statuses = Object.values(gauges).map((g) => g.status);
		for (const r of hostRuns) statuses.push(r.ok ? 'ok' : 'critical');
		// Its host collector ran at some time, yet none of CPU, memory and disk is current.
		const silent =
			hostRuns.some((r) => r.collector === 'host') &&
			[gauges.cpu, gauges.memory, gauges.disk].every((g) => g.status === 'nodata');
		return { host, status: worst(statuses), gauges, runs: hostRuns, silent };
	});

	const counts: Record<Status, number> = { ok: 0, warning: 0, critical: 0, nodata: 0 };
	for (const h of all) counts[h.status]++;
	const filter = (options.filter ?? '').trim();
	const needle = filter.toLowerCase();
	const wanted = options.status?.length ? new Set(options.status) : undefined;
	const matched = all.filter(
		(h) => (!needle || h.host.toLowerCase().includes(needle)) && (!wanted || wanted.has(h.status)),
	);
	const sort = options.sort ?? 'name';
	sortHosts(matched, sort);
	const offset = options.offset ?? 0;
	const limit = options.limit ?? null;
	const page = limit === null ? matched.slice(offset) : matched.slice(offset, offset + limit);

	// Intervals and sparklines only for the hosts shown and the hosts whose targets are listed.
	const paged = limit !== null || offset > 0 || needle !== '' || wanted !== undefined;
	const shown = new Set(page.map((h) => h.host));
	for (const l of latest) if (!HOST_METRICS.has(l.metric)) shown.add(l.host);
	const [intervals, sparklines, since] = await Promise.all([
		collectorIntervals(knex, now, paged ? [...shown] : undefined),
		cpuSparklines(knex, now, paged ? page.map((h) => h.host) : undefined),
		statusSince(
			knex,
			now,
			latest.filter((l) => BINARY_METRICS.includes(l.metric)),
		),
	]);
	const statusOf = new Map<string, CollectorStatus>();
	for (const r of runs) {
		const intervalMs = intervals.get(`${r.host}\u0000${r.collector}`) ?? null;
		statusOf.set(`${r.host}\u0000${r.collector}`, {
			collector: r.collector,
			lastTs: r.lastTs,
			ok: r.ok,
			error: r.error,
			intervalMs: intervalMs === null ? null : Math.round(intervalMs),
			stale: isStale(now, r.lastTs, intervalMs),
		});
	}
	const staleFor = (host: string, metric: string) => {
		const c = statusOf.get(`${host}\u0000${COLLECTOR_OF[metric]}`);
		return c ? c.stale : true;
	};

	const hosts: HostOverview[] = page.map((h) => {
		const gauges = {} as HostOverview['gauges'];
		for (const [key, g] of Object.entries(h.gauges)) {
			const { metric, ...gauge } = g;
			gauges[key as keyof HostOverview['gauges']] = { ...gauge, stale: staleFor(h.host, metric) };
		}
		return {
			host: h.host,
			status: h.status,
			gauges,
			collectors: h.runs.map((r) => ({
				host: h.host,
				...statusOf.get(`${h.host}\u0000${r.collector}`)!,
			})),
			sparkline: sparklines.get(h.host) ?? [],
		};
	});

	return {
		now,
		hosts,
		fleet: {
			hosts: all.length,
			counts,
			matched: matched.length,
			offset,
			limit,
			sort,
			filter,
			status: options.status ?? [],
		},
		targets: targetStatuses(latest, since, staleFor),
		thresholds: THRESHOLDS,
	};
}

/**
 * In place: worst first (then the highest figure), by name, or by a figure (highest first). Worst
 * first puts a silent host (its host collector stopped: no current CPU, memory or disk, though its
 * last runs were fine, so its status is still ok) with the nodata ones, not among the calm hosts
 * at the end of the list, where nobody would look for it.
 */
function sortHosts(
	hosts: Array<{ host: string; status: Status; gauges: Record<string, Gauge>; silent: boolean }>,
	sort: FleetSort,
): void {
	const severity = (h: { status: Status; silent: boolean }) =>
		h.silent && h.status === 'ok' ? SEVERITY.nodata : SEVERITY[h.status];
	const byName = (a: { host: string }, b: { host: string }) =>
		a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
	// Missing figures go last in every order.
	const figure = (g: Gauge) => (g.value === null ? -Infinity : g.value);
	const peak = (h: { gauges: Record<string, Gauge> }) =>
		Math.max(figure(h.gauges.cpu), figure(h.gauges.memory), figure(h.gauges.disk));
	if (sort === 'name') hosts.sort(byName);
	else if (sort === 'status')
		hosts.sort((a, b) => severity(a) - severity(b) || peak(b) - peak(a) || byName(a, b));
	else
		hosts.sort((a, b) => {
			const x = figure(a.gauges[sort]);
			const y = figure(b.gauges[sort]);
			return x === y ? byName(a, b) : y > x ? 1 : -1;
		});
}

function targetStatuses(
	latest: LatestValue[],
	since: Map<number, number>,
	staleFor: (host: string, metric: string) => boolean,
): TargetStatus[] {
	const targets = new Map<string, TargetStatus & { sinceFrom?: 'binary' | 'latest' }>();
	const target = (kind: TargetKind, host: string, name: string, metric: string) => {
		const key = `${kind}\u0000${host}\u0000${name}`;
		let t = targets.get(key);
		if (!t) {
			t = {
				kind,
				host,
				name,
				status: 'nodata',
				since: null,
				stale: staleFor(host, metric),
				value: null,
			};
			targets.set(key, t);
		}
		return t;
	};
	// Up/down and stalled first: they decide unless a threshold figure is worse.
	const order = (l: LatestValue) => (BINARY_METRICS.includes(l.metric) ? 0 : 1);
	for (const l of [...latest].sort((a, b) => order(a) - order(b))) {
		let t: TargetStatus | undefined;
		let status: Status = 'nodata';
		let binary = false;
		switch (l.metric) {
			case 'model_server_up':
			case 'db_up':
			case 'endpoint_up': {
				const kind =
					l.metric === 'model_server_up'
						? 'model_server'
						: l.metric === 'db_up'
							? 'database'
							: 'endpoint';
				const name =
					l.labels[kind === 'model_server' ? 'server' : kind === 'database' ? 'db' : 'endpoint'];
				if (name === undefined) continue;
				t = target(kind, l.host, name, l.metric);
				t.value = l.value;
				status = l.value >= 1 ? 'ok' : 'critical';
				binary = true;
				break;
			}
			case 'n8n_workflow_stalled': {
				if (l.labels.workflow === undefined) continue;
				t = target('workflow', l.host, l.labels.workflow, l.metric);
				t.value = l.value;
				status = l.value >= 1 ? 'critical' : 'ok';
				binary = true;
				break;
			}
			case 'endpoint_cert_days_left': {
				if (l.labels.endpoint === undefined) continue;
				t = target('endpoint', l.host, l.labels.endpoint, l.metric);
				t.certDaysLeft = l.value;
				status = thresholdStatus(l.value, THRESHOLDS.certDaysLeft);
				break;
			}
			case 'n8n_execution_failure_rate': {
				// `_all` is the instance-wide figure, not a workflow.
				if (l.labels.workflow === undefined || l.labels.workflow === '_all') continue;
				t = target('workflow', l.host, l.labels.workflow, l.metric);
				t.failureRate = l.value;
				status = thresholdStatus(l.value, THRESHOLDS.failureRate);
				break;
			}
			default:
				continue;
		}
		if (RANK[status] > RANK[t.status] || t.status === 'nodata') {
			t.status = status;
			t.since = binary ? (since.get(l.seriesId) ?? l.ts) : l.ts;
		}
	}
	return [...targets.values()].sort(
		(a, b) =>
			a.kind.localeCompare(b.kind) || a.host.localeCompare(b.host) || a.name.localeCompare(b.name),
	);
}

/** For each binary series: the first sample after the last one with another value (24 h back). */
async function statusSince(
	knex: Knex,
	now: number,
	binary: LatestValue[],
): Promise<Map<number, number>> {
	const result = new Map<number, number>();
	if (binary.length === 0) return result;
	// Through the one reader of raw samples (hot and packed), then in memory: these are the few
	// binary series (up/down), at most a day of samples each.
	const samples = await readRawSamples(
		knex,
		binary.map((b) => b.seriesId),
		now - SINCE_LOOKBACK_MS,
		now,
	);
	const bySeries = new Map<number, RawSample[]>();
	for (const s of samples) {
		let list = bySeries.get(s.seriesId);
		if (!list) bySeries.set(s.seriesId, (list = []));
		list.push(s);
	}
	for (const b of binary) {
		const list = bySeries.get(b.seriesId);
		if (!list || list.length === 0) continue;
		const up = b.value >= 1;
		// The first sample after the last one with the other value; the first of the day if none.
		let k = list.length - 1;
		while (k >= 0 && list[k].value >= 1 === up) k--;
		const first = list[k + 1];
		if (first) result.set(b.seriesId, first.ts);
	}
	return result;
}

interface LatestRun {
	host: string;
	collector: string;
	lastTs: number;
	ok: boolean;
	error: string | null;
}

/** The latest run (at or before `now`) of every collector on every host. */
async function latestRuns(knex: Knex, now: number): Promise<LatestRun[]> {
	// The (host, collector) pairs come from mon_collector_state (one row each, kept by every
	// write); the latest run of each is then one seek on (host, collector, ts). A GROUP BY over all
	// of mon_collections would scan every run ever stored: 2.6 million rows for 10 hosts with 6
	// collectors each minute over 30 days.
	// PostgreSQL: one backward seek per pair (LATERAL ... LIMIT 1), half the time of the
	// join on max(ts) below, which it plans as two seeks per pair.
	const rows: Array<Record<string, unknown>> =
		knex.client.config.client === 'pg'
			? await knex('mon_collector_state as st')
					.joinRaw(
						'cross join lateral (select x.ts, x.ok, x.error, x.id from mon_collections x where x.host = st.host and x.collector = st.collector and x.ts <= ? order by x.ts desc, x.id desc limit 1) c',
						[now],
					)
					.select('st.host', 'st.collector', 'c.ts', 'c.ok', 'c.error', 'c.id')
			: await knex('mon_collector_state as st')
					// Joined on the id the subquery picks, not on ts = max(ts): with the latter SQLite
					// scans every row of mon_collections and runs the subquery for each (0.5 s at
					// 432,000 rows, bench/dashboard-load.js).
					.join('mon_collections as c', function () {
						this.on(
							'c.id',
							'=',
							knex.raw(
								'(select x.id from mon_collections x where x.host = st.host and x.collector = st.collector and x.ts <= ? order by x.ts desc, x.id desc limit 1)',
								[now],
							),
						);
					})
					.select('c.host', 'c.collector', 'c.ts', 'c.ok', 'c.error', 'c.id')
					.orderBy([{ column: 'c.host' }, { column: 'c.collector' }, { column: 'c.id' }]);
	// Two runs in the same millisecond: the later row (higher id) wins, on both engines.
	const byKey = new Map<string, LatestRun>();
	for (const row of rows)
		byKey.set(`${row.host}\u0000${row.collector}`, {
			host: String(row.host),
			collector: String(row.collector),
			lastTs: num(row.ts),
			ok: Boolean(num(row.ok)),
			error: row.error == null ? null : String(row.error),
		});
	// Ordered by host and collector on both engines (the LATERAL form has no ORDER BY of its own).
	return [...byKey.values()].sort((a, b) =>
		a.host === b.host
			? a.collector < b.collector
				? -1
				: a.collector > b.collector
					? 1
					: 0
			: a.host < b.host
				? -1
				: 1,
	);
}

/**
 * The usual time between two runs of each collector, measured over the last 6 hours, of the given
 * hosts (all when absent): 360 runs a host for a collector that runs every minute, so a fleet's
 * page asks only for the hosts it shows.
 */
async function collectorIntervals(
	knex: Knex,
	now: number,
	hosts?: string[],
): Promise<Map<string, number>> {
	const intervals = new Map<string, number>();
	if (hosts && hosts.length === 0) return intervals;
	const query = knex('mon_collections')
		.select('host', 'collector')
		.count({ n: '*' })
		.min({ first: 'ts' })
		.max({ last: 'ts' })
		.where('ts', '>=', now - INTERVAL_WINDOW_MS)
		.andWhere('ts', '<=', now)
		.groupBy('host', 'collector');
	if (hosts) query.whereIn('host', hosts);
	for (const s of (await query) as Array<Record<string, unknown>>) {
		const n = num(s.n);
		if (n >= 2)
			intervals.set(`${s.host}\u0000${s.collector}`, (num(s.last) - num(s.first)) / (n - 1));
	}
	return intervals;
}

/** CPU total of the given hosts (all when absent) over the last hour, averaged per minute when collected more often. */
async function cpuSparklines(
	knex: Knex,
	now: number,
	hosts?: string[],
): Promise<Map<string, Array<[number, number]>>> {
	if (hosts && hosts.length === 0) return new Map();
	const seriesQuery = knex('mon_series')
		.where('metric', 'cpu_usage_percent')
		.andWhere('labels', JSON.stringify({ cpu: 'total' }))
		.select('id', 'host');
	if (hosts) seriesQuery.whereIn('host', hosts);
	const series = await seriesQuery;
	const hostOf = new Map(series.map((s) => [num(s.id), String(s.host)]));
	const rows = (await readRawSamples(knex, [...hostOf.keys()], now - SPARKLINE_MS + 1, now))
		.map((r) => ({ host: hostOf.get(r.seriesId)!, ts: r.ts, value: r.value }))
		.sort((x, y) => (x.host < y.host ? -1 : x.host > y.host ? 1 : x.ts - y.ts));
	const buckets = new Map<string, Map<number, { sum: number; count: number }>>();
	for (const row of rows) {
		const host = String(row.host);
		const minute = Math.floor(num(row.ts) / MINUTE_MS) * MINUTE_MS;
		let perHost = buckets.get(host);
		if (!perHost) buckets.set(host, (perHost = new Map()));
		const b = perHost.get(minute) ?? { sum: 0, count: 0 };
		b.sum += num(row.value);
		b.count++;
		perHost.set(minute, b);
	}
	const result = new Map<string, Array<[number, number]>>();
	for (const [host, perHost] of buckets) {
		const points = [...perHost.entries()].map(
			([ts, b]) => [ts, b.sum / b.count] as [number, number],
		);
		result.set(host, points.slice(-60));
	}
	return result;
}
