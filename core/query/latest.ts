import type { Knex } from 'knex';

import { decodeChunk } from '../store/chunk-codec';
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
 * The newest sample of every series (of the given metrics, or all) within [since, until]. The
 * series filter is always a sub-select on mon_series, so that the database seeks each series'
 * key instead of scanning every stored sample.
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
): Promise<LatestValue[]> {
	const ids = knex('mon_series').select('id');
	if (metrics) ids.whereIn('metric', metrics);
	const latest = knex('mon_samples')
		.select('series_id')
		.max({ ts: 'ts' })
		.whereIn('series_id', ids.clone())
		.andWhere('ts', '>=', since)
		.andWhere('ts', '<=', until)
		.groupBy('series_id')
		.as('m');
	const hot = await knex
		.from(latest)
		.join('mon_samples as v', function () {
			this.on('v.series_id', '=', 'm.series_id').andOn('v.ts', '=', 'm.ts');
		})
		.join('mon_series as s', 's.id', 'm.series_id')
		.select('m.series_id', 's.host', 's.metric', 's.labels', 'm.ts', 'v.value');
	const result = new Map<number, LatestValue>();
	for (const row of hot)
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
		.whereIn('c.series_id', ids.clone())
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
