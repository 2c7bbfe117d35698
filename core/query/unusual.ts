/*
 * "Unusual now": the series whose last hour is unusual, as the anomaly presets judge them, worst
 * first. Cheap by construction: only the presets' metrics (CPU total, bytes received, endpoint
 * latency, successful production runs), at most MAX_SERIES series, baselines from the same
 * per-process cache as the alert trigger (core/alerts/observe.ts), and per series only the judged
 * hour's raw samples; only the few found unusual read more (the last RAW_MS of raw samples and the
 * hourly rollups of the day before) to say since when.
 */
import { assess, type Judged } from '../analysis/anomaly';
import { HOUR_MS, hourlyMeans, type Baseline, type NoBaseline } from '../analysis/baseline';
import { matchesLabels } from '../alerts/match';
import { baselinesOf } from '../alerts/observe';
import { PRESETS, type Preset } from '../alerts/presets';
import type { UnusualResponse, UnusualRow } from '../contract/dashboard-api';
import type { StoreReader } from '../store';
import type { RawSample, SeriesRef } from '../store/queries/samples';
import { QueryError } from './errors';

/** The most series judged per request: the watched metrics of a large fleet. */
export const MAX_SERIES = 2_000;
export const MAX_UNUSUAL_LIMIT = 200;
/**
 * The most baselines built per request: 2,000 cold ones cost 9 s of CPU at once (a fresh start,
 * and every 6 h when they expire together); 250 a request learns them over a few polls.
 */
export const MAX_BASELINE_BUILDS = 250;
/** Raw samples this far back: the judged hour and two before it, the hours not rolled up yet. */
const RAW_MS = 3 * HOUR_MS;
/** "Since" is looked for this far back; a longer stretch reads "since" the day's start. */
const SINCE_MS = 24 * HOUR_MS;
/** Points stamped a little ahead of now still count (a writer's clock ahead of this one). */
const FUTURE_SLACK_MS = HOUR_MS;

type AnomalySource = Extract<Preset['source'], { kind: 'metric' }>;
type Watched = { name: string; preset: Preset; source: AnomalySource };

/** The anomaly presets: what "unusual now" watches, with their levels and options. */
export function watchedPresets(): Watched[] {
	const out: Watched[] = [];
	for (const [name, preset] of Object.entries(PRESETS) as Array<[string, Preset]>) {
		const source = preset.source;
		if (source.kind === 'metric' && source.aggregation === 'anomaly')
			out.push({ name, preset, source });
	}
	return out;
}

