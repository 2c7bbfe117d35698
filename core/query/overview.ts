import type { Knex } from 'knex';

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

export interface Overview {
	now: number;
	hosts: HostOverview[];
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

/** Everything the dashboard's first screen shows, in a handful of indexed queries. */
export async function overview(knex: Knex, options: { now: number }): Promise<Overview> {
	const now = options.now;
	const [latest, collectors, sparklines] = await Promise.all([
		latestValues(knex, now - LATEST_WINDOW_MS, now, Object.keys(COLLECTOR_OF)),
		collectorStatuses(knex, now),
		cpuSparklines(knex, now),
	]);
	const collectorOf = new Map<string, CollectorStatus>();
	for (const c of collectors) collectorOf.set(`${c.host}\u0000${c.collector}`, c);
	const staleFor = (host: string, metric: string) => {
		const c = collectorOf.get(`${host}\u0000${COLLECTOR_OF[metric]}`);
		return c ? c.stale : true;
	};
	const since = await statusSince(
		knex,
		now,
		latest.filter((l) => BINARY_METRICS.includes(l.metric)),
	);

	const hostNames = new Set<string>();
	for (const c of collectors) hostNames.add(c.host);
	for (const l of latest) hostNames.add(l.host);
	const byHost = new Map<string, LatestValue[]>();
	for (const l of latest) {
		const list = byHost.get(l.host) ?? [];
		list.push(l);
		byHost.set(l.host, list);
	}

	const hosts: HostOverview[] = [];
	for (const host of [...hostNames].sort()) {
		const values = byHost.get(host) ?? [];
		const gauge = (
			metric: string,
			pick: (l: LatestValue) => boolean,
			t?: { warning: number; critical: number },
		): Gauge => {
			let best: LatestValue | undefined;
			for (const l of values)
				if (l.metric === metric && pick(l) && (!best || l.value > best.value)) best = l;
			if (!best)
				return {
					value: null,
					ts: null,
					status: 'nodata',
					since: null,
					stale: staleFor(host, metric),
				};
			return {
				value: best.value,
				ts: best.ts,
				status: t ? thresholdStatus(best.value, t) : 'ok',
				since: best.ts,
				stale: staleFor(host, metric),
			};
		};
		const gauges = {
			cpu: gauge('cpu_usage_percent', (l) => l.labels.cpu === 'total', THRESHOLDS.cpu),
			memory: gauge('memory_used_percent', () => true, THRESHOLDS.memory),
			disk: gauge('filesystem_used_percent', () => true, THRESHOLDS.disk),
			gpuUtilization: gauge('gpu_utilization_percent', () => true),
			gpuTemperature: gauge('gpu_temperature_celsius', () => true, THRESHOLDS.gpuTemperature),
		};
		const hostCollectors = collectors.filter((c) => c.host === host);
		const statuses = Object.values(gauges).map((g) => g.status);
		for (const c of hostCollectors) statuses.push(c.ok ? 'ok' : 'critical');
		hosts.push({
			host,
			status: worst(statuses),
			gauges,
			collectors: hostCollectors,
			sparkline: sparklines.get(host) ?? [],
		});
	}

	return { now, hosts, targets: targetStatuses(latest, since, staleFor), thresholds: THRESHOLDS };
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

/** The latest run (at or before `now`) of every collector on every host, its interval and staleness. */
async function collectorStatuses(
	knex: Knex,
	now: number,
): Promise<Array<CollectorStatus & { host: string }>> {
	// The (host, collector) pairs come from mon_collector_state (one row each, kept by every
	// write); the latest run of each is then one seek on (host, collector, ts). A GROUP BY over all
	// of mon_collections would scan every run ever stored: 2.6 million rows for 10 hosts with 6
	// collectors each minute over 30 days.
	const [rows, spans] = await Promise.all([
		knex('mon_collector_state as st')
			.join('mon_collections as c', function () {
				this.on('c.host', '=', 'st.host')
					.andOn('c.collector', '=', 'st.collector')
					.andOn(
						'c.ts',
						'=',
						knex.raw(
							'(select max(x.ts) from mon_collections x where x.host = st.host and x.collector = st.collector and x.ts <= ?)',
							[now],
						),
					);
			})
			.select('c.host', 'c.collector', 'c.ts', 'c.ok', 'c.error', 'c.id')
			.orderBy([{ column: 'c.host' }, { column: 'c.collector' }, { column: 'c.id' }]),
		knex('mon_collections')
			.select('host', 'collector')
			.count({ n: '*' })
			.min({ first: 'ts' })
			.max({ last: 'ts' })
			.where('ts', '>=', now - INTERVAL_WINDOW_MS)
			.andWhere('ts', '<=', now)
			.groupBy('host', 'collector'),
	]);
	const intervals = new Map<string, number>();
	for (const s of spans as Array<Record<string, unknown>>) {
		const n = num(s.n);
		if (n >= 2)
			intervals.set(`${s.host}\u0000${s.collector}`, (num(s.last) - num(s.first)) / (n - 1));
	}
	// Two runs in the same millisecond would both match max(ts): the later row (higher id) wins.
	const byKey = new Map<string, CollectorStatus & { host: string }>();
	for (const row of rows) {
		const key = `${row.host}\u0000${row.collector}`;
		const intervalMs = intervals.get(key) ?? null;
		const lastTs = num(row.ts);
		byKey.set(key, {
			host: String(row.host),
			collector: String(row.collector),
			lastTs,
			ok: Boolean(num(row.ok)),
			error: row.error == null ? null : String(row.error),
			intervalMs: intervalMs === null ? null : Math.round(intervalMs),
			stale: isStale(now, lastTs, intervalMs),
		});
	}
	return [...byKey.values()];
}

/** CPU total of every host over the last hour, averaged per minute when collected more often. */
async function cpuSparklines(
	knex: Knex,
	now: number,
): Promise<Map<string, Array<[number, number]>>> {
	const series = await knex('mon_series')
		.where('metric', 'cpu_usage_percent')
		.andWhere('labels', JSON.stringify({ cpu: 'total' }))
		.select('id', 'host');
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
