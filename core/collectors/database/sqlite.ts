/*
 * SQLite: the file is opened read-only (never created), read through PRAGMAs and the dbstat
 * virtual table, and closed. sqlite3 is preferred (asynchronous: a large count does not block
 * n8n's event loop); node:sqlite is the fallback where the sqlite3 binary is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { loadNodeSqlite, resolveSqliteDriver, type SqliteDriver } from '../../sqlite/driver';
import { shortMessage } from './errors';
import { n8nOwnDatabase } from './n8n-own';
import { part, seconds } from './parts';
import type { EngineLimits } from './postgres';
import type { EngineReading, SqliteTarget, TableInfo } from './types';

type Row = Record<string, unknown>;

interface ReadOnlyDb {
	all(sql: string, params?: unknown[]): Promise<Row[]>;
	close(): Promise<void>;
}

/**
 * A file that this process also has open through another copy of the SQLite library (n8n's own
 * database: n8n's sqlite3 is not ours) must not be opened the usual way: POSIX locks are per
 * process, so our copy always believes it is the first to open the WAL index (-shm) and
 * truncates it under n8n's memory map, and n8n dies of SIGBUS (exit 135; reproduced in
 * test/integration/database-sqlite-inprocess.test.ts). As `immutable` it takes no lock and never
 * touches -wal or -shm: it reads the main file only, so what the WAL holds is not counted yet.
 */
function immutableUri(filename: string): URL {
	const url = pathToFileURL(filename);
	url.searchParams.set('immutable', '1');
	return url;
}

/** n8n's own database, whether the target says so or names n8n's file by hand. */
function openInThisProcess(target: SqliteTarget, filename: string): boolean {
	if (target.openInThisProcess) return true;
	try {
		const own = n8nOwnDatabase();
		return own.type === 'sqlite' && own.filename === filename;
	} catch {
		return false; // n8n's settings name a file that cannot be read: not this one
	}
}

async function openReadOnly(
	filename: string,
	driver: SqliteDriver = 'auto',
	immutable = false,
): Promise<ReadOnlyDb> {
	if (resolveSqliteDriver(driver) === 'sqlite3') {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const sqlite3 = require('sqlite3') as typeof import('sqlite3');
		const db = await new Promise<import('sqlite3').Database>((resolve, reject) => {
			const d: import('sqlite3').Database = new sqlite3.Database(
				immutable ? immutableUri(filename).href : filename,
				sqlite3.OPEN_READONLY | (immutable ? sqlite3.OPEN_URI : 0),
				(error) => (error ? reject(error) : resolve(d)),
			);
		});
		// A writer holding the lock makes a read wait this long instead of failing at once.
		db.configure('busyTimeout', 5000);
		return {
			all: (sql, params = []) =>
				new Promise((resolve, reject) =>
					db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as Row[]))),
				),
			close: () => new Promise((resolve) => db.close(() => resolve())),
		};
	}
	const { DatabaseSync } = loadNodeSqlite();
	const db = new DatabaseSync(immutable ? immutableUri(filename) : filename, { readOnly: true });
	db.exec('PRAGMA busy_timeout = 5000');
	return {
		all: async (sql, params = []) =>
			db.prepare(sql).all(...(params as Array<string | number | null>)) as Row[],
		close: async () => db.close(),
	};
}

/** SQLite's identifier quoting: double quotes, embedded double quotes doubled. */
export function quoteSqliteIdentifier(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}

function statfsFree(dir: string): number | undefined {
	try {
		const s = fs.statfsSync(dir);
		return s.bavail * s.bsize;
	} catch {
		return undefined;
	}
}

export async function collectSqlite(
	target: SqliteTarget,
	limits: EngineLimits,
): Promise<EngineReading> {
	const warnings: string[] = [];
	const filename = path.resolve(target.filename);
	// Opening a missing file read-only fails with a cryptic SQLITE_CANTOPEN; say what is missing.
	if (!fs.existsSync(filename))
		return { up: false, reason: `SQLite file ${filename} does not exist`, warnings };
	const started = process.hrtime.bigint();
	let db: ReadOnlyDb;
	try {
		db = await openReadOnly(filename, target.driver, openInThisProcess(target, filename));
	} catch (error) {
		return { up: false, reason: `SQLite file ${filename}: ${shortMessage(error)}`, warnings };
	}
	const reading: EngineReading = { up: true, connectSeconds: seconds(started), warnings };
	try {
		const t = process.hrtime.bigint();
		await db.all('SELECT 1');
		reading.querySeconds = seconds(t);
		await part(warnings, 'version', undefined, async () => {
			reading.version = String((await db.all('SELECT sqlite_version() AS v'))[0].v);
		});
		const pragma = async (name: string) =>
			Number(Object.values((await db.all(`PRAGMA ${name}`))[0] ?? {})[0]);
		const pageSize = await pragma('page_size');
		const pageCount = await pragma('page_count');
		const freelist = await pragma('freelist_count');
		let walBytes = 0;
		try {
			walBytes = fs.statSync(`${filename}-wal`).size;
		} catch {
			// No WAL file: rollback journal mode, or checkpointed and removed.
		}
		reading.gauges = {
			sqlite_page_count: pageCount,
			sqlite_freelist_count: freelist,
			sqlite_page_size_bytes: pageSize,
			sqlite_wal_bytes: walBytes,
		};
		reading.sizeBytes = pageSize * pageCount;
		reading.diskFreeBytes = statfsFree(path.dirname(filename));
		reading.tables = await tables(db, limits.topTables, warnings);
	} catch (error) {
		// The file was removed or corrupted between open and read.
		return { up: false, reason: `SQLite file ${filename}: ${shortMessage(error)}`, warnings };
	} finally {
		await db.close();
	}
	return reading;
}

async function tables(db: ReadOnlyDb, top: number, warnings: string[]): Promise<TableInfo[]> {
	const names = (
		await db.all(
			`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
		)
	).map((r) => String(r.name));
	let sizes: Map<string, number> | undefined;
	try {
		// dbstat counts every page; indexes are added to the table they belong to.
		const rows = await db.all(
			`SELECT coalesce(m.tbl_name, d.name) AS t, sum(d.pgsize) AS b
			 FROM dbstat d LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY 1`,
		);
		sizes = new Map(rows.map((r) => [String(r.t), Number(r.b)]));
	} catch (error) {
		warnings.push(`table sizes: dbstat is not available (${shortMessage(error)}); rows only`);
	}
	const ranked = names
		.map((name) => ({ name, bytes: sizes?.get(name) ?? 0 }))
		.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
		.slice(0, top);
	const result: TableInfo[] = [];
	for (const t of ranked) {
		let rows: number | null = null;
		try {
			// Names are data: quoted as identifiers, never pasted raw.
			const r = await db.all(`SELECT count(*) AS n FROM ${quoteSqliteIdentifier(t.name)}`);
			rows = Number(r[0].n);
		} catch (error) {
			warnings.push(`rows of ${t.name}: ${shortMessage(error)}`);
		}
		result.push({ name: t.name, bytes: t.bytes, rows });
	}
	return result;
}
