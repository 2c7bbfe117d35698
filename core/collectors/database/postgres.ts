/*
 * PostgreSQL: one short-lived pg.Client per collection, in a read-only session with a statement
 * timeout, reading only the statistics views that `pg_monitor` opens (pg_stat_activity, pg_locks,
 * pg_stat_database, pg_stat_replication, pg_stat_statements) and catalog sizes.
 */
import { Client } from 'pg';

import { connectionReason, isConnectionLost, withTimeout, targetContext } from './errors';
import { normaliseQueryText, num, part, seconds } from './parts';
import type { EngineReading, PostgresTarget, SlowQueries, SlowQuery, TableInfo } from './types';

export interface EngineLimits {
	topTables: number;
	slowQueries: number;
	connectTimeoutMs: number;
	queryTimeoutMs: number;
	signal: AbortSignal;
}

// Sizes first, row estimates only for the top N: joining pg_stat_all_tables for every relation
// made this query 2.5 times slower on 500 tables (bench/database-cost.js). reltuples is -1 before
// a table's first ANALYZE; the live-tuple counter stands in then.
const TABLES_SQL = `
WITH sized AS (
  SELECT c.oid, n.nspname AS schema, c.relname AS name, c.reltuples,
         pg_total_relation_size(c.oid) AS bytes
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%'
  ORDER BY bytes DESC, n.nspname, c.relname
  LIMIT $1
)
SELECT schema, name, bytes,
       CASE WHEN reltuples >= 0 THEN reltuples ELSE pg_stat_get_live_tuples(oid) END AS rows
FROM sized ORDER BY bytes DESC, schema, name`;

// Client backends only: autovacuum and WAL writers are not connections a user can exhaust.
const ACTIVITY_SQL = `
SELECT coalesce(state, 'unknown') AS state, count(*)::int AS n
FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1`;

const LONGEST_SQL = `
SELECT coalesce(extract(epoch FROM max(clock_timestamp() - xact_start)), 0)::float8 AS s
FROM pg_stat_activity
WHERE xact_start IS NOT NULL AND backend_type = 'client backend' AND pid <> pg_backend_pid()`;

const STATS_SQL = `
SELECT xact_commit, xact_rollback, deadlocks, temp_files, blks_hit, blks_read
FROM pg_stat_database WHERE datname = current_database()`;

function statementsSql(order: 'mean_exec_time' | 'total_exec_time') {
	return `
SELECT query, calls, total_exec_time AS total, mean_exec_time AS mean, rows,
       (SELECT rolname FROM pg_roles r WHERE r.oid = s.userid) AS role
FROM pg_stat_statements s
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY ${order} DESC NULLS LAST LIMIT $1`;
}

const HIDDEN = '<insufficient privilege>';
const LOCK_TIMEOUT_MS = 1000;

type Row = Record<string, unknown>;

export async function collectPostgres(
	target: PostgresTarget,
	limits: EngineLimits,
): Promise<EngineReading> {
	const warnings: string[] = [];
	const where = targetContext('postgres', target, limits.connectTimeoutMs);
	const client = newClient(target, limits);
	// A server that goes away emits 'error' on an idle client; without a listener it would crash n8n.
	client.on('error', () => {});
	const abort = () => void client.end().catch(() => {});
	limits.signal.addEventListener('abort', abort, { once: true });
	const started = process.hrtime.bigint();
	try {
		await withTimeout(client.connect(), limits.connectTimeoutMs, 'connect');
	} catch (error) {
		limits.signal.removeEventListener('abort', abort);
		void client.end().catch(() => {});
		return { up: false, reason: connectionReason(error, where), warnings };
	}
	const connectSeconds = seconds(started);
	const reading: EngineReading = { up: true, connectSeconds, warnings };
	try {
		const t = process.hrtime.bigint();
		await client.query('SELECT 1');
		reading.querySeconds = seconds(t);
		const q: Query = async (sql, params = []) => (await client.query(sql, params)).rows;
		const read: Reader = { q, reading, warnings, secret: target.password };
		await readActivity(read);
		await readSizes(read, limits);
		await readStatistics(read);
		await readReplication(read);
		if (limits.slowQueries > 0)
			reading.slowQueries = await slowQueries(q, limits.slowQueries, target);
	} catch (error) {
		// The server went away halfway: the target is down, whatever was read before.
		return {
			up: false,
			reason: connectionReason(error, where),
			connectSeconds,
			warnings,
		};
	} finally {
		limits.signal.removeEventListener('abort', abort);
		await client.end().catch(() => {});
	}
	return reading;
}

type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** One collection's connection and what it fills: each part fails into a warning on its own. */
interface Reader {
	q: Query;
	reading: EngineReading;
	warnings: string[];
	/** Scrubbed from the warnings. */
	secret: string | undefined;
}

