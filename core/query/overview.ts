import type { LatestRun, LatestValue, RawSample, StoreReader } from '../store';

import { QueryError } from './errors';
import { CONTAINERS_COLLECTOR, containerCounts } from './containers';
import { collectorOfKind, reasonFromSnapshot, reasonText } from './reasons';
import { latestSnapshot } from './snapshot';
import { HOUR_MS, MINUTE_MS, num } from './validate';
import { isStale, STALE_MIN_MS } from '../staleness';
import { METRICS, thresholdsOf, type MetricName } from '../catalog/metrics';
import type {
	CollectorStatus,
	FleetPage,
	FleetSort,
	Gauge,
	HostOverview,
	Overview,
	OverviewQuery,
	Status,
	TargetKind,
	TargetStatus,
	Threshold,
	ThresholdKey,
} from '../contract/dashboard-api';

export { isStale, staleAfterMs, STALE_INTERVALS, STALE_MIN_MS } from '../staleness';
export type {
	CollectorStatus,
	FleetPage,
	FleetSort,
	Gauge,
	HostOverview,
	Overview,
	Status,
	TargetKind,
	TargetStatus,
};

/** What the overview reads of the store. */
export type OverviewStore = Pick<StoreReader, 'samples' | 'runs'>;

export type { LatestRun };

/** Where a figure turns amber and red (the catalog's marks). `below`: small values warn. */
export const THRESHOLDS: Readonly<Record<ThresholdKey, Threshold>> = {
	cpu: thresholdsOf('cpu_usage_percent'),
	memory: thresholdsOf('memory_used_percent'),
	disk: thresholdsOf('filesystem_used_percent'),
	gpuTemperature: thresholdsOf('gpu_temperature_celsius'),
	certDaysLeft: thresholdsOf('endpoint_cert_days_left'),
	failureRate: thresholdsOf('n8n_execution_failure_rate'),
};

/** A value older than this is not "the current value": the status is nodata. */
export const LATEST_WINDOW_MS = 15 * MINUTE_MS;
/** The staleness rule's floor, under its former name. */
export const STALE_FALLBACK_MS = STALE_MIN_MS;
/** The window over which a collector's usual interval is measured (covers hourly collectors). */
export const INTERVAL_WINDOW_MS = 6 * HOUR_MS;
/** How far back a status change is looked for; older means "since at least then". */
export const SINCE_LOOKBACK_MS = 24 * HOUR_MS;
export const SPARKLINE_MS = 60 * MINUTE_MS;

/** The metrics the overview reads, each with the collector that writes it (to tell staleness). */
const OVERVIEW_METRICS: MetricName[] = [
	'cpu_usage_percent',
	'memory_used_percent',
	'filesystem_used_percent',
	'gpu_utilization_percent',
	'gpu_temperature_celsius',
	'model_server_up',
	'db_up',
	'endpoint_up',
	'endpoint_cert_days_left',
	'n8n_workflow_stalled',
	'n8n_execution_failure_rate',
];
const COLLECTOR_OF: Record<string, string> = Object.fromEntries(
	OVERVIEW_METRICS.map((m) => [m, METRICS[m].collector]),
);
const BINARY_METRICS: readonly string[] = [
	'model_server_up',
	'db_up',
	'endpoint_up',
	'n8n_workflow_stalled',
] satisfies MetricName[];

/** How the fleet's hosts can be ordered: worst first, by name, or by a figure (highest first). */
export const FLEET_SORTS = [
	'status',
	'name',
	'cpu',
	'memory',
	'disk',
] as const satisfies readonly FleetSort[];
export const STATUSES: Status[] = ['ok', 'warning', 'critical', 'nodata'];
/** The most hosts one answer carries with their sparklines. */
export const MAX_FLEET_LIMIT = 1000;

