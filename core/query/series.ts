import type { Knex } from 'knex';

import { hotSamplesNotRolledUp } from '../store/hot';
import { readRawSamples } from './raw';
import { pickResolution } from './resolution';
import { checkLabels, checkName, checkPoints, checkRange, num } from './validate';
import type { Point, SeriesQuery, SeriesResponse, SeriesResult } from '../contract/dashboard-api';

export type { Point, SeriesQuery, SeriesResponse, SeriesResult };

/**
 * One metric of one host over a range, at the resolution that keeps every series at or under
 * `maxPoints` points. Series are selected by host and metric (an indexed lookup that returns a
 * few rows); the label filter runs here on their canonical JSON, which is exact where a LIKE on
 * the text would not be.
 */
export async function querySeries(knex: Knex, query: SeriesQuery): Promise<SeriesResponse> {
	const host = checkName('host', query.host);
	const metric = checkName('metric', query.metric);
	const wanted = checkLabels(query.labels);
	const { from, to } = checkRange(query.from, query.to);
	const maxPoints = checkPoints(query.maxPoints ?? 1500);
	const choice = pickResolution(from, to, maxPoints);

	const rows = await knex('mon_series').where({ host, metric }).select('id', 'labels');
	const selected: Array<{ id: number; labels: Record<string, string> }> = [];
	for (const row of rows) {
		const labels = parseLabels(row.labels);
		if (Object.entries(wanted).every(([k, v]) => labels[k] === v))
			selected.push({ id: num(row.id), labels });
	}
	selected.sort((a, b) => compareLabels(a.labels, b.labels));
	const response: SeriesResponse = {
		resolution: choice.resolution,
		stepMs: choice.stepMs,
		series: [],
	};
	if (selected.length === 0) return response;
	const ids = selected.map((s) => s.id);
	const byId = new Map<number, SeriesResult>();
	for (const s of selected) {
		const result: SeriesResult = { labels: s.labels, points: [] };
		if (choice.resolution !== 'raw') {
			result.min = [];
			result.max = [];
		}
		byId.set(s.id, result);
		response.series.push(result);
	}

	if (choice.resolution === 'raw') {
		for (const row of await readRawSamples(knex, ids, from, to))
			byId.get(row.seriesId)!.points.push([row.ts, row.value]);
		for (const s of response.series) {
			// Collected more often than once a minute: average into one-minute buckets, so the
			// promise of at most maxPoints points holds whatever the schedule.
			if (s.points.length > maxPoints) s.points = averageBuckets(s.points, choice.stepMs);
		}
	} else {
		const bucketMs = choice.resolution === '5m' ? 5 * 60_000 : 3_600_000;
		// Rows whose bucket starts before `from` but covers it are included: the first point is
		// then the bucket that holds `from`, not a gap.
		const start = from - (from % bucketMs);
		let rollups: Array<Record<string, unknown>>;
		if (choice.groupMs === bucketMs) {
			rollups = await knex(choice.table)
				.whereIn('series_id', ids)
				.andWhere('ts', '>=', start)
				.andWhere('ts', '<=', to)
				.orderBy([{ column: 'series_id' }, { column: 'ts' }])
				.select('series_id', 'ts', 'min', 'max', 'sum', 'count');
		} else {
			// Wider than an hour: group hourly rows by floor(ts / width) in the database, so only
			// maxPoints rows per series travel. The width is a whole number computed here, never input.
			const width = choice.groupMs;
			if (!Number.isSafeInteger(width) || width <= 0) throw new Error(`bad bucket width ${width}`);
			const bucket = knex.raw(`("ts" / ${width}) * ${width}`);
			rollups = await knex(choice.table)
				.whereIn('series_id', ids)
				.andWhere('ts', '>=', start - (start % width))
				.andWhere('ts', '<=', to)
				.groupBy('series_id', bucket)
				.orderBy([{ column: 'series_id' }, { column: 'bucket' }])
				.select(
					'series_id',
					knex.raw(`("ts" / ${width}) * ${width} as "bucket"`),
					knex.raw('min("min") as "min"'),
					knex.raw('max("max") as "max"'),
					knex.raw('sum("sum") as "sum"'),
					knex.raw('sum("count") as "count"'),
				);
			for (const row of rollups) row.ts = row.bucket;
		}
		// The last hour or two are not rolled up until maintenance packs them: add them here.
		const width = choice.groupMs;
		const hot = await hotSamplesNotRolledUp(knex, ids, start - (start % width), to);
		if (hot.length > 0) rollups = addHotSamples(rollups, hot, width);
		for (const row of rollups) {
			const s = byId.get(num(row.series_id))!;
			const ts = num(row.ts);
			const count = num(row.count);
			s.points.push([ts, count > 0 ? num(row.sum) / count : null]);
			s.min!.push([ts, num(row.min)]);
			s.max!.push([ts, num(row.max)]);
		}
	}
	for (const s of response.series) s.points = markGaps(s.points, choice.stepMs, maxPoints);
	return response;
}

