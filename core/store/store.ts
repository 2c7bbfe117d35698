import type { Knex } from 'knex';

import { MIGRATIONS_TABLE, migrationSource } from '../../migrations';
import type { Collection, CollectorState, HistorySeries, Labels } from '../model';
import { describeStore, resolveRetention, type RetentionDays, type StoreConfig } from './config';
import { createKnex } from './connection';
import { StoreError } from './errors';
import { errorCode, withBusyRetry } from './retry';
import { canonicalLabels, seriesKey } from './labels';
import { HOUR_MS, type MaintenanceReport, runMaintenance } from './maintenance';
import { hotSamplesNotRolledUp } from './hot';
import { readRollups } from './rollup-blocks';
import { STALE_INTERVALS, STALE_MIN_MS } from '../staleness';
import { AlertLedger } from './queries/alerts';
import { chunks } from './queries/values';
import { BulkLoad } from './queries/bulk';
import { FootprintReads } from './queries/footprint';
import { IncidentRecords } from './queries/incidents';
import { ExecutionRecords } from './queries/executions';
import { RunReads } from './queries/runs';
import { SampleReads } from './queries/samples';
import { type PoolStats, PoolWatch, type TarnLike } from './pool';

/**
 * Maintenance (packing, rollups, retention) runs after a collection's write has committed, at
 * most once per MAINTENANCE_INTERVAL_MS per open store, for at most MAINTENANCE_BUDGET_MS; when
 * it ran out of time with work left (a long downtime, a shortened retention) the next collection
 * after MAINTENANCE_CATCH_UP_MS goes on with it.
 */
const MAINTENANCE_INTERVAL_MS = 5 * 60_000;
const MAINTENANCE_CATCH_UP_MS = 30_000;
const MAINTENANCE_BUDGET_MS = 250;

// Bound parameters per statement stay far below SQLite's 32,766 and PostgreSQL's 65,535.
const SAMPLE_ROWS_PER_INSERT = 4000;
const SERIES_ROWS_PER_INSERT = 2000;

interface PreparedSample {
	metric: string;
	labels: string;
	value: number;
}

export interface WriteResult {
	samples: number;
	newSeries: number;
}

export class MonitoringStore {
	/** Series ids already known to exist, by host then metric+labels; filled only after commit. */
	private readonly seriesIds = new Map<string, Map<string, number>>();

	private nextMaintenanceAt = 0;
	private maintaining = false;
	/** What the last maintenance run did, or why it failed (it never fails a collection). */
	lastMaintenance?: MaintenanceReport | { error: string };

	/** Series, raw samples, latest values and rollups. */
	readonly samples: SampleReads;
	/** Collector runs and state rows: status, staleness, snapshots. */
	readonly runs: RunReads;
	/** n8n's executions and sync state. */
	readonly executions: ExecutionRecords;
	/** Alerts, their event log and the triggers' rule state. */
	readonly alerts: AlertLedger;
	/** Incidents opened by hand and the updates people post on them and on alerts. */
	readonly incidents: IncidentRecords;
	/** Loading history in bulk (benchmarks, fleet tests, imports). */
	readonly bulk: BulkLoad;
	/** Bytes on disk and samples held (the storage benchmark). */
	readonly footprint: FootprintReads;
	/** The Knex pool's counters and acquire waits; absent when Knex made no tarn pool. */
	private readonly poolWatch?: PoolWatch;

	private constructor(
		private readonly knex: Knex,
		readonly config: StoreConfig,
		/** `pg`, `sqlite3` or `node:sqlite`: which one a Community Nodes install ended up with. */
		readonly driver: string,
		readonly retention: RetentionDays,
	) {
		this.samples = new SampleReads(knex);
		this.runs = new RunReads(knex);
		this.executions = new ExecutionRecords(knex);
		this.alerts = new AlertLedger(knex);
		this.incidents = new IncidentRecords(knex);
		this.bulk = new BulkLoad(knex, config.type);
		this.footprint = new FootprintReads(knex, config.type);
		const pool = (knex.client as { pool?: Partial<TarnLike> & { max?: unknown } }).pool;
		if (pool && typeof pool.numPendingAcquires === 'function' && typeof pool.on === 'function')
			this.poolWatch = new PoolWatch(pool as TarnLike, Number(pool.max) || 1);
	}

