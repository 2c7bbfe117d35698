/*
 * MySQL / MariaDB: one short-lived mysql2 connection per collection. Reads SHOW GLOBAL STATUS,
 * information_schema (PROCESSLIST, INNODB_TRX, TABLES) and performance_schema's statement digests;
 * what the PROCESS privilege and SELECT on performance_schema open.
 */
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';

import { connectionReason, isConnectionLost, withTimeout, targetContext } from './errors';
import { normaliseQueryText, num, part, seconds } from './parts';
import type { EngineLimits } from './postgres';
import type { EngineReading, MysqlTarget, SlowQueries, SlowQuery, TableInfo } from './types';

const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];

/** processlist COMMAND values, in PostgreSQL's state words so one dashboard reads both. */
function stateOf(command: string): string {
	switch (command) {
		case 'Sleep':
			return 'idle';
		case 'Query':
		case 'Execute':
			return 'active';
		default:
			return command.toLowerCase();
	}
}

// Monotonic counters from SHOW GLOBAL STATUS that become rates. Com_commit/Com_rollback count
// explicit transactions; Questions counts statements (autocommit ones included).
const COUNTERS: Record<string, string> = {
	Com_commit: 'xact_commit',
	Com_rollback: 'xact_rollback',
	Innodb_deadlocks: 'deadlocks',
	Created_tmp_disk_tables: 'temp_files',
	Innodb_buffer_pool_read_requests: 'blks_requested',
	Innodb_buffer_pool_reads: 'blks_read',
	Questions: 'queries',
};

export async function collectMysql(
	target: MysqlTarget,
	limits: EngineLimits,
): Promise<EngineReading> {
	const warnings: string[] = [];
	const where = targetContext('mysql', target, limits.connectTimeoutMs);
	const started = process.hrtime.bigint();
	const opened = await connect(target, limits);
	if ('error' in opened)
		return { up: false, reason: connectionReason(opened.error, where), warnings };
	const conn = opened.connection;
	conn.on('error', () => {});
	const abort = () => conn.destroy();
	limits.signal.addEventListener('abort', abort, { once: true });
	const connectSeconds = seconds(started);
	const reading: EngineReading = { up: true, connectSeconds, warnings };
	const q: Query = async (sql, values = []) => {
		const [rows] = await conn.query<RowDataPacket[]>({
			sql,
			values,
			timeout: limits.queryTimeoutMs,
		});
		return rows;
	};
	const read: Reader = { q, reading, warnings, secret: target.password };
	try {
		const t = process.hrtime.bigint();
		await q('SELECT 1');
		reading.querySeconds = seconds(t);
		// Monitoring reads only: the session refuses writes even if the user could make them.
		await part(warnings, 'read-only session', read.secret, () =>
			q('SET SESSION TRANSACTION READ ONLY'),
		);
		const status = await readStatus(read);
		await readActivity(read, status);
		await readSizes(read, target, limits);
		reading.counters = {};
		for (const [from, to] of Object.entries(COUNTERS))
			if (status[from] !== undefined) reading.counters[to] = status[from];
		await readReplication(read);
		if (limits.slowQueries > 0)
			reading.slowQueries = await slowQueries(q, limits.slowQueries, target);
	} catch (error) {
		return { up: false, reason: connectionReason(error, where), connectSeconds, warnings };
	} finally {
		limits.signal.removeEventListener('abort', abort);
		await conn.end().catch(() => conn.destroy());
	}
	return reading;
}

type Query = (sql: string, values?: unknown[]) => Promise<RowDataPacket[]>;

/** One collection's connection and what it fills: each part fails into a warning on its own. */
interface Reader {
	q: Query;
	reading: EngineReading;
	warnings: string[];
	/** Scrubbed from the warnings. */
	secret: string;
}

async function connect(
	target: MysqlTarget,
	limits: EngineLimits,
): Promise<{ connection: Connection } | { error: unknown }> {
	const pending = createConnection({
		host: target.host,
		port: target.port,
		user: target.user,
		password: target.password,
		database: target.database || undefined,
		ssl: target.ssl === true ? {} : target.ssl || undefined,
		connectTimeout: limits.connectTimeoutMs,
		supportBigNumbers: true,
		bigNumberStrings: false,
	});
	try {
		return { connection: await withTimeout(pending, limits.connectTimeoutMs, 'connect') };
	} catch (error) {
		// A connection that arrives after the deadline is closed, not leaked.
		pending.then((c) => c.destroy()).catch(() => {});
		return { error };
	}
}

/** SHOW GLOBAL STATUS as numbers, and the version and connection limit. */
async function readStatus({
	q,
	reading,
	warnings,
	secret,
}: Reader): Promise<Record<string, number>> {
	const status: Record<string, number> = {};
	await part(warnings, 'status', secret, async () => {
		for (const r of await q('SHOW GLOBAL STATUS')) {
			const n = num(r.Value);
			if (n !== undefined) status[r.Variable_name] = n;
		}
	});
	await part(warnings, 'version', secret, async () => {
		const r = (await q('SELECT VERSION() AS v, @@max_connections AS max'))[0];
		reading.version = r.v;
		reading.connectionsMax = num(r.max);
	});
	return status;
}

