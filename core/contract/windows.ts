/**
 * The dashboard's relative ranges and the windows it asks for them, shared by the browser (the
 * router) and the load benchmark, so that what is measured is what browsers send.
 *
 * A window ends at the next mark of its range's step, not at this millisecond: every browser
 * polling within one step asks the same question, which the server answers once for all (its
 * answer cache keys on the query string) and a browser revalidates with a 304. The step grows
 * with the range; from a day up it stays under one pixel's worth of time on a wide chart (30 days
 * over 1,000 px is 43 minutes a pixel), so the chart looks the same, and a 30-day chart is worked
 * out a few times an hour rather than once per browser per poll. Its newest point is still the newest
 * sample: the window ends after now, never before.
 */
export type RelativeRange = '1h' | '24h' | '7d' | '30d';

export const RANGES: Readonly<Record<RelativeRange, number>> = {
	'1h': 3_600_000,
	'24h': 86_400_000,
	'7d': 7 * 86_400_000,
	'30d': 30 * 86_400_000,
};

export const RANGE_STEPS: Readonly<Record<RelativeRange, number>> = {
	'1h': 10_000,
	'24h': 60_000,
	'7d': 5 * 60_000,
	'30d': 15 * 60_000,
};

/** The [from, to] window in Unix ms of a relative range at `now`. */
export function rangeWindow(range: RelativeRange, now: number): { from: number; to: number } {
	const step = RANGE_STEPS[range];
	const to = Math.ceil(now / step) * step;
	return { from: to - RANGES[range], to };
}
