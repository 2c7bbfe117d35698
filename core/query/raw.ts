import type { Knex } from 'knex';

import { decodeChunk } from '../store/chunk-codec';
import { num } from './validate';

export interface RawSample {
	seriesId: number;
	ts: number;
	value: number;
}

/** Packed blocks are one hour long (core/store/maintenance.ts) and keyed by their start. */
const BLOCK_MS = 3_600_000;

/**
 * Raw samples of some series within [from, to], ordered by series then time. The one place
 * raw samples are read, so that charts, alerts and exports follow the store's layout together:
 * the hot table (the last hour or two, one row per sample) plus the packed hours (mon_chunks),
 * which hold every older sample exactly.
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
		const ids = seriesIds.slice(i, i + 500);
		const [packed, hot] = await Promise.all([
			knex('mon_chunks')
				.whereIn('series_id', ids)
				.andWhere('ts', '>', from - BLOCK_MS)
				.andWhere('ts', '<=', to)
				.orderBy([{ column: 'series_id' }, { column: 'ts' }])
				.select('series_id', 'data'),
			knex('mon_samples')
				.whereIn('series_id', ids)
				.andWhere('ts', '>=', from)
				.andWhere('ts', '<=', to)
				.orderBy([{ column: 'series_id' }, { column: 'ts' }])
				.select('series_id', 'ts', 'value'),
		]);
		const bySeries = new Map<number, RawSample[]>();
		const listOf = (id: number) => {
			let list = bySeries.get(id);
			if (!list) bySeries.set(id, (list = []));
			return list;
		};
		for (const row of packed) {
			const seriesId = num(row.series_id);
			const list = listOf(seriesId);
			const { ts, values } = decodeChunk(row.data as Uint8Array);
			for (let k = 0; k < ts.length; k++)
				if (ts[k] >= from && ts[k] <= to) list.push({ seriesId, ts: ts[k], value: values[k] });
		}
		for (const row of hot) {
			const seriesId = num(row.series_id);
			listOf(seriesId).push({ seriesId, ts: num(row.ts), value: num(row.value) });
		}
		for (const id of [...bySeries.keys()].sort((a, b) => a - b)) {
			const list = bySeries.get(id)!;
			// Packed hours come first and in order; a late sample still hot for a packed hour is the
			// only thing that can be out of order, and a time stored twice keeps its packed value.
			let sorted = true;
			for (let k = 1; k < list.length && sorted; k++) sorted = list[k - 1].ts < list[k].ts;
			if (!sorted) {
				list.sort((a, b) => a.ts - b.ts); // stable: the packed one stays first
				for (let k = 0; k < list.length; k++)
					if (k === 0 || list[k].ts !== list[k - 1].ts) out.push(list[k]);
			} else {
				for (const s of list) out.push(s);
			}
		}
	}
	return out;
}
