/*
 * How unusual the latest points of a series are against its baseline (./baseline.ts): a robust
 * z-score, the distance of the window's mean from the centre expected for its hours, in spreads.
 * Pure functions.
 *
 * Every input that cannot be judged gives a status and no score, never a score that could fire:
 * - no rollups at all: 'no history'; fewer than MIN_HOURS usable hours: 'not enough history';
 * - no finite point in the window (a gap, NaN only): 'no data';
 * - points stamped more than CLOCK_SLACK_MS ahead of now, or a baseline learnt from hours after
 *   now (one of the clocks jumped): 'clock jump' for as long as that lasts;
 * - a constant (or all-zero) history scores 0 while the series stays at that value; its spread is
 *   floored (baseline.ts RELATIVE_FLOOR) so that a departure scores large but finite.
 */
import {
	expectedAt,
	HOUR_MS,
	isBaseline,
	type Baseline,
	type BaselineKind,
	type NoBaseline,
} from './baseline';

export type Direction = 'up' | 'down';

/** The score above which (in absolute value) a point is unusual unless told otherwise. */
export const DEFAULT_LEVEL = 5;
/** Points within this of now count as now: a writer's clock a little ahead is no jump. */
export const CLOCK_SLACK_MS = HOUR_MS;
/** Scores are capped here: beyond it "how unusual" says nothing more. */
export const MAX_SCORE = 100;

export interface AnomalyOptions {
	/** The |score| from which the window is unusual; DEFAULT_LEVEL by default. */
	level?: number;
	/** The window whose mean is judged; one hour by default. */
	windowMs?: number;
}

export interface ExpectedRange {
	low: number;
	centre: number;
	high: number;
	/** The profile the range comes from: hour of the week, hour of the day, or one level. */
	source: BaselineKind;
}

export type Unjudged = {
	status: 'no history' | 'not enough history' | 'no data' | 'clock jump';
	score: null;
};

export interface Judged {
	status: 'normal' | 'unusual';
	/** Signed robust z: above the usual range > 0, below < 0. */
	score: number;
	direction: Direction | null;
	/** The mean of the window's points. */
	observed: number;
	expected: ExpectedRange;
	/** When the current unusual stretch started (window by window back), null when normal. */
	since: number | null;
	durationMs: number;
}

export type Assessment = Judged | Unjudged;

type Points = ReadonlyArray<readonly [number, number]>;

/** The score of one window, the points in (from, to], against the baseline. */
function windowScore(
	b: Baseline,
	points: Points,
	from: number,
	to: number,
	level: number,
): { score: number; observed: number; expected: ExpectedRange } | undefined {
	let sum = 0;
	let centre = 0;
	let spread = 0;
	let n = 0;
	let source: BaselineKind = b.kind;
	for (const [t, v] of points) {
		if (t <= from || t > to || !Number.isFinite(v)) continue;
		const e = expectedAt(b, t);
		sum += v;
		centre += e.centre;
		spread += e.spread;
		source = e.source;
		n++;
	}
	if (n === 0) return undefined;
	const observed = sum / n;
	const c = centre / n;
	const s = spread / n;
	const raw = (observed - c) / s;
	const score = Math.max(-MAX_SCORE, Math.min(MAX_SCORE, raw));
	return {
		score,
		observed,
		expected: { low: c - level * s, centre: c, high: c + level * s, source },
	};
}

/** How unusual the series is now: its window's mean against the baseline, and since when. */
export function assess(
	baseline: Baseline | NoBaseline,
	points: Points,
	now: number,
	options: AnomalyOptions = {},
): Assessment {
	if (!isBaseline(baseline)) return { status: baseline.reason, score: null };
	const level = options.level ?? DEFAULT_LEVEL;
	const windowMs = options.windowMs ?? HOUR_MS;
	if (baseline.until > now + CLOCK_SLACK_MS) return { status: 'clock jump', score: null };
	const finite = points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
	const current = finite.filter(([t]) => t > now - windowMs && t <= now + CLOCK_SLACK_MS);
	if (current.length === 0) {
		return finite.some(([t]) => t > now + CLOCK_SLACK_MS)
			? { status: 'clock jump', score: null }
			: { status: 'no data', score: null };
	}
	const head = windowScore(baseline, current, -Infinity, Infinity, level)!;
	const unusual = Math.abs(head.score) >= level;
	const direction: Direction | null = unusual ? (head.score > 0 ? 'up' : 'down') : null;
	let since: number | null = null;
	if (unusual) {
		// Back window by window while the mean stays beyond the level on the same side.
		since = Math.min(...current.map(([t]) => t));
		for (let end = now - windowMs; ; end -= windowMs) {
			const w = windowScore(baseline, finite, end - windowMs, end, level);
			if (!w || Math.sign(w.score) !== Math.sign(head.score) || Math.abs(w.score) < level) break;
			for (const [t] of finite) if (t > end - windowMs && t <= end) since = Math.min(since, t);
		}
	}
	return {
		status: unusual ? 'unusual' : 'normal',
		score: head.score,
		direction,
		observed: head.observed,
		expected: head.expected,
		since,
		durationMs: since === null ? 0 : Math.max(0, now - since),
	};
}

/** The score a rule compares with its level, by direction: 'both' is the absolute score. */
export function directedScore(score: number, direction: Direction | 'both'): number {
	if (direction === 'up') return Math.max(0, score);
	if (direction === 'down') return Math.max(0, -score);
	return Math.abs(score);
}
