import type { Knex } from 'knex';

import type { Labels } from '../../model';
import { decodeChunk } from '../chunk-codec';
import { hotSamplesNotRolledUp } from '../hot';
import { BUCKET_MS, groupBuckets, readRollups, type RollupBucket } from '../rollup-blocks';
import { canonicalLabels, parseLabels } from '../labels';
import { num } from './values';

export interface RawSample {
	seriesId: number;
	ts: number;
	value: number;
}

export interface LatestValue {
	seriesId: number;
	host: string;
	metric: string;
	labels: Record<string, string>;
	ts: number;
	value: number;
}

/** A stored series: its id and labels. */
export interface SeriesRef {
	id: number;
	host: string;
	metric: string;
	labels: Labels;
}

/** One bucket of a rollup (5 m or 1 h), or of several hours grouped, hot samples included. */
export type { RollupBucket };

/** Hourly figures of one series summed over a period, hot samples included. */
export interface DigestRow {
	host: string;
	metric: string;
	/** Canonical JSON of the series' labels. */
	labels: string;
	sum: number;
	count: number;
	max: number;
}

/** Packed blocks are one hour long (core/store/maintenance.ts) and keyed by their start. */
const BLOCK_MS = 3_600_000;

/**
 * What the store holds of each series: series identities, raw samples (hot and packed), latest
 * values and rollups. Every reader of samples goes through here, so that charts, alerts,
 * summaries and exports follow the store's layout together.
 */
export class SampleReads {
	constructor(private readonly knex: Knex) {}

	/** Raw samples of some series within [from, to], ordered by series then time. */
	raw(seriesIds: number[], from: number, to: number): Promise<RawSample[]> {
		return readRawSamples(this.knex, seriesIds, from, to, hotSamples);
	}

	/**
	 * The same as `raw` for samples written by collections (writeCollection, or the bulk loader
	 * with their run records): on SQLite the hot samples are found through their hosts' runs (one
	 * key seek per series and run) instead of a scan of the hot table's time range, which holds
	 * every series of the fleet. For the few series of one page of the fleet overview.
	 */
	recent(seriesIds: number[], from: number, to: number): Promise<RawSample[]> {
		const sqlite = this.knex.client.config.client !== 'pg';
		return readRawSamples(this.knex, seriesIds, from, to, sqlite ? hotSamplesByRuns : hotSamples);
	}

	latest(
		since: number,
		until: number,
		metrics?: string[],
		only?: Record<string, Labels>,
		hosts?: string[],
	): Promise<LatestValue[]> {
		return latestValues(this.knex, since, until, metrics, only, hosts);
	}

	/** The series of one metric on one host (an indexed lookup), at most `limit` of them. */
	async ofHost(host: string, metric: string, limit?: number): Promise<SeriesRef[]> {
		const query = this.knex('mon_series').where({ host, metric }).select('id', 'labels');
		if (limit !== undefined) query.limit(limit);
		const rows = await query;
		return rows.map((row) => ({ id: num(row.id), host, metric, labels: parseLabels(row.labels) }));
	}

	/** The series of one metric, on one host when `host` is given, else on every host. */
	async ofMetric(metric: string, host?: string): Promise<SeriesRef[]> {
		const query = this.knex('mon_series').where('metric', metric);
		if (host !== undefined) query.andWhere('host', host);
		const rows = await query.select('id', 'host', 'labels');
		return rows.map((row) => ({
			id: num(row.id),
			host: String(row.host),
			metric,
			labels: parseLabels(row.labels),
		}));
	}

	/** Every stored series, in id order. */
	async all(): Promise<SeriesRef[]> {
		const rows = await this.knex('mon_series')
			.orderBy('id')
			.select('id', 'host', 'metric', 'labels');
		return rows.map((row) => ({
			id: num(row.id),
			host: String(row.host),
			metric: String(row.metric),
			labels: parseLabels(row.labels),
		}));
	}

