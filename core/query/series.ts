import { parseLabels, type StoreReader } from '../store';
import { pickResolution } from './resolution';
import { checkLabels, checkName, checkPoints, checkRange } from './validate';
import type { Point, SeriesQuery, SeriesResponse, SeriesResult } from '../contract/dashboard-api';

export type { Point, SeriesQuery, SeriesResponse, SeriesResult };

/**
 * One metric of one host over a range, at the resolution that keeps every series at or under
 * `maxPoints` points. Series are selected by host and metric (an indexed lookup that returns a
 * few rows); the label filter runs here on their canonical JSON, which is exact where a LIKE on
 * the text would not be.
 */
export async function querySeries(
	store: Pick<StoreReader, 'samples'>,
	query: SeriesQuery,
): Promise<SeriesResponse> {
	const host = checkName('host', query.host);
	const metric = checkName('metric', query.metric);
	const wanted = checkLabels(query.labels);
	const { from, to } = checkRange(query.from, query.to);
	const maxPoints = checkPoints(query.maxPoints ?? 1500);
	const choice = pickResolution(from, to, maxPoints);

	const selected = (await store.samples.ofHost(host, metric)).filter(({ labels }) =>
		Object.entries(wanted).every(([k, v]) => labels[k] === v),
	);
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
		for (const row of await store.samples.raw(ids, from, to))
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
		// Wider than an hour: hourly rows are grouped by floor(ts / width) in the database, so only
		// maxPoints rows per series travel. The hours not packed yet are added by the store.
		const rollups = await store.samples.rollups(choice.resolution, ids, start, to, choice.groupMs);
		for (const row of rollups) {
			const s = byId.get(row.seriesId)!;
			const { ts, count } = row;
			s.points.push([ts, count > 0 ? row.sum / count : null]);
			s.min!.push([ts, row.min]);
			s.max!.push([ts, row.max]);
		}
	}
	for (const s of response.series) s.points = markGaps(s.points, choice.stepMs, maxPoints);
	return response;
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

function compareLabels(a: Record<string, string>, b: Record<string, string>): number {
	const x = JSON.stringify(a);
	const y = JSON.stringify(b);
	return x < y ? -1 : x > y ? 1 : 0;
}

export { parseLabels };
