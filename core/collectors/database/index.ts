/*
 * Database collector: availability, connections, locks, size and growth, slow statements and
 * health of a TARGET database (not the monitoring store). One module per engine
 * (./postgres.ts, ./mysql.ts, ./sqlite.ts), each opening one short-lived connection per
 * collection and running only read-only queries a monitoring role can run (./README.md lists the
 * grants). A target that is down is data, not a failure: the collection succeeds with db_up 0 and
 * the reason in the snapshot. Secrets never leave this module (errors are redacted).
 */
import path from 'node:path';

import { ratesFromCounters } from '../rates';
import type {
	Collector,
	CollectorState,
	CollectorOutput,
	CounterSet,
	HistoryReader,
	Labels,
	Sample,
} from '../types';
import { redact } from './errors';
import { growthAndForecast } from './growth';
import { collectMysql } from './mysql';
import { collectPostgres, type EngineLimits } from './postgres';
import { collectSqlite } from './sqlite';
import type { DatabaseOptions, DatabaseSnapshot, DatabaseTarget, EngineReading } from './types';
import type { MetricName } from '../../catalog/metrics';

export type * from './types';
export { quoteSqliteIdentifier } from './sqlite';

export const DEFAULT_DB_TIMEOUT_MS = 10_000;

/** The `db` label: host:port/database, or the SQLite file's name. Never holds the password. */
export function targetLabel(target: DatabaseTarget): string {
	if (target.type === 'sqlite') return path.basename(target.filename);
	return `${target.host}:${target.port}${target.database ? `/${target.database}` : ''}`;
}

function validate(options: DatabaseOptions) {
	const t = options?.target as DatabaseTarget | undefined;
	if (!t || !['postgres', 'mysql', 'sqlite'].includes(t.type))
		throw new Error("database target type must be 'postgres', 'mysql' or 'sqlite'");
	if (t.type === 'sqlite') {
		if (!t.filename) throw new Error('database target needs a SQLite filename');
	} else {
		if (!t.host) throw new Error('database target needs a host');
		if (!Number.isInteger(t.port) || t.port <= 0 || t.port > 65535)
			throw new Error(`database target port must be 1..65535, not ${t.port}`);
		if (!t.user) throw new Error('database target needs a user');
		if (t.type === 'postgres' && !t.database)
			throw new Error('PostgreSQL target needs a database name');
	}
}

const positive = (n: number | undefined, fallback: number) =>
	n !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;

type Add = (name: MetricName, value: number | undefined, labels?: Labels) => void;

/** The per-collection limits from the options; absent or bad numbers take the defaults. */
function limitsOf(options: DatabaseOptions, signal: AbortSignal): EngineLimits {
	return {
		topTables: positive(options.topTables, 10),
		// 0 turns statement statistics off (no query on pg_stat_statements / performance_schema).
		slowQueries: options.slowQueries === 0 ? 0 : positive(options.slowQueries, 10),
		connectTimeoutMs: positive(options.connectTimeoutMs, DEFAULT_DB_TIMEOUT_MS),
		queryTimeoutMs: positive(options.queryTimeoutMs, DEFAULT_DB_TIMEOUT_MS),
		signal,
	};
}

function readEngine(target: DatabaseTarget, limits: EngineLimits): Promise<EngineReading> {
	if (target.type === 'postgres') return collectPostgres(target, limits);
	if (target.type === 'mysql') return collectMysql(target, limits);
	return collectSqlite(target, limits);
}

/** Connections, locks, sizes and the engine's own gauges of a reachable target. */
function addUsage(add: Add, snapshot: DatabaseSnapshot, reading: EngineReading) {
	if (reading.connections) {
		for (const [state, n] of Object.entries(reading.connections))
			add('db_connections', n, { state });
		const usedPercent =
			reading.connectionsMax && reading.connectionsTotal !== undefined
				? (reading.connectionsTotal / reading.connectionsMax) * 100
				: undefined;
		add('db_connections_total', reading.connectionsTotal);
		add('db_connections_max', reading.connectionsMax);
		add('db_connections_used_percent', usedPercent);
		snapshot.connections = {
			byState: reading.connections,
			total: reading.connectionsTotal,
			max: reading.connectionsMax,
			usedPercent,
		};
	}
	add('db_lock_waiting', reading.lockWaiting);
	add('db_longest_transaction_seconds', reading.longestTransactionSeconds);
	snapshot.lockWaiting = reading.lockWaiting;
	snapshot.longestTransactionSeconds = reading.longestTransactionSeconds;

	add('db_size_bytes', reading.sizeBytes);
	snapshot.sizeBytes = reading.sizeBytes;
	for (const t of reading.tables ?? []) {
		add('db_table_size_bytes', t.bytes, { table: t.name });
		if (t.rows !== null) add('db_table_rows', t.rows, { table: t.name });
	}
	for (const [name, value] of Object.entries(reading.gauges ?? {})) add(name as MetricName, value);
}