	/** The series of one metric with exactly these labels, of the given hosts (all when absent). */
	async withLabels(metric: string, labels: Labels, hosts?: string[]): Promise<SeriesRef[]> {
		if (hosts && hosts.length === 0) return [];
		const rows: Array<Record<string, unknown>> = await this.knex('mon_series')
			.where('metric', metric)
			.andWhere('labels', canonicalLabels(labels))
			.modify((q) => {
				if (hosts) q.whereIn('host', hosts);
			})
			.select('id', 'host');
		return rows.map((row) => ({ id: num(row.id), host: String(row.host), metric, labels }));
	}

	/** The id of some series of a metric, or undefined when none is stored. */
	async anyOf(metric: string): Promise<number | undefined> {
		const row = await this.knex('mon_series').where('metric', metric).first('id');
		return row ? Number(row.id) : undefined;
	}

	/** Every stored metric name. */
	async metricNames(): Promise<string[]> {
		return (await this.knex('mon_series').distinct('metric')).map((r) => String(r.metric));
	}

	/** Every (host, metric) pair with a stored series, sorted by host then metric (one indexed scan). */
	async hostMetrics(): Promise<Array<{ host: string; metric: string }>> {
		const rows = await this.knex('mon_series')
			.distinct('host', 'metric')
			.orderBy([{ column: 'host' }, { column: 'metric' }]);
		return rows.map((row) => ({ host: String(row.host), metric: String(row.metric) }));
	}

	/**
	 * Rollup buckets of some series in [start, to], ordered by series then time: the 5-minute or
	 * hourly buckets as they are when `groupMs` is their width, else hourly buckets grouped by
	 * floor(ts / groupMs). The samples not rolled up yet (the last hour or two, until maintenance
	 * packs them) are added.
	 */
	async rollups(
		resolution: '5m' | '1h',
		seriesIds: number[],
		start: number,
		to: number,
		groupMs: number,
	): Promise<RollupBucket[]> {
		const knex = this.knex;
		const width = groupMs;
		if (!Number.isSafeInteger(width) || width <= 0) throw new Error(`bad bucket width ${width}`);
		let rollups: RollupBucket[];
		if (groupMs === BUCKET_MS[resolution]) {
			rollups = await readRollups(knex, resolution, seriesIds, start, to);
		} else {
			const from = start - (start % width);
			rollups = groupBuckets(await readRollups(knex, resolution, seriesIds, from, to), width);
		}
		const hot = await hotSamplesNotRolledUp(knex, seriesIds, start - (start % width), to);
		return hot.length > 0 ? addHotBuckets(rollups, hot, width) : rollups;
	}

	/**
	 * Rollup buckets as stored, with ts in [from, to), ordered by series then time: no hot samples
	 * added (readers that count them apart, such as uptime, read those with `notRolledUp`).
	 */
	async rollupRows(
		resolution: '5m' | '1h',
		seriesIds: number[],
		from: number,
		to: number,
	): Promise<RollupBucket[]> {
		return (await readRollups(this.knex, resolution, seriesIds, from, to)).filter((b) => b.ts < to);
	}

	/** The 5-minute buckets of one series in some hours (given by their starts), in time order. */
	async fiveMinuteRowsOfHours(seriesId: number, hours: number[]): Promise<RollupBucket[]> {
		if (hours.length === 0) return [];
		const wanted = new Set(hours);
		const first = Math.min(...hours);
		const last = Math.max(...hours);
		const rows = await readRollups(this.knex, '5m', [seriesId], first, last + 3_600_000 - 1);
		return rows.filter((b) => wanted.has(b.ts - (b.ts % 3_600_000)));
	}

	/**
	 * The hot samples the rollups do not hold yet, within [from, to]: with `rollupRows`, every
	 * sample of a range exactly once.
	 */
	async notRolledUp(seriesIds: number[], from: number, to: number): Promise<RawSample[]> {
		if (seriesIds.length === 0) return [];
		const rows = await hotSamplesNotRolledUp(this.knex, seriesIds, from, to);
		return rows.sort((a, b) => a.seriesId - b.seriesId || a.ts - b.ts);
	}