	/**
	 * This process's connection pool to the store: in use, idle, waiting acquirers and the longest
	 * wait since the last reset. `reset` starts a new window (the caller stores the figures).
	 */
	pool(reset = false): PoolStats | undefined {
		return this.poolWatch?.stats(reset);
	}

	static async open(config: StoreConfig): Promise<MonitoringStore> {
		// A bad retention is the user's to fix: say so before touching the database.
		const retention = resolveRetention(config.retention);
		const { knex, driver } = createKnex(config);
		const store = new MonitoringStore(knex, config, driver, retention);
		try {
			await store.migrate();
		} catch (error) {
			await knex.destroy().catch(() => undefined);
			throw explainOpenError(config, error);
		}
		return store;
	}

	get dialect(): 'sqlite' | 'postgres' {
		return this.config.type;
	}

	/** Where the data goes, for items and messages; never the password. */
	get description(): string {
		return `${describeStore(this.config)} (${this.driver})`;
	}

	/**
	 * Brings the schema up to date. Several workflows (or queue-mode workers) may open the store
	 * at once: Knex's lock table lets one migrate while the others wait and retry.
	 */
	private async migrate() {
		if (this.config.type === 'postgres' && this.config.schema) {
			// The credential promises the schema is created on first use; the name is bound, not spliced.
			await this.knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [this.config.schema]);
		}
		const deadline = Date.now() + 60_000;
		for (let attempt = 1; ; attempt++) {
			try {
				await this.knex.migrate.latest({
					migrationSource,
					tableName: MIGRATIONS_TABLE,
					schemaName: this.config.type === 'postgres' ? this.config.schema : undefined,
				});
				return;
			} catch (error) {
				if (!isRetryableMigrationError(error) || Date.now() > deadline) throw error;
				if (/already locked/i.test(String(error))) await this.dropDuplicateMigrationLocks();
				await sleep(Math.min(100 * attempt, 1000));
			}
		}
	}

	/**
	 * Knex gives its lock table its one row by a select, then an insert: two processes opening a
	 * new store at once can both insert it, and with two unlocked rows Knex's "lock the row" takes
	 * two and reports the table as locked, for ever. Extra rows are dropped when none of them is
	 * locked; a lock that someone really holds (one row, locked) is left alone.
	 */
	private async dropDuplicateMigrationLocks() {
		const schema = this.config.type === 'postgres' ? this.config.schema : undefined;
		const lockTable = () => {
			const q = this.knex(`${MIGRATIONS_TABLE}_lock`);
			return schema ? q.withSchema(schema) : q;
		};
		try {
			const rows = await lockTable().select('index', 'is_locked').orderBy('index');
			if (rows.length > 1 && rows.every((r) => Number(r.is_locked) === 0))
				await lockTable().where('index', '>', rows[0].index).andWhere('is_locked', 0).delete();
		} catch {
			// The next attempt reports what is wrong.
		}
	}

	/**
	 * Stores one collection in one transaction: its record, its samples (into the hot table) and
	 * the collector's state. Either all of it lands or none of it does. Rollups are computed when
	 * maintenance packs a completed hour; until then readers add the hot samples to the rollups.
	 */
	async writeCollection(collection: Collection): Promise<WriteResult> {
		const samples = prepareSamples(collection);
		const known = this.seriesIds.get(collection.host) ?? new Map<string, number>();
		const found = new Map<string, number>();
		if (this.dialect === 'postgres' && (await this.writeKnownSeries(collection, samples, known))) {
			await this.maintainNowAndThen(collection.time);
			return { samples: samples.length, newSeries: 0 };
		}
		await withBusyRetry(() =>
			this.knex.transaction(async (trx) => {
				found.clear();
				// A write comes first, so the transaction holds SQLite's write lock from its start and a
				// busy writer elsewhere makes it wait (busy_timeout) instead of failing on lock upgrade.
				await trx('mon_collections').insert(collectionRecord(collection, samples.length));
				const ids = await this.resolveSeries(trx, collection.host, samples, known, found);
				await insertSamples(trx, collection.time, samples, ids, this.dialect);
				await trx('mon_collector_state')
					.insert(stateRow(collection))
					.onConflict(['host', 'collector'])
					.merge(statusMerge(trx, this.dialect, collection.snapshot != null));
			}),
		);
		for (const [key, id] of found) known.set(key, id);
		this.seriesIds.set(collection.host, known);
		await this.maintainNowAndThen(collection.time);
		return { samples: samples.length, newSeries: found.size };
	}

	/**
	 * PostgreSQL, every series already known: the collection's record, its samples and the state
	 * row in one statement (data-modifying CTEs), which PostgreSQL runs atomically on its own. A
	 * transaction of three statements took five round trips (BEGIN, three, COMMIT), and on a busy
	 * machine each round trip waits for the other process to be scheduled. False when some series
	 * is new (the transaction path creates it) or an id or the time is not a safe integer.
	 */
	private async writeKnownSeries(
		collection: Collection,
		samples: PreparedSample[],
		known: Map<string, number>,
	): Promise<boolean> {
		const ids: number[] = [];
		for (const s of samples) {
			const id = known.get(seriesKey(s.metric, s.labels));
			if (id === undefined || !Number.isSafeInteger(id)) return false;
			ids.push(id);
		}
		if (!Number.isSafeInteger(collection.time)) return false;
		const knex = this.knex;
		const record = knex('mon_collections')
			.insert(collectionRecord(collection, samples.length))
			.toSQL();
		const state = knex('mon_collector_state')
			.insert(stateRow(collection))
			.onConflict(['host', 'collector'])
			.merge(statusMerge(knex, this.dialect, collection.snapshot != null))
			.toSQL();
		await withBusyRetry(() =>
			knex.raw(
				`WITH c AS (${record.sql}),
				 s AS (INSERT INTO mon_samples ("series_id", "ts", "value")
				   SELECT s, ?::bigint, v FROM unnest(?::integer[], ?::double precision[]) AS u(s, v)
				   ON CONFLICT (series_id, ts) DO NOTHING)
				 ${state.sql}`,
				[
					...record.bindings,
					collection.time,
					ids,
					samples.map((s) => s.value),
					...state.bindings,
				] as unknown as Knex.Value[],
			),
		);
		return true;
	}

	/**
	 * "Now" for maintenance is the collection's time when that is earlier than the clock: a host
	 * whose clock runs ahead can never make retention delete the present, and history written
	 * with past times (imports, tests) keeps its newest hour hot.
	 */
	private async maintainNowAndThen(collectionTime: number) {
		const clock = Date.now();
		if (this.maintaining || clock < this.nextMaintenanceAt) return;
		this.maintaining = true;
		try {
			const report = await this.maintain({ now: Math.min(collectionTime, clock) });
			this.nextMaintenanceAt =
				Date.now() + (report.done ? MAINTENANCE_INTERVAL_MS : MAINTENANCE_CATCH_UP_MS);
		} catch (error) {
			// A database that went away mid-way: every step was its own transaction, so the next
			// run simply goes on. The collection itself is already stored.
			this.lastMaintenance = { error: error instanceof Error ? error.message : String(error) };
			this.nextMaintenanceAt = Date.now() + MAINTENANCE_CATCH_UP_MS;
		} finally {
			this.maintaining = false;
		}
	}

	/**
	 * One bounded round of maintenance: pack completed hours of raw samples (writing their
	 * rollups), then delete what is past retention. Collections call this on their own; it is
	 * public for benchmarks, tests and a manual catch-up.
	 */
	async maintain(options: { now?: number; budgetMs?: number } = {}): Promise<MaintenanceReport> {
		const report = await runMaintenance(this.knex, {
			now: options.now ?? Date.now(),
			retention: this.retention,
			budgetMs: options.budgetMs ?? MAINTENANCE_BUDGET_MS,
			dialect: this.dialect,
		});
		this.lastMaintenance = report;
		return report;
	}

	async loadState(host: string, collector: string): Promise<CollectorState | undefined> {
		const row = await this.knex('mon_collector_state').where({ host, collector }).first('state');
		if (!row?.state) return undefined;
		try {
			return JSON.parse(row.state) as CollectorState;
		} catch {
			return undefined; // a damaged state only costs one collection its rates
		}
	}

	/** Hourly averages of one metric of one host since a time, one entry per series. */
	async readHourly(host: string, metric: string, sinceMs: number): Promise<HistorySeries[]> {
		const series = await this.knex('mon_series').where({ host, metric }).select('id', 'labels');
		const labelsOf = new Map<number, string>();
		for (const row of series) labelsOf.set(Number(row.id), String(row.labels));
		const rows = await readRollups(
			this.knex,
			'1h',
			[...labelsOf.keys()],
			sinceMs,
			Number.MAX_SAFE_INTEGER,
		);
		// The hours not packed yet are still in the hot table: add them, hour by hour.
		const hot = await hotSamplesNotRolledUp(
			this.knex,
			this.knex('mon_series').where({ host, metric }).select('id'),
			sinceMs,
		);
		const merged = new Map<string, { id: number; ts: number; sum: number; count: number }>();
		for (const row of rows)
			merged.set(`${row.seriesId}:${row.ts}`, {
				id: row.seriesId,
				ts: row.ts,
				sum: row.sum,
				count: row.count,
			});
		for (const h of hot) {
			const ts = h.ts - (h.ts % HOUR_MS);
			const key = `${h.seriesId}:${ts}`;
			const m = merged.get(key) ?? { id: h.seriesId, ts, sum: 0, count: 0 };
			m.sum += h.value;
			m.count++;
			merged.set(key, m);
		}
		const ordered = [...merged.values()]
			.sort((a, b) => a.id - b.id || a.ts - b.ts)
			.map((m) => ({
				id: m.id,
				labels: labelsOf.get(m.id)!,
				ts: m.ts,
				sum: m.sum,
				count: m.count,
			}));
		const bySeries = new Map<number, HistorySeries>();
		for (const row of ordered) {
			let series = bySeries.get(Number(row.id));
			if (!series) {
				series = { labels: JSON.parse(row.labels) as Labels, points: [] };
				bySeries.set(Number(row.id), series);
			}
			series.points.push([Number(row.ts), Number(row.sum) / Number(row.count)]);
		}
		return [...bySeries.values()];
	}

	private async resolveSeries(
		trx: Knex.Transaction,
		host: string,
		samples: PreparedSample[],
		known: Map<string, number>,
		found: Map<string, number>,
	): Promise<number[]> {
		const missing = new Map<string, PreparedSample>();
		for (const s of samples) {
			const key = seriesKey(s.metric, s.labels);
			if (!known.has(key)) missing.set(key, s);
		}
		if (missing.size > 0) {
			const rows = [...missing.values()].map((s) => [s.metric, host, s.labels]);
			await insertRows(
				trx,
				'mon_series',
				['metric', 'host', 'labels'],
				rows,
				SERIES_ROWS_PER_INSERT,
				'ON CONFLICT (metric, host, labels) DO NOTHING',
			);
			const metrics = [...new Set(rows.map((r) => r[0] as string))];
			for (const metricChunk of chunks(metrics, 500)) {
				const existing = await trx('mon_series')
					.where('host', host)
					.whereIn('metric', metricChunk)
					.select('id', 'metric', 'labels');
				for (const row of existing) {
					const key = seriesKey(row.metric, row.labels);
					if (missing.has(key)) found.set(key, Number(row.id));
				}
			}
		}
		return samples.map((s) => {
			const key = seriesKey(s.metric, s.labels);
			const id = known.get(key) ?? found.get(key);
			if (id === undefined) throw new Error(`series ${s.metric} ${s.labels} was not created`);
			return id;
		});
	}

	async close(): Promise<void> {
		await this.knex.destroy();
	}
}

