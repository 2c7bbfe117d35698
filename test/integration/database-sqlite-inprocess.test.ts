/*
 * n8n's own database is open in n8n's process through n8n's copy of SQLite while the database
 * collector reads it through ours. POSIX locks are per process, so a second copy opening the
 * file the usual way believes it is the first to open the WAL index (-shm), truncates it under
 * the first copy's memory map, and the process dies of SIGBUS (exit 135): seen as n8n crashing
 * at random under npm start, and reproduced here before the fix (this jest worker died).
 * The writer is Node's built-in node:sqlite, a copy of SQLite apart from the sqlite3 addon the
 * collector uses, as n8n's is. Needs Node 22.5+ (the main tier runs on Node 24).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { databaseCollector } from '../../core/collectors/database';
import { n8nOwnDatabase } from '../../core/collectors/database/n8n-own';
import type { SqliteTarget } from '../../core/collectors/database/types';
import { runCollector } from '../../core/collectors/run';
import { loadNodeSqlite } from '../../core/sqlite/driver';

let dir: string;

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-dbsqlite-inproc-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("reads n8n's own database beside a writer of this process without truncating its WAL index", async () => {
	const file = path.join(dir, 'database.sqlite');
	const { DatabaseSync } = loadNodeSqlite();
	const writer = new DatabaseSync(file);
	writer.exec('PRAGMA journal_mode = WAL; CREATE TABLE execution_entity (id INTEGER, data TEXT)');
	const insert = writer.prepare('INSERT INTO execution_entity VALUES (?, ?)');
	let written = 0;
	// n8n writing executions while the collector reads, every few milliseconds.
	const writing = setInterval(() => {
		for (let i = 0; i < 20; i++) insert.run(written++, 'x'.repeat(200));
	}, 3);
	const own = n8nOwnDatabase({ N8N_USER_FOLDER: dir, DB_SQLITE_DATABASE: '../database.sqlite' });
	expect(own).toMatchObject({ type: 'sqlite', filename: file, openInThisProcess: true });
	const target = own as SqliteTarget;
	try {
		for (let i = 0; i < 300; i++) {
			const c = await runCollector(
				databaseCollector,
				{ target: { ...target, driver: 'sqlite3' } },
				{ host: 'test' },
			);
			expect([i, c.error]).toEqual([i, undefined]);
			// The -shm keeps its size: nothing truncated it under the writer.
			expect(fs.statSync(`${file}-shm`).size).toBeGreaterThanOrEqual(32_768);
		}
	} finally {
		clearInterval(writing);
	}
	// The writer went on all along, and everything it wrote is there.
	const count = writer.prepare('SELECT count(*) AS n FROM execution_entity').get() as { n: number };
	expect(count.n).toBe(written);
	expect(written).toBeGreaterThan(100);
	writer.close();
}, 120_000);