	/**
	 * Sum, count and peak of every series of the given metrics over [from, to), from the hourly
	 * rollups plus the hot samples not rolled up yet: whatever the raw volume, only the period's
	 * hourly buckets are read.
	 */
	async digest(metrics: string[], from: number, to: number): Promise<DigestRow[]> {
		const knex = this.knex;
		const series = new Map<number, { host: string; metric: string; labels: string }>();
		for (const s of await knex('mon_series')
			.whereIn('metric', metrics)
			.select('id', 'host', 'metric', 'labels'))
			series.set(num(s.id), {
				host: String(s.host),
				metric: String(s.metric),
				labels: String(s.labels),
			});
		const bySeries = new Map<number, DigestRow>();
		const buckets = await readRollups(knex, '1h', [...series.keys()], from, to - 1);
		for (const b of buckets) {
			const row = bySeries.get(b.seriesId);
			if (!row) {
				bySeries.set(b.seriesId, {
					...series.get(b.seriesId)!,
					sum: b.sum,
					count: b.count,
					max: b.max,
				});
				continue;
			}
			row.sum += b.sum;
			row.count += b.count;
			if (b.max > row.max) row.max = b.max;
		}
		const rows = [...bySeries.values()];
		await addHotDigest(knex, rows, metrics, from, to);
		return rows;
	}
}

/**
 * Raw samples of some series within [from, to], ordered by series then time. The one place
 * raw samples are read, so that charts, alerts and exports follow the store's layout together:
 * the hot table (the last hour or two, one row per sample) plus the packed hours (mon_chunks),
 * which hold every older sample exactly.
 */
async function readRawSamples(
	knex: Knex,
	seriesIds: number[],
	from: number,
	to: number,
	hotOf: HotReader,
): Promise<RawSample[]> {
	if (seriesIds.length === 0) return [];
	const out: RawSample[] = [];
	// Bound parameters per statement stay far below SQLite's limit however many series are asked for.
	for (let i = 0; i < seriesIds.length; i += 500) {
		const ids = seriesIds.slice(i, i + 500);
		const [packed, hot] = await Promise.all([
			knex('mon_chunks')
				.whereIn('series_id', ids)
				.andWhere('ts', '>', from - BLOCK_MS)
				.andWhere('ts', '<=', to)
				.orderBy([{ column: 'series_id' }, { column: 'ts' }])
				.select('series_id', 'data'),
			hotOf(knex, ids, from, to),
		]);
		const bySeries = new Map<number, RawSample[]>();
		const listOf = (id: number) => {
			let list = bySeries.get(id);
			if (!list) bySeries.set(id, (list = []));
			return list;
		};
		for (const row of packed) {
			const seriesId = num(row.series_id);
			const list = listOf(seriesId);
			const { ts, values } = decodeChunk(row.data as Uint8Array);
			for (let k = 0; k < ts.length; k++)
				if (ts[k] >= from && ts[k] <= to) list.push({ seriesId, ts: ts[k], value: values[k] });
		}
		for (const row of hot) listOf(row.seriesId).push(row);
		for (const id of [...bySeries.keys()].sort((a, b) => a - b)) {
			const list = bySeries.get(id)!;
			// Packed hours come first and in order, then the hot samples in time order; a late sample
			// still hot for a packed hour is the only thing that can be out of order, and a time
			// stored twice keeps its packed value.
			let sorted = true;
			for (let k = 1; k < list.length && sorted; k++) sorted = list[k - 1].ts < list[k].ts;
			if (!sorted) {
				list.sort((a, b) => a.ts - b.ts); // stable: the packed one stays first
				for (let k = 0; k < list.length; k++)
					if (k === 0 || list[k].ts !== list[k - 1].ts) out.push(list[k]);
			} else {
				for (const s of list) out.push(s);
			}
		}
	}
	return out;
}

