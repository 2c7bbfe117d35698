/*
 * Growth and "when does it fill up" forecasts from stored history: a least-squares straight line
 * through (Unix ms, value) points. Pure functions; the collectors feed them the hourly averages the
 * store keeps (CollectContext.history) plus the value just read.
 *
 * A fit needs at least MIN_POINTS points spanning at least MIN_SPAN_MS (one hour): two readings a
 * minute apart would turn a single batch insert into a slope of terabytes per day. Below that the
 * answer is `{ reason: 'not enough history' }`, which the snapshot shows as is, never a guess.
 * A line that does not go up (slope <= 0) never reaches a limit: `{ reason: 'not growing' }`.
 */

export type Point = [timeMs: number, value: number];

export const DAY_MS = 86_400_000;
export const MIN_POINTS = 2;
export const MIN_SPAN_MS = 3_600_000;

export interface LinearFit {
	/** Change of the value per day. */
	slopePerDay: number;
	/** The fitted value at `timeMs`. */
	valueAt(timeMs: number): number;
	/** Coefficient of determination, 0..1; 1 when every point lies on the line. */
	r2: number;
}

export type NoForecast = { reason: 'not enough history' | 'not growing' };

export type Growth = { slopePerDay: number; r2: number } | { reason: 'not enough history' };

export type Forecast =
	| {
			slopePerDay: number;
			/** Days from `nowMs` until the line reaches the limit; 0 when it already has. */
			daysUntil: number;
			/** ISO date-time (UTC) when the line reaches the limit. */
			date: string;
			r2: number;
	  }
	| NoForecast;

/** Whether the points are enough for a fit (count and time span). */
export function enoughHistory(points: readonly Point[], minSpanMs = MIN_SPAN_MS): boolean {
	const usable = points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
	if (usable.length < MIN_POINTS) return false;
	const times = usable.map(([t]) => t);
	return Math.max(...times) - Math.min(...times) >= minSpanMs;
}

/** Ordinary least squares; undefined when the points are not enough (see enoughHistory). */
export function linearFit(
	points: readonly Point[],
	minSpanMs = MIN_SPAN_MS,
): LinearFit | undefined {
	if (!enoughHistory(points, minSpanMs)) return undefined;
	const usable = points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
	const n = usable.length;
	// Times are centred on their mean: squares of raw Unix milliseconds (~1e24) lose precision.
	const meanT = usable.reduce((s, [t]) => s + t, 0) / n;
	const meanV = usable.reduce((s, [, v]) => s + v, 0) / n;
	let sTT = 0;
	let sTV = 0;
	let sVV = 0;
	for (const [t, v] of usable) {
		sTT += (t - meanT) ** 2;
		sTV += (t - meanT) * (v - meanV);
		sVV += (v - meanV) ** 2;
	}
	const slopePerMs = sTV / sTT;
	let ssRes = 0;
	for (const [t, v] of usable) ssRes += (v - (meanV + slopePerMs * (t - meanT))) ** 2;
	// A flat series is fitted perfectly by a flat line.
	const r2 = sVV === 0 ? 1 : Math.max(0, 1 - ssRes / sVV);
	return {
		slopePerDay: slopePerMs * DAY_MS,
		valueAt: (timeMs) => meanV + slopePerMs * (timeMs - meanT),
		r2,
	};
}

/** Growth per day over the points (the caller picks the window: 7 days, 30 days). */
export function growthPerDay(points: readonly Point[], minSpanMs = MIN_SPAN_MS): Growth {
	const fit = linearFit(points, minSpanMs);
	if (!fit) return { reason: 'not enough history' };
	return { slopePerDay: fit.slopePerDay, r2: fit.r2 };
}

/** When the fitted line through `points` reaches `limit`, counted from `nowMs`. */
export function forecastLimit(
	points: readonly Point[],
	limit: number,
	nowMs: number,
	minSpanMs = MIN_SPAN_MS,
): Forecast {
	const fit = linearFit(points, minSpanMs);
	if (!fit) return { reason: 'not enough history' };
	if (!(fit.slopePerDay > 0)) return { reason: 'not growing' };
	const daysUntil = Math.max(0, (limit - fit.valueAt(nowMs)) / fit.slopePerDay);
	return {
		slopePerDay: fit.slopePerDay,
		daysUntil,
		date: new Date(nowMs + daysUntil * DAY_MS).toISOString(),
		r2: fit.r2,
	};
}
