import type { Knex } from 'knex';

import { encodeRollups } from '../core/store/chunk-codec';

/**
 * Packed rollups. The 5-minute and hourly rollup tables held one row per bucket (~36 bytes of
 * B-tree each, ~90 % of a store's steady state); their buckets move into one row per series and
 * block (a day of 5-minute buckets, a week of hourly ones), packed like raw samples (see
 * core/store/rollup-blocks.ts). Every bucket is moved as it is, bit for bit; the old tables are
 * dropped once emptied. Knex runs a migration in one transaction, so an interrupted upgrade
 * leaves the store as it was and the next open starts it again.
 *
 * PostgreSQL: the hot table loses its foreign key to mon_series. It was checked by a trigger per
 * inserted sample, about half of a collection's write; ids are the store's own, resolved in the
 * same transaction, and series are never deleted.
 */
const TABLES: Array<[from: string, to: string, blockMs: number]> = [
	['mon_rollup_5m', 'mon_rollup_5m_blocks', 24 * 3_600_000],
	['mon_rollup_1h', 'mon_rollup_1h_blocks', 7 * 24 * 3_600_000],
];

export async function up(knex: Knex): Promise<void> {
	for (const [from, to, blockMs] of TABLES) {
		const builder = knex.schema.createTable(to, (t) => {
			t.integer('series_id')
				.notNullable()
				.references('id')
				.inTable('mon_series')
				.onDelete('CASCADE');
			/** Start of the block; its buckets are packed in `data`. */
			t.bigInteger('ts').notNullable();
			t.binary('data').notNullable();
			t.primary(['series_id', 'ts']);
		});
		// An ordinary (rowid) table on SQLite, unlike the other keyed tables: a day of 5-minute
		// buckets is ~1 KB, more than a WITHOUT ROWID row keeps on its page (~1,000 bytes of a 4 KB
		// page; the rest would take an overflow page of its own), while a rowid table keeps rows up
		// to ~4 KB in place. The key index costs little: one row per series and day or week.
		await builder;
		await packTable(knex, from, to, blockMs);
		await knex.schema.dropTable(from);
	}
	if (knex.client.config.client === 'pg')
		await knex.raw(
			'ALTER TABLE mon_samples DROP CONSTRAINT IF EXISTS mon_samples_series_id_foreign',
		);
}

/** Moves every row of a rollup table into blocks, one series at a time (bounded memory). */
async function packTable(knex: Knex, from: string, to: string, blockMs: number) {
	const ids = (await knex(from).distinct('series_id').orderBy('series_id')).map((r) =>
		Number(r.series_id),
	);
	let pending: unknown[][] = [];
	const flush = async () => {
		for (let i = 0; i < pending.length; i += 300) {
			const part = pending.slice(i, i + 300);
			await knex.raw(
				`INSERT INTO ${to} ("series_id", "ts", "data") VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`,
				part.flat() as Knex.Value[],
			);
		}
		pending = [];
	};
	for (const id of ids) {
		const rows = await knex(from)
			.where('series_id', id)
			.orderBy('ts')
			.select('ts', 'min', 'max', 'sum', 'count');
		for (let i = 0; i < rows.length; ) {
			const ts = Number(rows[i].ts);
			const start = ts - (((ts % blockMs) + blockMs) % blockMs);
			const block = { ts: [] as number[], min: [] as number[], max: [] as number[] };
			const sum: number[] = [];
			const count: number[] = [];
			for (; i < rows.length && Number(rows[i].ts) < start + blockMs; i++) {
				block.ts.push(Number(rows[i].ts));
				block.min.push(Number(rows[i].min));
				block.max.push(Number(rows[i].max));
				sum.push(Number(rows[i].sum));
				count.push(Number(rows[i].count));
			}
			pending.push([id, start, encodeRollups({ ...block, sum, count })]);
		}
		if (pending.length >= 2000) await flush();
	}
	await flush();
}

export async function down(): Promise<void> {
	throw new Error('packed rollups cannot be unpacked by a migration: restore a backup instead');
}
