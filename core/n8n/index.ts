import type { Collection, Sample } from '../model';
import type { MonitoringStore, PoolStats } from '../store';
import { N8nClient, type N8nWorkflow } from './client';
import {
	type ExecutionFact,
	type ExecutionFigures,
	executionFigures,
	queueMetrics as parseQueueMetrics,
	type QueueFigures,
	type StalledJudgement,
	stalledWorkflows,
	type WorkflowFigures,
} from './figures';
import { hasProcessFigures, processHealth, processSamples, type ProcessHealth } from './process';
import { stuckExecutions, type StuckExecution } from './stuck';
import { poolSamples } from './store-pool';
import { PENDING_STATUSES, type SyncResult, syncExecutions } from './sync';

export * from './client';
export * from './figures';
export * from './sync';
export * from './process';
export * from './stuck';
export * from './store-pool';

export const N8N_COLLECTOR = 'n8n';
export const DEFAULT_WINDOW_MS = 24 * 3_600_000;

export interface CollectN8nOptions {
	/** Names this n8n in the store (the collection's host); default the base URL's host:port. */
	instance?: string;
	/** Figures cover executions started in the last windowMs; default 24 h. */
	windowMs?: number;
	/** Per workflow id, how often it should succeed (ms); overrides its Schedule Trigger. */
	expectedIntervals?: Record<string, number>;
	/** Also read /metrics for queue-mode job counts (needs N8N_METRICS=true). */
	queueMetrics?: boolean;
	/** An execution running, queued or overdue for longer is stuck; default per workflow (stuck.ts). */
	stuckAfterMs?: number;
	/** Also read /metrics for n8n's process health: CPU, memory, heap, event-loop lag (needs N8N_METRICS=true). */
	processHealth?: boolean;
	signal?: AbortSignal;
	now?: () => number;
}

export interface N8nSnapshot {
	instance: string;
	baseUrl: string;
	apiUp: boolean;
	error?: string;
	sync: Omit<SyncResult, 'workflows'>;
	windowMs: number;
	overall: WorkflowFigures;
	workflows: Array<{ id: string; name: string | null; active: boolean | null } & WorkflowFigures>;
	stalled: StalledJudgement[];
	/** Executions that should have finished, oldest first (at most 50). */
	stuck: StuckExecution[];
	queue?: QueueFigures;
	/** n8n's process as its /metrics page says (with the Process Health option). */
	process?: ProcessHealth;
	/** Why Process Health has no figures (n8n without N8N_METRICS, a page that is not n8n's). */
	processError?: string;
	/**
	 * The monitoring store's pool in the process that ran this collection, with the peak of
	 * waiting acquirers and the longest wait since its previous n8n collection (store_pool_*).
	 */
	storePool?: PoolStats & { store: 'sqlite' | 'postgres' };
}

export interface CollectN8nResult {
	collection: Collection<N8nSnapshot>;
	sync: SyncResult;
}

/**
 * Syncs an n8n instance's executions into the store, then computes figures over the window from
 * the stored rows. A failed API call is data (n8n_api_up 0 and the reason): what was synced stays
 * stored, and the figures still come from what the store holds. The caller stores the collection
 * (store.writeCollection), so this function only writes executions and the sync state (store.executions).
 */
