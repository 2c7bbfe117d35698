import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import type { Knex } from 'knex';

import { MIGRATIONS_TABLE, migrationSource } from '../../migrations';
import { querySeries } from '../../core/query';
import { MonitoringStore } from '../../core/store';
import type { StoreConfig } from '../../core/store/config';
import { createKnex } from '../../core/store/connection';
import { testStores } from '../helpers/backends';
import { tables } from '../helpers/tables';

/**
 * Migration 009 (packed rollups) on stores filled the way the release before it wrote them (one
 * row per bucket), on SQLite through both drivers and on PostgreSQL: every bucket comes back bit
 * for bit, new buckets merge into migrated blocks, and a process killed with SIGKILL while it
 * migrates or packs loses nothing.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const stores = testStores(['sqlite3', 'node:sqlite', 'postgres'], 'mon-rollup-up-');
const { backends } = stores;
const maintainer = path.join(__dirname, '..', 'fixtures', 'store-maintainer.js');

/** The schema of the release before packed rollups: migrations 001 to 008. */
async function migrateToPreviousRelease(config: StoreConfig): Promise<Knex> {
	const { knex } = createKnex(config);
	const names = (await migrationSource.getMigrations([])).filter((n) => n < '009');
	await knex.migrate.latest({
		tableName: MIGRATIONS_TABLE,
		schemaName: config.type === 'postgres' ? config.schema : undefined,
		migrationSource: {
			getMigrations: async () => names,
			getMigrationName: (name: string) => name,
			getMigration: (name: string) => migrationSource.getMigration(name),
		},
	});
	return knex;
}

type Row = [ts: number, min: number, max: number, sum: number, count: number];

/**
 * Buckets as float arithmetic leaves them: sums with rounding noise, -0, extremes, subnormals,
 * gaps, partial buckets. Deterministic per series.
 */
function awkwardBuckets(seed: number, start: number, width: number, n: number): Row[] {
	const special = [-0, 1e300, -1e300, 5e-324, Math.PI, 0.1 + 0.2, 123456789.123456789, 2 ** 53];
	const rows: Row[] = [];
	let s = seed;
	const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
	for (let k = 0; k < n; k++) {
		if (rnd() < 0.05) continue; // a gap: no sample in that bucket
		const count = rnd() < 0.1 ? 1 + Math.floor(rnd() * 4) : width / MIN;
		if (k % 97 === 5) {
			const v = special[k % special.length];
			rows.push([start + k * width, v, v, v * count, count]);
			continue;
		}
		const min = Math.round(rnd() * 10_000) / 100;
		const max = min + Math.round(rnd() * 5_000) / 100;
		let sum = 0;
		for (let i = 0; i < count; i++) sum += min + ((max - min) * i) / Math.max(1, count - 1);
		rows.push([start + k * width, min, max, sum, count]);
	}
	return rows;
}

/**
 * Inserts the rows into an old rollup table and returns them as the old table holds them (SQLite
 * keeps -0 as 0 in a REAL column, for one): what the previous release would have read back.
 */
async function insertOld(knex: Knex, table: string, id: number, rows: Row[]): Promise<Row[]> {
	for (let i = 0; i < rows.length; i += 150)
		await knex(table).insert(
			rows
				.slice(i, i + 150)
				.map(([ts, min, max, sum, count]) => ({ series_id: id, ts, min, max, sum, count })),
		);
	const stored = await knex(table)
		.where('series_id', id)
		.orderBy('ts')
		.select('ts', 'min', 'max', 'sum', 'count');
	return stored.map((r): Row => [Number(r.ts), r.min, r.max, r.sum, Number(r.count)]);
}

async function seriesOf(knex: Knex, n: number): Promise<number[]> {
	const ids: number[] = [];
	for (let i = 0; i < n; i++) {
		const [row] = await knex('mon_series')
			.insert({ metric: 'cpu_usage_percent', host: 'old', labels: JSON.stringify({ cpu: `${i}` }) })
			.returning('id');
		ids.push(Number(typeof row === 'object' ? row.id : row));
	}
	return ids;
}

const asRows = (
	list: Array<{ ts: number; min: number; max: number; sum: number; count: number }>,
) => list.map((b): Row => [b.ts, b.min, b.max, b.sum, b.count]);

