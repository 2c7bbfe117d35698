import type { Knex } from 'knex';

import { num } from './validate';

export interface RawSample {
	seriesId: number;
	ts: number;
	value: number;
}

/**
 * Raw samples of some series within [from, to], ordered by series then time. The one place
 * raw samples are read, so that charts, alerts and exports follow the store's layout together.
 */
export async function readRawSamples(
	knex: Knex,
	seriesIds: number[],
	from: number,
	to: number,
): Promise<RawSample[]> {
	if (seriesIds.length === 0) return [];
	const out: RawSample[] = [];
	// Bound parameters per statement stay far below SQLite's limit however many series are asked for.
	for (let i = 0; i < seriesIds.length; i += 500) {
		const rows = await knex('mon_samples')
			.whereIn('series_id', seriesIds.slice(i, i + 500))
			.andWhere('ts', '>=', from)
			.andWhere('ts', '<=', to)
			.orderBy([{ column: 'series_id' }, { column: 'ts' }])
			.select('series_id', 'ts', 'value');
		for (const row of rows)
			out.push({ seriesId: num(row.series_id), ts: num(row.ts), value: num(row.value) });
	}
	return out;
}