/** Connections by state, and the open transactions: lock waits and the longest. */
async function readActivity(
	{ q, reading, warnings, secret }: Reader,
	status: Record<string, number>,
): Promise<void> {
	await part(warnings, 'connections', secret, async () => {
		const byState: Record<string, number> = {};
		// Without PROCESS this lists only the user's own threads; Threads_connected is the total.
		for (const r of await q(
			`SELECT COMMAND AS command, count(*) AS n FROM information_schema.PROCESSLIST
			 WHERE COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Binlog Dump GTID') GROUP BY COMMAND`,
		))
			byState[stateOf(r.command)] = (byState[stateOf(r.command)] ?? 0) + Number(r.n);
		reading.connections = byState;
		reading.connectionsTotal =
			status.Threads_connected ?? Object.values(byState).reduce((a, b) => a + b, 0);
	});
	// INNODB_TRX is a cache InnoDB refreshes at most every 100 ms: fine for a per-minute view.
	await part(warnings, 'transactions', secret, async () => {
		const r = (
			await q(
				`SELECT count(*) AS n,
				        coalesce(sum(trx_state = 'LOCK WAIT'), 0) AS waiting,
				        coalesce(max(TIMESTAMPDIFF(MICROSECOND, trx_started, NOW(6))), 0) / 1e6 AS longest
				 FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID()`,
			)
		)[0];
		reading.lockWaiting = num(r.waiting);
		reading.longestTransactionSeconds = num(r.longest);
	});
}

/** The database's size (or all user schemas') and its largest tables. */
async function readSizes(
	{ q, reading, warnings, secret }: Reader,
	target: MysqlTarget,
	limits: EngineLimits,
): Promise<void> {
	const schemaFilter = target.database
		? { sql: 'table_schema = ?', values: [target.database] }
		: { sql: 'table_schema NOT IN (?)', values: [SYSTEM_SCHEMAS] };
	await part(warnings, 'size', secret, async () => {
		reading.sizeBytes = num(
			(
				await q(
					`SELECT coalesce(sum(data_length + index_length), 0) AS b FROM information_schema.TABLES WHERE ${schemaFilter.sql}`,
					schemaFilter.values,
				)
			)[0].b,
		);
	});
	await part(warnings, 'tables', secret, async () => {
		reading.tables = (
			await q(
				`SELECT table_schema AS s, table_name AS t, data_length + index_length AS bytes, table_rows AS r
				 FROM information_schema.TABLES
				 WHERE table_type = 'BASE TABLE' AND ${schemaFilter.sql}
				 ORDER BY bytes DESC, s, t LIMIT ?`,
				[...schemaFilter.values, limits.topTables],
			)
		).map(
			(r): TableInfo => ({
				name: `${r.s}.${r.t}`,
				bytes: Number(r.bytes ?? 0),
				rows: num(r.r) ?? null,
			}),
		);
	});
}

/** Seconds behind each replication source, when this server is a replica. */
async function readReplication({ q, reading, warnings, secret }: Reader): Promise<void> {
	await part(warnings, 'replication', secret, async () => {
		let rows: RowDataPacket[];
		try {
			rows = await q('SHOW REPLICA STATUS');
		} catch (error) {
			if (isConnectionLost(error)) throw error;
			rows = await q('SHOW SLAVE STATUS'); // before MariaDB 10.5 / MySQL 8.0.22
		}
		const lags: Record<string, number> = {};
		for (const r of rows) {
			const lag = num(r.Seconds_Behind_Source ?? r.Seconds_Behind_Master);
			if (lag !== undefined)
				lags[String(r.Connection_name || r.Source_Host || r.Master_Host || 'source')] = lag;
		}
		if (Object.keys(lags).length > 0) reading.replicationLagSeconds = lags;
	});
}

async function slowQueries(q: Query, limit: number, target: MysqlTarget): Promise<SlowQueries> {
	try {
		const enabled = (await q('SELECT @@performance_schema AS on_'))[0].on_;
		if (!Number(enabled))
			return {
				available: false,
				reason: 'performance_schema is off (start the server with performance_schema=ON)',
			};
		// Timers are picoseconds.
		const sql = (order: string) => `
			SELECT DIGEST_TEXT AS query, SCHEMA_NAME AS s, COUNT_STAR AS calls,
			       SUM_TIMER_WAIT / 1e9 AS total, AVG_TIMER_WAIT / 1e9 AS mean, SUM_ROWS_SENT AS r
			FROM performance_schema.events_statements_summary_by_digest
			WHERE DIGEST_TEXT IS NOT NULL ORDER BY ${order} DESC LIMIT ?`;
		const map = (r: RowDataPacket): SlowQuery => ({
			query: normaliseQueryText(String(r.query ?? '')),
			calls: Number(r.calls),
			totalMs: Number(r.total),
			meanMs: Number(r.mean),
			rows: Number(r.r),
			schema: r.s ?? undefined,
		});
		return {
			available: true,
			source: 'performance_schema.events_statements_summary_by_digest',
			byMean: (await q(sql('AVG_TIMER_WAIT'), [limit])).map(map),
			byTotal: (await q(sql('SUM_TIMER_WAIT'), [limit])).map(map),
		};
	} catch (error) {
		if (isConnectionLost(error)) throw error;
		return {
			available: false,
			reason: `performance_schema cannot be read by ${target.user}: ${(error as Error).message.split('\n')[0]}`,
		};
	}
}