describe.each(backends)('packed rollups on %s', (_name, makeConfig) => {
	test('a store filled by the previous release migrates with every bucket bit for bit', async () => {
		const config = makeConfig();
		const knex = await migrateToPreviousRelease(config);
		// Not aligned to a day or a week, so the buckets straddle blocks.
		const t5 = Date.UTC(2026, 5, 1, 7);
		const t1 = Date.UTC(2026, 4, 1, 13);
		const written = new Map<number, { five: Row[]; hour: Row[] }>();
		try {
			const ids = await seriesOf(knex, 3);
			for (const [k, id] of ids.entries()) {
				const five = awkwardBuckets(11 + k, t5, 5 * MIN, 3 * 288 + 17);
				const hour = awkwardBuckets(23 + k, t1, HOUR, 20 * 24 + 5);
				written.set(id, {
					five: await insertOld(knex, 'mon_rollup_5m', id, five),
					hour: await insertOld(knex, 'mon_rollup_1h', id, hour),
				});
				// Read back as written (PostgreSQL keeps -0; SQLite's REAL columns do not).
				expect(written.get(id)!.five).toHaveLength(five.length);
			}
		} finally {
			await knex.destroy();
		}

		const store = await MonitoringStore.open(config);
		try {
			for (const old of ['mon_rollup_5m', 'mon_rollup_1h'])
				expect(await tables(store).schema.hasTable(old)).toBe(false);
			for (const [id, { five, hour }] of written) {
				expect(asRows(await store.samples.rollupRows('5m', [id], 0, t5 + 10 * DAY))).toEqual(five);
				expect(asRows(await store.samples.rollupRows('1h', [id], 0, t1 + 30 * DAY))).toEqual(hour);
			}
			// A chart over the migrated hours reads them (grouped in twos past maxPoints).
			const chart = await querySeries(store, {
				host: 'old',
				metric: 'cpu_usage_percent',
				from: t1,
				to: t1 + 20 * DAY,
				maxPoints: 300,
			});
			expect(chart.series).toHaveLength(3);
			expect(chart.series.every((s) => s.points.length > 150)).toBe(true);

			// New samples in an hour of a migrated block: packed into it, the migrated buckets kept.
			const [id] = written.keys();
			const last = written.get(id)!.hour.at(-1)![0];
			const next = last + HOUR;
			for (let m = 0; m < 60; m++)
				await store.writeCollection({
					collector: 'host',
					host: 'old',
					time: next + m * MIN,
					durationMs: 1,
					ok: true,
					warnings: [],
					samples: [{ name: 'cpu_usage_percent', labels: { cpu: '0' }, value: m / 10 }],
					snapshot: null,
					state: { time: next, counters: {} },
				});
			const report = await store.maintain({ now: next + 3 * HOUR, budgetMs: 60_000 });
			expect(report).toMatchObject({ packedSamples: 60, done: true });
			const hours = asRows(await store.samples.rollupRows('1h', [id], 0, next + DAY));
			expect(hours.slice(0, -1)).toEqual(written.get(id)!.hour);
			// The sum of the tenths is exact (177), not what adding doubles one by one gives.
			expect(hours.at(-1)).toEqual([next, 0, 5.9, 177, 60]);
		} finally {
			await store.close();
		}
	}, 120_000);
});

