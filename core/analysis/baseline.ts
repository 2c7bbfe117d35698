/*
 * What is normal for a series at a given hour: a seasonal profile learnt from the store's hourly
 * rollups. Pure functions, like the forecast; the alert trigger feeds them rollup rows and caches
 * the result.
 *
 * Method (robust statistics, no model to train): each usable hour contributes its mean
 * (sum / count). Hours are grouped by hour of the week (UTC); a group's centre is its median and
 * its spread 1.4826 x its median absolute deviation (MAD), both unmoved by the few anomalous hours
 * a history holds. With fewer than MIN_PER_BUCKET weeks of an hour, that hour falls back to its
 * hour of day, and with fewer than MIN_PER_BUCKET days to one level for the whole series. Four
 * values make a shaky spread, so each group's spread is shrunk towards the series' pooled spread
 * of residuals (value minus its group's centre), and never falls below a floor: a series that was
 * constant (or all zeros) would otherwise make every wiggle infinitely unusual. A slow trend is
 * followed by a straight line through the daily medians of the residuals.
 */
import { linearFit, type Point } from './forecast';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
/** Below this many usable hours there is no baseline: one day of hourly values. */
export const MIN_HOURS = 24;
/** A group (an hour of the week, an hour of the day) needs this many values to stand alone. */
export const MIN_PER_BUCKET = 3;
/** How much the pooled spread weighs against a group's own, in values. */
const SHRINK_WEIGHT = 12;
/** The spread never falls below this share of the series' typical magnitude... */
export const RELATIVE_FLOOR = 0.02;
/** ...nor below this, for a series that was all zeros. */
export const ABSOLUTE_FLOOR = 1e-6;
const MAD_TO_SIGMA = 1.4826;

/** One hourly rollup row as the store gives it (core/store SampleReads.rollupRows). */
export interface HourlyRow {
	/** Start of the hour, Unix ms (UTC). */
	ts: number;
	count: number;
	sum: number;
	min?: number;
	max?: number;
}

/** Centre and spread of one group, and how many values it holds; compact for caching as JSON. */
export type Stat = [centre: number, spread: number, n: number];

export type BaselineKind = 'weekly' | 'daily' | 'level';

export interface Baseline {
	/** The finest profile the history allowed (single groups may still fall back). */
	kind: BaselineKind;
	/** The history used: [from, until) in Unix ms, and how many usable hours it held. */
	from: number;
	until: number;
	hours: number;
	level: Stat;
	/** Index: hour of day (UTC); null where too few values. */
	daily: Array<Stat | null>;
	/** Index: day of week (0 = Sunday, UTC) x 24 + hour of day; null where too few values. */
	weekly: Array<Stat | null>;
	/** Change of the centre per hour (the residuals' trend); 0 when flat or unknown. */
	trendPerHour: number;
	/** The trend line's value (added to every centre) at its anchor, the middle of the history. */
	trendAnchor: number;
	trendOffset: number;
	/** The smallest spread any group gets (see RELATIVE_FLOOR). */
	floor: number;
}

export type NoBaseline = { reason: 'no history' | 'not enough history' };

/** What is expected at one time: centre, spread and which profile said so. */
export interface Expected {
	centre: number;
	spread: number;
	source: BaselineKind;
}

export interface BuildOptions {
	/** Hours at or after this time are not learnt from (the stretch being judged). */
	until?: number;
	/** Usable hours needed; MIN_HOURS by default. */
	minHours?: number;
	/** Smallest spread, in the series' unit (e.g. 1 for a percentage); overrides nothing larger. */
	minSpread?: number;
}

