import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

export type SqliteDriver = 'auto' | 'sqlite3' | 'node:sqlite';

export interface SqliteStoreConfig {
	type: 'sqlite';
	filename: string;
	/** `auto` takes the sqlite3 package when its native binary loads, else Node's node:sqlite. */
	driver?: SqliteDriver;
	/** How long a writer waits for another process's lock, in milliseconds. */
	busyTimeoutMs?: number;
}

export interface PostgresStoreConfig {
	type: 'postgres';
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	ssl?: boolean;
	/** Schema for the monitoring tables; `public` by default. */
	schema?: string;
	poolMax?: number;
}

export type StoreConfig = SqliteStoreConfig | PostgresStoreConfig;

/**
 * Where the embedded store lives when no credential says otherwise: beside n8n's own database
 * in the n8n user folder, so that backups of `~/.n8n` take it along.
 */
export function defaultSqlitePath(env: NodeJS.ProcessEnv = process.env): string {
	if (env.N8N_MONITORING_SQLITE_PATH) return env.N8N_MONITORING_SQLITE_PATH;
	const userFolder = env.N8N_USER_FOLDER || os.homedir();
	return path.join(userFolder, '.n8n', 'monitoring.sqlite');
}

export function defaultStoreConfig(env: NodeJS.ProcessEnv = process.env): SqliteStoreConfig {
	return { type: 'sqlite', filename: defaultSqlitePath(env) };
}

/** A key that is equal for configs that reach the same database, to share one connection pool. */
export function storeKey(config: StoreConfig): string {
	if (config.type === 'sqlite')
		return `sqlite:${path.resolve(config.filename)}:${config.driver ?? 'auto'}`;
	// The password is part of the key (hashed): a credential with a wrong password must never
	// reuse the pool another credential opened with the right one.
	const secret = createHash('sha256').update(config.password).digest('hex').slice(0, 16);
	return `postgres:${config.user}@${config.host}:${config.port}/${config.database}/${config.schema ?? 'public'}:${config.ssl ? 'ssl' : 'plain'}:${secret}`;
}

/** The same config with the password hidden, for messages and logs. */
export function describeStore(config: StoreConfig): string {
	if (config.type === 'sqlite') return `SQLite file ${config.filename}`;
	return `PostgreSQL ${config.user}@${config.host}:${config.port}/${config.database}`;
}
