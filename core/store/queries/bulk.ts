import type { Knex } from 'knex';

import type { Labels } from '../../model';
import { encodeChunk } from '../chunk-codec';
import { canonicalLabels } from '../labels';
import { bucketOf, HOUR_MS } from '../maintenance';
import { mergeRollups, type RollupBucket } from '../rollup-blocks';
import type { ExecutionRecord } from './executions';
import { num } from './values';

const FIVE_MINUTES_MS = 5 * 60_000;

/** A run of a collector as its record is kept (what writeCollection stores of a collection). */
export interface RunRecord {
	host: string;
	collector: string;
	ts: number;
	durationMs: number;
	ok: boolean;
	error: string | null;
	sampleCount: number;
}

/** A column and its PostgreSQL type, for unnest. */
type Columns = Array<[name: string, pgType: string]>;

const SERIES: Columns = [
	['id', 'int'],
	['metric', 'text'],
	['host', 'text'],
	['labels', 'text'],
];
const SAMPLES: Columns = [
	['series_id', 'int'],
	['ts', 'bigint'],
	['value', 'float8'],
];
const RUNS: Columns = [
	['host', 'text'],
	['collector', 'text'],
	['ts', 'bigint'],
	['duration_ms', 'int'],
	['ok', 'bool'],
	['error', 'text'],
	['sample_count', 'int'],
];
const STATES: Columns = [
	['host', 'text'],
	['collector', 'text'],
	['ts', 'bigint'],
];

/**
 * Loading history in bulk, for benchmarks, fleet tests and imports: millions of samples written
 * through writeCollection would take minutes and measure the write path, not what is read. Rows
 * go in with one statement per large chunk (unnest on PostgreSQL, json_each on SQLite), into
 * the same tables and layout the write path and maintenance leave. Meant for a store that no
 * collection writes to meanwhile.
 */
export class BulkLoad {
	constructor(
		private readonly knex: Knex,
		private readonly dialect: 'sqlite' | 'postgres',
	) {}

	/** Creates series (none of them may exist yet); returns their ids, in order. */
	async series(rows: Array<{ metric: string; host: string; labels?: Labels }>): Promise<number[]> {
		const top = await this.knex('mon_series').max({ id: 'id' }).first();
		let id = num(top?.id ?? 0);
		const ids: number[] = [];
		const values = rows.map((r) => {
			ids.push(++id);
			return [id, r.metric, r.host, canonicalLabels(r.labels)];
		});
		await this.insert('mon_series', SERIES, values);
		if (this.dialect === 'postgres')
			await this.knex.raw(`select setval(pg_get_serial_sequence('mon_series', 'id'), ?)`, [id]);
		return ids;
	}

	/**
	 * Raw samples into the hot table, as [series id, Unix ms, value]. Load the run records of their
	 * hosts at the same times too (`runs`, with `collectorStates`), as a collection writes them: on
	 * SQLite recent samples are found through their hosts' runs (SampleReads.recent, latest).
	 */
	async samples(rows: Array<[number, number, number]>): Promise<void> {
		await this.insert('mon_samples', SAMPLES, rows);
	}

	/** Run records of collectors. */
	async runs(rows: RunRecord[]): Promise<void> {
		await this.insert(
			'mon_collections',
			RUNS,
			rows.map((r) => [r.host, r.collector, r.ts, r.durationMs, r.ok, r.error, r.sampleCount]),
		);
	}

	/** Each collector's state row on a host: when it last ran (no state, snapshot or streak). */
	async collectorStates(
		rows: Array<{ host: string; collector: string; ts: number }>,
	): Promise<void> {
		await this.insert(
			'mon_collector_state',
			STATES,
			rows.map((r) => [r.host, r.collector, r.ts]),
		);
	}

	/**
	 * A series' history as maintenance leaves it: packed hours with their 5-minute and hourly
	 * rollups, points ordered by time, one per time. Only for hours that hold nothing yet.
	 */
	async packedHistory(seriesId: number, points: Array<[number, number]>): Promise<void> {
		const chunks: unknown[][] = [];
		const rollup5m: RollupBucket[] = [];
		const rollup1h: RollupBucket[] = [];
		for (let i = 0; i < points.length; ) {
			const hour = points[i][0] - (points[i][0] % HOUR_MS);
			const inHour: Array<[number, number]> = [];
			for (; i < points.length && points[i][0] < hour + HOUR_MS; i++) inHour.push(points[i]);
			chunks.push([
				seriesId,
				hour,
				inHour.length,
				encodeChunk(
					inHour.map((p) => p[0]),
					inHour.map((p) => p[1]),
				),
			]);
			rollup1h.push(bucketOf(seriesId, hour, inHour));
			for (let k = 0; k < inHour.length; ) {
				const bucket = inHour[k][0] - (inHour[k][0] % FIVE_MINUTES_MS);
				const inBucket: Array<[number, number]> = [];
				for (; k < inHour.length && inHour[k][0] < bucket + FIVE_MINUTES_MS; k++)
					inBucket.push(inHour[k]);
				rollup5m.push(bucketOf(seriesId, bucket, inBucket));
			}
		}
		// Blobs travel as bound parameters, a few hundred per statement.
		for (let i = 0; i < chunks.length; i += 500)
			await this.knex('mon_chunks').insert(
				chunks
					.slice(i, i + 500)
					.map(([series_id, ts, count, data]) => ({ series_id, ts, count, data })),
			);
		await mergeRollups(this.knex, '5m', rollup5m);
		await mergeRollups(this.knex, '1h', rollup1h);
	}

	/** Executions of n8n as the sync stores them. */
	async executions(records: ExecutionRecord[]): Promise<void> {
		// 200 rows x 15 columns stays below SQLite's compound-select and parameter limits.
		for (let i = 0; i < records.length; i += 200)
			await this.knex('mon_executions').insert(records.slice(i, i + 200));
	}

	/** Fresh planner statistics, as autovacuum or a long-running store would have them. */
	async analyze(): Promise<void> {
		await this.knex.raw('analyze');
	}

	/** Inserts rows given as arrays in `columns` order, a chunk per statement. */
	private async insert(table: string, columns: Columns, rows: unknown[][]): Promise<void> {
		const pg = this.dialect === 'postgres';
		const chunk = pg ? 100_000 : 50_000;
		const cols = columns.map(([c]) => `"${c}"`).join(', ');
		for (let i = 0; i < rows.length; i += chunk) {
			const part = rows.slice(i, i + chunk);
			if (pg) {
				const arrays = columns.map((_, k) => part.map((r) => r[k]));
				const unnest = columns.map(([, t]) => `?::${t}[]`).join(', ');
				await this.knex.raw(
					`insert into "${table}" (${cols}) select * from unnest(${unnest})`,
					arrays as Knex.Value[],
				);
			} else {
				const picks = columns.map((_, k) => `json_extract(value, '$[${k}]')`).join(', ');
				await this.knex.raw(`insert into "${table}" (${cols}) select ${picks} from json_each(?)`, [
					JSON.stringify(part),
				]);
			}
		}
	}
}
