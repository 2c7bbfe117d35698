/**
 * The one rule for "this collector stopped reporting", shared by the overview, the fleet counts,
 * the detail views' status, the Prometheus export and the store (which breaks a status streak
 * on a silence this long). It scales with the collector's own cadence: a collector that runs
 * every minute is late after 5 minutes, one that runs hourly after 3 hours.
 */

const MINUTE_MS = 60_000;

/** A collection is stale after this many of its usual intervals... */
export const STALE_INTERVALS = 3;
/** ...but never sooner than this, so a minute's jitter or one slow run is not an outage. */
export const STALE_MIN_MS = 5 * MINUTE_MS;

/** How long after its last run a collector with this usual interval (null: unknown) is late. */
export function staleAfterMs(intervalMs: number | null | undefined): number {
	const interval = intervalMs && intervalMs > 0 ? intervalMs : 0;
	return Math.max(STALE_INTERVALS * interval, STALE_MIN_MS);
}

/** Whether a collector whose last run was at `lastTs` (null: never) is late at `now`. */
export function isStale(
	now: number,
	lastTs: number | null | undefined,
	intervalMs: number | null | undefined,
): boolean {
	if (lastTs === null || lastTs === undefined) return true;
	return now - lastTs > staleAfterMs(intervalMs);
}