/** Hot samples of some series (at most 500) in [from, to], each series' in time order. */
type HotReader = (knex: Knex, ids: number[], from: number, to: number) => Promise<RawSample[]>;

/** The hot table's range: every row of the window, filtered by series (SQLite's key is time first). */
const hotSamples: HotReader = async (knex, ids, from, to) => {
	const rows = await knex('mon_samples')
		.whereIn('series_id', ids)
		.andWhere('ts', '>=', from)
		.andWhere('ts', '<=', to)
		.orderBy([{ column: 'series_id' }, { column: 'ts' }])
		.select('series_id', 'ts', 'value');
	return rows.map((row) => ({
		seriesId: num(row.series_id),
		ts: num(row.ts),
		value: num(row.value),
	}));
};

/**
 * SQLite's hot table is keyed (ts, series_id), so a few series over an hour cost a scan of every
 * series' samples in that hour (3.5 million rows at 1,000 hosts). A collection writes its samples
 * at its run's time (one transaction, mon_collections and mon_samples), so the samples of a
 * host's series can only be at the times of that host's runs: each (run time, series) pair is one
 * key seek. Runs are read per (host, collector) on their (host, collector, ts) index, and only
 * over the part of the window the hot table still holds.
 */
const hotSamplesByRuns: HotReader = async (knex, ids, from, to) => {
	if (ids.length === 0) return [];
	const oldest = await knex('mon_samples').min({ ts: 'ts' }).first();
	if (oldest?.ts == null) return [];
	const start = Math.max(from, num(oldest.ts));
	if (start > to) return [];
	const series = await knex('mon_series').whereIn('id', ids).select('id', 'host');
	const hostOf = new Map(series.map((s) => [num(s.id), String(s.host)]));
	const timesOf = await runTimes(knex, [...new Set(hostOf.values())], start, to);
	const pairs: Array<[number, number]> = [];
	for (const [id, host] of hostOf) for (const ts of timesOf.get(host) ?? []) pairs.push([ts, id]);
	const out = await samplesAt(knex, pairs);
	return out.sort((a, b) => a.seriesId - b.seriesId || a.ts - b.ts);
};

/** The distinct run times of each of the given hosts in [from, to], newest first. */
async function runTimes(
	knex: Knex,
	hosts: string[],
	from: number,
	to: number,
): Promise<Map<string, number[]>> {
	const times = new Map<string, Set<number>>();
	for (let i = 0; i < hosts.length; i += 500) {
		// From each (host, collector) state row, a range on the (host, collector, ts) index.
		const rows: Array<Record<string, unknown>> = await knex('mon_collector_state as st')
			.join('mon_collections as c', function () {
				this.on('c.host', '=', 'st.host').andOn('c.collector', '=', 'st.collector');
			})
			.whereIn('st.host', hosts.slice(i, i + 500))
			.andWhere('c.ts', '>=', from)
			.andWhere('c.ts', '<=', to)
			.distinct('c.host', 'c.ts');
		for (const row of rows) {
			const host = String(row.host);
			let set = times.get(host);
			if (!set) times.set(host, (set = new Set()));
			set.add(num(row.ts));
		}
	}
	return new Map([...times].map(([host, set]) => [host, [...set].sort((x, y) => y - x)]));
}

/** The hot samples at the given (time, series id) pairs: one key seek each, through json_each. */
async function samplesAt(knex: Knex, pairs: Array<[number, number]>): Promise<RawSample[]> {
	const out: RawSample[] = [];
	for (let i = 0; i < pairs.length; i += 20_000) {
		const rows: Array<Record<string, unknown>> = await knex
			.from(knex.raw('json_each(?) as "j"', [JSON.stringify(pairs.slice(i, i + 20_000))]))
			.join('mon_samples as v', function () {
				this.on('v.ts', '=', knex.raw(`json_extract("j"."value", '$[0]')`)).andOn(
					'v.series_id',
					'=',
					knex.raw(`json_extract("j"."value", '$[1]')`),
				);
			})
			.select('v.series_id', 'v.ts', 'v.value');
		for (const row of rows)
			out.push({ seriesId: num(row.series_id), ts: num(row.ts), value: num(row.value) });
	}
	return out;
}