export async function collectN8n(
	store: MonitoringStore,
	client: N8nClient,
	options: CollectN8nOptions = {},
): Promise<CollectN8nResult> {
	const now = options.now ?? Date.now;
	const started = now();
	const instance = options.instance || client.defaultInstance;
	const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
	const warnings: string[] = [];

	const sync = await syncExecutions(store.executions, client, {
		instance,
		signal: options.signal,
		now,
	});
	const workflows: N8nWorkflow[] | undefined = sync.workflows;
	const at = now();

	const facts = await loadFacts(store, instance, at - windowMs);
	const figures = executionFigures(facts, { now: at, windowMs });
	const lastSuccess = await lastSuccesses(store, instance);
	// Without the workflow list (API down) nothing says which workflows are active: not judged.
	const stalled = workflows
		? stalledWorkflows(workflows, lastSuccess, {
				now: at,
				expectedIntervals: options.expectedIntervals,
			})
		: [];

	let queue: QueueFigures | undefined;
	let process: ProcessHealth | undefined;
	let processError: string | undefined;
	if (options.queueMetrics || options.processHealth) {
		// One read of the page for both; a page n8n does not serve is a warning, not a failure.
		const what = [
			options.processHealth && 'process health',
			options.queueMetrics && 'queue metrics',
		]
			.filter(Boolean)
			.join(' and ');
		try {
			const text = await client.metricsText(options.signal);
			if (options.queueMetrics) {
				queue = parseQueueMetrics(text);
				if (Object.keys(queue).length === 0) {
					warnings.push(
						'n8n /metrics has no queue figures: it runs without queue mode or without N8N_METRICS_INCLUDE_QUEUE_METRICS=true',
					);
				}
			}
			if (options.processHealth) {
				const previous = await previousProcess(store, instance);
				const read = processHealth(text, now(), previous);
				if (hasProcessFigures(read)) process = read;
				else {
					processError = `${client.baseUrl}/metrics has none of n8n's figures (no n8n_version_info, no process or heap figures): it is not n8n's page`;
					warnings.push(`process health: ${processError}`);
				}
			}
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			if (options.processHealth) processError = reason;
			warnings.push(`${what}: ${reason}`);
		}
	}

	const names = new Map<string, string>();
	for (const w of workflows ?? []) names.set(String(w.id), w.name);
	for (const [id, name] of await storedNames(store, instance))
		if (!names.has(id)) names.set(id, name);

	const stuck = stuckExecutions(facts, figures.workflows, {
		now: at,
		baseUrl: client.baseUrl,
		limitMs: options.stuckAfterMs,
	});
	const samples = toSamples(figures, stalled, sync, queue);
	// Every workflow of the figures gets its count, 0 too: an alert on it resolves when it clears.
	for (const workflow of Object.keys(figures.workflows))
		samples.push({
			name: 'n8n_executions_stuck',
			value: stuck.filter((s) => s.workflowId === workflow).length,
			labels: { workflow },
		});
	if (process) samples.push(...processSamples(process));
	// The store's pool rides on this collection: no write of its own, and the n8n view shows it.
	const pool = store.pool(true);
	if (pool) samples.push(...poolSamples(pool, store.dialect));
	// A store that fails mid-sync is not n8n being down: only API errors set n8n_api_up to 0.
	const apiUp = sync.errorSource !== 'api';
	const syncSummary = { ...sync };
	delete syncSummary.workflows; // the full list (nodes and all) is too big for a snapshot
	const active = new Map((workflows ?? []).map((w) => [String(w.id), w.active]));
	const snapshot: N8nSnapshot = {
		instance,
		baseUrl: client.baseUrl,
		apiUp,
		...(sync.error ? { error: sync.error } : {}),
		sync: syncSummary,
		windowMs,
		overall: figures.overall,
		workflows: Object.entries(figures.workflows).map(([id, f]) => ({
			id,
			name: names.get(id) ?? null,
			active: active.get(id) ?? null,
			...f,
		})),
		stalled,
		stuck: stuck.slice(0, 50),
		...(queue ? { queue } : {}),
		...(process ? { process } : {}),
		...(processError ? { processError } : {}),
		...(pool ? { storePool: { ...pool, store: store.dialect } } : {}),
	};
	const durationMs = now() - started;
	// The same health pair runCollector adds to every other collector, for the dashboard's status.
	samples.push(
		{ name: 'collector_up', value: sync.error ? 0 : 1, labels: { collector: N8N_COLLECTOR } },
		{
			name: 'collector_duration_seconds',
			value: durationMs / 1000,
			labels: { collector: N8N_COLLECTOR },
		},
	);
	const collection: Collection<N8nSnapshot> = {
		collector: N8N_COLLECTOR,
		host: instance,
		time: started,
		durationMs,
		ok: !sync.error,
		...(sync.error ? { error: sync.error } : {}),
		warnings,
		samples,
		snapshot,
	};
	return { collection, sync };
}