/** A collection's row in mon_collections: the record of the run. */
function collectionRecord(collection: Collection, sampleCount: number) {
	return {
		host: collection.host,
		collector: collection.collector,
		ts: collection.time,
		duration_ms: Math.round(collection.durationMs),
		ok: collection.ok,
		error: collection.error ?? null,
		warnings: collection.warnings.length ? JSON.stringify(collection.warnings) : null,
		sample_count: sampleCount,
	};
}

/** A collection's row in mon_collector_state, as inserted; an existing row is merged (statusMerge). */
function stateRow(collection: Collection) {
	return {
		host: collection.host,
		collector: collection.collector,
		ts: collection.time,
		state: collection.state ? JSON.stringify(collection.state) : null,
		snapshot: collection.snapshot == null ? null : JSON.stringify(collection.snapshot),
		ok: collection.ok,
		status_since: collection.time,
		last_ok_ts: collection.ok ? collection.time : null,
		interval_ms: null,
	};
}

/** Finite values only, one per series (the last wins), labels in canonical form. */
function prepareSamples(collection: Collection): PreparedSample[] {
	const bySeries = new Map<string, PreparedSample>();
	for (const sample of collection.samples) {
		if (typeof sample.value !== 'number' || !Number.isFinite(sample.value)) continue;
		const labels = canonicalLabels(sample.labels);
		bySeries.set(seriesKey(sample.name, labels), {
			metric: sample.name,
			labels,
			value: sample.value,
		});
	}
	return [...bySeries.values()];
}