export function median(sorted: readonly number[]): number {
	const n = sorted.length;
	if (n === 0) return NaN;
	const mid = n >> 1;
	return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median and MAD-based spread (unfloored) of some values. */
export function robustStat(values: readonly number[]): Stat {
	const sorted = [...values].sort((a, b) => a - b);
	const centre = median(sorted);
	const deviations = sorted.map((v) => Math.abs(v - centre)).sort((a, b) => a - b);
	return [centre, MAD_TO_SIGMA * median(deviations), values.length];
}

export const hourOfDay = (ts: number): number => Math.floor(ts / HOUR_MS) % 24;
/** 0 = Sunday 00:00 UTC (1970-01-01 was a Thursday, day 4). */
export const hourOfWeek = (ts: number): number => (Math.floor(ts / HOUR_MS) + 4 * 24) % 168;

/** The usable hourly means of some rows: finite, counted, before `until`, one per hour. */
export function hourlyMeans(rows: readonly HourlyRow[], until = Infinity): Point[] {
	const byHour = new Map<number, { sum: number; count: number }>();
	for (const r of rows) {
		if (!(r.count > 0) || !Number.isFinite(r.sum) || !Number.isFinite(r.ts) || r.ts >= until)
			continue;
		const hour = r.ts - (((r.ts % HOUR_MS) + HOUR_MS) % HOUR_MS);
		const m = byHour.get(hour) ?? { sum: 0, count: 0 };
		m.sum += r.sum;
		m.count += r.count;
		byHour.set(hour, m);
	}
	return [...byHour.entries()]
		.map(([t, m]) => [t, m.sum / m.count] as Point)
		.sort((a, b) => a[0] - b[0]);
}

/** A baseline from hourly rollup rows, or why there is none. */
export function buildBaseline(
	rows: readonly HourlyRow[],
	options: BuildOptions = {},
): Baseline | NoBaseline {
	const points = hourlyMeans(rows, options.until);
	if (points.length === 0) return { reason: 'no history' };
	if (points.length < (options.minHours ?? MIN_HOURS)) return { reason: 'not enough history' };

	const values = points.map(([, v]) => v);
	const level = robustStat(values);
	const typical = median(values.map(Math.abs).sort((a, b) => a - b));
	const floor = Math.max(RELATIVE_FLOOR * typical, options.minSpread ?? 0, ABSOLUTE_FLOOR);

	const daily = groupStats(points, 24, hourOfDay);
	const weekly = groupStats(points, 168, hourOfWeek);
	const weeklyGroups = weekly.filter(Boolean).length;
	const dailyGroups = daily.filter(Boolean).length;
	// The finest profile that covers most of its groups; missing single groups fall back.
	const kind: BaselineKind =
		weeklyGroups >= 168 * 0.75 ? 'weekly' : dailyGroups >= 24 * 0.75 ? 'daily' : 'level';

	const partial: Baseline = {
		kind,
		from: points[0][0],
		until: options.until ?? points[points.length - 1][0] + HOUR_MS,
		hours: points.length,
		level: [level[0], Math.max(level[1], floor), level[2]],
		daily: kind === 'level' ? daily.map(() => null) : daily,
		weekly: kind === 'weekly' ? weekly : weekly.map(() => null),
		trendPerHour: 0,
		trendAnchor: points[0][0],
		trendOffset: 0,
		floor,
	};

	// Residuals against the raw profile: their pooled spread, and their trend over the days.
	const residuals = points.map(([t, v]) => [t, v - centreOf(partial, t)] as Point);
	const pooled = robustStat(residuals.map(([, r]) => r))[1];
	for (const groups of [partial.daily, partial.weekly])
		for (let i = 0; i < groups.length; i++) {
			const g = groups[i];
			if (!g) continue;
			const shrunk = Math.sqrt(
				(g[2] * g[1] ** 2 + SHRINK_WEIGHT * pooled ** 2) / (g[2] + SHRINK_WEIGHT),
			);
			// A new value differs from a median of n by its own noise plus the median's error
			// (variance about pi/2n of the noise's): a spread of the values alone is too tight.
			groups[i] = [g[0], Math.max(shrunk * Math.sqrt(1 + Math.PI / (2 * g[2])), floor), g[2]];
		}
	if (kind !== 'level') partial.level = [level[0], Math.max(pooled, floor), level[2]];
	const trend = residualTrend(residuals);
	if (trend) {
		partial.trendPerHour = trend.perHour;
		partial.trendAnchor = trend.anchor;
		partial.trendOffset = trend.offset;
	}
	return partial;
}

function groupStats(
	points: readonly Point[],
	size: number,
	groupOf: (ts: number) => number,
): Array<Stat | null> {
	const groups: number[][] = Array.from({ length: size }, () => []);
	for (const [t, v] of points) groups[groupOf(t)].push(v);
	return groups.map((g) => (g.length >= MIN_PER_BUCKET ? robustStat(g) : null));
}

/**
 * A line through the daily medians of the residuals, when the history spans a week or more and
 * the line explains them well enough: a daily median shrugs off single anomalous hours, and a
 * shorter history cannot tell a trend from a bad few days.
 */
function residualTrend(
	residuals: readonly Point[],
): { perHour: number; anchor: number; offset: number } | undefined {
	if (residuals.length === 0) return undefined;
	const byDay = new Map<number, number[]>();
	for (const [t, r] of residuals) {
		const day = Math.floor(t / DAY_MS);
		const list = byDay.get(day) ?? [];
		list.push(r);
		byDay.set(day, list);
	}
	const days: Point[] = [...byDay.entries()]
		.filter(([, list]) => list.length >= 12)
		.map(([d, list]) => [d * DAY_MS + DAY_MS / 2, median(list.sort((a, b) => a - b))]);
	if (days.length < 7) return undefined;
	const fit = linearFit(days, 6 * DAY_MS);
	if (!fit || fit.r2 < 0.5) return undefined;
	const anchor = days.reduce((s, [t]) => s + t, 0) / days.length;
	return { perHour: fit.slopePerDay / 24, anchor, offset: fit.valueAt(anchor) };
}

/** The group that speaks for a time: its hour of the week, else of the day, else the level. */
function statOf(b: Baseline, ts: number): { stat: Stat; source: BaselineKind } {
	const w = b.weekly[hourOfWeek(ts)];
	if (w) return { stat: w, source: 'weekly' };
	const d = b.daily[hourOfDay(ts)];
	if (d) return { stat: d, source: 'daily' };
	return { stat: b.level, source: 'level' };
}

function centreOf(b: Baseline, ts: number): number {
	return statOf(b, ts).stat[0];
}

/** What the baseline expects at a time (the trend carried on to it). */
export function expectedAt(b: Baseline, ts: number): Expected {
	const { stat, source } = statOf(b, ts);
	return {
		centre: stat[0] + b.trendOffset + b.trendPerHour * ((ts - b.trendAnchor) / HOUR_MS),
		spread: stat[1],
		source,
	};
}

export function isBaseline(b: Baseline | NoBaseline): b is Baseline {
	return !('reason' in b);
}
