import type { ExecutionFact, WorkflowFigures } from './figures';

/**
 * Executions that should have finished: queued or running longer than their workflow's limit,
 * or waiting past their planned resume by more than it. The limit is the node's Stuck After when
 * set, else the larger of 10 minutes and 3 times the workflow's own p95 duration (so a workflow
 * that always takes an hour is not stuck at minute 11). What is not judged, and why:
 * - an execution waiting without a resume time (a Wait node on a webhook or a form) waits for a
 *   person or a call, which can rightly take days;
 * - an execution with no start time (n8n had not started it when it was synced) is judged from
 *   nothing: left out until it has one;
 * - executions n8n's public API does not list are not seen (core/n8n/sync.ts syncs what
 *   GET /executions returns; n8n 2.40 lists new, running and waiting ones).
 */
export const STUCK_MIN_MS = 10 * 60_000;
export const STUCK_P95_FACTOR = 3;

export interface StuckExecution {
	id: string;
	workflowId: string;
	status: string;
	/** Since when it counts: its start, or its planned resume for a waiting one. */
	since: number;
	overMs: number;
	limitMs: number;
	/** The execution in the n8n editor. */
	link: string;
}

export function stuckExecutions(
	facts: ExecutionFact[],
	workflows: Record<string, WorkflowFigures>,
	options: { now: number; baseUrl: string; limitMs?: number },
): StuckExecution[] {
	const out: StuckExecution[] = [];
	const base = options.baseUrl.replace(/\/+$/, '');
	for (const f of facts) {
		const limitMs =
			options.limitMs ??
			Math.max(STUCK_MIN_MS, STUCK_P95_FACTOR * (workflows[f.workflowId]?.durationMs.p95 ?? 0));
		let since: number | null = null;
		if (f.status === 'new' || f.status === 'running') since = f.startedAt;
		else if (f.status === 'waiting') since = f.waitTill ?? null;
		if (since === null) continue;
		const overMs = options.now - since;
		if (overMs <= limitMs) continue;
		out.push({
			id: f.id,
			workflowId: f.workflowId,
			status: f.status,
			since,
			overMs,
			limitMs,
			link: `${base}/workflow/${encodeURIComponent(f.workflowId)}/executions/${encodeURIComponent(f.id)}`,
		});
	}
	return out.sort((a, b) => a.since - b.since);
}
