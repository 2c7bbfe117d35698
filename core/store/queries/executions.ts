import type { Knex } from 'knex';

import { withBusyRetry } from '../retry';
import { chunks } from './values';

/** Which executions a page or a count is about: a range on started_at (Unix ms), checked. */
export interface ExecutionFilter {
	instance?: string;
	workflowId?: string;
	status?: string;
	from: number;
	to: number;
}

/**
 * One row of mon_executions as written: n8n's execution with times in Unix ms. Read back, the
 * numbers of PostgreSQL's bigint columns arrive as strings.
 */
export interface ExecutionRecord {
	instance: string;
	id: string;
	workflow_id: string;
	workflow_name: string | null;
	status: string;
	mode: string | null;
	started_at: number | null;
	stopped_at: number | null;
	wait_till: number | null;
	duration_ms: number | null;
	waited_ms: number;
	retry_of: string | null;
	retry_success_id: string | null;
	synced_at: number;
}

type Stored<T> = {
	[K in keyof T]: T[K] extends number
		? T[K] | string
		: T[K] extends number | null
			? T[K] | string
			: T[K];
};

/** A stored execution as read back (PostgreSQL's bigints as strings). */
export type StoredExecution = Stored<ExecutionRecord>;

/** What a sync compares an execution with to tell whether it changed. */
export type StoredExecutionState = Pick<
	StoredExecution,
	| 'id'
	| 'workflow_name'
	| 'status'
	| 'started_at'
	| 'stopped_at'
	| 'wait_till'
	| 'duration_ms'
	| 'waited_ms'
>;

/** Runs per workflow and status in a period (manual runs left out). */
export interface WorkflowStatusCount {
	instance: string;
	workflow_id: string;
	workflow_name: string | null;
	status: string;
	n: number | string;
}

/** n8n's executions copied into the store (mon_executions) and each instance's sync state. */
export class ExecutionRecords {
	constructor(private readonly knex: Knex) {}

	private filtered(f: ExecutionFilter) {
		const query = this.knex('mon_executions')
			.where('started_at', '>=', f.from)
			.andWhere('started_at', '<=', f.to);
		if (f.instance) query.andWhere('instance', f.instance);
		if (f.workflowId) query.andWhere('workflow_id', f.workflowId);
		if (f.status) query.andWhere('status', f.status);
		return query;
	}

	/** One page of executions, newest first, and how many match in all. */
	async page(
		f: ExecutionFilter,
		limit: number,
		offset: number,
	): Promise<{ rows: StoredExecution[]; total: number | string }> {
		const [rows, count] = await Promise.all([
			this.filtered(f)
				.orderBy([
					{ column: 'started_at', order: 'desc' },
					{ column: 'id', order: 'desc' },
				])
				.limit(limit)
				.offset(offset)
				.select('*'),
			this.filtered(f).count({ n: '*' }).first(),
		]);
		return { rows: rows as StoredExecution[], total: (count?.n ?? 0) as number | string };
	}

	/**
	 * Runs and failures per bucket of `bucketMs` (a whole number computed by the caller), counted
	 * in the database; only runs whose status is one of `finished` count, `failed` among them.
	 */
	async failureBuckets(
		f: ExecutionFilter,
		bucketMs: number,
		finished: string[],
	): Promise<Array<{ bucket: unknown; runs: unknown; failed: unknown }>> {
		const knex = this.knex;
		const bucket = knex.raw(`("started_at" / ${bucketMs}) * ${bucketMs}`);
		return await this.filtered(f)
			.whereIn('status', finished)
			.groupBy(bucket)
			.orderBy('bucket')
			.select(
				knex.raw(`("started_at" / ${bucketMs}) * ${bucketMs} as "bucket"`),
				knex.raw('count(*) as "runs"'),
				knex.raw(`sum(case when "status" in ('error', 'crashed') then 1 else 0 end) as "failed"`),
			);
	}

	/** Runs per workflow and status started in [from, to), manual runs left out. */
	async statusCounts(from: number, to: number): Promise<WorkflowStatusCount[]> {
		return (await this.knex('mon_executions')
			.where('started_at', '>=', from)
			.andWhere('started_at', '<', to)
			.whereNot('mode', 'manual')
			.groupBy('instance', 'workflow_id', 'workflow_name', 'status')
			.select('instance', 'workflow_id', 'workflow_name', 'status')
			.count({ n: '*' })) as WorkflowStatusCount[];
	}

