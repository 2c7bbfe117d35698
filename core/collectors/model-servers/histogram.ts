import type { MetricsPage } from '../../prometheus-text';
import type { Bucket } from './types';

/**
 * The q-quantile of a cumulative histogram, as Prometheus's histogram_quantile() computes it
 * (promql/quantile.go, bucketQuantile): buckets sorted by upper bound, a +Inf bucket required,
 * linear interpolation inside the bucket the rank falls in, the lower bound of the first bucket
 * taken as 0 (unless its upper bound is <= 0), and the upper bound of the highest finite bucket
 * returned when the rank falls in the +Inf bucket. Counts that go down from one bucket to the next
 * (a scrape racing an observation) are raised to the running maximum, as Prometheus does.
 *
 * Returns NaN where Prometheus does: no +Inf bucket, fewer than two buckets, no observations, or
 * q NaN; -Infinity for q < 0 and +Infinity for q > 1.
 */
export function histogramQuantile(buckets: readonly Bucket[], q: number): number {
	if (Number.isNaN(q)) return NaN;
	if (q < 0) return -Infinity;
	if (q > 1) return Infinity;
	const sorted = coalesce([...buckets].sort((a, b) => a.le - b.le));
	if (sorted.length < 2 || sorted[sorted.length - 1].le !== Infinity) return NaN;
	let max = -Infinity;
	for (const b of sorted) {
		if (b.count < max) b.count = max;
		else max = b.count;
	}
	const observations = sorted[sorted.length - 1].count;
	if (!(observations > 0)) return NaN;
	let rank = q * observations;
	// sort.Search over all but the +Inf bucket: the first bucket whose count reaches the rank.
	let b = sorted.length - 1;
	for (let i = 0; i < sorted.length - 1; i++) {
		if (sorted[i].count >= rank) {
			b = i;
			break;
		}
	}
	if (b === sorted.length - 1) return sorted[sorted.length - 2].le;
	if (b === 0 && sorted[0].le <= 0) return sorted[0].le;
	let bucketStart = 0;
	const bucketEnd = sorted[b].le;
	let count = sorted[b].count;
	if (b > 0) {
		bucketStart = sorted[b - 1].le;
		count -= sorted[b - 1].count;
		rank -= sorted[b - 1].count;
	}
	return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/** Buckets with the same upper bound (several series summed) become one; copies, never mutates. */
function coalesce(sorted: Bucket[]): Bucket[] {
	const out: Bucket[] = [];
	for (const b of sorted) {
		const last = out[out.length - 1];
		if (last && last.le === b.le) last.count += b.count;
		else out.push({ le: b.le, count: b.count });
	}
	return out;
}

/**
 * The increase of each bucket since a previous reading of the same histogram, so that quantiles
 * describe the last interval rather than the server's whole life. Returns null when the previous
 * reading is not a usable base: a bucket it lacks (new bucket layout) or any bucket that went down
 * (the server restarted); the caller then falls back to the cumulative buckets.
 */
export function bucketIncrease(
	current: readonly Bucket[],
	previous: ReadonlyMap<number, number> | undefined,
): Bucket[] | null {
	if (!previous || previous.size === 0) return null;
	const out: Bucket[] = [];
	for (const b of current) {
		const before = previous.get(b.le);
		if (before === undefined || b.count < before) return null;
		out.push({ le: b.le, count: b.count - before });
	}
	return out;
}

/** Sums buckets of several series (engines, models) by upper bound, like `sum by (le)`. */
export function sumBuckets(series: ReadonlyArray<readonly Bucket[]>): Bucket[] {
	const byLe = new Map<number, number>();
	for (const buckets of series) {
		for (const b of buckets) byLe.set(b.le, (byLe.get(b.le) ?? 0) + b.count);
	}
	return [...byLe.entries()].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count }));
}

/** `le` label text to a number: "+Inf" → Infinity, "0.5" → 0.5; NaN for anything else. */
export function parseLe(text: string): number {
	if (text === '+Inf' || text === 'Inf') return Infinity;
	if (text.trim() === '') return NaN;
	return Number(text);
}

/**
 * A histogram rebuilt from its `<name>_bucket` series, summed over every other label (engine,
 * model_name), like `sum by (le) (<name>_bucket)`. Null when the page has no such buckets.
 */
export function histogramOf(page: MetricsPage, name: string): Bucket[] | null {
	const list = page.get(`${name}_bucket`);
	if (!list || list.length === 0) return null;
	const bySeries = new Map<string, Bucket[]>();
	for (const s of list) {
		const le = parseLe(s.labels.le ?? '');
		if (Number.isNaN(le)) throw new Error(`"${name}_bucket" has a bucket without a valid le label`);
		const key = seriesKey(s.labels);
		let buckets = bySeries.get(key);
		if (!buckets) bySeries.set(key, (buckets = []));
		buckets.push({ le, count: s.value });
	}
	return sumBuckets([...bySeries.values()]);
}

function seriesKey(labels: Record<string, string>): string {
	return Object.keys(labels)
		.filter((k) => k !== 'le')
		.sort()
		.map((k) => `${k}=${labels[k]}`)
		.join(',');
}
