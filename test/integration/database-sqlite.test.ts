/*
 * The database collector against real SQLite files: WAL, dbstat sizes, hostile table names,
 * growth and the disk/size-limit forecast, a missing file and a file that is not a database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';

import {
	databaseCollector,
	type DatabaseOptions,
	type DatabaseSnapshot,
} from '../../core/collectors/database';
import { runCollector } from '../../core/collectors/run';
import type { Collection, HistoryReader, Sample } from '../../core/collectors/types';

const WEIRD = 'we"ird; DROP TABLE victim;--';
let dir: string;
let file: string;
let writer: sqlite3.Database;

const exec = (sql: string) =>
	new Promise<void>((resolve, reject) => writer.exec(sql, (e) => (e ? reject(e) : resolve())));

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-dbsqlite-'));
	file = path.join(dir, 'app.db');
	writer = await new Promise((resolve, reject) => {
		const db: sqlite3.Database = new sqlite3.Database(file, (e) => (e ? reject(e) : resolve(db)));
	});
	await exec(`PRAGMA journal_mode = WAL;
		CREATE TABLE victim (id INTEGER); INSERT INTO victim VALUES (1);
		CREATE TABLE "${WEIRD.replace(/"/g, '""')}" (x TEXT);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
		INSERT INTO "${WEIRD.replace(/"/g, '""')}" SELECT 'row ' || i FROM n;
		CREATE TABLE big (id INTEGER PRIMARY KEY, blob BLOB);
		CREATE INDEX big_blob ON big (id, blob);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
		INSERT INTO big (blob) SELECT randomblob(2000) FROM n;`);
});

afterAll(async () => {
	await new Promise((r) => writer?.close(r));
	fs.rmSync(dir, { recursive: true, force: true });
});

const options = (over: Partial<DatabaseOptions> = {}): DatabaseOptions => ({
	target: { type: 'sqlite', filename: file },
	...over,
});

async function collect(
	opts: DatabaseOptions,
	history?: HistoryReader,
): Promise<Collection<DatabaseSnapshot>> {
	const c = await runCollector(databaseCollector, opts, { host: 'test', history });
	expect(c.error).toBeUndefined();
	return c;
}

function value(c: Collection, name: string, labels: Record<string, string> = {}) {
	return c.samples.find(
		(s: Sample) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
	)?.value;
}

it('reads pages, WAL, sizes and rows, with hostile names intact', async () => {
	const c = await collect(options());
	expect(value(c, 'db_up', { db: 'app.db', engine: 'sqlite' })).toBe(1);
	const pages = value(c, 'sqlite_page_count')!;
	const pageSize = value(c, 'sqlite_page_size_bytes')!;
	expect(pages).toBeGreaterThan(100);
	expect(value(c, 'db_size_bytes')).toBe(pages * pageSize);
	expect(value(c, 'sqlite_freelist_count')).toBe(0);
	// The writer is still open, so its WAL has not been checkpointed away.
	expect(value(c, 'sqlite_wal_bytes')).toBe(fs.statSync(`${file}-wal`).size);
	expect(value(c, 'sqlite_wal_bytes')).toBeGreaterThan(0);
	const tables = c.snapshot!.tables;
	// Largest first; the index pages count for their table.
	expect(tables[0].name).toBe('big');
	expect(tables[0].bytes).toBeGreaterThan(800_000);
	expect(tables[0].rows).toBe(200);
	expect(tables.find((t) => t.name === WEIRD)).toMatchObject({ rows: 100 });
	expect(value(c, 'db_table_rows', { table: WEIRD })).toBe(100);
	expect(value(c, 'db_table_rows', { table: 'victim' })).toBe(1);
	expect(c.warnings).toEqual([]);
	// Slow queries and connections do not exist in an embedded file: no such samples.
	expect(value(c, 'db_slow_queries_available')).toBeUndefined();
});

it('sees a table grow and forecasts when the disk or the size limit fills', async () => {
	const first = await collect(options({ topTables: 1 }));
	expect(first.snapshot!.tables).toHaveLength(1);
	const before = value(first, 'db_table_size_bytes', { table: 'big' })!;
	await exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
		INSERT INTO big (blob) SELECT randomblob(2000) FROM n;`);
	const second = await collect(options());
	const size = value(second, 'db_size_bytes')!;
	expect(value(second, 'db_table_size_bytes', { table: 'big' })).toBeGreaterThan(before + 200_000);
	expect(second.snapshot!.forecast).toEqual({
		limit: 'disk',
		limitBytes: expect.any(Number),
		result: { reason: 'no history' },
	});

	const now = Date.now();
	const day = 86_400_000;
	const history: HistoryReader = {
		async series(metric) {
			if (metric !== 'db_size_bytes') return [];
			return [
				{ labels: { db: 'app.db', engine: 'sqlite' }, points: [[now - 2 * day, size - 2e5]] },
				{ labels: { db: 'app.db', engine: 'sqlite' }, points: [[now - day, size - 1e5]] },
			];
		},
	};
	const withDisk = await collect(options(), history);
	const disk = withDisk.snapshot!.forecast as {
		limit: string;
		limitBytes: number;
		result: { slopePerDay: number; daysUntil: number };
	};
	const free = fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize;
	expect(disk.limit).toBe('disk');
	// Relative checks: other processes change the free space of this disk between the reads.
	expect(disk.limitBytes / (size + free)).toBeCloseTo(1, 2);
	expect(disk.result.slopePerDay).toBeCloseTo(1e5, -3);
	expect(disk.result.daysUntil / (free / 1e5)).toBeCloseTo(1, 2);
	expect(value(withDisk, 'db_days_until_full', { limit: 'disk' })).toBe(disk.result.daysUntil);

	const limited = await collect(options({ sizeLimitBytes: size + 5e5 }), history);
	expect(limited.snapshot!.forecast).toMatchObject({
		limit: 'size limit',
		limitBytes: size + 5e5,
		result: { daysUntil: expect.closeTo(5, 1) },
	});
	expect(limited.snapshot!.growth!.growth7d).toEqual({
		slopePerDay: expect.closeTo(1e5, -3),
		r2: expect.closeTo(1, 3),
	});

	// A store that holds nothing yet: the reason, and no days-until-full sample.
	const empty = await collect(options({ sizeLimitBytes: size + 5e5 }), {
		series: async () => [],
	});
	expect(empty.snapshot!.forecast).toMatchObject({ result: { reason: 'not enough history' } });
	expect(value(empty, 'db_days_until_full')).toBeUndefined();
});

it('reports a missing file as down and does not create it', async () => {
	const missing = path.join(dir, 'nope.db');
	const c = await collect({ target: { type: 'sqlite', filename: missing } });
	expect(value(c, 'db_up')).toBe(0);
	expect(c.snapshot!.reason).toBe(`SQLite file ${missing} does not exist`);
	expect(fs.existsSync(missing)).toBe(false);
});

it('reports a file that is not a database as down', async () => {
	const junk = path.join(dir, 'junk.db');
	fs.writeFileSync(junk, 'this is not a database, just text '.repeat(200));
	const c = await collect({ target: { type: 'sqlite', filename: junk } });
	expect(value(c, 'db_up')).toBe(0);
	expect(c.snapshot!.reason).toMatch(/not a database/);
});
