import type { Knex } from 'knex';

import { decimalSum, decodeChunk, encodeChunk } from './chunk-codec';
import type { RetentionDays } from './config';
import { BLOCK_MS, mergeRollups, ROLLUP_TABLE, type RollupBucket } from './rollup-blocks';

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const FIVE_MINUTES_MS = 5 * 60_000;

/**
 * The hot table always keeps at least the last hour (until `now`): latest values (15 minutes),
 * sparklines (1 hour) and the alert windows read it without decoding anything. An hour is packed
 * once it ended at least this long ago, so late samples of a collection that ran long still land
 * in the hot table first.
 */
export const HOT_MS = HOUR_MS;

/** Series per packing transaction: bounds the rows one step moves (an hour of 1,000 series). */
const SERIES_PER_STEP = 1000;
/** Rows per retention statement for the record tables. */
const RECORDS_PER_STEP = 5000;
/** Rows one retention statement deletes at most (about: series in the batch x buckets). */
const ROWS_PER_DELETE = 50_000;
/** Any number; one lock for maintenance on a PostgreSQL store shared by several n8n processes. */
const PG_MAINTENANCE_LOCK = 727_274_001;

export interface MaintenanceReport {
	/** Samples moved from the hot table into packed hours. */
	packedSamples: number;
	/** Rows removed because they were past retention, per table. */
	deleted: Record<string, number>;
	/** False when the time budget ran out with work left: the next run comes sooner. */
	done: boolean;
	ms: number;
}

export interface MaintenanceOptions {
	now: number;
	retention: RetentionDays;
	/** Wall-clock budget; a step that started is finished, so a run can overshoot by one step. */
	budgetMs: number;
	dialect: 'sqlite' | 'postgres';
}

/**
 * One bounded round of upkeep: pack completed hours of the hot table (with their rollups), then
 * delete what is past retention. Every step is its own transaction, so an interrupted run (a
 * database that went away) loses nothing and the next run goes on from what is in the tables.
 */
export async function runMaintenance(
	knex: Knex,
	options: MaintenanceOptions,
): Promise<MaintenanceReport> {
	const started = Date.now();
	const report: MaintenanceReport = { packedSamples: 0, deleted: {}, done: true, ms: 0 };
	// Every run makes progress, however small its budget: the first step is always taken.
	let steps = 0;
	const timeLeft = () => steps++ === 0 || Date.now() - started < options.budgetMs;
	const finish = (done: boolean) => {
		report.done = done;
		report.ms = Date.now() - started;
		return report;
	};

	// Raw samples reach retention only packed, and packing writes their rollups first: so raw data
	// is never deleted before its rollup exists.
	const packableEnd = options.now - HOT_MS;
	let previousHour = NaN;
	for (;;) {
		const oldest = await oldestHotSample(knex);
		if (oldest === undefined) break;
		const hour = oldest - (oldest % HOUR_MS);
		if (hour + HOUR_MS > packableEnd) break;
		if (!timeLeft()) return finish(false);
		const moved = await packHour(knex, options.dialect, hour);
		report.packedSamples += moved;
		// Nothing moved twice for the same hour: another process holds it; next run goes on.
		if (moved === 0 && hour === previousHour) return finish(false);
		previousHour = hour;
	}

	const { retention, now } = options;
	const rawCutoff = Math.floor((now - retention.raw * DAY_MS) / HOUR_MS) * HOUR_MS;
	// A block of rollups goes once all of it is past retention: [ts, ts + block) ends at or before
	// the cutoff. So up to one block (a day of 5-minute buckets, a week of hourly ones) more is kept.
	const blockCutoff = (days: number, blockMs: number) => now - days * DAY_MS - blockMs + 1;
	const tables: Array<[string, number, number]> = [
		['mon_chunks', rawCutoff, HOUR_MS],
		[ROLLUP_TABLE['5m'], blockCutoff(retention.rollup5m, BLOCK_MS['5m']), BLOCK_MS['5m']],
		[ROLLUP_TABLE['1h'], blockCutoff(retention.rollup1h, BLOCK_MS['1h']), BLOCK_MS['1h']],
	];
	for (const [table, cutoff, bucketMs] of tables) {
		const done = await deleteExpiredBuckets(
			knex,
			options,
			table,
			cutoff,
			bucketMs,
			report,
			timeLeft,
		);
		if (!done) return finish(false);
	}
	const recordCutoff = now - retention.records * DAY_MS;
	if (!(await deleteExpiredRecords(knex, options, recordCutoff, report, timeLeft)))
		return finish(false);
	return finish(true);
}

async function oldestHotSample(knex: Knex): Promise<number | undefined> {
	const row = await knex('mon_samples').min({ ts: 'ts' }).first();
	return row?.ts == null ? undefined : Number(row.ts);
}