/** The figures as samples; `workflow` is the workflow id (names change, ids do not). */
export function toSamples(
	figures: ExecutionFigures,
	stalled: StalledJudgement[],
	sync: Pick<SyncResult, 'error' | 'errorSource'>,
	queue?: QueueFigures,
): Sample[] {
	const samples: Sample[] = [];
	for (const [workflow, f] of Object.entries(figures.workflows)) {
		for (const [kind, counts] of [
			['production', f.production],
			['manual', f.manual],
		] as const) {
			// Zeros for success and error of production runs, so a chart or an alert on errors sees
			// "0" for a workflow that ran cleanly instead of a missing series.
			const byStatus =
				kind === 'production' && counts.runs > 0
					? { success: 0, error: 0, ...counts.byStatus }
					: counts.byStatus;
			for (const [status, value] of Object.entries(byStatus)) {
				samples.push({ name: 'n8n_executions_total', value, labels: { workflow, status, kind } });
			}
		}
		if (f.production.failureRate !== null) {
			samples.push({
				name: 'n8n_execution_failure_rate',
				value: f.production.failureRate,
				labels: { workflow },
			});
		}
		for (const quantile of ['avg', 'p50', 'p95', 'max'] as const) {
			const ms = f.durationMs[quantile];
			if (ms === null) continue;
			samples.push({
				name: 'n8n_execution_duration_seconds',
				value: ms / 1000,
				labels: { workflow, quantile },
			});
		}
	}
	if (figures.overall.production.failureRate !== null) {
		samples.push({
			name: 'n8n_execution_failure_rate',
			value: figures.overall.production.failureRate,
			labels: { workflow: '_all' },
		});
	}
	samples.push({ name: 'n8n_executions_running', value: figures.overall.running });
	samples.push({ name: 'n8n_executions_waiting', value: figures.overall.waiting });
	for (const s of stalled) {
		if (s.stalled === null) continue;
		samples.push({
			name: 'n8n_workflow_stalled',
			value: s.stalled ? 1 : 0,
			labels: { workflow: s.workflowId },
		});
	}
	samples.push({ name: 'n8n_api_up', value: sync.errorSource === 'api' ? 0 : 1 });
	for (const [state, value] of Object.entries(queue ?? {})) {
		samples.push({ name: 'n8n_queue_jobs', value, labels: { state } });
	}
	return samples;
}

/** Rows started in the window, plus every pending one (running/waiting now, whenever started). */
async function loadFacts(
	store: MonitoringStore,
	instance: string,
	since: number,
): Promise<ExecutionFact[]> {
	const rows = await store.executions.since(instance, since, PENDING_STATUSES);
	return rows.map((r) => ({
		id: String(r.id),
		workflowId: String(r.workflow_id),
		status: r.status,
		mode: r.mode ?? null,
		startedAt: num(r.started_at),
		stoppedAt: num(r.stopped_at),
		durationMs: num(r.duration_ms),
		waitedMs: num(r.waited_ms) ?? 0,
		waitTill: num(r.wait_till),
	}));
}

/** Last successful production run per workflow, over everything stored (not only the window). */
async function lastSuccesses(
	store: MonitoringStore,
	instance: string,
): Promise<Record<string, number>> {
	const rows = await store.executions.lastSuccesses(instance);
	const out: Record<string, number> = {};
	for (const r of rows) {
		const last = num(r.last);
		if (last !== null) out[String(r.workflow_id)] = last;
	}
	return out;
}

/** The process figures of the last stored collection, to turn counters into rates. */
async function previousProcess(
	store: MonitoringStore,
	instance: string,
): Promise<ProcessHealth | undefined> {
	const row = await store.runs.snapshot(instance, N8N_COLLECTOR);
	try {
		const snapshot = row?.snapshot ? (JSON.parse(row.snapshot) as Partial<N8nSnapshot>) : null;
		return snapshot?.process ?? undefined;
	} catch {
		return undefined; // a damaged snapshot costs one rate, nothing more
	}
}

async function storedNames(store: MonitoringStore, instance: string): Promise<Map<string, string>> {
	return await store.executions.workflowNames(instance);
}

function num(value: unknown): number | null {
	if (value === null || value === undefined) return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
}

/** A client from the n8n credential's fields (n8n's own n8nApi credential: apiKey + baseUrl). */
export function n8nClient(baseUrl: string, apiKey: string, timeoutMs?: number): N8nClient {
	return new N8nClient({ baseUrl, apiKey, timeoutMs });
}
