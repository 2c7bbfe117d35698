import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

import type { PostgresStoreConfig, SqliteDriver, SqliteStoreConfig, StoreConfig } from './config';
import { StoreError } from './errors';
import { resolveSqliteDriver as resolveDriver, SqliteDriverError } from '../sqlite/driver';
import { NodeSqliteClient } from './node-sqlite-client';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const DEFAULT_BUSY_TIMEOUT_MS = 15_000;

/**
 * Knex would print pool warnings (a refused connection, each retry) to stdout, i.e. into n8n's
 * log; every such failure reaches the user as a StoreError with what to do instead.
 */
const quietLog = { warn() {}, error() {}, deprecate() {}, debug() {} };

/** A Knex instance for the store, and the driver behind it (`pg`, `sqlite3` or `node:sqlite`). */
export function createKnex(config: StoreConfig): { knex: Knex; driver: string } {
	return config.type === 'sqlite'
		? createSqliteKnex(config)
		: { knex: createPostgresKnex(config), driver: 'pg' };
}

/** Which SQLite driver this process can use, as a StoreError (message and hint) when none loads. */
export function resolveSqliteDriver(wanted: SqliteDriver = 'auto'): 'sqlite3' | 'node:sqlite' {
	try {
		return resolveDriver(wanted);
	} catch (error) {
		if (error instanceof SqliteDriverError) throw new StoreError(error.message, error.hint);
		throw error;
	}
}

function createSqliteKnex(config: SqliteStoreConfig): { knex: Knex; driver: string } {
	const filename = path.resolve(config.filename);
	checkSqliteFile(filename);
	const driver = resolveSqliteDriver(config.driver);
	const busyTimeout = config.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
	// WAL lets the dashboard read while a collection writes; the busy timeout makes concurrent
	// writers (n8n runs workflows at once, queue-mode workers are other processes) wait, not fail.
	const pragmas = [
		`PRAGMA busy_timeout = ${busyTimeout}`,
		'PRAGMA journal_mode = WAL',
		'PRAGMA synchronous = NORMAL',
		'PRAGMA foreign_keys = ON',
	];
	const afterCreate = (conn: unknown, done: (error: Error | null, conn: unknown) => void) => {
		if (driver === 'node:sqlite') {
			try {
				for (const pragma of pragmas) (conn as import('node:sqlite').DatabaseSync).exec(pragma);
				done(null, conn);
			} catch (error) {
				done(error as Error, conn);
			}
			return;
		}
		const db = conn as import('sqlite3').Database;
		db.configure('busyTimeout', busyTimeout);
		db.exec(pragmas.join(';'), (error) => done(error, conn));
	};
	const knex = knexFactory({
		client: driver === 'sqlite3' ? 'sqlite3' : (NodeSqliteClient as unknown as typeof Knex.Client),
		connection: { filename },
		useNullAsDefault: true,
		log: quietLog,
		pool: { min: 1, max: 1, afterCreate },
	});
	return { knex, driver };
}

/** Fails early, with what to do, on the mistakes that SQLite itself reports badly. */
function checkSqliteFile(filename: string) {
	const dir = path.dirname(filename);
	let stat: fs.Stats;
	try {
		stat = fs.statSync(dir);
	} catch {
		throw new StoreError(
			`The folder of the monitoring store does not exist: ${dir}`,
			'Create the folder, or set another SQLite file path in the Monitoring Store credential.',
		);
	}
	if (!stat.isDirectory()) {
		throw new StoreError(
			`The path of the monitoring store is not inside a folder: ${dir} is not a folder`,
			'Set an SQLite file path whose folder exists in the Monitoring Store credential.',
		);
	}
	try {
		fs.accessSync(dir, fs.constants.W_OK);
	} catch {
		throw new StoreError(
			`The folder of the monitoring store cannot be written by this process: ${dir}`,
			'Give the user that runs n8n write access to the folder, or choose another path.',
		);
	}
	let fd: number | undefined;
	try {
		fd = fs.openSync(filename, 'r');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // created on first use
		throw new StoreError(
			`The monitoring store file cannot be opened: ${filename} (${firstLine(error)})`,
			'Check the file permissions, or choose another path.',
		);
	}
	try {
		const header = Buffer.alloc(SQLITE_HEADER.length);
		const read = fs.readSync(fd, header, 0, header.length, 0);
		if (read === 0) return; // empty file: SQLite initialises it
		if (read < header.length || !header.equals(SQLITE_HEADER)) {
			throw new StoreError(
				`The file is not an SQLite database: ${filename}`,
				'Point the store at a new file name (it is created) or at an existing monitoring store; ' +
					'this file was left untouched.',
			);
		}
	} finally {
		fs.closeSync(fd);
	}
}

function createPostgresKnex(config: PostgresStoreConfig): Knex {
	return knexFactory({
		client: 'pg',
		connection: {
			host: config.host,
			port: config.port,
			database: config.database,
			user: config.user,
			password: config.password,
			ssl: config.ssl ? { rejectUnauthorized: false } : undefined,
			connectionTimeoutMillis: 10_000,
		},
		log: quietLog,
		searchPath: config.schema ? [config.schema] : undefined,
		pool: { min: 0, max: config.poolMax ?? 4, acquireTimeoutMillis: 30_000 },
	});
}

function firstLine(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0];
}