/**
 * Moves one hour of the hot table into mon_chunks, a batch of series per transaction: the hot
 * rows are deleted and returned by one statement (so a sample written meanwhile is either moved
 * or left for next time, never lost), merged with what an earlier run packed for that hour (late
 * samples), and the hour's 5-minute and hourly rollups are rewritten from the complete hour.
 */
async function packHour(knex: Knex, dialect: 'sqlite' | 'postgres', hour: number): Promise<number> {
	const maxRow = await knex('mon_series').max({ id: 'id' }).first();
	const maxId = Number(maxRow?.id ?? 0);
	let moved = 0;
	for (let first = 0; first <= maxId; first += SERIES_PER_STEP) {
		moved += await inStep(knex, dialect, `packed ${hour}`, async (trx) => {
			const deleted = rowsOf(
				await trx.raw(
					`DELETE FROM mon_samples WHERE ts >= ? AND ts < ? AND series_id >= ? AND series_id < ?
					 RETURNING series_id, ts, value`,
					[hour, hour + HOUR_MS, first, first + SERIES_PER_STEP],
				),
			);
			if (deleted.length === 0) return 0;
			const bySeries = new Map<number, Array<[number, number]>>();
			for (const row of deleted) {
				const id = Number(row.series_id);
				let list = bySeries.get(id);
				if (!list) bySeries.set(id, (list = []));
				list.push([Number(row.ts), Number(row.value)]);
			}
			const ids = [...bySeries.keys()];
			for (const part of slices(ids, 500)) {
				const existing = await trx('mon_chunks')
					.where('ts', hour)
					.whereIn('series_id', part)
					.select('series_id', 'data');
				for (const row of existing) {
					const old = decodeChunk(row.data as Uint8Array);
					const list = bySeries.get(Number(row.series_id))!;
					// An earlier packing wins over a late duplicate, as the hot table's own key would.
					const seen = new Set(old.ts);
					const late = list.filter(([ts]) => !seen.has(ts));
					list.length = 0;
					for (let i = 0; i < old.ts.length; i++) list.push([old.ts[i], old.values[i]]);
					list.push(...late);
				}
			}
			const chunkRows: unknown[][] = [];
			const rollup5m: RollupBucket[] = [];
			const rollup1h: RollupBucket[] = [];
			for (const [id, list] of bySeries) {
				list.sort((a, b) => a[0] - b[0]);
				const unique = list.filter((p, i) => i === 0 || p[0] !== list[i - 1][0]);
				chunkRows.push([
					id,
					hour,
					unique.length,
					encodeChunk(
						unique.map((p) => p[0]),
						unique.map((p) => p[1]),
					),
				]);
				rollup1h.push(bucketOf(id, hour, unique));
				for (let b = hour; b < hour + HOUR_MS; b += FIVE_MINUTES_MS) {
					const inBucket = unique.filter(([ts]) => ts >= b && ts < b + FIVE_MINUTES_MS);
					if (inBucket.length > 0) rollup5m.push(bucketOf(id, b, inBucket));
				}
			}
			await upsert(trx, 'mon_chunks', ['series_id', 'ts', 'count', 'data'], chunkRows, 500);
			await mergeRollups(trx, '5m', rollup5m);
			await mergeRollups(trx, '1h', rollup1h);
			return deleted.length;
		});
	}
	return moved;
}

/**
 * The bucket of some points: minimum, maximum, count, and their sum taken exactly when they are
 * decimals (`decimalSum`), so that the packed sums stay decimals too.
 */
export function bucketOf(
	seriesId: number,
	ts: number,
	points: Array<[number, number]>,
): RollupBucket {
	let min = Infinity;
	let max = -Infinity;
	for (const [, v] of points) {
		if (v < min) min = v;
		if (v > max) max = v;
	}
	const sum = decimalSum(points.map((p) => p[1]));
	return { seriesId, ts, min, max, sum, count: points.length };
}

/**
 * Deletes the buckets of a table keyed by (series_id, ts) that start before `cutoff`, for a batch
 * of series at a time and about ROWS_PER_DELETE rows per statement at most, so that a
 * store that was down for months (or whose retention was shortened) catches up over several runs.
 * The `series_id IN (...)` form makes SQLite seek each series' key instead of scanning the table.
 */