/** Runs the maintainer and kills it with SIGKILL `afterMs` after it printed `when`. */
async function killDuring(config: StoreConfig, now: number, when: string, afterMs: number) {
	const child = spawn(process.execPath, [maintainer, JSON.stringify(config), String(now)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let out = '';
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	await new Promise<void>((resolve) => {
		child.stdout.on('data', (d) => {
			out += String(d);
			if (out.includes(when)) resolve();
		});
		void exited.then(() => resolve());
	});
	await new Promise((r) => setTimeout(r, afterMs));
	child.kill('SIGKILL');
	return { code: await exited, out };
}

describe.each(['sqlite3', 'node:sqlite'] as const)('SIGKILL on %s', (driver) => {
	test('while migrating: the store is either as it was or migrated, never half', async () => {
		if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'core', 'store', 'index.js')))
			throw new Error('dist/ is missing: run `npm run build` before these tests (npm test does)');
		const config: StoreConfig = {
			type: 'sqlite',
			filename: path.join(stores.tmp, `kill-migrate-${driver.replace(':', '-')}.sqlite`),
			driver,
		};
		const knex = await migrateToPreviousRelease(config);
		const t0 = Date.UTC(2026, 0, 1);
		const written = new Map<number, Row[]>();
		try {
			const ids = await seriesOf(knex, 40);
			for (const [k, id] of ids.entries()) {
				written.set(
					id,
					await insertOld(knex, 'mon_rollup_1h', id, awkwardBuckets(k, t0, HOUR, 24 * 200)),
				);
			}
		} finally {
			await knex.destroy();
		}
		const outcomes: string[] = [];
		for (const afterMs of [0, 60, 150, 300]) {
			const { out } = await killDuring(config, t0, 'opening', afterMs);
			outcomes.push(out.includes('maintaining') ? 'migrated' : 'killed');
			const check = createKnex(config).knex;
			try {
				expect((await check.raw('PRAGMA integrity_check'))[0]).toEqual({ integrity_check: 'ok' });
				const done = (await check(MIGRATIONS_TABLE).select('name')).map((r) => String(r.name));
				const old = await check.schema.hasTable('mon_rollup_1h');
				// All or nothing: the old table with every row, or the migration recorded without it.
				expect(old).toBe(!done.includes('009_packed_rollups'));
				if (old) {
					const [{ n }] = await check('mon_rollup_1h').count({ n: '*' });
					expect(Number(n)).toBe([...written.values()].reduce((a, r) => a + r.length, 0));
				}
			} finally {
				await check.destroy();
			}
		}
		const store = await MonitoringStore.open(config);
		try {
			for (const [id, rows] of written)
				expect(asRows(await store.samples.rollupRows('1h', [id], 0, t0 + 400 * DAY))).toEqual(rows);
		} finally {
			await store.close();
		}
		// Some kill landed before the migration finished (the first, right at start, at least).
		expect(outcomes).toContain('killed');
	}, 180_000);

	test('while packing: every sample is hot or packed with its rollups, exactly once', async () => {
		const config: StoreConfig = {
			type: 'sqlite',
			filename: path.join(stores.tmp, `kill-pack-${driver.replace(':', '-')}.sqlite`),
			driver,
		};
		const t0 = Date.UTC(2026, 0, 1);
		const hours = 8;
		const seriesCount = 300;
		const store = await MonitoringStore.open(config);
		try {
			for (let m = 0; m < hours * 60; m++)
				await store.writeCollection({
					collector: 'host',
					host: 'h',
					time: t0 + m * MIN,
					durationMs: 1,
					ok: true,
					warnings: [],
					samples: Array.from({ length: seriesCount }, (_, i) => ({
						name: 'm',
						labels: { i: String(i) },
						value: (m % 7) + i / 100,
					})),
					snapshot: null,
					state: { time: t0, counters: {} },
				});
		} finally {
			await store.close();
		}
		const total = hours * 60 * seriesCount;
		const now = t0 + (hours + 2) * HOUR;
		for (const afterMs of [30, 90, 160, 250, 400]) {
			await killDuring(config, now, 'maintaining', afterMs);
			const check = createKnex(config).knex;
			try {
				expect((await check.raw('PRAGMA integrity_check'))[0]).toEqual({ integrity_check: 'ok' });
				const [{ hot }] = await check('mon_samples').count({ hot: '*' });
				const [{ packed }] = await check('mon_chunks').sum({ packed: 'count' });
				expect(Number(hot) + Number(packed ?? 0)).toBe(total);
			} finally {
				await check.destroy();
			}
		}
		const after = await MonitoringStore.open(config);
		try {
			let report;
			do report = await after.maintain({ now, budgetMs: 60_000 });
			while (!report.done);
			const ids = (await after.samples.ofMetric('m')).map((s) => s.id);
			expect(await after.samples.raw(ids, 0, now)).toHaveLength(total);
			const buckets = await after.samples.rollupRows('1h', ids, 0, now);
			expect(buckets).toHaveLength(hours * seriesCount);
			expect(buckets.every((b) => b.count === 60)).toBe(true);
			const fives = await after.samples.rollupRows('5m', ids, 0, now);
			expect(fives).toHaveLength(hours * 12 * seriesCount);
			expect(fives.reduce((a, b) => a + b.count, 0)).toBe(total);
		} finally {
			await after.close();
		}
	}, 180_000);
});
