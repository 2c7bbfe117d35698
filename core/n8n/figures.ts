import type { ExecutionRow } from '../contract/dashboard-api';
import { parseMetricsPage } from '../prometheus-text';
import type { N8nWorkflow } from './client';

/**
 * Figures over n8n executions: pure functions of stored rows, the workflow list and a time, so
 * they are tested with exact numbers and without n8n or a database.
 */

/** An execution as figures need it (a stored execution, times in Unix ms). */
export type ExecutionFact = Omit<ExecutionRow, 'instance' | 'workflowName' | 'retryOf'> & {
	/** A waiting execution's planned resume (Unix ms); null: it waits for a call (webhook, form). */
	waitTill?: number | null;
};

export interface DurationFigures {
	count: number;
	avg: number | null;
	p50: number | null;
	p95: number | null;
	max: number | null;
}

export interface RunCounts {
	runs: number;
	successes: number;
	failures: number;
	/** Neither success nor failure: canceled, unknown, and runs not finished yet. */
	other: number;
	/** failures / (successes + failures); null when nothing finished either way. */
	failureRate: number | null;
	/** By n8n status (success, error, crashed, canceled, running, waiting, ...). */
	byStatus: Record<string, number>;
}

export interface WorkflowFigures {
	/** Production runs: every mode but 'manual' (trigger, webhook, retry, integrated, ...). */
	production: RunCounts;
	/** Runs started from the editor (mode 'manual'), counted apart so tests do not skew rates. */
	manual: RunCounts;
	/** Of finished production runs, in milliseconds, time spent waiting left out. */
	durationMs: DurationFigures;
	/** Now, whatever the window: executions whose status is new or running / waiting. */
	running: number;
	waiting: number;
}

export interface ExecutionFigures {
	windowMs: number;
	since: number;
	overall: WorkflowFigures;
	workflows: Record<string, WorkflowFigures>;
}

export const FAILURE_STATUSES = ['error', 'crashed'];

/**
 * Counts and durations over the window [now - windowMs, now], by workflow and overall. An
 * execution belongs to the window by its start time (by its stop time when it has no start).
 * Running and waiting counts are "now": every row that is still new/running or waiting counts,
 * even when it started before the window.
 */
