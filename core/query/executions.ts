import type { ExecutionFilter, StoreReader } from '../store';

import { QueryError } from './errors';
import { checkOptionalName, checkRange, DAY_MS, HOUR_MS, num } from './validate';
import type { ExecutionRow, ExecutionsPage, ExecutionsQuery } from '../contract/dashboard-api';

export type { ExecutionRow, ExecutionsPage, ExecutionsQuery };

export const MAX_EXECUTIONS_LIMIT = 500;
/** Statuses n8n counts as failed, as in core/n8n's failure rate. */
export const FAILED_STATUSES = ['error', 'crashed'];

function filtered(q: Omit<ExecutionsQuery, 'limit' | 'offset'>): ExecutionFilter {
	const instance = checkOptionalName('instance', q.instance);
	const workflowId = checkOptionalName('workflow', q.workflowId);
	const status = checkOptionalName('status', q.status);
	const { from, to } = checkRange(q.from, q.to);
	return { instance, workflowId, status, from, to };
}

/** Executions started in a range, newest first, one page at a time. */
export async function executions(
	store: Pick<StoreReader, 'executions'>,
	q: ExecutionsQuery,
): Promise<ExecutionsPage> {
	const limit = q.limit ?? 100;
	const offset = q.offset ?? 0;
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EXECUTIONS_LIMIT)
		throw new QueryError(`limit must be a whole number from 1 to ${MAX_EXECUTIONS_LIMIT}`);
	if (!Number.isInteger(offset) || offset < 0 || offset > 1_000_000)
		throw new QueryError('offset must be a whole number from 0 to 1000000');
	const { rows, total } = await store.executions.page(filtered(q), limit, offset);
	const opt = (v: unknown) => (v == null ? null : num(v));
	return {
		total: num(total),
		limit,
		offset,
		executions: rows.map((r) => ({
			instance: String(r.instance),
			id: String(r.id),
			workflowId: String(r.workflow_id),
			workflowName: r.workflow_name == null ? null : String(r.workflow_name),
			status: String(r.status),
			mode: r.mode == null ? null : String(r.mode),
			startedAt: opt(r.started_at),
			stoppedAt: opt(r.stopped_at),
			durationMs: opt(r.duration_ms),
			waitedMs: num(r.waited_ms ?? 0),
			retryOf: r.retry_of == null ? null : String(r.retry_of),
		})),
	};
}

export interface FailureRatePoint {
	ts: number;
	runs: number;
	failed: number;
	/** failed / runs of finished executions; null when none finished in the bucket. */
	rate: number | null;
}

/**
 * Runs and failures per bucket (hourly up to 7 days, daily beyond), counted in the database.
 * Only finished runs count (success, error, crashed), as in the node's failure rate.
 */
export async function failureRateSeries(
	store: Pick<StoreReader, 'executions'>,
	q: Omit<ExecutionsQuery, 'limit' | 'offset' | 'status'>,
): Promise<{ bucketMs: number; points: FailureRatePoint[] }> {
	const bucketMs = q.to - q.from > 7 * DAY_MS ? DAY_MS : HOUR_MS;
	const rows = await store.executions.failureBuckets(filtered(q), bucketMs, [
		'success',
		...FAILED_STATUSES,
	]);
	return {
		bucketMs,
		points: rows.map((r) => {
			const runs = num(r.runs);
			const failed = num(r.failed);
			return { ts: num(r.bucket), runs, failed, rate: runs > 0 ? failed / runs : null };
		}),
	};
}