async function insertSamples(
	trx: Knex.Transaction,
	ts: number,
	samples: PreparedSample[],
	ids: number[],
	dialect: 'sqlite' | 'postgres',
) {
	// On SQLite the hot table is keyed (ts, series_id) (migration 004): the conflict target names
	// the key's columns in its order.
	const conflict =
		dialect === 'sqlite'
			? 'ON CONFLICT (ts, series_id) DO NOTHING'
			: 'ON CONFLICT (series_id, ts) DO NOTHING';
	// Only the values are bound: series ids come from this store's own integer keys and the time is
	// checked to be an integer, so both are written as number literals. A third of the bound
	// parameters is what most of a large insert's client-side time goes into.
	const time = Number(ts);
	if (!Number.isSafeInteger(time) || !ids.every((id) => Number.isSafeInteger(id))) {
		const rows = samples.map((s, i) => [ids[i], ts, s.value]);
		await insertRows(
			trx,
			'mon_samples',
			['series_id', 'ts', 'value'],
			rows,
			SAMPLE_ROWS_PER_INSERT,
			conflict,
		);
		return;
	}
	if (dialect === 'postgres') {
		// Two array parameters instead of a bound parameter per sample: PostgreSQL parses and plans
		// one short statement and the driver sends two text arrays, whatever the collection's size
		// (a VALUES list of 1,000 tuples cost ~20 ms per collection, most of the write).
		const values = samples.map((s) => s.value);
		await trx.raw(
			`INSERT INTO mon_samples ("series_id", "ts", "value")
			 SELECT s, ?::bigint, v FROM unnest(?::integer[], ?::double precision[]) AS u(s, v) ${conflict}`,
			[time, ids, values] as unknown as Knex.Value[],
		);
		return;
	}
	const head = 'INSERT INTO mon_samples ("series_id", "ts", "value") VALUES ';
	for (let i = 0; i < samples.length; i += SAMPLE_ROWS_PER_INSERT) {
		const end = Math.min(samples.length, i + SAMPLE_ROWS_PER_INSERT);
		const tuples: string[] = [];
		const values: number[] = [];
		for (let k = i; k < end; k++) {
			tuples.push(`(${ids[k]},${time},?)`);
			values.push(samples[k].value);
		}
		await trx.raw(`${head}${tuples.join(',')} ${conflict}`, values);
	}
}