export function executionFigures(
	rows: ExecutionFact[],
	{ now, windowMs }: { now: number; windowMs: number },
): ExecutionFigures {
	const since = now - windowMs;
	const overall = newCollector();
	const perWorkflow = new Map<string, ReturnType<typeof newCollector>>();
	for (const row of rows) {
		let w = perWorkflow.get(row.workflowId);
		if (!w) perWorkflow.set(row.workflowId, (w = newCollector()));
		for (const c of [overall, w]) {
			if (row.status === 'new' || row.status === 'running') c.running++;
			if (row.status === 'waiting') c.waiting++;
		}
		const at = row.startedAt ?? row.stoppedAt;
		if (at === null || at < since || at > now) continue;
		for (const c of [overall, w]) {
			const counts = row.mode === 'manual' ? c.manual : c.production;
			counts.runs++;
			counts.byStatus[row.status] = (counts.byStatus[row.status] ?? 0) + 1;
			if (row.status === 'success') counts.successes++;
			else if (FAILURE_STATUSES.includes(row.status)) counts.failures++;
			else counts.other++;
			if (row.mode !== 'manual' && row.durationMs !== null && row.stoppedAt !== null) {
				c.durations.push(Math.max(0, row.durationMs - (row.waitedMs || 0)));
			}
		}
	}
	const workflows: Record<string, WorkflowFigures> = {};
	for (const [id, c] of [...perWorkflow.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
		workflows[id] = finish(c);
	}
	return { windowMs, since, overall: finish(overall), workflows };
}

function newCounts(): RunCounts {
	return { runs: 0, successes: 0, failures: 0, other: 0, failureRate: null, byStatus: {} };
}

function newCollector() {
	return {
		production: newCounts(),
		manual: newCounts(),
		durations: [] as number[],
		running: 0,
		waiting: 0,
	};
}

function finish(c: ReturnType<typeof newCollector>): WorkflowFigures {
	for (const counts of [c.production, c.manual]) {
		const judged = counts.successes + counts.failures;
		counts.failureRate = judged ? counts.failures / judged : null;
	}
	return {
		production: c.production,
		manual: c.manual,
		durationMs: durationFigures(c.durations),
		running: c.running,
		waiting: c.waiting,
	};
}

/**
 * avg, p50, p95 and max of a list. Percentiles are nearest-rank: the p-th percentile is the
 * smallest value with at least p % of the values at or below it, i.e. sorted[ceil(p/100 * n) - 1].
 * It is always a value that occurred (no interpolation), so "p95 = 1.2 s" means a real run took
 * that long; with fewer than 20 runs p95 is the maximum.
 */
export function durationFigures(values: number[]): DurationFigures {
	if (values.length === 0) return { count: 0, avg: null, p50: null, p95: null, max: null };
	const sorted = [...values].sort((a, b) => a - b);
	const sum = sorted.reduce((total, v) => total + v, 0);
	return {
		count: sorted.length,
		avg: sum / sorted.length,
		p50: nearestRank(sorted, 50),
		p95: nearestRank(sorted, 95),
		max: sorted[sorted.length - 1],
	};
}

export function nearestRank(sorted: number[], p: number): number {
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[Math.min(rank, sorted.length) - 1];
}

// ---------------------------------------------------------------------------------------------
// Stalled workflows

export interface StalledJudgement {
	workflowId: string;
	name: string;
	/**
	 * Where the expected interval came from; 'none' means the workflow is not judged, and so does
	 * 'unsaved': n8n keeps none of its successful runs (saveDataSuccessExecution 'none', as the
	 * starters every minute do), so no stored success is no evidence that it stopped.
	 */
	source: 'user' | 'schedule' | 'none' | 'unsaved';
	expectedIntervalMs: number | null;
	/** Last successful production run (Unix ms), null when none is stored. */
	lastSuccessAt: number | null;
	/** What the age was measured from: the last success, else when the workflow was last saved. */
	since: number | null;
	stalled: boolean | null;
}

export interface StalledOptions {
	now: number;
	/** Per workflow id, the interval the user expects between successful runs (ms). */
	expectedIntervals?: Record<string, number>;
	/**
	 * A workflow is stalled when its last success is older than grace x the expected interval.
	 * Default 2: one late or missed run is tolerated, so a run every minute that took 61 s does
	 * not flap the alarm.
	 */
	grace?: number;
}

/**
 * Active workflows whose last successful run is older than expected. The expected interval is
 * the user's (expectedIntervals), else one derived from the workflow's Schedule Trigger when
 * that is a simple interval (seconds, minutes, hours), else the workflow is not judged (cron
 * rules, days and weeks, several triggers, webhooks: "no run" may simply mean "no caller").
 * A workflow with no stored success is measured from its last save (updatedAt), which is when
 * n8n last (re)activated it, so a workflow published a minute ago is not stalled yet. A workflow
 * whose successful runs n8n does not save is not judged: its silence says nothing.
 */
export function stalledWorkflows(
	workflows: N8nWorkflow[],
	lastSuccess: Record<string, number>,
	options: StalledOptions,
): StalledJudgement[] {
	const grace = options.grace ?? 2;
	const out: StalledJudgement[] = [];
	for (const w of workflows) {
		if (!w.active) continue;
		const id = String(w.id);
		const user = options.expectedIntervals?.[id];
		const derived = user === undefined ? scheduleIntervalMs(w) : null;
		const expected = user !== undefined && user > 0 ? user : derived;
		const lastSuccessAt = lastSuccess[id] ?? null;
		const saved = toMs(w.updatedAt) ?? toMs(w.createdAt);
		const since = lastSuccessAt ?? saved;
		const unsaved = w.settings?.saveDataSuccessExecution === 'none';
		let stalled: boolean | null = null;
		if (expected !== null && since !== null && !unsaved)
			stalled = options.now - since > grace * expected;
		out.push({
			workflowId: id,
			name: w.name,
			source: unsaved
				? 'unsaved'
				: expected === null
					? 'none'
					: user !== undefined
						? 'user'
						: 'schedule',
			expectedIntervalMs: expected,
			lastSuccessAt,
			since,
			stalled,
		});
	}
	return out;
}

const SCHEDULE_TRIGGER = 'n8n-nodes-base.scheduleTrigger';

/** Defaults of the Schedule Trigger node (n8n-nodes-base 2.40) when a field is left unset. */
const INTERVAL_FIELDS: Record<string, { param: string; default: number; unitMs: number }> = {
	seconds: { param: 'secondsInterval', default: 30, unitMs: 1000 },
	minutes: { param: 'minutesInterval', default: 5, unitMs: 60_000 },
	hours: { param: 'hoursInterval', default: 1, unitMs: 3_600_000 },
};

/**
 * The interval of a workflow's only enabled Schedule Trigger when it has exactly one rule of
 * seconds, minutes or hours; null otherwise (cron expressions, days, weeks, months, several
 * rules or triggers: their gaps are uneven and judging them needs a cron engine).
 */
export function scheduleIntervalMs(workflow: Pick<N8nWorkflow, 'nodes'>): number | null {
	const triggers = (workflow.nodes ?? []).filter((n) => n.type === SCHEDULE_TRIGGER && !n.disabled);
	if (triggers.length !== 1) return null;
	const rule = triggers[0].parameters?.rule as
		| { interval?: Array<Record<string, unknown>> }
		| undefined;
	const intervals = rule?.interval;
	if (!Array.isArray(intervals) || intervals.length !== 1) return null;
	const item = intervals[0];
	const field = typeof item.field === 'string' ? item.field : 'days';
	const spec = INTERVAL_FIELDS[field];
	if (!spec) return null;
	const raw = item[spec.param] ?? spec.default;
	const value = typeof raw === 'number' ? raw : Number(raw);
	if (!Number.isFinite(value) || value <= 0) return null; // an expression such as ={{ ... }}
	return value * spec.unitMs;
}

function toMs(value: string | undefined | null): number | null {
	if (!value) return null;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : null;
}

// ---------------------------------------------------------------------------------------------
// Queue metrics

/** n8n's queue gauges (queue mode, N8N_METRICS_INCLUDE_QUEUE_METRICS=true) by state. */
export type QueueFigures = Record<string, number>;

const QUEUE_PREFIX = 'n8n_scaling_mode_queue_jobs_';

/**
 * The `n8n_scaling_mode_queue_jobs_<state>` series of n8n's /metrics page: the gauges waiting
 * and active, and the counters completed and failed (totals since that main started), keyed by state, summed over any labels. Empty when n8n does not run
 * in queue mode or does not export queue metrics. Throws on a page that cannot be read.
 * The metric prefix (N8N_METRICS_PREFIX) is assumed to be the default `n8n_`.
 */
export function queueMetrics(metricsText: string): QueueFigures {
	const page = parseMetricsPage(metricsText);
	const out: QueueFigures = {};
	for (const [name, samples] of page) {
		if (!name.startsWith(QUEUE_PREFIX)) continue;
		// completed and failed are counters since n8n started; some exporters add `_total`.
		const state = name.slice(QUEUE_PREFIX.length).replace(/_total$/, '');
		if (!state || state.endsWith('_created')) continue;
		out[state] = samples.reduce((total, s) => total + s.value, 0);
	}
	return out;
}
