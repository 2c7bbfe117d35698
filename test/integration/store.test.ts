import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { MonitoringStore } from '../../core/store';
import type { StoreConfig } from '../../core/store/config';
import { resolveSqliteDriver } from '../../core/store/connection';
import { makeCollection } from '../helpers/collections';
import { testStores } from '../helpers/backends';
import { tables } from '../helpers/tables';

/**
 * The same behaviour on every backend: SQLite through the sqlite3 package, SQLite through
 * Node's built-in node:sqlite (what a Community Nodes install falls back to), and a real
 * PostgreSQL server started for this file.
 */
const stores = testStores(['sqlite3', 'node:sqlite', 'postgres'], 'mon-store-');
const { backends } = stores;

describe.each(backends)('monitoring store on %s', (_name, makeConfig) => {
	let store: MonitoringStore;
	let config: StoreConfig;

	beforeEach(async () => {
		config = makeConfig();
		store = await MonitoringStore.open(config);
	});
	afterEach(async () => {
		await store.close();
	});

	it('creates its tables with its own migrations table', async () => {
		for (const table of [
			'mon_series',
			'mon_samples',
			'mon_rollup_5m_blocks',
			'mon_rollup_1h_blocks',
			'mon_collections',
			'mon_collector_state',
			'mon_silences',
			'mon_secrets',
			'mon_knex_migrations',
		]) {
			expect(await tables(store).schema.hasTable(table)).toBe(true);
		}
		expect(await tables(store).schema.hasTable('knex_migrations')).toBe(false);
		const done = await tables(store)('mon_knex_migrations').select('name');
		expect(done.map((r) => r.name)).toEqual([
			'001_initial',
			'002_executions',
			'003_alerts',
			'004_packed_samples',
			'005_collector_status',
			'006_incidents',
			'007_alert_lifecycle',
			'008_alert_inhibition',
			'009_packed_rollups',
		]);
	});

	it('stores samples, series, the collection record, state and snapshot', async () => {
		const t0 = Date.UTC(2026, 10, 26, 8, 0, 10);
		const result = await store.writeCollection(makeCollection(t0, 50));
		expect(result).toEqual({ samples: 50, newSeries: 50 });
		const again = await store.writeCollection(makeCollection(t0 + 60_000, 50));
		expect(again.newSeries).toBe(0);

		expect(Number((await tables(store)('mon_series').count({ n: '*' }))[0].n)).toBe(50);
		expect(Number((await tables(store)('mon_samples').count({ n: '*' }))[0].n)).toBe(100);
		const row = await tables(store)('mon_samples as s')
			.join('mon_series as r', 'r.id', 's.series_id')
			.where({ 'r.metric': 'test_value', 'r.labels': '{"index":"7"}', 'r.host': 'test-host' })
			.first('s.value', 's.ts');
		expect(row.value).toBe(7);
		expect(Number(row.ts)).toBe(t0);
		const collections = await tables(store)('mon_collections').orderBy('ts').select();
		expect(collections).toHaveLength(2);
		expect(Boolean(collections[0].ok)).toBe(true);
		expect(collections[0].sample_count).toBe(50);
		expect(await store.loadState('test-host', 'test')).toEqual({
			time: t0 + 60_000,
			counters: { a: t0 + 60_000 },
		});
		expect(await store.loadState('other-host', 'test')).toBeUndefined();
	});

	it('keeps exact min/max/sum/count rollups per 5 minutes and per hour', async () => {
		const hour = Date.UTC(2026, 10, 26, 9, 0, 0);
		const values = [5, -2, 11, 3];
		for (const [i, v] of values.entries()) {
			await store.writeCollection(makeCollection(hour + i * 60_000, 1, { value: () => v }));
		}
		// the 5th minute falls into the next 5-minute bucket but the same hour
		await store.writeCollection(makeCollection(hour + 5 * 60_000, 1, { value: () => 100 }));
		// Rollups are written when maintenance packs the completed hour (in a collection once the
		// hour has been over for an hour; here called directly).
		expect(await tables(store)('mon_rollup_5m_blocks').select()).toEqual([]);
		// A budget that load cannot exhaust: this is about the rollups, not the time limit (the
		// default 250 ms ran out once at load 20, leaving done false).
		const report = await store.maintain({ now: hour + 2 * 3_600_000, budgetMs: 60_000 });
		expect(report).toMatchObject({ packedSamples: 5, done: true });
		expect(Number((await tables(store)('mon_samples').count({ n: '*' }))[0].n)).toBe(0);
		const [id] = (await store.samples.ofMetric('test_value')).map((s) => s.id);
		const r5 = await store.samples.rollupRows('5m', [id], 0, hour + 3_600_000);
		expect(r5.map((r) => [r.ts - hour, r.min, r.max, r.sum, r.count])).toEqual([
			[0, -2, 11, 17, 4],
			[300_000, 100, 100, 100, 1],
		]);
		const r1h = await store.samples.rollupRows('1h', [id], 0, hour + 3_600_000);
		expect(r1h.map((r) => [r.ts, r.min, r.max, r.sum, r.count])).toEqual([[hour, -2, 100, 117, 5]]);
	});

	it('records a failed collection with its message and drops non-finite values', async () => {
		const c = makeCollection(Date.now(), 3, { value: (i) => (i === 1 ? Number.NaN : i) });
		c.ok = false;
		c.error = 'nvidia-smi not found';
		const result = await store.writeCollection(c);
		expect(result.samples).toBe(2);
		const row = await tables(store)('mon_collections').first();
		expect(Boolean(row.ok)).toBe(false);
		expect(row.error).toBe('nvidia-smi not found');
	});

	it('serialises eight workflows writing through one store at once, losing no sample', async () => {
		// n8n runs workflows concurrently in one process; they share the store that openStore()
		// caches, whose single connection serialises their transactions.
		const base = Date.UTC(2026, 0, 1);
		await Promise.all(
			Array.from({ length: 8 }, (_, w) =>
				(async () => {
					for (let k = 0; k < 10; k++) {
						await store.writeCollection(
							makeCollection(base + k * 1000 + w, 40, { host: `h${w % 2}` }),
						);
					}
				})(),
			),
		);
		expect(Number((await tables(store)('mon_samples').count({ n: '*' }))[0].n)).toBe(8 * 10 * 40);
		expect(Number((await tables(store)('mon_series').count({ n: '*' }))[0].n)).toBe(2 * 40);
		expect(Number((await tables(store)('mon_collections').count({ n: '*' }))[0].n)).toBe(80);
	});
});

