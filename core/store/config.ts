import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

import type { SqliteDriver } from '../sqlite/driver';
import { StoreError } from './errors';

/**
 * How long each resolution is kept, in days (fractions allowed). Raw samples feed the 5-minute
 * and hourly rollups, so each level must outlive the bucket of the next coarser one.
 */
export interface RetentionDays {
	raw: number;
	rollup5m: number;
	rollup1h: number;
	/** Collection runs (mon_collections) and n8n executions (mon_executions). */
	records: number;
}

export const DEFAULT_RETENTION: RetentionDays = {
	raw: 7,
	rollup5m: 90,
	rollup1h: 730,
	records: 90,
};

const MINUTE_DAYS = 1 / 1440;
const RETENTION_RULES: Array<{
	key: keyof RetentionDays;
	field: string;
	minDays: number;
	why: string;
}> = [
	{
		key: 'raw',
		field: 'Raw Samples Retention (Days)',
		minDays: 5 * MINUTE_DAYS,
		why: '5 minutes, the first rollup bucket',
	},
	{
		key: 'rollup5m',
		field: '5-Minute Rollups Retention (Days)',
		minDays: 60 * MINUTE_DAYS,
		why: '1 hour, the next rollup bucket',
	},
	{
		key: 'rollup1h',
		field: 'Hourly Rollups Retention (Days)',
		minDays: 60 * MINUTE_DAYS,
		why: '1 hour, its own bucket',
	},
	{ key: 'records', field: 'Run Records Retention (Days)', minDays: 1, why: '1 day' },
];

/** The retention a config asks for, defaults filled in; a StoreError names the field to fix. */
export function resolveRetention(
	retention?: Partial<Record<keyof RetentionDays, unknown>>,
): RetentionDays {
	const result = { ...DEFAULT_RETENTION };
	for (const rule of RETENTION_RULES) {
		const given = retention?.[rule.key];
		if (given === undefined || given === null || given === '') continue;
		const days =
			typeof given === 'number' ? given : typeof given === 'string' ? Number(given.trim()) : NaN;
		if (!Number.isFinite(days))
			throw new StoreError(
				`${rule.field} must be a number of days, not ${JSON.stringify(given)}`,
				`Set "${rule.field}" in the Monitoring Store credential to a number such as ${DEFAULT_RETENTION[rule.key]}, or leave it empty for the default.`,
			);
		if (days < rule.minDays)
			throw new StoreError(
				`${rule.field} is ${days}, shorter than ${rule.why} (${round(rule.minDays)} days)`,
				`Set "${rule.field}" in the Monitoring Store credential to at least ${round(rule.minDays)}; the default is ${DEFAULT_RETENTION[rule.key]}.`,
			);
		result[rule.key] = days;
	}
	return result;
}

const round = (x: number) => Math.ceil(x * 10_000) / 10_000;

export type { SqliteDriver };

export interface SqliteStoreConfig {
	type: 'sqlite';
	filename: string;
	/** `auto` takes the sqlite3 package when its native binary loads, else Node's node:sqlite. */
	driver?: SqliteDriver;
	/** How long a writer waits for another process's lock, in milliseconds. */
	busyTimeoutMs?: number;
	retention?: Partial<RetentionDays>;
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
	retention?: Partial<RetentionDays>;
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

/**
 * Without a credential, retention comes from N8N_MONITORING_RETENTION_{RAW,ROLLUP_5M,ROLLUP_1H,
 * RECORDS}_DAYS when set, else the defaults.
 */
export function defaultStoreConfig(env: NodeJS.ProcessEnv = process.env): SqliteStoreConfig {
	const config: SqliteStoreConfig = { type: 'sqlite', filename: defaultSqlitePath(env) };
	const retention: Partial<Record<keyof RetentionDays, unknown>> = {};
	const names = { raw: 'RAW', rollup5m: 'ROLLUP_5M', rollup1h: 'ROLLUP_1H', records: 'RECORDS' };
	for (const [key, name] of Object.entries(names)) {
		const value = env[`N8N_MONITORING_RETENTION_${name}_DAYS`];
		if (value !== undefined && value !== '') retention[key as keyof RetentionDays] = value;
	}
	if (Object.keys(retention).length > 0) config.retention = retention as Partial<RetentionDays>;
	return config;
}

/** A key that is equal for configs that reach the same database, to share one connection pool. */
export function storeKey(config: StoreConfig): string {
	// Retention is part of the key, so that a changed credential takes effect without a restart.
	const kept = JSON.stringify(config.retention ?? {});
	if (config.type === 'sqlite')
		return `sqlite:${path.resolve(config.filename)}:${config.driver ?? 'auto'}:${kept}`;
	// The password is part of the key (hashed): a credential with a wrong password must never
	// reuse the pool another credential opened with the right one.
	const secret = createHash('sha256').update(config.password).digest('hex').slice(0, 16);
	return `postgres:${config.user}@${config.host}:${config.port}/${config.database}/${config.schema ?? 'public'}:${config.ssl ? 'ssl' : 'plain'}:${secret}:${kept}`;
}

/** The same config with the password hidden, for messages and logs. */
export function describeStore(config: StoreConfig): string {
	if (config.type === 'sqlite') return `SQLite file ${config.filename}`;
	return `PostgreSQL ${config.user}@${config.host}:${config.port}/${config.database}`;
}