/**
 * SQLite: the newest hot sample of each series in [since, until], found through its host's runs
 * (see hotSamplesByRuns): first at the newest run of each of the host's collectors, which holds
 * nearly every series, then, for series not there (a mount or endpoint that went away, a series
 * another collector wrote earlier), at the host's other runs in the window.
 */
async function latestHotByRuns(
	knex: Knex,
	series: Array<{ id: number; host: string }>,
	since: number,
	until: number,
	hosts: string[] | undefined,
): Promise<Map<number, RawSample>> {
	const best = new Map<number, RawSample>();
	const look = async (pairs: Array<[number, number]>) => {
		for (const s of await samplesAt(knex, pairs)) {
			const b = best.get(s.seriesId);
			if (!b || b.ts < s.ts) best.set(s.seriesId, s);
		}
	};
	const newest = await newestRuns(knex, hosts, since, until);
	const first: Array<[number, number]> = [];
	for (const s of series) for (const ts of newest.get(s.host) ?? []) first.push([ts, s.id]);
	await look(first);
	const missing = series.filter((s) => !best.has(s.id) && newest.has(s.host));
	if (missing.length === 0) return best;
	const runsOf = await runTimes(knex, [...new Set(missing.map((s) => s.host))], since, until);
	const rest: Array<[number, number]> = [];
	for (const s of missing) {
		const tried = new Set(newest.get(s.host));
		for (const ts of runsOf.get(s.host) ?? []) if (!tried.has(ts)) rest.push([ts, s.id]);
	}
	if (rest.length <= MAX_SEEKS) {
		await look(rest);
		return best;
	}
	// Many series gone for good (containers come and go) times many runs: one scan of the
	// window costs less than that many seeks.
	const ids = JSON.stringify(missing.map((s) => s.id));
	const rows: Array<Record<string, unknown>> = await knex('mon_samples')
		.whereRaw('"series_id" in (select "value" from json_each(?))', [ids])
		.andWhere('ts', '>=', since)
		.andWhere('ts', '<=', until)
		.select('series_id', 'ts', 'value');
	for (const row of rows) {
		const seriesId = num(row.series_id);
		const b = best.get(seriesId);
		if (!b || b.ts < num(row.ts))
			best.set(seriesId, { seriesId, ts: num(row.ts), value: num(row.value) });
	}
	return best;
}

/** Past this many (time, series) pairs a scan of the window is cheaper than the seeks. */
const MAX_SEEKS = 20_000;

/** The time of the newest run in [from, to] of each collector of each host: one seek per pair. */
async function newestRuns(
	knex: Knex,
	hosts: string[] | undefined,
	from: number,
	to: number,
): Promise<Map<string, number[]>> {
	const out = new Map<string, number[]>();
	const read = async (some?: string[]) => {
		const rows: Array<Record<string, unknown>> = await knex('mon_collector_state as st')
			.modify((q) => {
				if (some) q.whereIn('st.host', some);
			})
			.select(
				'st.host',
				knex.raw(
					'(select max(x.ts) from mon_collections x where x.host = st.host and x.collector = st.collector and x.ts >= ? and x.ts <= ?) as "ts"',
					[from, to],
				),
			);
		for (const row of rows) {
			if (row.ts == null) continue;
			const host = String(row.host);
			const list = out.get(host) ?? [];
			if (!list.includes(num(row.ts))) list.push(num(row.ts));
			out.set(host, list);
		}
	};
	if (hosts === undefined) await read();
	else for (let i = 0; i < hosts.length; i += 500) await read(hosts.slice(i, i + 500));
	return out;
}