describe('opening a store that cannot work', () => {
	it('names a folder that does not exist', async () => {
		await expect(
			MonitoringStore.open({ type: 'sqlite', filename: path.join(stores.tmp, 'nope', 'x.sqlite') }),
		).rejects.toMatchObject({
			message: expect.stringContaining('does not exist'),
			hint: expect.stringContaining('Create the folder'),
		});
	});

	it('names a folder that cannot be written', async () => {
		// Root may write anywhere a permission bit forbids, so as root the folder is a read-only
		// tmpfs mount; as another user a folder without write permission.
		const dir = path.join(stores.tmp, 'read-only');
		fs.mkdirSync(dir);
		const isRoot = process.getuid?.() === 0;
		if (isRoot) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
		else fs.chmodSync(dir, 0o555);
		try {
			await expect(
				MonitoringStore.open({ type: 'sqlite', filename: path.join(dir, 'm.sqlite') }),
			).rejects.toMatchObject({
				message: expect.stringContaining(`cannot be written by this process: ${dir}`),
				hint: expect.stringContaining('write access'),
			});
		} finally {
			if (isRoot) execFileSync('umount', [dir]);
		}
	});

	it('refuses a file that is not an SQLite database and leaves it untouched', async () => {
		const file = path.join(stores.tmp, 'notes.txt');
		fs.writeFileSync(file, 'these are my notes, not a database\n'.repeat(20));
		const before = fs.readFileSync(file);
		await expect(MonitoringStore.open({ type: 'sqlite', filename: file })).rejects.toMatchObject({
			message: expect.stringContaining('not an SQLite database'),
		});
		expect(fs.readFileSync(file).equals(before)).toBe(true);
	});

	it('says PostgreSQL refused the connection', async () => {
		await expect(
			MonitoringStore.open({
				type: 'postgres',
				host: '127.0.0.1',
				port: 1,
				user: 'x',
				password: 'y',
				database: 'z',
			}),
		).rejects.toMatchObject({ message: expect.stringContaining('refused the connection') });
	});

	it('says PostgreSQL rejected the password, without repeating it', async () => {
		const error = await MonitoringStore.open({
			type: 'postgres',
			host: stores.pg.host,
			port: stores.pg.port,
			user: 'postgres',
			password: 'wrong-password-123',
			database: 'monitoring',
		}).catch((e) => e);
		expect(error.message).toContain('rejected user "postgres"');
		expect(error.hint).toContain('password');
		expect(`${error.message} ${error.hint}`).not.toContain('wrong-password-123');
	});

	it('says a PostgreSQL database does not exist', async () => {
		await expect(
			MonitoringStore.open({
				type: 'postgres',
				host: stores.pg.host,
				port: stores.pg.port,
				user: stores.pg.user,
				password: stores.pg.password,
				database: 'missing_db',
			}),
		).rejects.toMatchObject({ message: expect.stringContaining('"missing_db" does not exist') });
	});

	it('picks a driver that loads in this Node.js', () => {
		expect(['sqlite3', 'node:sqlite']).toContain(resolveSqliteDriver('auto'));
		expect(resolveSqliteDriver('node:sqlite')).toBe('node:sqlite');
	});
});
