import type { Forecast, Growth } from '../../analysis/forecast';
import type { MetricName } from '../../catalog/metrics';

export interface PostgresTarget {
	type: 'postgres';
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	ssl?: boolean | { rejectUnauthorized?: boolean };
}

export interface MysqlTarget {
	type: 'mysql';
	host: string;
	port: number;
	database?: string;
	user: string;
	password: string;
	ssl?: boolean | { rejectUnauthorized?: boolean };
}

export interface SqliteTarget {
	type: 'sqlite';
	filename: string;
	/** Like the store's: `auto` takes sqlite3 when its binary loads, else node:sqlite. */
	driver?: import('../../sqlite/driver').SqliteDriver;
	/**
	 * The file is open in this very process through another copy of SQLite (n8n's own database,
	 * which n8n opens through its own sqlite3): it is read as immutable (see sqlite.ts).
	 */
	openInThisProcess?: boolean;
}

export type DatabaseTarget = PostgresTarget | MysqlTarget | SqliteTarget;

export interface DatabaseOptions {
	target: DatabaseTarget;
	/** The `db` label; default host:port/database, or the SQLite file's name. */
	name?: string;
	/** How many of the largest tables to report. Default 10. */
	topTables?: number;
	/** How many statements to list by mean and by total time. Default 10; 0 = do not read them. */
	slowQueries?: number;
	/** Forecast the date the database reaches this size. */
	sizeLimitBytes?: number;
	/** Default 10 s. */
	connectTimeoutMs?: number;
	/** Deadline of each query. Default 10 s. */
	queryTimeoutMs?: number;
}

export type Engine = 'postgres' | 'mysql' | 'sqlite';

export interface TableInfo {
	/** schema.table (PostgreSQL, MySQL) or the table name (SQLite), exactly as the catalog has it. */
	name: string;
	/** Data + indexes (+ TOAST for PostgreSQL). */
	bytes: number;
	/** An estimate from the catalog statistics, or an exact count (SQLite without statistics). */
	rows: number | null;
}

export interface SlowQuery {
	query: string;
	calls: number;
	totalMs: number;
	meanMs: number;
	rows: number;
	/** The role (PostgreSQL) or schema (MySQL) it ran under, when known. */
	user?: string;
	schema?: string;
}

export type SlowQueries =
	| {
			available: true;
			source: string;
			byMean: SlowQuery[];
			byTotal: SlowQuery[];
			/** E.g. that other roles' statement texts are hidden from this role. */
			note?: string;
	  }
	| { available: false; reason: string };

/** What one engine module reads in one collection. Everything but `up` is optional. */
export interface EngineReading {
	up: boolean;
	reason?: string;
	version?: string;
	connectSeconds?: number;
	querySeconds?: number;
	connections?: Record<string, number>;
	connectionsTotal?: number;
	connectionsMax?: number;
	lockWaiting?: number;
	longestTransactionSeconds?: number;
	sizeBytes?: number;
	tables?: TableInfo[];
	slowQueries?: SlowQueries;
	/** Monotonic counters (commits, rollbacks, deadlocks, temp_files, cache hits/reads). */
	counters?: Record<string, number>;
	replicationLagSeconds?: Record<string, number>;
	/** Engine-specific gauges (sqlite_page_count, ...). */
	gauges?: Partial<Record<MetricName, number>>;
	/** Free bytes on the file system under the database (SQLite only). */
	diskFreeBytes?: number;
	warnings: string[];
}

export interface TableSnapshot extends TableInfo {
	growth7d: Growth | { reason: 'no history' };
	growth30d: Growth | { reason: 'no history' };
}

export interface DatabaseForecast {
	/** Which limit comes first. */
	limit: 'size limit' | 'disk';
	limitBytes: number;
	result: Forecast | { reason: 'no history' | 'no limit' };
}

export interface DatabaseSnapshot {
	db: string;
	engine: Engine;
	up: boolean;
	reason?: string;
	version?: string;
	connectSeconds?: number;
	querySeconds?: number;
	connections?: {
		byState: Record<string, number>;
		total?: number;
		max?: number;
		usedPercent?: number;
	};
	lockWaiting?: number;
	longestTransactionSeconds?: number;
	sizeBytes?: number;
	tables: TableSnapshot[];
	growth?: {
		growth7d: Growth | { reason: 'no history' };
		growth30d: Growth | { reason: 'no history' };
	};
	forecast?: DatabaseForecast | { reason: 'no limit' };
	slowQueries?: SlowQueries;
	rates?: Record<string, number>;
	replicationLagSeconds?: Record<string, number>;
	cacheHitRatio?: number;
}