function newClient(target: PostgresTarget, limits: EngineLimits): Client {
	return new Client({
		host: target.host,
		port: target.port,
		database: target.database,
		user: target.user,
		password: target.password,
		ssl: target.ssl,
		connectionTimeoutMillis: limits.connectTimeoutMs,
		query_timeout: limits.queryTimeoutMs,
		application_name: 'n8n-nodes-monitoring',
		// The session itself refuses writes, whatever the role may do; the statement timeout
		// protects the target from a monitoring query that turns slow. Table sizes wait for a
		// share lock on each table: behind an ALTER TABLE or VACUUM FULL they give up after a
		// second (a warning) rather than hold the collection.
		options: [
			'-c default_transaction_read_only=on',
			`-c statement_timeout=${limits.queryTimeoutMs}`,
			`-c lock_timeout=${Math.min(limits.queryTimeoutMs, LOCK_TIMEOUT_MS)}`,
		].join(' '),
	});
}

/** The version, connections by state and their limit, lock waits and the longest transaction. */
async function readActivity({ q, reading, warnings, secret }: Reader): Promise<void> {
	await part(warnings, 'version', secret, async () => {
		reading.version = (await q('SHOW server_version'))[0].server_version as string;
	});
	await part(warnings, 'connections', secret, async () => {
		const byState: Record<string, number> = {};
		for (const row of await q(ACTIVITY_SQL)) byState[row.state as string] = row.n as number;
		reading.connections = byState;
		reading.connectionsTotal = Object.values(byState).reduce((a, b) => a + b, 0);
		reading.connectionsMax = num((await q('SHOW max_connections'))[0].max_connections);
	});
	await part(warnings, 'locks', secret, async () => {
		reading.lockWaiting = num(
			(await q('SELECT count(DISTINCT pid)::int AS n FROM pg_locks WHERE NOT granted'))[0].n,
		);
	});
	await part(warnings, 'transactions', secret, async () => {
		reading.longestTransactionSeconds = num((await q(LONGEST_SQL))[0].s);
	});
}

/** The database's size and its largest tables. */
async function readSizes({ q, reading, warnings, secret }: Reader, limits: EngineLimits) {
	await part(warnings, 'size', secret, async () => {
		reading.sizeBytes = num(
			(await q('SELECT pg_database_size(current_database())::int8 AS b'))[0].b,
		);
	});
	await part(warnings, 'tables', secret, async () => {
		reading.tables = (await q(TABLES_SQL, [limits.topTables])).map(
			(r): TableInfo => ({
				name: `${r.schema}.${r.name}`,
				bytes: Number(r.bytes),
				rows: num(r.rows) ?? null,
			}),
		);
	});
}

/** pg_stat_database's counters (commits, rollbacks, deadlocks, temp files, block reads). */
async function readStatistics({ q, reading, warnings, secret }: Reader): Promise<void> {
	await part(warnings, 'statistics', secret, async () => {
		const row = (await q(STATS_SQL))[0];
		if (!row) return;
		reading.counters = {};
		for (const [k, v] of Object.entries(row)) {
			const n = num(v);
			if (n !== undefined) reading.counters[k] = n;
		}
	});
}

/** Replay lag of each replica of this server, and of this server when it is a standby. */
async function readReplication({ q, reading, warnings, secret }: Reader): Promise<void> {
	await part(warnings, 'replication', secret, async () => {
		const lags: Record<string, number> = {};
		const replicas = await q(
			`SELECT coalesce(application_name, '') || '@' || coalesce(client_addr::text, 'local') AS replica,
			        extract(epoch FROM replay_lag)::float8 AS lag
			 FROM pg_stat_replication`,
		);
		for (const r of replicas)
			if (num(r.lag) !== undefined) lags[r.replica as string] = Number(r.lag);
		const standby = (
			await q(
				`SELECT pg_is_in_recovery() AS standby,
				        extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 AS lag`,
			)
		)[0];
		if (standby.standby && num(standby.lag) !== undefined)
			lags['this standby'] = standby.lag as number;
		if (Object.keys(lags).length > 0) reading.replicationLagSeconds = lags;
	});
}

async function slowQueries(q: Query, limit: number, target: PostgresTarget): Promise<SlowQueries> {
	const installed = await q(
		`SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'`,
	);
	if (installed.length === 0)
		return {
			available: false,
			reason: `pg_stat_statements is not installed in database ${target.database} (an admin runs CREATE EXTENSION pg_stat_statements; it needs shared_preload_libraries)`,
		};
	try {
		const map = (r: Row): SlowQuery => ({
			query: normaliseQueryText(String(r.query ?? '')),
			calls: Number(r.calls),
			totalMs: Number(r.total),
			meanMs: Number(r.mean),
			rows: Number(r.rows),
			user: typeof r.role === 'string' ? r.role : undefined,
		});
		const byMean = (await q(statementsSql('mean_exec_time'), [limit])).map(map);
		const byTotal = (await q(statementsSql('total_exec_time'), [limit])).map(map);
		const hidden = [...byMean, ...byTotal].some((s) => s.query === HIDDEN);
		return {
			available: true,
			source: 'pg_stat_statements',
			byMean,
			byTotal,
			...(hidden && {
				note: `statements of other roles show as ${HIDDEN}: grant pg_read_all_stats (or pg_monitor) to ${target.user}`,
			}),
		};
	} catch (error) {
		if (isConnectionLost(error)) throw error;
		return {
			available: false,
			reason: `pg_stat_statements cannot be read: ${(error as Error).message.split('\n')[0]}`,
		};
	}
}
