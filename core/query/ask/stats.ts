/** Summaries of a series' points for answers: figures, a trend in words, a handful of points (pure). */
import type { Point } from '../../contract/dashboard-api';

export interface SeriesFigures {
	count: number;
	min: number;
	avg: number;
	max: number;
	p95: number;
	first: Point & [number, number];
	last: Point & [number, number];
	/** Least-squares slope, per hour. */
	slopePerHour: number;
}

/** Figures of the non-empty points, or null when there is none. `min`/`max` may come from rollups. */
export function figuresOf(
	points: Point[],
	extremes?: { min?: Point[]; max?: Point[] },
): SeriesFigures | null {
	const values = points.filter(
		(p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]),
	);
	if (values.length === 0) return null;
	const sorted = values.map((p) => p[1]).sort((a, b) => a - b);
	const finite = (list?: Point[]) =>
		(list ?? []).map((p) => p[1]).filter((v): v is number => v !== null && Number.isFinite(v));
	const mins = finite(extremes?.min);
	const maxs = finite(extremes?.max);
	const sum = sorted.reduce((a, b) => a + b, 0);
	return {
		count: values.length,
		min: mins.length ? Math.min(...mins) : sorted[0],
		avg: sum / sorted.length,
		max: maxs.length ? Math.max(...maxs) : sorted[sorted.length - 1],
		p95: sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)],
		first: values[0],
		last: values[values.length - 1],
		slopePerHour: slope(values) * 3_600_000,
	};
}

/** Least-squares slope of value over time (per millisecond); 0 for fewer than two points. */
export function slope(points: Array<[number, number]>): number {
	if (points.length < 2) return 0;
	const t0 = points[0][0];
	let sx = 0;
	let sy = 0;
	let sxx = 0;
	let sxy = 0;
	for (const [t, v] of points) {
		const x = t - t0;
		sx += x;
		sy += v;
		sxx += x * x;
		sxy += x * v;
	}
	const n = points.length;
	const d = n * sxx - sx * sx;
	return d === 0 ? 0 : (n * sxy - sx * sy) / d;
}

/**
 * Rising, falling or steady: the fitted change over the range against the spread of the values
 * (a change under a tenth of the range of values, or under 1 % of the mean, is steady).
 */
export function trendOf(f: SeriesFigures, rangeMs: number): 'rising' | 'falling' | 'steady' {
	const change = (f.slopePerHour * rangeMs) / 3_600_000;
	const span = f.max - f.min;
	if (Math.abs(change) <= Math.max(span * 0.1, Math.abs(f.avg) * 0.01, 1e-9)) return 'steady';
	return change > 0 ? 'rising' : 'falling';
}

/** At most `n` points: the values averaged over `n` equal time slices (empty slices left out). */
export function fewPoints(
	points: Point[],
	n: number,
	from: number,
	to: number,
): Array<[number, number]> {
	const width = Math.max(1, (to - from) / n);
	const sums = new Map<number, { t: number; sum: number; count: number }>();
	for (const [t, v] of points) {
		if (v === null || !Number.isFinite(v)) continue;
		const k = Math.min(n - 1, Math.max(0, Math.floor((t - from) / width)));
		const s = sums.get(k) ?? { t: from + k * width, sum: 0, count: 0 };
		s.sum += v;
		s.count++;
		sums.set(k, s);
	}
	return [...sums.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([, s]) => [Math.round(s.t), s.sum / s.count]);
}