	/**
	 * Per workflow that ran in production since `since`: its name, its last successful start and
	 * its first start in that time.
	 */
	async workflowsSince(since: number): Promise<
		Array<{
			instance: unknown;
			workflow_id: unknown;
			name: unknown;
			last_success: unknown;
			first_run: unknown;
		}>
	> {
		const knex = this.knex;
		return await knex('mon_executions')
			.where('started_at', '>=', since)
			.andWhere((q) => q.whereNull('mode').orWhereNot('mode', 'manual'))
			.groupBy('instance', 'workflow_id')
			.select(
				'instance',
				'workflow_id',
				knex.raw('max(workflow_name) as name'),
				knex.raw("max(case when status = 'success' then started_at end) as last_success"),
				knex.raw('min(started_at) as first_run'),
			);
	}

	/** An instance's rows started since `since`, plus every one whose status is in `pending`. */
	async since(
		instance: string,
		since: number,
		pending: readonly string[],
	): Promise<StoredExecution[]> {
		return await this.knex('mon_executions')
			.where({ instance })
			.andWhere((q) =>
				q
					.where('started_at', '>=', since)
					.orWhereIn('status', pending as string[])
					.orWhere((q2) => q2.whereNull('started_at').andWhere('stopped_at', '>=', since)),
			)
			.select(
				'id',
				'workflow_id',
				'status',
				'mode',
				'started_at',
				'stopped_at',
				'duration_ms',
				'waited_ms',
				'wait_till',
			);
	}

	/** The last successful production run's stop per workflow of an instance, over everything stored. */
	async lastSuccesses(instance: string): Promise<Array<{ workflow_id: string; last: unknown }>> {
		return await this.knex('mon_executions')
			.where({ instance, status: 'success' })
			.andWhere((q) => q.whereNull('mode').orWhereNot('mode', 'manual'))
			.groupBy('workflow_id')
			.select('workflow_id')
			.max({ last: 'stopped_at' });
	}

	/** Workflow names stored for an instance, by workflow id. */
	async workflowNames(instance: string): Promise<Map<string, string>> {
		const rows = await this.knex('mon_executions')
			.where({ instance })
			.whereNotNull('workflow_name')
			.distinct('workflow_id', 'workflow_name');
		return new Map(rows.map((r) => [String(r.workflow_id), String(r.workflow_name)]));
	}

	/** An instance's executions whose status is one of `statuses`. */
	async withStatus(
		instance: string,
		statuses: readonly string[],
	): Promise<Array<{ id: string; workflow_id: string; status: string }>> {
		return await this.knex('mon_executions')
			.where({ instance })
			.whereIn('status', statuses as string[])
			.select('id', 'workflow_id', 'status');
	}

	/** How many executions of an instance are stored. */
	async count(instance: string): Promise<number> {
		const row = await this.knex('mon_executions').where({ instance }).count({ n: '*' }).first();
		return Number(row?.n ?? 0);
	}

	/** An instance's sync state as stored (JSON text), or undefined. */
	async syncState(instance: string): Promise<string | undefined> {
		const row = await this.knex('mon_n8n_sync').where({ instance }).first('state');
		return row?.state ? String(row.state) : undefined;
	}

	async saveSyncState(instance: string, state: string, now: number): Promise<void> {
		await withBusyRetry(() =>
			this.knex('mon_n8n_sync')
				.insert({ instance, state, updated_at: now })
				.onConflict('instance')
				.merge(['state', 'updated_at']),
		);
	}

	/**
	 * Writes one batch of an instance's executions in one transaction: reads what is stored of
	 * `ids`, hands it to `build` for the rows to write, and upserts them. `build` may run again
	 * when SQLite was busy, with what is stored then.
	 */
	async upsert(
		instance: string,
		ids: string[],
		build: (stored: Map<string, StoredExecutionState>) => ExecutionRecord[],
	): Promise<void> {
		await withBusyRetry(() =>
			this.knex.transaction(async (trx) => {
				const existing = new Map<string, StoredExecutionState>();
				for (const chunk of chunks(ids, 500)) {
					const rows = await trx('mon_executions')
						.where({ instance })
						.whereIn('id', chunk)
						.select<
							StoredExecutionState[]
						>('id', 'workflow_name', 'status', 'started_at', 'stopped_at', 'wait_till', 'duration_ms', 'waited_ms');
					for (const r of rows) existing.set(String(r.id), r);
				}
				const rows = build(existing);
				// 200 rows x 15 columns stays below SQLite's compound-select and parameter limits.
				for (const chunk of chunks(rows, 200)) {
					await trx('mon_executions')
						.insert(chunk)
						.onConflict(['instance', 'id'])
						.merge([
							'workflow_id',
							'workflow_name',
							'status',
							'mode',
							'started_at',
							'stopped_at',
							'wait_till',
							'duration_ms',
							'waited_ms',
							'retry_of',
							'retry_success_id',
							'synced_at',
						]);
				}
			}),
		);
	}
}
