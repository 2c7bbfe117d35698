import { migrationSource } from '../../migrations';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import sqlite3 from 'sqlite3';

import type { StoreConfig } from '../../core/store/config';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

/**
 * Separate processes on one store, as n8n's queue-mode workers and `n8n execute` are, and
 * processes killed in the middle of a write. Children run the built package in dist/.
 */
const writer = path.join(__dirname, '..', 'fixtures', 'store-writer.js');
let tmp: string;
let pg: TestPostgres;

beforeAll(async () => {
	if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'core', 'store', 'index.js'))) {
		throw new Error('dist/ is missing: run `npm run build` before these tests (npm test does)');
	}
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-proc-'));
	pg = await startPostgres();
}, 60_000);
afterAll(async () => {
	await pg?.stop();
	fs.rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [writer, ...args], {
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		child.on('exit', (code) => resolve({ code, stderr }));
	});
}

function query<T = Record<string, number | string>>(file: string, sql: string): Promise<T[]> {
	return new Promise((resolve, reject) => {
		const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
			if (err) return reject(err);
			db.all(sql, (error, rows) => {
				db.close();
				if (error) reject(error);
				else resolve(rows as T[]);
			});
		});
	});
}

const sqliteDrivers = ['sqlite3', 'node:sqlite'] as const;

describe.each(sqliteDrivers)('eight processes writing one SQLite store (%s)', (driver) => {
	it('opens, migrates and writes concurrently without losing a sample', async () => {
		const file = path.join(tmp, `eight-${driver.replace(':', '-')}.sqlite`);
		const config: StoreConfig = { type: 'sqlite', filename: file, driver };
		const results = await Promise.all(
			Array.from({ length: 8 }, (_, w) => run([JSON.stringify(config), String(w), '25', '60'])),
		);
		expect(results.map((r) => r.stderr)).toEqual(Array(8).fill(''));
		expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
		const [{ n }] = await query(file, 'SELECT count(*) AS n FROM mon_samples');
		expect(n).toBe(8 * 25 * 60);
		const [{ c }] = await query(file, 'SELECT count(*) AS c FROM mon_collections');
		expect(c).toBe(8 * 25);
		const migrations = await query(file, 'SELECT name FROM mon_knex_migrations');
		expect(migrations).toEqual([
			{ name: '001_initial' },
			{ name: '002_executions' },
			{ name: '003_alerts' },
			{ name: '004_packed_samples' },
			{ name: '005_collector_status' },
			{ name: '006_incidents' },
			{ name: '007_alert_lifecycle' },
			{ name: '008_alert_inhibition' },
			{ name: '009_packed_rollups' },
		]);
	}, 120_000);
});

it('eight processes write one PostgreSQL store without losing a sample', async () => {
	const config: StoreConfig = {
		type: 'postgres',
		host: pg.host,
		port: pg.port,
		user: pg.user,
		password: pg.password,
		database: pg.database,
	};
	const results = await Promise.all(
		Array.from({ length: 8 }, (_, w) => run([JSON.stringify(config), String(w), '25', '60'])),
	);
	expect(results.map((r) => r.stderr)).toEqual(Array(8).fill(''));
	expect(pg.psql('SELECT count(*) FROM mon_samples', 'monitoring').trim()).toBe(
		String(8 * 25 * 60),
	);
	expect(pg.psql('SELECT count(*) FROM mon_knex_migrations', 'monitoring').trim()).toBe(
		String((await migrationSource.getMigrations([])).length),
	);
}, 120_000);

describe.each(sqliteDrivers)('a writer killed with SIGKILL mid-write (%s)', (driver) => {
	it('leaves a store that passes integrity_check and holds no partial collection', async () => {
		const file = path.join(tmp, `killed-${driver.replace(':', '-')}.sqlite`);
		const config: StoreConfig = { type: 'sqlite', filename: file, driver };
		for (let round = 0; round < 5; round++) {
			const child = spawn(
				process.execPath,
				[writer, JSON.stringify(config), String(round), '0', '3000', '--forever'],
				{
					stdio: ['ignore', 'pipe', 'inherit'],
				},
			);
			await new Promise<void>((resolve, reject) => {
				child.stdout.once('data', () => resolve());
				child.once('exit', (code) =>
					reject(new Error(`writer exited with ${code} before writing`)),
				);
			});
			// Let it get well into later transactions, at a different point each round.
			await new Promise((r) => setTimeout(r, 150 + round * 97));
			child.kill('SIGKILL');
			await new Promise((r) => child.once('exit', r));

			const [{ integrity_check }] = await query<{ integrity_check: string }>(
				file,
				'PRAGMA integrity_check',
			);
			expect(integrity_check).toBe('ok');
			const partial = await query(
				file,
				`SELECT c.ts, c.sample_count, (SELECT count(*) FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
				   WHERE s.ts = c.ts AND r.host = c.host) AS stored
				 FROM mon_collections c WHERE c.host = 'worker-${round}'`,
			);
			expect(partial.length).toBeGreaterThan(0);
			expect(partial.filter((p) => p.stored !== p.sample_count)).toEqual([]);
		}
	}, 120_000);
});
