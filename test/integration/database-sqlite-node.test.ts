/*
 * The SQLite path through Node's built-in node:sqlite, the driver a Community Nodes install has
 * when sqlite3's binary is missing. Needs Node.js 22.5+ (npm test runs jest on Node 24).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { databaseCollector } from '../../core/collectors/database';
import { runCollector } from '../../core/collectors/run';

it('reads a file through node:sqlite, read-only', async () => {
	const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-dbnode-'));
	const file = path.join(dir, 'n.db');
	const name = 'we"ird; DROP TABLE victim;--';
	try {
		const w = new DatabaseSync(file);
		w.exec(`CREATE TABLE victim (id INTEGER); INSERT INTO victim VALUES (1);
			CREATE TABLE "${name.replace(/"/g, '""')}" (x); INSERT INTO "${name.replace(/"/g, '""')}" VALUES (1), (2);`);
		w.close();
		const before = fs.statSync(file).mtimeMs;
		const c = await runCollector(
			databaseCollector,
			{ target: { type: 'sqlite', filename: file, driver: 'node:sqlite' } },
			{ host: 'test' },
		);
		expect(c.ok).toBe(true);
		expect(c.snapshot!.up).toBe(true);
		expect(c.snapshot!.tables.find((t) => t.name === name)).toMatchObject({ rows: 2 });
		expect(c.samples.find((s) => s.name === 'sqlite_page_count')!.value).toBeGreaterThan(0);
		expect(fs.statSync(file).mtimeMs).toBe(before);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