export interface OverviewOptions extends OverviewQuery {
	now: number;
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

/** A collector's state: late (no data), failing or fine. */
export function runStatus(c: { stale: boolean; ok: boolean }): Status {
	return c.stale ? 'nodata' : c.ok ? 'ok' : 'critical';
}

/**
 * A host's state from what is current about it: the figures of collectors still reporting and
 * every collector's own state. A collector that stopped makes the host "no data" unless something
 * current is worse, so a silent host is never counted as OK.
 */
export function hostStatus(statuses: Status[]): Status {
	let result: Status | undefined;
	for (const s of statuses) if (result === undefined || SEVERITY[s] < SEVERITY[result]) result = s;
	return result ?? 'nodata';
}

/** Collectors whose checks are targets in the overview, with the metric that says up or down. */
const TARGET_COLLECTORS: Record<string, string> = {
	model_server: 'model_server_up',
	database: 'db_up',
	endpoint: 'endpoint_up',
	n8n: 'n8n_workflow_stalled',
};

/**
 * Everything the dashboard's first screen shows, in a handful of indexed queries. The status of
 * every host is always worked out (the counts are for the whole fleet); the costlier parts
 * (sparklines, the since of thresholds, reasons) are read only for the hosts on the page asked for.
 */
export async function overview(store: OverviewStore, options: OverviewOptions): Promise<Overview> {
	checkOverviewOptions(options);
	const now = options.now;
	const [latest, runs] = await Promise.all([
		store.samples.latest(now - LATEST_WINDOW_MS, now, Object.keys(COLLECTOR_OF), {
			cpu_usage_percent: { cpu: 'total' },
		}),
		store.runs.latest(now),
	]);
	const { statusOf, late } = await collectorStatuses(store, now, runs);
	const all = hostRows(latest, runs, statusOf);
	const fleet = selectPage(all, options);
	const { page } = fleet;

	// Intervals (for display), sparklines and thresholds' since only for the hosts shown.
	const shown = page.map((h) => h.host).filter((h) => !late.has(h));
	const amber = page.flatMap((h) =>
		Object.values(h.gauges).filter((g) => g.seriesId !== undefined && g.status !== 'ok'),
	);
	const upDown = (l: LatestValue) => ({ seriesId: l.seriesId, classify: (v: number) => v >= 1 });
	const [shownIntervals, { sparklines, starts }, targetValues] = await Promise.all([
		store.runs.intervals(now, shown, INTERVAL_WINDOW_MS),
		// One read of recent samples for the sparklines and every streak (on SQLite a few key
		// seeks per series and run of its host, store.samples.recent).
		cpuSparklines(store, now, fleet.paged ? page.map((h) => h.host) : undefined, [
			...amber.map((g) => ({
				seriesId: g.seriesId!,
				classify: (v: number) => thresholdStatus(v, thresholdOf(g.metric)),
			})),
			...latest.filter((l) => BINARY_METRICS.includes(l.metric)).map(upDown),
		]),
		olderTargetValues(store, now, runs),
	]);
	for (const [key, ms] of shownIntervals) {
		const c = statusOf.get(key);
		if (c) c.intervalMs = Math.round(ms);
	}
	// Targets whose collector last ran over 15 minutes ago (few: hourly checks, silent ones).
	const older = await streakStarts(
		store,
		now,
		targetValues.filter((l) => BINARY_METRICS.includes(l.metric)).map(upDown),
	);
	const since = new Map([...starts, ...older]);

	const hosts = page.map((h) => hostOverview(h, starts, sparklines));
	// Container counts only for the page's hosts that run the containers collector: one snapshot
	// read each, none for a fleet without containers.
	await Promise.all(
		hosts.map(async (h) => {
			const c = h.collectors.find((x) => x.collector === CONTAINERS_COLLECTOR);
			if (c) h.containers = await containerCounts(store, h.host, c);
		}),
	);
	const targets = targetStatuses([...latest, ...targetValues], since, (host, metric) =>
		statusOf.get(`${host}\u0000${COLLECTOR_OF[metric]}`),
	);
	await addReasons(store, targets, statusOf);
	await addWorkflowNames(store, targets);
	return {
		now,
		hosts,
		fleet: {
			hosts: all.length,
			counts: fleet.counts,
			matched: fleet.matched.length,
			offset: fleet.offset,
			limit: fleet.limit,
			sort: fleet.sort,
			filter: fleet.filter,
			status: options.status ?? [],
		},
		targets,
		thresholds: THRESHOLDS,
	};
}

/** A host's gauges and status, from the values and runs already read. */
interface HostRow {
	host: string;
	status: Status;
	gauges: Record<keyof HostOverview['gauges'], HostGauge>;
	collectors: CollectorStatus[];
	stale: boolean;
}

/** Every host's gauges and status (cheap: values and runs already read). */
function hostRows(
	latest: LatestValue[],
	runs: LatestRun[],
	statusOf: Map<string, CollectorStatus>,
): HostRow[] {
	const staleFor = (host: string, metric: string) => {
		const c = statusOf.get(`${host}\u0000${COLLECTOR_OF[metric]}`);
		return c ? c.stale : true;
	};
	const hostNames = new Set<string>();
	for (const r of runs) hostNames.add(r.host);
	for (const l of latest) if (HOST_METRICS.has(l.metric)) hostNames.add(l.host);
	const byHost = new Map<string, LatestValue[]>();
	for (const l of latest) {
		const list = byHost.get(l.host) ?? [];
		list.push(l);
		byHost.set(l.host, list);
	}
	const collectorsOf = new Map<string, CollectorStatus[]>();
	for (const c of statusOf.values()) {
		const list = collectorsOf.get(c.host) ?? [];
		list.push(c);
		collectorsOf.set(c.host, list);
	}

	return [...hostNames].sort().map((host) => {
		const values = byHost.get(host) ?? [];
		const gauge = (metric: string, t?: { warning: number; critical: number }) =>
			hostGauge(values, metric, staleFor(host, metric), t);
		const gauges = {
			cpu: gauge('cpu_usage_percent', THRESHOLDS.cpu),
			memory: gauge('memory_used_percent', THRESHOLDS.memory),
			disk: gauge('filesystem_used_percent', THRESHOLDS.disk),
			gpuUtilization: gauge('gpu_utilization_percent'),
			gpuTemperature: gauge('gpu_temperature_celsius', THRESHOLDS.gpuTemperature),
		};
		const collectors = collectorsOf.get(host) ?? [];
		const statuses = Object.values(gauges)
			.filter((g) => g.value !== null)
			.map((g) => g.status);
		for (const c of collectors) statuses.push(c.status);
		const stale = collectors.length === 0 || collectors.some((c) => c.stale);
		return { host, status: hostStatus(statuses), gauges, collectors, stale };
	});
}

/** A host's highest current value of `metric`, judged against `t` (none: just "ok"). */
function hostGauge(
	values: LatestValue[],
	metric: string,
	stale: boolean,
	t?: { warning: number; critical: number },
): HostGauge {
	let best: LatestValue | undefined;
	for (const l of values) if (l.metric === metric && (!best || l.value > best.value)) best = l;
	// A figure from a collector that stopped is not the current value: shown as none.
	if (!best || stale)
		return { metric, value: null, ts: best?.ts ?? null, status: 'nodata', since: null, stale };
	return {
		metric,
		seriesId: best.seriesId,
		value: best.value,
		ts: best.ts,
		status: t ? thresholdStatus(best.value, t) : 'ok',
		since: best.ts,
		stale,
	};
}

/** The fleet's counts, then the hosts that match the filter, sorted, and the page asked for. */
function selectPage(all: HostRow[], options: OverviewOptions) {
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
	const paged = limit !== null || offset > 0 || needle !== '' || wanted !== undefined;
	return { counts, filter, matched, sort, offset, limit, page, paged };
}

/** A host of the page as the dashboard gets it: amber figures say since when, with a sparkline. */
function hostOverview(
	h: HostRow,
	gaugeSince: Map<number, number>,
	sparklines: Map<string, [number, number][]>,
): HostOverview {
	const gauges = {} as HostOverview['gauges'];
	for (const [key, g] of Object.entries(h.gauges)) {
		const gauge: Gauge = {
			value: g.value,
			ts: g.ts,
			status: g.status,
			since: g.since,
			stale: g.stale,
		};
		const seriesId = g.seriesId;
		if (seriesId !== undefined && gauge.status !== 'ok')
			gauge.since = gaugeSince.get(seriesId) ?? gauge.since;
		gauges[key as keyof HostOverview['gauges']] = gauge;
	}
	const failing = h.collectors.filter((c) => c.status === 'critical');
	return {
		host: h.host,
		status: h.status,
		since: hostSince(h.status, h.collectors, Object.values(gauges)),
		stale: h.stale,
		reason: failing.length ? `${failing[0].collector}: ${failing[0].error ?? ''}` : null,
		gauges,
		collectors: h.collectors,
		sparkline: sparklines.get(h.host) ?? [],
	};
}

/**
 * Every collector's state at `now`, keyed by host and collector. Only a collector whose last run
 * is older than the rule's floor can be stale, so only those hosts' intervals are read (`late`):
 * none in a healthy fleet.
 */
export async function collectorStatuses(
	store: OverviewStore,
	now: number,
	runs?: LatestRun[],
): Promise<{ statusOf: Map<string, CollectorStatus>; late: Set<string> }> {
	const list = runs ?? (await store.runs.latest(now));
	const late = new Set(list.filter((r) => now - r.lastTs > STALE_MIN_MS).map((r) => r.host));
	const intervals = await store.runs.intervals(now, [...late], INTERVAL_WINDOW_MS);
	const statusOf = new Map<string, CollectorStatus>();
	for (const r of list)
		statusOf.set(`${r.host}\u0000${r.collector}`, collectorStatus(r, intervals, now));
	return { statusOf, late };
}

type HostGauge = Gauge & { metric: string; seriesId?: number };

function thresholdOf(metric: string): { warning: number; critical: number; below?: boolean } {
	switch (metric) {
		case 'cpu_usage_percent':
			return THRESHOLDS.cpu;
		case 'memory_used_percent':
			return THRESHOLDS.memory;
		case 'filesystem_used_percent':
			return THRESHOLDS.disk;
		case 'gpu_temperature_celsius':
			return THRESHOLDS.gpuTemperature;
		default:
			return { warning: Infinity, critical: Infinity };
	}
}

/** A latest run with its interval and the staleness rule applied; since from the state row. */
export function collectorStatus(
	r: LatestRun,
	intervals: Map<string, number>,
	now: number,
): CollectorStatus {
	const interval = intervals.get(`${r.host}\u0000${r.collector}`) ?? null;
	const stale = isStale(now, r.lastTs, interval);
	// The state row is the same run as the latest one unless a later run was written past `now`.
	const current = r.stateTs === r.lastTs;
	return {
		host: r.host,
		collector: r.collector,
		lastTs: r.lastTs,
		ok: r.ok,
		error: r.error,
		intervalMs: interval === null ? null : Math.round(interval),
		stale,
		status: runStatus({ stale, ok: r.ok }),
		// Stale: since its last report. Otherwise the first run of its current streak.
		since: stale ? r.lastTs : current && r.statusSince !== null ? r.statusSince : r.lastTs,
		lastOkTs: current && r.lastOkTs !== null ? r.lastOkTs : r.ok ? r.lastTs : r.lastOkTs,
	};
}

/**
 * When a host's state began: for no data, when the first of its silent collectors last reported;
 * for a failing collector or an amber figure, when the earliest of them began; for OK, when the
 * last of its collectors came back (or started), since OK needs all of them.
 */
export function hostSince(status: Status, collectors: CollectorStatus[], gauges: Gauge[]) {
	const times = (list: Array<number | null>) => list.filter((x): x is number => x !== null);
	if (status === 'ok') {
		const t = times(collectors.map((c) => c.since));
		return t.length ? Math.max(...t) : null;
	}
	const t = times([
		...collectors.filter((c) => c.status === status).map((c) => c.since),
		...gauges.filter((g) => g.value !== null && g.status === status).map((g) => g.since),
	]);
	return t.length ? Math.min(...t) : null;
}

/**
 * In place: worst first (then the highest figure), by name, or by a figure (highest first). A
 * host whose collector stopped is nodata, which worst first puts before the calm hosts, not at
 * the end of the list, where nobody would look for it.
 */
function sortHosts(
	hosts: Array<{ host: string; status: Status; gauges: Record<string, Gauge> }>,
	sort: FleetSort,
): void {
	const byName = (a: { host: string }, b: { host: string }) =>
		a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
	// Missing figures go last in every order.
	const figure = (g: Gauge) => (g.value === null ? -Infinity : g.value);
	const peak = (h: { gauges: Record<string, Gauge> }) =>
		Math.max(figure(h.gauges.cpu), figure(h.gauges.memory), figure(h.gauges.disk));
	if (sort === 'name') hosts.sort(byName);
	else if (sort === 'status')
		hosts.sort(
			(a, b) => SEVERITY[a.status] - SEVERITY[b.status] || peak(b) - peak(a) || byName(a, b),
		);
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
	collectorFor: (host: string, metric: string) => CollectorStatus | undefined,
): TargetStatus[] {
	const targets = new Map<string, TargetStatus>();
	const target = (kind: TargetKind, host: string, name: string, metric: string) => {
		const key = `${kind}\u0000${host}\u0000${name}`;
		let t = targets.get(key);
		if (!t) {
			const c = collectorFor(host, metric);
			t = {
				kind,
				host,
				name,
				status: 'nodata',
				since: null,
				stale: c ? c.stale : true,
				lastTs: c ? c.lastTs : null,
				reason: null,
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
				// Each n8n run judges every workflow it can; one its latest run left out (unpublished,
				// or no longer judged) has no current verdict, whatever an older sample said.
				const run = collectorFor(l.host, l.metric);
				if (run?.lastTs != null && l.ts < run.lastTs) continue;
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
	// A target whose collector stopped has no current state: no data since its last report.
	for (const t of targets.values())
		if (t.stale) {
			t.status = 'nodata';
			t.since = t.lastTs;
		}
	return [...targets.values()].sort(
		(a, b) =>
			a.kind.localeCompare(b.kind) || a.host.localeCompare(b.host) || a.name.localeCompare(b.name),
	);
}

/**
 * The up/down values of the targets whose collector last ran over 15 minutes ago, as of that run:
 * an hourly check stays listed with its last answer, and a silent target stays listed (as no
 * data) instead of vanishing. One read per such host, each a 15-minute window ending at that run.
 */
async function olderTargetValues(
	store: OverviewStore,
	now: number,
	runs: LatestRun[],
): Promise<LatestValue[]> {
	const lastOf = new Map<string, number>();
	for (const r of runs) {
		if (!(r.collector in TARGET_COLLECTORS) || now - r.lastTs <= LATEST_WINDOW_MS) continue;
		lastOf.set(r.host, Math.max(lastOf.get(r.host) ?? 0, r.lastTs));
	}
	const result: LatestValue[] = [];
	for (const [host, last] of lastOf)
		result.push(
			...(await store.samples.latest(
				last - LATEST_WINDOW_MS,
				last,
				Object.values(TARGET_COLLECTORS),
				undefined,
				[host],
			)),
		);
	return result;
}

/** Each down or failing target's reason: its collection's error, else what its snapshot says. */
async function addReasons(
	store: OverviewStore,
	targets: TargetStatus[],
	statusOf: Map<string, CollectorStatus>,
): Promise<void> {
	const down = targets.filter((t) => t.status === 'critical' || t.status === 'warning');
	const snapshots = new Map<string, unknown>();
	for (const t of down) {
		const collector = collectorOfKind(t.kind);
		const c = statusOf.get(`${t.host}\u0000${collector}`);
		if (c && !c.ok && c.error) {
			t.reason = reasonText(c.error);
			continue;
		}
		const key = `${t.host}\u0000${collector}`;
		if (!snapshots.has(key))
			snapshots.set(key, (await latestSnapshot(store, t.host, collector))?.snapshot ?? null);
		t.reason = reasonFromSnapshot(t.kind, t.name, snapshots.get(key));
	}
}

/** Workflows carry ids in their labels; people know them by name, which the n8n snapshot has. */
async function addWorkflowNames(store: OverviewStore, targets: TargetStatus[]): Promise<void> {
	const names = new Map<string, Map<string, string>>();
	for (const t of targets) {
		if (t.kind !== 'workflow') continue;
		if (!names.has(t.host)) {
			const snapshot = (await latestSnapshot(store, t.host, 'n8n'))?.snapshot as
				| { workflows?: Array<{ id?: unknown; name?: unknown }> }
				| null
				| undefined;
			const byId = new Map<string, string>();
			for (const w of Array.isArray(snapshot?.workflows) ? snapshot.workflows : [])
				if (typeof w.id === 'string' && typeof w.name === 'string' && w.name)
					byId.set(w.id, w.name);
			names.set(t.host, byId);
		}
		const title = names.get(t.host)!.get(t.name);
		if (title) t.title = title;
	}
}

/** For each series: the first sample of its current streak in the same class, 24 h back at most. */
async function streakStarts<T>(
	store: OverviewStore,
	now: number,
	series: Array<{ seriesId: number; classify: (value: number) => T }>,
): Promise<Map<number, number>> {
	const result = new Map<number, number>();
	if (series.length === 0) return result;
	// Through the reader of recent raw samples (hot and packed), then in memory: these are the few
	// binary series (up/down) and amber figures of one page, at most a day of samples each.
	const samples = await store.samples.recent(
		series.map((b) => b.seriesId),
		now - SINCE_LOOKBACK_MS,
		now,
	);
	const bySeries = new Map<number, RawSample[]>();
	for (const s of samples) {
		let list = bySeries.get(s.seriesId);
		if (!list) bySeries.set(s.seriesId, (list = []));
		list.push(s);
	}
	for (const { seriesId, classify } of series) {
		const start = streakStart(bySeries.get(seriesId) ?? [], classify);
		if (start !== null) result.set(seriesId, start);
	}
	return result;
}

/** The first sample after the last one of another class (the first of all if none); samples in time order. */
function streakStart<T>(list: RawSample[], classify: (value: number) => T): number | null {
	if (list.length === 0) return null;
	const current = classify(list[list.length - 1].value);
	let k = list.length - 1;
	while (k >= 0 && classify(list[k].value) === current) k--;
	return list[k + 1].ts;
}

/** CPU total of the given hosts (all when absent) over the last hour, averaged per minute when collected more often. */
async function cpuSparklines(
	store: OverviewStore,
	now: number,
	hosts: string[] | undefined,
	streaks: Array<{ seriesId: number; classify: (value: number) => unknown }>,
): Promise<{ sparklines: Map<string, Array<[number, number]>>; starts: Map<number, number> }> {
	const series =
		hosts && hosts.length === 0
			? []
			: await store.samples.withLabels('cpu_usage_percent', { cpu: 'total' }, hosts);
	const hostOf = new Map(series.map((s) => [s.id, s.host]));
	// Streaks look back a day, sparklines an hour: a CPU series that is also a streak is read
	// once, for the day.
	const streakIds = [...new Set(streaks.map((s) => s.seriesId))];
	const day = new Set(streakIds);
	const hourIds = [...hostOf.keys()].filter((id) => !day.has(id));
	const samples = [
		...(await store.samples.recent(hourIds, now - SPARKLINE_MS + 1, now)),
		...(await store.samples.recent(streakIds, now - SINCE_LOOKBACK_MS, now)),
	];
	const bySeries = new Map<number, RawSample[]>();
	for (const r of samples) {
		let list = bySeries.get(r.seriesId);
		if (!list) bySeries.set(r.seriesId, (list = []));
		list.push(r);
	}
	const starts = new Map<number, number>();
	for (const { seriesId, classify } of streaks) {
		const start = streakStart(bySeries.get(seriesId) ?? [], classify);
		if (start !== null) starts.set(seriesId, start);
	}
	const rows = samples
		.filter((r) => hostOf.has(r.seriesId) && r.ts >= now - SPARKLINE_MS + 1)
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
	return { sparklines: result, starts };
}