/**
 * The newest sample of every series (of the given metrics, or all) within [since, until].
 * `only` keeps, for the metrics it names, just the series with exactly those labels (the fleet
 * overview wants CPU total, not the 15 000 per-core series of 1,000 hosts); `hosts`, when given,
 * keeps only their series.
 *
 * PostgreSQL: one backward seek on the (series_id, ts) key per series (LATERAL ... LIMIT 1); a
 * GROUP BY there was planned as a scan of every sample in the window (0.9 s at 1,000 hosts).
 * SQLite: the hot table is keyed time first, so a GROUP BY over the window read every sample of
 * the fleet in it (870,000 rows for 15 minutes of 1,000 hosts, ~0.3 s); the samples are looked
 * up at their hosts' runs instead (latestHotByRuns), a few key seeks per series.
 *
 * Maintenance keeps at least the last hour in the hot table, so a window that ends now and
 * reaches back less than an hour (the usual 15 minutes) is answered from it alone; the packed
 * hours are still consulted, which costs one key seek per series and finds nothing then, so that
 * windows further back (history written with past times, a longer window) stay right too.
 */
async function latestValues(
	knex: Knex,
	since: number,
	until: number,
	metrics?: string[],
	only?: Record<string, Record<string, string>>,
	hosts?: string[],
): Promise<LatestValue[]> {
	const pick = (q: Knex.QueryBuilder, prefix: string) => {
		if (metrics) q.whereIn(`${prefix}metric`, metrics);
		if (hosts) q.whereIn(`${prefix}host`, hosts);
		for (const [metric, labels] of Object.entries(only ?? {}))
			q.andWhere((w) =>
				w.whereNot(`${prefix}metric`, metric).orWhere(`${prefix}labels`, canonicalLabels(labels)),
			);
		return q;
	};
	let rows: Array<Record<string, unknown>>;
	if (knex.client.config.client === 'pg') {
		rows = await pick(
			knex('mon_series as s')
				.joinRaw(
					'cross join lateral (select x.ts, x.value from mon_samples x where x.series_id = s.id and x.ts >= ? and x.ts <= ? order by x.ts desc limit 1) v',
					[since, until],
				)
				.select('s.id as series_id', 's.host', 's.metric', 's.labels', 'v.ts', 'v.value'),
			's.',
		);
	} else {
		const series: Array<Record<string, unknown>> = await pick(
			knex('mon_series').select('id', 'host', 'metric', 'labels'),
			'',
		);
		const found = await latestHotByRuns(
			knex,
			series.map((s) => ({ id: num(s.id), host: String(s.host) })),
			since,
			until,
			hosts,
		);
		rows = [];
		for (const s of series) {
			const sample = found.get(num(s.id));
			if (sample) rows.push({ ...s, series_id: s.id, ts: sample.ts, value: sample.value });
		}
	}
	const result = new Map<number, LatestValue>();
	for (const row of rows)
		result.set(num(row.series_id), {
			seriesId: num(row.series_id),
			host: String(row.host),
			metric: String(row.metric),
			labels: parseLabels(row.labels),
			ts: num(row.ts),
			value: num(row.value),
		});
	const packed = await knex('mon_chunks as c')
		.join('mon_series as s', 's.id', 'c.series_id')
		.whereIn('c.series_id', pick(knex('mon_series').select('id'), ''))
		.andWhere('c.ts', '>', since - BLOCK_MS)
		.andWhere('c.ts', '<=', until)
		.orderBy([{ column: 'c.series_id' }, { column: 'c.ts', order: 'desc' }])
		.select('c.series_id', 's.host', 's.metric', 's.labels', 'c.data');
	const settled = new Set<number>();
	for (const row of packed) {
		const seriesId = num(row.series_id);
		if (settled.has(seriesId)) continue; // a newer block of this series already had a sample
		const { ts, values } = decodeChunk(row.data as Uint8Array);
		for (let k = ts.length - 1; k >= 0; k--) {
			if (ts[k] > until || ts[k] < since) continue;
			settled.add(seriesId);
			const current = result.get(seriesId);
			if (!current || current.ts < ts[k])
				result.set(seriesId, {
					seriesId,
					host: String(row.host),
					metric: String(row.metric),
					labels: parseLabels(row.labels),
					ts: ts[k],
					value: values[k],
				});
			break;
		}
	}
	return [...result.values()];
}