export async function unusualNow(
	store: Pick<StoreReader, 'samples'>,
	options: { now: number; limit?: number },
): Promise<UnusualResponse> {
	const limit = options.limit ?? 50;
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_UNUSUAL_LIMIT)
		throw new QueryError(`limit must be a whole number from 1 to ${MAX_UNUSUAL_LIMIT}`);
	const now = options.now;
	const watched = watchedPresets();
	// Each watched preset's series; the newest first when a fleet has more than MAX_SERIES.
	const picked: Array<{ ref: SeriesRef; w: Watched }> = [];
	for (const w of watched) {
		const refs = await store.samples.ofMetric(w.source.metric);
		for (const ref of refs) if (matchesLabels(w.source.labels, ref.labels)) picked.push({ ref, w });
	}
	picked.sort((a, b) => b.ref.id - a.ref.id);
	const truncated = picked.length > MAX_SERIES;
	const judged = picked.slice(0, MAX_SERIES);

	// First pass, every series: the judged window's raw samples only (about 60 a series).
	const windowMs = Math.max(...watched.map((w) => w.source.windowMs));
	const recent = byId(
		await store.samples.raw(
			judged.map((p) => p.ref.id),
			now - windowMs,
			now + FUTURE_SLACK_MS,
		),
	);
	let reporting = 0;
	let waiting = 0;
	let learning = 0;
	const budget = { builds: MAX_BASELINE_BUILDS };
	const candidates: Array<{ ref: SeriesRef; w: Watched; baseline: Baseline | NoBaseline }> = [];
	// Baselines per preset: each preset's options (minimum history, floor) key the cache.
	for (const w of watched) {
		const mine = judged.filter(
			(p) => p.w === w && (recent.get(p.ref.id) ?? []).some(([t]) => t > now - w.source.windowMs),
		);
		if (mine.length === 0) continue;
		reporting += mine.length;
		const baselines = await baselinesOf(
			store,
			mine.map((p) => p.ref.id),
			now,
			{ minHours: w.source.minHistoryHours, minSpread: w.source.minSpread, budget },
		);
		for (const { ref } of mine) {
			const baseline = baselines.get(ref.id);
			if (!baseline) {
				learning++;
				continue;
			}
			const a = assess(baseline, recent.get(ref.id) ?? [], now, optionsOf(w));
			if (a.status === 'no history' || a.status === 'not enough history') waiting++;
			if (a.status === 'unusual' && watches(w.source.direction, a))
				candidates.push({ ref, w, baseline });
		}
	}
	// Second pass, the unusual few: hours before the window, to say since when.
	const rows: UnusualRow[] = [];
	if (candidates.length) {
		const ids = candidates.map((c) => c.ref.id);
		const rawFrom = now - RAW_MS;
		const [raw, hourly] = await Promise.all([
			store.samples.raw(ids, rawFrom, now + FUTURE_SLACK_MS),
			store.samples.rollupRows('1h', ids, now - SINCE_MS, rawFrom),
		]);
		const points = byId(raw);
		// Hours before the raw stretch count as one point each (their mean): enough to walk back.
		const hourlyBySeries = new Map<number, typeof hourly>();
		for (const r of hourly) {
			const list = hourlyBySeries.get(r.seriesId) ?? [];
			list.push(r);
			hourlyBySeries.set(r.seriesId, list);
		}
		for (const [id, list] of hourlyBySeries)
			points.set(id, [...hourlyMeans(list), ...(points.get(id) ?? [])]);
		for (const { ref, w, baseline } of candidates) {
			const a = assess(baseline, points.get(ref.id) ?? [], now, optionsOf(w));
			if (a.status === 'unusual') rows.push(rowOf(ref, w.name, a));
		}
	}
	rows.sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || a.since - b.since);
	return {
		at: now,
		unusual: rows.slice(0, limit),
		unusualCount: rows.length,
		watched: reporting,
		waiting,
		learning,
		minHistoryHours: Math.max(...watched.map((w) => w.source.minHistoryHours ?? 24)),
		truncated,
		maxSeries: MAX_SERIES,
	};
}

const optionsOf = (w: Watched) => ({ level: w.preset.threshold, windowMs: w.source.windowMs });

function byId(samples: readonly RawSample[]): Map<number, Array<[number, number]>> {
	const out = new Map<number, Array<[number, number]>>();
	for (const s of samples) {
		const list = out.get(s.seriesId);
		if (list) list.push([s.ts, s.value]);
		else out.set(s.seriesId, [[s.ts, s.value]]);
	}
	return out;
}

/** Only the side the preset watches: CPU far below its usual is no trouble. */
function watches(direction: AnomalySource['direction'], a: Judged): boolean {
	return !direction || direction === 'both' || direction === a.direction;
}

function rowOf(ref: SeriesRef, preset: string, a: Judged): UnusualRow {
	return {
		host: ref.host,
		metric: ref.metric,
		labels: ref.labels,
		preset,
		score: round(a.score),
		direction: a.direction ?? (a.score >= 0 ? 'up' : 'down'),
		observed: round(a.observed),
		expectedLow: round(a.expected.low),
		expectedCentre: round(a.expected.centre),
		expectedHigh: round(a.expected.high),
		expectedFrom: a.expected.source,
		// An unusual assessment always has one (core/analysis/anomaly.ts).
		since: a.since ?? 0,
	};
}

const round = (x: number) => Number(x.toPrecision(6));
