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
		return [...chosen.values()].filter((o) => o.points.length > 0);
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