/**
 * Rollup rows plus samples not rolled up yet, bucketed by `width`. Only the order within a series
 * matters to the caller; the hot buckets are nearly always after a series' last rollup row, so
 * they are merged per series by number keys instead of re-sorting thousands of rows.
 */
function addHotBuckets(
	rollups: RollupBucket[],
	hot: Array<{ seriesId: number; ts: number; value: number }>,
	width: number,
): RollupBucket[] {
	const hotBuckets = new Map<number, Map<number, RollupBucket>>();
	for (const h of hot) {
		const ts = h.ts - (h.ts % width);
		let buckets = hotBuckets.get(h.seriesId);
		if (!buckets) hotBuckets.set(h.seriesId, (buckets = new Map()));
		const b = buckets.get(ts);
		if (!b) {
			buckets.set(ts, {
				seriesId: h.seriesId,
				ts,
				min: h.value,
				max: h.value,
				sum: h.value,
				count: 1,
			});
			continue;
		}
		if (h.value < b.min) b.min = h.value;
		if (h.value > b.max) b.max = h.value;
		b.sum += h.value;
		b.count++;
	}
	const out: RollupBucket[] = [];
	let ordered = true;
	const flush = (id: number, lastTs: number) => {
		const buckets = hotBuckets.get(id);
		if (!buckets) return;
		hotBuckets.delete(id);
		const rest = [...buckets.values()].sort((x, y) => x.ts - y.ts);
		if (rest.length > 0 && rest[0].ts < lastTs) ordered = false;
		out.push(...rest);
	};
	let current = NaN;
	let lastTs = -Infinity;
	for (const row of rollups) {
		const id = row.seriesId;
		if (id !== current) {
			if (!Number.isNaN(current)) flush(current, lastTs);
			current = id;
		}
		lastTs = row.ts;
		const b = hotBuckets.get(id)?.get(row.ts);
		if (b) {
			hotBuckets.get(id)!.delete(row.ts);
			out.push({
				seriesId: id,
				ts: row.ts,
				min: Math.min(row.min, b.min),
				max: Math.max(row.max, b.max),
				sum: row.sum + b.sum,
				count: row.count + b.count,
			});
		} else {
			out.push(row);
		}
	}
	if (!Number.isNaN(current)) flush(current, lastTs);
	for (const id of [...hotBuckets.keys()]) flush(id, -Infinity);
	// A late sample for an older bucket than the series' last rollup: the rare case that needs a sort.
	if (!ordered) out.sort((x, y) => x.seriesId - y.seriesId || x.ts - y.ts);
	return out;
}

/** The hours not packed yet (the last hour or two) are in the hot table, not in the rollups. */
async function addHotDigest(
	knex: Knex,
	rows: DigestRow[],
	metrics: string[],
	from: number,
	to: number,
) {
	const digest = knex('mon_series').whereIn('metric', metrics).select('id');
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
	const byKey = new Map<string, DigestRow>();
	const keyOf = (r: { host: string; metric: string; labels: string }) =>
		`${r.host}\u0000${r.metric}\u0000${r.labels}`;
	for (const row of rows) byKey.set(keyOf(row), row);
	for (const h of hot) {
		const s = series.get(h.seriesId);
		if (!s) continue;
		let row = byKey.get(keyOf(s));
		if (!row) {
			row = { ...s, sum: 0, count: 0, max: h.value } as DigestRow;
			byKey.set(keyOf(s), row);
			rows.push(row);
		}
		row.sum = Number(row.sum) + h.value;
		row.count = Number(row.count) + 1;
		row.max = Math.max(Number(row.max), h.value);
	}
}
