import { assess } from '../analysis/anomaly';
import {
	buildBaseline,
	HOUR_MS as BASELINE_HOUR_MS,
	type Baseline,
	type NoBaseline,
} from '../analysis/baseline';
import { num } from '../query/validate';
import type { StoreReader } from '../store';
import { lookbackMs } from './evaluate';
import { matchesHost, matchesLabels } from './match';
import type { AlertRule, Observed } from './types';

const HOUR_MS = 3_600_000;
/** How far back silences are looked for: a host gone for longer has been retired. */
export const SILENCE_LOOKBACK_MS = 30 * 24 * HOUR_MS;
/** A little room for a writer whose clock runs ahead of this one. */
const FUTURE_SLACK_MS = HOUR_MS;

/** What each series (host, workflow) a rule judges reported recently. */
export async function observe(
	store: Pick<StoreReader, 'samples' | 'runs' | 'executions'>,
	rule: AlertRule,
	now: number,
): Promise<Observed[]> {
	const source = rule.source;
	if (source.kind === 'metric') {
		const exactHost = source.host && !source.host.includes('*') ? source.host.trim() : undefined;
		const rows = await store.samples.ofMetric(source.metric, exactHost || undefined);
		const chosen = new Map<number, Observed>();
		for (const { id, host, labels } of rows) {
			if (!matchesHost(source.host, host) || !matchesLabels(source.labels, labels)) continue;
			chosen.set(id, { key: seriesKey(host, labels), host, labels, points: [] });
		}
		const from = now - lookbackMs(rule);
		const samples = await store.samples.raw([...chosen.keys()], from, now + FUTURE_SLACK_MS);
		for (const s of samples) chosen.get(s.seriesId)!.points.push([s.ts, s.value]);
		for (const [id, o] of chosen) if (o.points.length === 0) chosen.delete(id);
		if (source.aggregation === 'anomaly') {
			const baselines = await baselinesOf(store, [...chosen.keys()], now, {
				minHours: source.minHistoryHours,
				minSpread: source.minSpread,
			});
			for (const [id, o] of chosen)
				o.anomaly = assess(baselines.get(id)!, o.points, now, {
					level: rule.threshold,
					windowMs: source.windowMs,
				});
		}
		return [...chosen.values()];
	}
	if (source.kind === 'silentHost') {
		const rows = await store.runs.lastRunOfEachHost(source.collector, now - SILENCE_LOOKBACK_MS);
		return rows
			.filter((r) => matchesHost(source.host, String(r.host)))
			.map((r) => {
				const host = String(r.host);
				const minutes = Math.max(0, (now - num(r.last)) / 60_000);
				return {
					key: seriesKey(host, {}),
					host,
					labels: {},
					points: [[now, minutes]] as Array<[number, number]>,
				};
			});
	}
	// Workflows that ran in production lately: hours since their last success (or since their
	// first run in the lookback when none succeeded).
	const rows = await store.executions.workflowsSince(now - SILENCE_LOOKBACK_MS);
	const wanted = source.workflow?.trim();
	return rows
		.filter((r) => !wanted || wanted === String(r.workflow_id) || wanted === String(r.name ?? ''))
		.map((r) => {
			const host = String(r.instance);
			const labels: Record<string, string> = { workflow: String(r.workflow_id) };
			if (r.name) labels.workflow_name = String(r.name);
			const since = r.last_success == null ? num(r.first_run) : num(r.last_success);
			return {
				key: seriesKey(host, { workflow: labels.workflow }),
				host,
				labels,
				points: [[now, Math.max(0, (now - since) / HOUR_MS)]] as Array<[number, number]>,
			};
		});
}

export function seriesKey(host: string, labels: Record<string, string>): string {
	const sorted = Object.keys(labels)
		.sort()
		.map((k) => [k, labels[k]]);
	return JSON.stringify([host, sorted]);
}

/** How much history a baseline learns from: four weeks, four values for each hour of the week. */
export const BASELINE_HISTORY_MS = 28 * 24 * HOUR_MS;
/** A cached baseline is rebuilt after this long: a few hours more barely move a 4-week median. */
export const BASELINE_REFRESH_MS = 6 * HOUR_MS;
/** The most baselines one process keeps (about 10 KB each); the oldest built go first. */
const BASELINE_CACHE_SIZE = 20_000;

type Cached = { builtAt: number; baseline: Baseline | NoBaseline };
/**
 * Baselines per store (by its sample reader) and series, in this process's memory: an evaluation
 * then costs one assessment per series (microseconds) and the rollups are read once every
 * BASELINE_REFRESH_MS. Not persisted: after a restart the first evaluation rebuilds them (about
 * 1 ms of CPU and 672 rollup rows per series). The dashboard's "unusual now"
 * (core/query/unusual.ts) reads through the same cache, so inside n8n it reuses the triggers'.
 */
const baselineCache = new WeakMap<object, Map<string, Cached>>();

export async function baselinesOf(
	store: Pick<StoreReader, 'samples'>,
	ids: number[],
	now: number,
	options: { minHours?: number; minSpread?: number; budget?: { builds: number } },
): Promise<Map<number, Baseline | NoBaseline>> {
	let cache = baselineCache.get(store.samples);
	if (!cache) baselineCache.set(store.samples, (cache = new Map()));
	const keyOf = (id: number) => `${id}|${options.minHours ?? ''}|${options.minSpread ?? ''}`;
	const out = new Map<number, Baseline | NoBaseline>();
	const stale: number[] = [];
	for (const id of ids) {
		const hit = cache.get(keyOf(id));
		// A clock that went back past the build time also rebuilds.
		if (hit && now - hit.builtAt < BASELINE_REFRESH_MS && now >= hit.builtAt)
			out.set(id, hit.baseline);
		else stale.push(id);
	}
	// A caller that must answer quickly builds at most its budget now; the rest are left out of
	// the answer and built by its next calls (a cold cache or a 6-hourly expiry spreads over them).
	if (options.budget) {
		stale.splice(Math.max(0, options.budget.builds));
		options.budget.builds -= stale.length;
	}
	if (stale.length === 0) return out;
	// Up to the current hour: the window being judged is not learnt from.
	const until = now - (now % BASELINE_HOUR_MS);
	const rows = await store.samples.rollupRows('1h', stale, until - BASELINE_HISTORY_MS, until);
	const bySeries = new Map<number, typeof rows>();
	for (const r of rows) {
		const list = bySeries.get(r.seriesId) ?? [];
		list.push(r);
		bySeries.set(r.seriesId, list);
	}
	for (const id of stale) {
		const baseline = buildBaseline(bySeries.get(id) ?? [], {
			until,
			minHours: options.minHours,
			minSpread: options.minSpread,
		});
		cache.delete(keyOf(id));
		cache.set(keyOf(id), { builtAt: now, baseline });
		out.set(id, baseline);
	}
	while (cache.size > BASELINE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
	return out;
}
