import type { Resolution } from '../contract/dashboard-api';
import { HOUR_MS, MINUTE_MS } from './validate';

export type { Resolution };

export interface ResolutionChoice {
	resolution: Resolution;
	/**
	 * The width of one point. For raw it is the nominal collection interval (one minute); for
	 * rollups the bucket, or a multiple of an hour when even hourly rows would be too many.
	 */
	stepMs: number;
	/** Rollup rows are grouped by floor(ts / groupMs) in SQL when it is wider than the rollup's bucket. */
	groupMs: number;
}

/** How many buckets of `step` a range touches when buckets are aligned to multiples of `step`. */
export function bucketCount(fromMs: number, toMs: number, stepMs: number): number {
	return Math.floor(toMs / stepMs) - Math.floor(fromMs / stepMs) + 1;
}

/**
 * The coarsest resolution that is still fine enough: raw while the range spans at most `maxPoints`
 * one-minute buckets (about 25 h at 1,500), 5-minute rollups while at most `maxPoints` 5-minute
 * buckets (about 5.2 days), else hourly rollups, grouped into buckets of several hours when even
 * hourly rows would be more than `maxPoints`. Buckets are counted the way the queries align
 * them (multiples of the step since the epoch), so the promise "at most maxPoints points per
 * series" holds for any range, not only for aligned ones.
 */
export function pickResolution(fromMs: number, toMs: number, maxPoints = 1500): ResolutionChoice {
	if (bucketCount(fromMs, toMs, MINUTE_MS) <= maxPoints)
		return { resolution: 'raw', stepMs: MINUTE_MS, groupMs: MINUTE_MS };
	const fiveMinutes = 5 * MINUTE_MS;
	if (bucketCount(fromMs, toMs, fiveMinutes) <= maxPoints)
		return { resolution: '5m', stepMs: fiveMinutes, groupMs: fiveMinutes };
	// The smallest whole number of hours whose aligned buckets fit: ceil(range / width) is then at
	// most maxPoints - 1, and alignment adds at most one bucket.
	let hours = Math.max(1, Math.ceil((toMs - fromMs) / (HOUR_MS * Math.max(1, maxPoints - 1))));
	while (hours > 1 && bucketCount(fromMs, toMs, (hours - 1) * HOUR_MS) <= maxPoints) hours--;
	while (bucketCount(fromMs, toMs, hours * HOUR_MS) > maxPoints) hours++;
	return {
		resolution: '1h',
		stepMs: hours * HOUR_MS,
		groupMs: hours * HOUR_MS,
	};
}