async function deleteExpiredBuckets(
	knex: Knex,
	options: MaintenanceOptions,
	table: string,
	cutoff: number,
	bucketMs: number,
	report: MaintenanceReport,
	timeLeft: () => boolean,
): Promise<boolean> {
	const maxRow = await knex('mon_series').max({ id: 'id' }).first();
	const maxId = Number(maxRow?.id ?? 0);
	for (let first = 0; first <= maxId; first += SERIES_PER_STEP) {
		const ids = knex('mon_series')
			.select('id')
			.where('id', '>=', first)
			.andWhere('id', '<', first + SERIES_PER_STEP);
		const [{ n }] = await knex('mon_series')
			.where('id', '>=', first)
			.andWhere('id', '<', first + SERIES_PER_STEP)
			.count({ n: '*' });
		const bucketsPerStep = Math.max(1, Math.floor(ROWS_PER_DELETE / Math.max(1, Number(n))));
		for (;;) {
			const row = rowsOf(
				await knex.raw(
					`SELECT min((SELECT min(ts) FROM ${table} t WHERE t.series_id = s.id)) AS oldest
					 FROM mon_series s WHERE s.id >= ? AND s.id < ?`,
					[first, first + SERIES_PER_STEP],
				),
			)[0];
			const oldest = row?.oldest == null ? undefined : Number(row.oldest);
			if (oldest === undefined || oldest >= cutoff) break;
			if (!timeLeft()) return false;
			const upTo = Math.min(cutoff, oldest + bucketsPerStep * bucketMs);
			const n = await inStep(knex, options.dialect, `expired ${table}`, (trx) =>
				trx(table).whereIn('series_id', ids.clone()).andWhere('ts', '<', upTo).del(),
			);
			report.deleted[table] = (report.deleted[table] ?? 0) + n;
		}
	}
	return true;
}

/** Collection runs and n8n executions older than the records retention, a bounded batch at a time. */
async function deleteExpiredRecords(
	knex: Knex,
	options: MaintenanceOptions,
	cutoff: number,
	report: MaintenanceReport,
	timeLeft: () => boolean,
): Promise<boolean> {
	for (;;) {
		if (!timeLeft()) return false;
		const n = await inStep(knex, options.dialect, 'expired mon_collections', (trx) =>
			trx('mon_collections')
				.whereIn(
					'id',
					trx('mon_collections').select('id').where('ts', '<', cutoff).limit(RECORDS_PER_STEP),
				)
				.del(),
		);
		report.deleted.mon_collections = (report.deleted.mon_collections ?? 0) + n;
		if (n < RECORDS_PER_STEP) break;
	}
	// Executions only arrive through a sync, which keeps one row per instance in mon_n8n_sync:
	// deleting per instance uses the (instance, started_at) index instead of scanning them all.
	const instances = (await knex('mon_n8n_sync').select('instance')).map((r) => String(r.instance));
	for (const instance of instances) {
		for (;;) {
			if (!timeLeft()) return false;
			const n = await inStep(knex, options.dialect, 'expired mon_executions', (trx) =>
				trx('mon_executions')
					.where('instance', instance)
					.whereIn(
						'id',
						trx('mon_executions')
							.select('id')
							.where('instance', instance)
							.andWhere('started_at', '<', cutoff)
							.limit(RECORDS_PER_STEP),
					)
					.del(),
			);
			report.deleted.mon_executions = (report.deleted.mon_executions ?? 0) + n;
			if (n < RECORDS_PER_STEP) break;
		}
	}
	return true;
}

/**
 * One transaction of maintenance. It starts with a write (the progress row), so that on SQLite it
 * holds the write lock from the start and a busy writer makes it wait instead of failing on a lock
 * upgrade; on PostgreSQL an advisory lock keeps two processes from packing the same hour at once.
 */
async function inStep<T>(
	knex: Knex,
	dialect: 'sqlite' | 'postgres',
	what: string,
	work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
	return knex.transaction(async (trx) => {
		if (dialect === 'postgres')
			await trx.raw('SELECT pg_advisory_xact_lock(?)', [PG_MAINTENANCE_LOCK]);
		await trx('mon_maintenance')
			.insert({ name: 'last_step', value: 0, note: what, updated_at: Date.now() })
			.onConflict('name')
			.merge(['note', 'updated_at']);
		return work(trx);
	});
}

async function upsert(
	trx: Knex.Transaction,
	table: string,
	columns: string[],
	rows: unknown[][],
	rowsPerStatement: number,
) {
	const keys = new Set(['series_id', 'ts']);
	const updates = columns
		.filter((c) => !keys.has(c))
		.map((c) => `"${c}" = excluded."${c}"`)
		.join(', ');
	const head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
	const tuple = `(${columns.map(() => '?').join(', ')})`;
	for (const part of slices(rows, rowsPerStatement)) {
		const sql = `${head}${Array(part.length).fill(tuple).join(', ')} ON CONFLICT (series_id, ts) DO UPDATE SET ${updates}`;
		await trx.raw(sql, part.flat() as Knex.Value[]);
	}
}

/** SQLite drivers answer a raw query with the rows, pg with a result that holds them. */
export function rowsOf(result: unknown): Array<Record<string, unknown>> {
	if (Array.isArray(result)) return result as Array<Record<string, unknown>>;
	return ((result as { rows?: unknown[] })?.rows ?? []) as Array<Record<string, unknown>>;
}

function slices<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