/**
 * A multi-row `INSERT ... VALUES (...), (...)` with bound parameters. Knex's own batch insert
 * turns rows into `SELECT ... UNION ALL` on SQLite, which is slower and stops at 500 rows.
 * Table and column names here are constants of this module, never user input.
 */
async function insertRows(
	trx: Knex.Transaction,
	table: string,
	columns: string[],
	rows: unknown[][],
	rowsPerStatement: number,
	onConflict: string,
) {
	const head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
	const tuple = `(${columns.map(() => '?').join(', ')})`;
	for (const chunk of chunks(rows, rowsPerStatement)) {
		const sql = head + Array(chunk.length).fill(tuple).join(', ') + ' ' + onConflict;
		await trx.raw(sql, chunk.flat() as Knex.Value[]);
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isRetryableMigrationError(error: unknown): boolean {
	const message = error instanceof Error ? error.message : String(error);
	return (
		/already locked|already exists|SQLITE_BUSY|database is locked|duplicate key/i.test(message) ||
		errorCode(error) === 'SQLITE_BUSY'
	);
}

/** Turns a driver's error on opening into what went wrong and what to do about it. */
export function explainOpenError(config: StoreConfig, error: unknown): StoreError {
	if (error instanceof StoreError) return error;
	const code = errorCode(error);
	const message = error instanceof Error ? error.message : String(error);
	const where = describeStore(config);
	if (config.type === 'postgres') {
		const target = `${config.host}:${config.port}`;
		if (code === 'ECONNREFUSED')
			return new StoreError(
				`PostgreSQL at ${target} refused the connection`,
				'Check that the server runs and that host and port in the Monitoring Store credential are right.',
				{ cause: error },
			);
		if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
			return new StoreError(
				`The PostgreSQL host ${config.host} cannot be found`,
				'Check the host name in the Monitoring Store credential.',
				{ cause: error },
			);
		if (code === '28P01' || code === '28000')
			return new StoreError(
				`PostgreSQL at ${target} rejected user "${config.user}": ${message}`,
				'Check the user and password in the Monitoring Store credential.',
				{ cause: error },
			);
		if (code === '3D000')
			return new StoreError(
				`The PostgreSQL database "${config.database}" does not exist at ${target}`,
				'Create it (CREATE DATABASE) or name an existing one in the Monitoring Store credential.',
				{ cause: error },
			);
		if (code === '42501')
			return new StoreError(
				`User "${config.user}" may not create the monitoring tables in ${where}: ${message}`,
				'Grant CREATE on the schema to this user, or let an owner run the first collection once.',
				{ cause: error },
			);
	} else {
		if (code === 'SQLITE_NOTADB' || /not a database/i.test(message))
			return new StoreError(
				`The file is not an SQLite database: ${config.filename}`,
				'Point the store at a new file name or an existing monitoring store.',
				{ cause: error },
			);
		if (code === 'SQLITE_READONLY' || /readonly|read-only/i.test(message))
			return new StoreError(
				`The monitoring store is read-only: ${config.filename}`,
				'Give the user that runs n8n write access to the file and its folder.',
				{ cause: error },
			);
		if (code === 'SQLITE_CANTOPEN' || /unable to open/i.test(message))
			return new StoreError(
				`The monitoring store cannot be opened: ${config.filename}`,
				'Check that its folder exists and can be written by the user that runs n8n.',
				{ cause: error },
			);
	}
	return new StoreError(
		`The monitoring store (${where}) could not be opened: ${message}`,
		'See the cause above; if it persists, open an issue with this message.',
		{
			cause: error,
		},
	);
}

/**
 * The upsert of a collector's state row: the new state and snapshot, and its status streak. The
 * streak (status_since) goes on while runs keep the same result and none came later than the
 * staleness rule allows after the one before (core/staleness.ts, with the previous interval);
 * otherwise it starts again at this run. Every right-hand side reads the row as it was.
 */
function statusMerge(
	knex: Knex,
	dialect: 'sqlite' | 'postgres',
	withSnapshot: boolean,
): Record<string, Knex.Raw> {
	const old = 'mon_collector_state';
	const greatest = dialect === 'postgres' ? 'greatest' : 'max';
	const limit = `${greatest}(${STALE_INTERVALS} * coalesce(${old}.interval_ms, 0), ${STALE_MIN_MS})`;
	const gap = `excluded.ts - ${old}.ts`;
	const merge: Record<string, Knex.Raw> = {
		ts: knex.raw('excluded.ts'),
		state: knex.raw('excluded.state'),
		ok: knex.raw('excluded.ok'),
		status_since: knex.raw(
			`case when ${old}.ok = excluded.ok and ${old}.status_since is not null and ${gap} >= 0 and ${gap} <= ${limit} then ${old}.status_since else excluded.ts end`,
		),
		last_ok_ts: knex.raw(`case when excluded.ok then excluded.ts else ${old}.last_ok_ts end`),
		// A run written with an earlier time (an import) keeps the interval it had.
		interval_ms: knex.raw(`case when ${gap} > 0 then ${gap} else ${old}.interval_ms end`),
	};
	if (withSnapshot) merge.snapshot = knex.raw('excluded.snapshot');
	return merge;
}
