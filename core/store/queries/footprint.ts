import type { Knex } from 'knex';

import { num } from './values';

/** What the store takes on disk and how many raw samples it holds, for the storage benchmark. */
export interface Footprint {
	/** Bytes per table and index (SQLite's dbstat); empty on PostgreSQL. */
	tables: Record<string, number>;
	/** Bytes of raw samples (packed hours, hot table) and of the rollups. */
	bytes: { packed: number; hot: number; rollup5m: number; rollup1h: number };
	/** Raw samples in packed hours and in the hot table. */
	samples: { packed: number; hot: number };
}

export class FootprintReads {
	constructor(
		private readonly knex: Knex,
		private readonly dialect: 'sqlite' | 'postgres',
	) {}

	async measure(): Promise<Footprint> {
		const tables: Record<string, number> = {};
		if (this.dialect === 'sqlite') {
			const rows = (await this.knex.raw(
				'SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC',
			)) as Array<{ name: string; bytes: unknown }>;
			for (const r of rows) tables[r.name] = num(r.bytes);
		}
		const [{ n: packed }] = await this.knex('mon_chunks').sum({ n: 'count' });
		const [{ n: hot }] = await this.knex('mon_samples').count({ n: '*' });
		return {
			tables,
			bytes: {
				packed: tables.mon_chunks ?? 0,
				hot: tables.mon_samples ?? 0,
				rollup5m: tables.mon_rollup_5m_blocks ?? 0,
				rollup1h: tables.mon_rollup_1h_blocks ?? 0,
			},
			samples: { packed: num(packed ?? 0), hot: num(hot) },
		};
	}

	/** Moves SQLite's write-ahead log into the database file, so that the file's size is the store's. */
	async checkpoint(): Promise<void> {
		if (this.dialect === 'sqlite') await this.knex.raw('PRAGMA wal_checkpoint(TRUNCATE)');
	}
}
