import type { Knex } from 'knex';

import { readRawSamples } from '../query/raw';
import { parseLabels } from '../query/series';
import { num } from '../query/validate';
import { lookbackMs } from './evaluate';
import { matchesHost, matchesLabels } from './match';
import type { AlertRule, Observed } from './types';

const HOUR_MS = 3_600_000;
/** How far back silences are looked for: a host gone for longer has been retired. */
export const SILENCE_LOOKBACK_MS = 30 * 24 * HOUR_MS;
/** A little room for a writer whose clock runs ahead of this one. */
const FUTURE_SLACK_MS = HOUR_MS;

/** What each series (host, workflow) a rule judges reported recently. */
export async function observe(knex: Knex, rule: AlertRule, now: number): Promise<Observed[]> {
	const source = rule.source;
	if (source.kind === 'metric') {
		const query = knex('mon_series').where('metric', source.metric);
		const exactHost = source.host && !source.host.includes('*') ? source.host.trim() : undefined;
		if (exactHost) query.andWhere('host', exactHost);
		const rows = await query.select('id', 'host', 'labels');
		const chosen = new Map<number, Observed>();
		for (const row of rows) {
			const host = String(row.host);
			const labels = parseLabels(row.labels);
			if (!matchesHost(source.host, host) || !matchesLabels(source.labels, labels)) continue;
			chosen.set(num(row.id), { key: seriesKey(host, labels), host, labels, points: [] });
		}
		const from = now - lookbackMs(rule);
		const samples = await readRawSamples(knex, [...chosen.keys()], from, now + FUTURE_SLACK_MS);
		for (const s of samples) chosen.get(s.seriesId)!.points.push([s.ts, s.value]);
		return [...chosen.values()].filter((o) => o.points.length > 0);
	}
	if (source.kind === 'silentHost') {
		// Every stored collection upserts its collector's state row with its time: one row per
		// host holds the last run, where grouping mon_collections would read a month of runs.
		const rows = await knex('mon_collector_state')
			.where('collector', source.collector)
			.andWhere('ts', '>=', now - SILENCE_LOOKBACK_MS)
			.select('host', 'ts as last');
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
	const rows = await knex('mon_executions')
		.where('started_at', '>=', now - SILENCE_LOOKBACK_MS)
		.andWhere((q) => q.whereNull('mode').orWhereNot('mode', 'manual'))
		.groupBy('instance', 'workflow_id')
		.select(
			'instance',
			'workflow_id',
			knex.raw('max(workflow_name) as name'),
			knex.raw("max(case when status = 'success' then started_at end) as last_success"),
			knex.raw('min(started_at) as first_run'),
		);
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
