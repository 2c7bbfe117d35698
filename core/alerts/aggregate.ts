import { directedScore, type Judged } from '../analysis/anomaly';
import { forecastLimit } from '../analysis/forecast';
import type { Aggregation } from './types';

const MINUTE_MS = 60_000;

/**
 * One number from the points of one series: those after `now - windowMs` count (later
 * ones too: a clock that went back must not hide fresh samples). Null when the window holds too
 * little to tell, which the evaluation treats as "no news", never as a value of zero.
 */
export function aggregate(
	points: ReadonlyArray<readonly [number, number]>,
	aggregation: Aggregation,
	now: number,
	windowMs: number,
	limit?: number,
): number | null {
	const start = now - windowMs;
	const inWindow: Array<[number, number]> = points
		.filter(([ts, v]) => ts > start && Number.isFinite(v))
		.map(([ts, v]) => [ts, v]);
	if (inWindow.length === 0) return null;
	// Late samples may arrive out of order: judge them by their own time.
	inWindow.sort((a, b) => a[0] - b[0]);
	const values = inWindow.map(([, v]) => v);
	switch (aggregation) {
		case 'last':
			return values[values.length - 1];
		case 'avg':
			return values.reduce((a, b) => a + b, 0) / values.length;
		case 'min':
			return Math.min(...values);
		case 'max':
			return Math.max(...values);
		case 'rate': {
			if (inWindow.length < 2) return null;
			const [t0, v0] = inWindow[0];
			const [t1, v1] = inWindow[inWindow.length - 1];
			return t1 > t0 ? ((v1 - v0) / (t1 - t0)) * MINUTE_MS : null;
		}
		case 'consecutiveZero': {
			let n = 0;
			for (let i = values.length - 1; i >= 0 && values[i] === 0; i--) n++;
			return n;
		}
		case 'daysUntil':
			return daysUntil(inWindow, limit ?? 100, now);
		case 'anomaly':
			// Needs the series' baseline: observe.ts judges the window, anomalyValue reads it.
			return null;
	}
}

/**
 * An `anomaly` rule's value: the score on the watched side (0 on the other), null when the window
 * could not be judged (no or too little history, a gap, a clock jump), which never fires.
 */
export function anomalyValue(
	assessment: Judged | { score: null } | undefined,
	direction: 'up' | 'down' | 'both' = 'both',
): number | null {
	if (!assessment || assessment.score === null) return null;
	return directedScore(assessment.score, direction);
}

/**
 * Days until the least-squares line through the points reaches `limit` (the store's forecast);
 * "never" when it does not grow, so "fewer than N days" stays false; null with under an hour of
 * points.
 */
function daysUntil(points: Array<[number, number]>, limit: number, now: number): number | null {
	const forecast = forecastLimit(points, limit, now);
	if ('reason' in forecast) return forecast.reason === 'not growing' ? NOT_GROWING_DAYS : null;
	return Math.min(forecast.daysUntil, NOT_GROWING_DAYS);
}

/** What "never" is as a number of days: ten years. */
export const NOT_GROWING_DAYS = 3650;
