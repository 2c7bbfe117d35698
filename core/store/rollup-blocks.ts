import type { Knex } from 'knex';

import { decodeRollups, encodeRollups } from './chunk-codec';

/**
 * Packed rollups (migration 009). A rollup row of its own per 5-minute or hourly bucket cost ~36
 * bytes of B-tree a bucket, ~90 % of a store's steady state; the buckets of one series are now
 * packed by `encodeRollups` into one row per block: a day of 5-minute buckets (288), a week of
 * hourly ones (168). Maintenance merges each packed hour's buckets into its block in the same
 * transaction as the raw samples it moves, so a bucket is written exactly when its samples are
 * packed, as before; retention drops a block once all of it is past retention.
 */

export type RollupResolution = '5m' | '1h';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const ROLLUP_TABLE: Record<RollupResolution, string> = {
	'5m': 'mon_rollup_5m_blocks',
	'1h': 'mon_rollup_1h_blocks',
};
export const BUCKET_MS: Record<RollupResolution, number> = { '5m': 5 * 60_000, '1h': HOUR_MS };
export const BLOCK_MS: Record<RollupResolution, number> = { '5m': DAY_MS, '1h': 7 * DAY_MS };

/** One bucket of a series: min, max, sum and count of the samples whose time is in it. */
export interface RollupBucket {
	seriesId: number;
	ts: number;
	min: number;
	max: number;
	sum: number;
	count: number;
}

/** Series ids per statement: bound parameters stay far below SQLite's limit. */
const IDS_PER_READ = 500;

export function blockStart(resolution: RollupResolution, ts: number): number {
	const block = BLOCK_MS[resolution];
	return ts - (((ts % block) + block) % block);
}

/**
 * The buckets of some series with from <= ts <= to, ordered by series then time. `seriesIds` may
 * be a sub-select of mon_series ids.
 */
export async function readRollups(
	knex: Knex | Knex.Transaction,
	resolution: RollupResolution,
	seriesIds: number[] | Knex.QueryBuilder,
	from: number,
	to: number,
): Promise<RollupBucket[]> {
	const groups = Array.isArray(seriesIds)
		? Array.from({ length: Math.ceil(seriesIds.length / IDS_PER_READ) }, (_, i) =>
				seriesIds.slice(i * IDS_PER_READ, (i + 1) * IDS_PER_READ),
			)
		: [seriesIds];
	const out: RollupBucket[] = [];
	for (const ids of groups) {
		const rows = await knex(ROLLUP_TABLE[resolution])
			.whereIn('series_id', ids)
			.andWhere('ts', '>', from - BLOCK_MS[resolution])
			.andWhere('ts', '<=', to)
			.orderBy([{ column: 'series_id' }, { column: 'ts' }])
			.select('series_id', 'data');
		for (const row of rows) {
			const seriesId = Number(row.series_id);
			const b = decodeRollups(row.data as Uint8Array);
			for (let k = 0; k < b.ts.length; k++)
				if (b.ts[k] >= from && b.ts[k] <= to)
					out.push({
						seriesId,
						ts: b.ts[k],
						min: b.min[k],
						max: b.max[k],
						sum: b.sum[k],
						count: b.count[k],
					});
		}
	}
	return out;
}

/**
 * Writes buckets into their blocks: each block they fall in is read, the buckets with the same
 * times replaced (maintenance recomputes an hour's buckets from the whole packed hour), and the
 * block written back. Meant to run inside the transaction that packs the samples.
 */
export async function mergeRollups(
	trx: Knex | Knex.Transaction,
	resolution: RollupResolution,
	buckets: RollupBucket[],
): Promise<void> {
	if (buckets.length === 0) return;
	const table = ROLLUP_TABLE[resolution];
	// block start -> series id -> bucket time -> bucket
	const blocks = new Map<number, Map<number, Map<number, RollupBucket>>>();
	for (const b of buckets) {
		const start = blockStart(resolution, b.ts);
		let bySeries = blocks.get(start);
		if (!bySeries) blocks.set(start, (bySeries = new Map()));
		let byTime = bySeries.get(b.seriesId);
		if (!byTime) bySeries.set(b.seriesId, (byTime = new Map()));
		byTime.set(b.ts, b);
	}
	const rows: unknown[][] = [];
	for (const [start, bySeries] of blocks) {
		const ids = [...bySeries.keys()];
		for (let i = 0; i < ids.length; i += IDS_PER_READ) {
			const existing = await trx(table)
				.where('ts', start)
				.whereIn('series_id', ids.slice(i, i + IDS_PER_READ))
				.select('series_id', 'data');
			for (const row of existing) {
				const byTime = bySeries.get(Number(row.series_id))!;
				const old = decodeRollups(row.data as Uint8Array);
				for (let k = 0; k < old.ts.length; k++)
					if (!byTime.has(old.ts[k]))
						byTime.set(old.ts[k], {
							seriesId: Number(row.series_id),
							ts: old.ts[k],
							min: old.min[k],
							max: old.max[k],
							sum: old.sum[k],
							count: old.count[k],
						});
			}
		}
		for (const [seriesId, byTime] of bySeries) {
			const list = [...byTime.values()].sort((x, y) => x.ts - y.ts);
			rows.push([seriesId, start, packBuckets(list)]);
		}
	}
	for (let i = 0; i < rows.length; i += 500) {
		const part = rows.slice(i, i + 500);
		await trx.raw(
			`INSERT INTO ${table} ("series_id", "ts", "data") VALUES ${part.map(() => '(?, ?, ?)').join(', ')}
			 ON CONFLICT (series_id, ts) DO UPDATE SET "data" = excluded."data"`,
			part.flat() as Knex.Value[],
		);
	}
}

/** Buckets of one series, in time order, as one block's data. */
export function packBuckets(list: readonly RollupBucket[]): Buffer {
	return encodeRollups({
		ts: list.map((b) => b.ts),
		min: list.map((b) => b.min),
		max: list.map((b) => b.max),
		sum: list.map((b) => b.sum),
		count: list.map((b) => b.count),
	});
}

/** Buckets grouped into wider ones (a multiple of their width), per series, in order. */
export function groupBuckets(buckets: RollupBucket[], width: number): RollupBucket[] {
	const out: RollupBucket[] = [];
	let current: RollupBucket | undefined;
	for (const b of buckets) {
		const ts = b.ts - (b.ts % width);
		if (current && current.seriesId === b.seriesId && current.ts === ts) {
			if (b.min < current.min) current.min = b.min;
			if (b.max > current.max) current.max = b.max;
			current.sum += b.sum;
			current.count += b.count;
			continue;
		}
		current = { ...b, ts };
		out.push(current);
	}
	return out;
}
