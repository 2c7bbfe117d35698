import type { Knex } from 'knex';

import { decodeChunk } from '../store/chunk-codec';
import { canonicalLabels } from '../store/labels';
import { parseLabels } from './series';
import { num } from './validate';

export interface LatestValue {
	seriesId: number;
	host: string;
	metric: string;
	labels: Record<string, string>;
	ts: number;
	value: number;
}

const BLOCK_MS = 3_600_000;

/**
 * The newest sample of every series (of the given metrics, or all) within [since, until].
 * `only` keeps, for the metrics it names, just the series with exactly those labels (the fleet
 * overview wants CPU total, not the 15 000 per-core series of 1,000 hosts); `hosts`, when given,
 * keeps only their series.
 *
 * PostgreSQL: one backward seek on the (series_id, ts) key per series (LATERAL ... LIMIT 1); a
 * GROUP BY there was planned as a scan of every sample in the window (0.9 s at 1,000 hosts).
 * SQLite: the series filter is a sub-select on mon_series, so that SQLite reads only the
 * hot samples in the window instead of scanning every stored sample.
 *
 * Maintenance keeps at least the last hour in the hot table, so a window that ends now and
 * reaches back less than an hour (the usual 15 minutes) is answered from it alone; the packed
 * hours are still consulted, which costs one key seek per series and finds nothing then, so that
 * windows further back (history written with past times, a longer window) stay right too.
 */
export async function latestValues(
	knex: Knex,
	since: number,
	until: number,
	metrics?: string[],
	only?: Record<string, Record<string, string>>,
	hosts?: string[],
): Promise<LatestValue[]> {
	const pick = (q: Knex.QueryBuilder, prefix: string) => {
		if (metrics) q.whereIn(`${prefix}metric`, metrics);
		if (hosts) q.whereIn(`${prefix}host`, hosts);
		for (const [metric, labels] of Object.entries(only ?? {}))
			q.andWhere((w) =>
				w.whereNot(`${prefix}metric`, metric).orWhere(`${prefix}labels`, canonicalLabels(labels)),
			);
		return q;
	};
	let rows: Array<Record<string, unknown>>;
	if (knex.client.config.client === 'pg') {
		rows = await pick(
			knex('mon_series as s')
				.joinRaw(
					'cross join lateral (select x.ts, x.value from mon_samples x where x.series_id = s.id and x.ts >= ? and x.ts <= ? order by x.ts desc limit 1) v',
					[since, until],
				)
				.select('s.id as series_id', 's.host', 's.metric', 's.labels', 'v.ts', 'v.value'),
			's.',
		);
	} else {
		const ids = pick(knex('mon_series').select('id'), '');
		const latest = knex('mon_samples')
			.select('series_id')
			.max({ ts: 'ts' })
			.whereIn('series_id', ids)
			.andWhere('ts', '>=', since)
			.andWhere('ts', '<=', until)
			.groupBy('series_id')
			.as('m');
		rows = await knex
			.from(latest)
			.join('mon_samples as v', function () {
				this.on('v.series_id', '=', 'm.series_id').andOn('v.ts', '=', 'm.ts');
			})
			.join('mon_series as s', 's.id', 'm.series_id')
			.select('m.series_id', 's.host', 's.metric', 's.labels', 'm.ts', 'v.value');
	}
	const result = new Map<number, LatestValue>();
	for (const row of rows)
		result.set(num(row.series_id), {
			seriesId: num(row.series_id),
			host: String(row.host),
			metric: String(row.metric),
			labels: parseLabels(row.labels),
			ts: num(row.ts),
			value: num(row.value),
		});
	const packed = await knex('mon_chunks as c')
		.join('mon_series as s', 's.id', 'c.series_id')
		.whereIn('c.series_id', pick(knex('mon_series').select('id'), ''))
		.andWhere('c.ts', '>', since - BLOCK_MS)
		.andWhere('c.ts', '<=', until)
		.orderBy([{ column: 'c.series_id' }, { column: 'c.ts', order: 'desc' }])
		.select('c.series_id', 's.host', 's.metric', 's.labels', 'c.data');
	const settled = new Set<number>();
	for (const row of packed) {
		const seriesId = num(row.series_id);
		if (settled.has(seriesId)) continue; // a newer block of this series already had a sample
		const { ts, values } = decodeChunk(row.data as Uint8Array);
		for (let k = ts.length - 1; k >= 0; k--) {
			if (ts[k] > until || ts[k] < since) continue;
			settled.add(seriesId);
			const current = result.get(seriesId);
			if (!current || current.ts < ts[k])
				result.set(seriesId, {
					seriesId,
					host: String(row.host),
					metric: String(row.metric),
					labels: parseLabels(row.labels),
					ts: ts[k],
					value: values[k],
				});
			break;
		}
	}
	return [...result.values()];
}