/** Growth per table and of the whole database, and the "full in" forecast, from stored history. */
async function addGrowth(
	add: Add,
	snapshot: DatabaseSnapshot,
	reading: EngineReading,
	input: { history: HistoryReader | undefined; db: string; now: number; sizeLimitBytes?: number },
) {
	const growth = await growthAndForecast({
		...input,
		sizeBytes: reading.sizeBytes,
		tables: reading.tables ?? [],
		diskFreeBytes: reading.diskFreeBytes,
	});
	snapshot.tables = growth.tables;
	snapshot.growth = { growth7d: growth.growth7d, growth30d: growth.growth30d };
	snapshot.forecast = growth.forecast;
	if ('slopePerDay' in growth.growth7d) add('db_growth_bytes_per_day', growth.growth7d.slopePerDay);
	for (const t of growth.tables)
		if ('slopePerDay' in t.growth7d)
			add('db_growth_bytes_per_day', t.growth7d.slopePerDay, { table: t.name });
	if (growth.forecast && 'result' in growth.forecast && 'daysUntil' in growth.forecast.result)
		add('db_days_until_full', growth.forecast.result.daysUntil, {
			limit: growth.forecast.limit,
		});
}

/**
 * Per-second rates from the engine's counters against the previous collection's, the cache hit
 * ratio and replication lag. Returns the counters to keep as state.
 */
function addRates(
	add: Add,
	snapshot: DatabaseSnapshot,
	reading: EngineReading,
	{ db, now, previous }: { db: string; now: number; previous: CollectorState | undefined },
): CounterSet {
	// Counters are keyed by the target, so a state left by another target gives no rate.
	const counters: CounterSet = {};
	for (const [k, v] of Object.entries(reading.counters ?? {})) counters[`${db}|${k}`] = v;
	add('db_deadlocks_total', reading.counters?.deadlocks);
	const rates: Record<string, number> = {};
	if (previous && previous.time < now) {
		const raw = ratesFromCounters(previous.counters, counters, (now - previous.time) / 1000);
		for (const [k, v] of Object.entries(raw)) rates[k.slice(db.length + 1)] = v;
	}
	if (rates.xact_commit !== undefined && rates.xact_rollback !== undefined)
		add('db_transactions_per_second', rates.xact_commit + rates.xact_rollback);
	add('db_rollbacks_per_second', rates.xact_rollback);
	add('db_deadlocks_per_second', rates.deadlocks);
	add('db_temp_files_per_second', rates.temp_files);
	add('db_queries_per_second', rates.queries);
	snapshot.cacheHitRatio = cacheHitRatio(reading.counters ?? {}, rates);
	add('db_cache_hit_ratio', snapshot.cacheHitRatio);
	if (Object.keys(rates).length > 0) snapshot.rates = rates;
	for (const [replica, lag] of Object.entries(reading.replicationLagSeconds ?? {}))
		add('db_replication_lag_seconds', lag, { replica });
	snapshot.replicationLagSeconds = reading.replicationLagSeconds;
	return counters;
}

export const databaseCollector: Collector<DatabaseOptions, DatabaseSnapshot> = {
	name: 'database',
	async collect(options, context): Promise<CollectorOutput<DatabaseSnapshot>> {
		validate(options);
		const target = options.target;
		const db = options.name || targetLabel(target);
		const engine = target.type;
		const base: Labels = { db, engine };
		const now = Date.now();
		const reading = await readEngine(target, limitsOf(options, context.signal));
		const secret = target.type === 'sqlite' ? undefined : target.password;

		const samples: Sample[] = [];
		const add: Add = (name, value, labels = {}) => {
			if (value !== undefined && Number.isFinite(value))
				samples.push({ name, value, labels: { ...base, ...labels } });
		};
		add('db_up', reading.up ? 1 : 0);
		const snapshot: DatabaseSnapshot = { db, engine, up: reading.up, tables: [] };
		if (!reading.up) {
			snapshot.reason = redact(reading.reason ?? 'unknown', secret);
			add('db_connect_seconds', reading.connectSeconds);
			return {
				samples,
				snapshot,
				// Counters stay as they were, so the next successful run still has a base for rates.
				state: context.previous,
				warnings: reading.warnings.map((w) => redact(w, secret)),
			};
		}

		add('db_connect_seconds', reading.connectSeconds);
		add('db_query_seconds', reading.querySeconds);
		Object.assign(snapshot, {
			version: reading.version,
			connectSeconds: reading.connectSeconds,
			querySeconds: reading.querySeconds,
		});
		addUsage(add, snapshot, reading);
		await addGrowth(add, snapshot, reading, {
			history: context.history,
			db,
			now,
			sizeLimitBytes: options.sizeLimitBytes,
		});
		if (reading.slowQueries) {
			snapshot.slowQueries = reading.slowQueries;
			add('db_slow_queries_available', reading.slowQueries.available ? 1 : 0);
		}
		const counters = addRates(add, snapshot, reading, { db, now, previous: context.previous });

		return {
			samples,
			snapshot: JSON.parse(redact(JSON.stringify(snapshot), secret)),
			state: Object.keys(counters).length > 0 ? { time: now, counters } : undefined,
			warnings: reading.warnings.map((w) => redact(w, secret)),
		};
	},
};

/**
 * Share of page reads served from memory, since the previous collection when there is one (the
 * figure of the last minute is what an alert wants), else since the server's statistics began.
 * PostgreSQL counts hits and disk reads apart; InnoDB counts requests and the disk reads among them.
 */
export function cacheHitRatio(
	counters: Record<string, number>,
	rates: Record<string, number>,
): number | undefined {
	const pick = (src: Record<string, number>) => {
		if (src.blks_hit !== undefined && src.blks_read !== undefined) {
			const total = src.blks_hit + src.blks_read;
			return total > 0 ? src.blks_hit / total : undefined;
		}
		if (src.blks_requested !== undefined && src.blks_read !== undefined)
			return src.blks_requested > 0
				? Math.max(0, 1 - src.blks_read / src.blks_requested)
				: undefined;
		return undefined;
	};
	return pick(rates) ?? pick(counters);
}
