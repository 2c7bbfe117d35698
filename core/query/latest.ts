import type { Knex } from 'knex';

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

/**
 * The newest sample of every series (of the given metrics, or all) within [since, until]. The
 * series filter is always a sub-select on mon_series, so that SQLite walks the (series_id, ts)
 * key of each series from `since` on instead of scanning every stored sample.
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
		.whereIn('series_id', ids)
		.andWhere('ts', '>=', since)
		.andWhere('ts', '<=', until)
		.groupBy('series_id')
		.as('m');
	const rows = await knex
		.from(latest)
		.join('mon_samples as v', function () {
			this.on('v.series_id', '=', 'm.series_id').andOn('v.ts', '=', 'm.ts');
		})
		.join('mon_series as s', 's.id', 'm.series_id')
		.select('m.series_id', 's.host', 's.metric', 's.labels', 'm.ts', 'v.value');
	return rows.map((row) => ({
		seriesId: num(row.series_id),
		host: String(row.host),
		metric: String(row.metric),
		labels: parseLabels(row.labels),
		ts: num(row.ts),
		value: num(row.value),
	}));
}
