import type { Knex } from 'knex';

/** Name in mon_maintenance: hot samples at or before this time are already in the rollups. */
export const HOT_ROLLED_UP_THROUGH = 'hot_rolled_up_through';

export interface HotSample {
	seriesId: number;
	ts: number;
	value: number;
}

/**
 * The samples of the hot table that the rollups do not hold yet, for readers of the rollups
 * (long charts, summaries, forecasts) to add: a sample is either still hot or packed into an hour
 * whose rollups were written with it, never both. Samples stored before the upgrade to packed
 * history were rolled up when written; the time up to which that holds is skipped here.
 */
export async function hotSamplesNotRolledUp(
	knex: Knex,
	seriesIds: number[] | Knex.QueryBuilder,
	from: number,
	to = Number.MAX_SAFE_INTEGER,
): Promise<HotSample[]> {
	const out: HotSample[] = [];
	const groups = Array.isArray(seriesIds)
		? Array.from({ length: Math.ceil(seriesIds.length / 500) }, (_, i) =>
				seriesIds.slice(i * 500, i * 500 + 500),
			)
		: [seriesIds];
	for (const ids of groups) {
		const rows = await knex('mon_samples')
			.whereIn('series_id', ids)
			.andWhere('ts', '>=', from)
			.andWhere('ts', '<=', to)
			.andWhere(
				'ts',
				'>',
				knex.raw('coalesce((select "value" from mon_maintenance where "name" = ?), -1)', [
					HOT_ROLLED_UP_THROUGH,
				]),
			)
			.select('series_id', 'ts', 'value');
		for (const row of rows)
			out.push({ seriesId: Number(row.series_id), ts: Number(row.ts), value: Number(row.value) });
	}
	return out;
}