/**
 * Rollup rows plus samples not rolled up yet, bucketed by `width`. Only the order within a series
 * matters to the caller; the hot buckets are nearly always after a series' last rollup row, so
 * they are merged per series by number keys instead of re-sorting thousands of rows.
 */
function addHotSamples(
	rollups: Array<Record<string, unknown>>,
	hot: Array<{ seriesId: number; ts: number; value: number }>,
	width: number,
): Array<Record<string, unknown>> {
	type Bucket = {
		series_id: number;
		ts: number;
		min: number;
		max: number;
		sum: number;
		count: number;
	};
	const hotBuckets = new Map<number, Map<number, Bucket>>();
	for (const h of hot) {
		const ts = h.ts - (h.ts % width);
		let buckets = hotBuckets.get(h.seriesId);
		if (!buckets) hotBuckets.set(h.seriesId, (buckets = new Map()));
		const b = buckets.get(ts);
		if (!b) {
			buckets.set(ts, {
				series_id: h.seriesId,
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
	const out: Array<Record<string, unknown>> = [];
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
		const id = num(row.series_id);
		if (id !== current) {
			if (!Number.isNaN(current)) flush(current, lastTs);
			current = id;
		}
		const ts = num(row.ts);
		lastTs = ts;
		const b = hotBuckets.get(id)?.get(ts);
		if (b) {
			hotBuckets.get(id)!.delete(ts);
			out.push({
				series_id: id,
				ts,
				min: Math.min(num(row.min), b.min),
				max: Math.max(num(row.max), b.max),
				sum: num(row.sum) + b.sum,
				count: num(row.count) + b.count,
			});
		} else {
			out.push(row);
		}
	}
	if (!Number.isNaN(current)) flush(current, lastTs);
	for (const id of [...hotBuckets.keys()]) flush(id, -Infinity);
	// A late sample for an older bucket than the series' last rollup: the rare case that needs a sort.
	if (!ordered) out.sort((x, y) => num(x.series_id) - num(y.series_id) || num(x.ts) - num(y.ts));
	return out;
}

/** Averages points into buckets aligned to multiples of `stepMs` (the bucket's start as time). */
function averageBuckets(points: Point[], stepMs: number): Point[] {
	const out: Point[] = [];
	let bucket = NaN;
	let sum = 0;
	let count = 0;
	for (const [ts, value] of points) {
		const b = ts - (ts % stepMs);
		if (b !== bucket) {
			if (count > 0) out.push([bucket, sum / count]);
			bucket = b;
			sum = 0;
			count = 0;
		}
		if (value !== null) {
			sum += value;
			count++;
		}
	}
	if (count > 0) out.push([bucket, sum / count]);
	return out;
}

/**
 * Puts a null between two points that are much further apart than usual (a collector that was
 * down), so that a chart breaks its line there instead of drawing a straight line over the gap.
 * "Usual" is the larger of the step and the series' own median spacing: a host collected every
 * five minutes has no gaps at raw resolution. Never makes a series longer than maxPoints.
 */
export function markGaps(points: Point[], stepMs: number, maxPoints: number): Point[] {
	if (points.length < 3) return points;
	const spacings: number[] = [];
	for (let i = 1; i < points.length; i++) spacings.push(points[i][0] - points[i - 1][0]);
	spacings.sort((a, b) => a - b);
	const usual = Math.max(stepMs, spacings[Math.floor(spacings.length / 2)]);
	const out: Point[] = [points[0]];
	let room = maxPoints - points.length;
	for (let i = 1; i < points.length; i++) {
		const gap = points[i][0] - points[i - 1][0];
		if (gap > 3 * usual && room > 0) {
			out.push([points[i - 1][0] + usual, null]);
			room--;
		}
		out.push(points[i]);
	}
	return out;
}

export function parseLabels(text: unknown): Record<string, string> {
	try {
		const parsed = JSON.parse(String(text)) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
	} catch {
		return {};
	}
}

function compareLabels(a: Record<string, string>, b: Record<string, string>): number {
	const x = JSON.stringify(a);
	const y = JSON.stringify(b);
	return x < y ? -1 : x > y ? 1 : 0;
}
