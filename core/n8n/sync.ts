import type { ExecutionRecord, ExecutionRecords, StoredExecutionState } from '../store';

import {
	N8nApiError,
	type N8nClient,
	type N8nExecution,
	type N8nWorkflow,
	PAGE_LIMIT,
} from './client';
import { refreshWorkflowList, workflowList } from './workflow-list';

/**
 * Incremental copy of n8n's execution list into the store's executions.
 *
 * What n8n's public API (2.40) does, and how each fact shapes this:
 * - It lists newest first (ORDER BY id DESC) with a cursor that is base64 JSON {lastId, limit}.
 *   So a run pages down from the newest execution until it reaches the high-water mark (the
 *   newest id of the last complete run). The page that crosses the mark is read whole: its
 *   executions below the mark are an overlap that catches one that finished just after the last
 *   run had listed past it. Rows are upserted by (instance, id), so an overlap is never counted twice.
 * - Without a status filter it leaves out executions that are running in the main process right
 *   now; they show up later with an id below the mark. So every run also lists status=running and
 *   status=waiting, stores those rows, and re-fetches (GET /executions/:id) each stored row that is
 *   still new/running/waiting and was not in those lists, until it has finished.
 * - Each page is written in its own transaction: a run that fails half-way keeps what it wrote.
 *   The high-water mark only advances when a run completes; a failed run records which range it
 *   already holds (resume.top .. resume.below), and the next run pages the new executions above
 *   it, then jumps below it with a cursor and carries on down to the old mark.
 *
 * Each request costs n8n ~17 ms of CPU before any work (API key check, request validation), and a
 * page of 250 ~37 ms; a collection every minute made that most of what monitoring n8n cost n8n.
 * So a run that knows its mark asks for a first page of FIRST_PAGE_LIMIT (a minute's executions,
 * usually) and only then pages of 250; the workflow list is kept for a few minutes
 * (workflow-list.ts); the waiting list is asked only while the store holds waiting executions (a
 * pending one that is in no list is fetched by id, as before); and what a list returned this run
 * is never fetched again by id.
 */

export interface SyncState {
	/** Newest execution id that a complete run has seen; null before the first complete run. */
	hwm: string | null;
	/** Left by a failed run: ids from `top` down to `below` are stored already. */
	resume?: { top: string; below: string } | null;
	lastCompleteAt?: number;
	lastError?: string | null;
}

export interface SyncOptions {
	instance: string;
	signal?: AbortSignal;
	/** The workflows, when the caller has fetched them already (names, active, schedule). */
	workflows?: N8nWorkflow[];
	now?: () => number;
	/** Stops a run after this many list pages (it then resumes next time); default unbounded. */
	maxPages?: number;
	/** How long a workflow list read earlier in this process is used again; default 5 minutes. */
	workflowsFreshMs?: number;
}

export interface SyncResult {
	/** Execution records received from n8n (list pages and single fetches). */
	fetched: number;
	/** Rows that were not stored before. */
	inserted: number;
	/** Stored rows whose status, times or name changed. */
	updated: number;
	/** List pages read (all lists). */
	pages: number;
	/** Pending executions fetched one by one. */
	refetched: number;
	complete: boolean;
	error?: string;
	/** Who failed: n8n's API (n8n_api_up 0), the store, or the maxPages limit. */
	errorSource?: 'api' | 'store' | 'limit';
	/** The workflows read during the sync, for names, stalled checks; absent when that failed. */
	workflows?: N8nWorkflow[];
}

/** Statuses after which an execution no longer changes. */
export const PENDING_STATUSES = ['new', 'running', 'waiting'] as const;

export const ROWS_PER_TRANSACTION = PAGE_LIMIT;

/** The first page of a run that knows its mark: most minutes bring fewer executions. */
export const FIRST_PAGE_LIMIT = 20;

type StoredRow = StoredExecutionState;

export type { ExecutionRecord };

export async function loadSyncState(
	records: ExecutionRecords,
	instance: string,
): Promise<SyncState> {
	const stored = await records.syncState(instance);
	if (!stored) return { hwm: null };
	try {
		const parsed = JSON.parse(stored) as Partial<SyncState>;
		return { ...parsed, hwm: parsed.hwm ?? null };
	} catch {
		return { hwm: null }; // a damaged state costs one full re-read, never a wrong count
	}
}

async function saveSyncState(
	records: ExecutionRecords,
	instance: string,
	state: SyncState,
	now: number,
) {
	await records.saveSyncState(instance, JSON.stringify(state), now);
}

/** One run's handles and progress: what it counted, and how far down the new executions it stored. */
interface Run {
	client: N8nClient;
	signal?: AbortSignal;
	state: SyncState;
	result: SyncResult;
	/** Upserts a batch and counts it into the result. */
	store: (executions: N8nExecution[]) => Promise<void>;
	/** Newest id listed by this run. */
	top: string | null;
	/** Lowest id down to which this run has stored the new executions without a gap. */
	lastStored: string | null;
	/** Whether this run has jumped below a failed run's stored range. */
	jumped: boolean;
	/** Ids some list returned in this run: current, so never fetched again by id. */
	listed: Set<string>;
}

export async function syncExecutions(
	records: ExecutionRecords,
	client: N8nClient,
	options: SyncOptions,
): Promise<SyncResult> {
	const now = options.now ?? Date.now;
	const { instance, signal } = options;
	const runStarted = now();
	const result: SyncResult = {
		fetched: 0,
		inserted: 0,
		updated: 0,
		pages: 0,
		refetched: 0,
		complete: false,
	};
	const state = await loadSyncState(records, instance);
	const names = new Map<string, string>();
	// A list kept from an earlier run may lack a workflow made since: then it is read again.
	let listFresh = options.workflows !== undefined;
	const useWorkflows = (workflows: N8nWorkflow[]) => {
		result.workflows = workflows;
		names.clear();
		for (const w of workflows) names.set(String(w.id), w.name);
	};
	const run: Run = {
		client,
		signal,
		state,
		result,
		store: async (executions) => {
			result.fetched += executions.length;
			for (const e of executions) run.listed.add(String(e.id));
			if (!listFresh && executions.some((e) => !names.has(String(e.workflowId)))) {
				useWorkflows(await refreshWorkflowList(client, { now: now(), signal }));
				listFresh = true;
			}
			const counts = await upsertExecutions(records, instance, executions, names, now());
			result.inserted += counts.inserted;
			result.updated += counts.updated;
		},
		top: null,
		lastStored: null,
		jumped: false,
		listed: new Set(),
	};
	try {
		if (options.workflows) useWorkflows(options.workflows);
		else {
			const kept = await workflowList(client, {
				now: runStarted,
				freshMs: options.workflowsFreshMs,
				signal,
			});
			useWorkflows(kept.workflows);
			listFresh = kept.fresh;
		}

		await storeNew(run, options.maxPages);
		// Read once: whether any waits, and (less what the lists below return) what to fetch by id.
		const pending = await records.withStatus(instance, PENDING_STATUSES);
		const waits = pending.some((r) => r.status === 'waiting');
		await storeUnfinished(run, waits ? ['running', 'waiting'] : ['running']);
		await refetchChanged(run, pending);

		result.complete = true;
		const newest = maxId(state.hwm, run.top, state.resume?.top ?? null);
		await saveSyncState(
			records,
			instance,
			{ hwm: newest, resume: null, lastCompleteAt: runStarted, lastError: null },
			now(),
		);
	} catch (error) {
		result.error = describeError(error);
		result.errorSource =
			error instanceof N8nApiError ? 'api' : error instanceof PageLimitReached ? 'limit' : 'store';
		// Remember what is stored so the next run skips it; keep the old mark.
		let resume = state.resume ?? null;
		if (run.top !== null && run.lastStored !== null && (run.jumped || !state.resume)) {
			resume = { top: maxId(run.top, state.resume?.top ?? null)!, below: run.lastStored };
		}
		await saveSyncState(
			records,
			instance,
			{ ...state, resume, lastError: result.error },
			now(),
		).catch(() => undefined); // the store failing too is reported by the caller's write
	}
	return result;
}

/** 1. New executions, newest first, down to the high-water mark (skipping a failed run's range). */
async function storeNew(run: Run, maxPages: number | undefined): Promise<void> {
	const { state } = run;
	let cursor: string | null = null;
	// Small first page only when the mark is known and no failed run left a range to skip.
	let limit = state.hwm !== null && !state.resume ? FIRST_PAGE_LIMIT : PAGE_LIMIT;
	for (let n = 0; ; n++) {
		if (maxPages !== undefined && n >= maxPages) {
			throw new PageLimitReached(`stopped after ${maxPages} pages; the next run goes on`);
		}
		const page = await run.client.listExecutions(cursor ? { cursor } : { limit }, run.signal);
		run.result.pages++;
		if (page.data.length === 0) break;
		if (run.top === null) run.top = String(page.data[0].id);
		await run.store(page.data);
		const lowest = String(page.data[page.data.length - 1].id);
		run.lastStored = lowest;
		if (state.hwm !== null && compareIds(lowest, state.hwm) <= 0) break;
		if (state.resume && !run.jumped && compareIds(lowest, state.resume.top) <= 0) {
			// Everything down to resume.below is stored already: skip it.
			run.jumped = true;
			run.lastStored = state.resume.below;
			cursor = encodeCursor(state.resume.below, PAGE_LIMIT);
			continue;
		}
		// n8n's cursor carries the page size: after a small first page, go on in pages of 250.
		cursor =
			page.nextCursor && limit < PAGE_LIMIT ? encodeCursor(lowest, PAGE_LIMIT) : page.nextCursor;
		limit = PAGE_LIMIT;
		if (!cursor) break;
	}
}

/**
 * 2. Executions the plain list leaves out (running in the main process) or that will change
 * (waiting ones, when the store holds some).
 */
async function storeUnfinished(run: Run, statuses: string[]): Promise<void> {
	for (const status of statuses) {
		let statusCursor: string | null = null;
		for (let n = 0; n < 1000; n++) {
			const page = await run.client.listExecutions({ cursor: statusCursor, status }, run.signal);
			run.result.pages++;
			if (page.data.length) await run.store(page.data);
			statusCursor = page.nextCursor;
			if (!statusCursor || page.data.length === 0) break;
		}
	}
}

/** 3. Stored executions that were pending and that no list returned in this run: fetch them. */
async function refetchChanged(
	run: Run,
	pending: Array<{ id: string; workflow_id: string }>,
): Promise<void> {
	const stale = pending.map((r) => String(r.id)).filter((id) => !run.listed.has(id));
	for (const chunk of chunks(stale, 50)) {
		const found: N8nExecution[] = [];
		for (const id of chunk) {
			const execution = await run.client.getExecution(id, run.signal);
			run.result.refetched++;
			// Gone from n8n (pruned, deleted): n8n's own "unknown" ends the wait for it.
			found.push(
				execution ?? {
					id,
					workflowId: pending.find((r) => String(r.id) === id)!.workflow_id,
					status: 'unknown',
				},
			);
		}
		await run.store(found);
	}
}

class PageLimitReached extends Error {}

function describeError(error: unknown): string {
	if (error instanceof N8nApiError) return error.message;
	if (error instanceof Error) return error.message;
	return String(error);
}

/** Writes one batch of executions in one transaction; returns how many were new or changed. */
export async function upsertExecutions(
	records: ExecutionRecords,
	instance: string,
	executions: N8nExecution[],
	names: Map<string, string>,
	now: number,
): Promise<{ inserted: number; updated: number }> {
	// One id once per batch (a running execution may appear in two lists): the last one wins.
	const byId = new Map<string, N8nExecution>();
	for (const e of executions) byId.set(String(e.id), e);
	let inserted = 0;
	let updated = 0;
	await records.upsert(instance, [...byId.keys()], (existing) => {
		inserted = 0;
		updated = 0;
		const rows = [...byId.keys()].map((id) =>
			toRow(instance, byId.get(id)!, existing.get(id), names, now),
		);
		for (const row of rows) {
			const before = existing.get(row.id);
			if (!before) inserted++;
			else if (changed(before, row)) updated++;
		}
		return rows;
	});
	return { inserted, updated };
}

/** Far-future waitTill that n8n sets for "wait until a webhook/form is called" (year 3000). */
const INDEFINITE_WAIT_MS = Date.UTC(2900, 0, 1);

export function toRow(
	instance: string,
	e: N8nExecution,
	before: StoredRow | undefined,
	names: Map<string, string>,
	now: number,
): ExecutionRecord {
	const status = e.status ?? (e.finished ? 'success' : 'unknown');
	const pending = (PENDING_STATUSES as readonly string[]).includes(status);
	// A fetch that found nothing ("unknown" placeholder) keeps the times already stored.
	const startedAt = toMs(e.startedAt) ?? num(before?.started_at);
	const stoppedAt = pending ? null : (toMs(e.stoppedAt) ?? num(before?.stopped_at));
	// n8n clears waitTill when the execution resumes; the last one seen tells that it waited.
	const waitTill = toMs(e.waitTill) ?? num(before?.wait_till);
	let waitedMs = 0;
	if (waitTill !== null && startedAt !== null) {
		const end = stoppedAt ?? now;
		const waitEnd = waitTill >= INDEFINITE_WAIT_MS ? end : Math.min(waitTill, end);
		waitedMs = Math.max(0, waitEnd - startedAt);
	}
	const workflowId = String(e.workflowId);
	return {
		instance,
		id: String(e.id),
		workflow_id: workflowId,
		workflow_name: names.get(workflowId) ?? before?.workflow_name ?? null,
		status,
		mode: e.mode ?? null,
		started_at: startedAt,
		stopped_at: stoppedAt,
		wait_till: waitTill,
		duration_ms:
			stoppedAt !== null && startedAt !== null ? Math.max(0, stoppedAt - startedAt) : null,
		waited_ms: waitedMs,
		retry_of: e.retryOf == null ? null : String(e.retryOf),
		retry_success_id: e.retrySuccessId == null ? null : String(e.retrySuccessId),
		synced_at: now,
	};
}

function changed(before: StoredRow, after: ExecutionRecord): boolean {
	return (
		before.status !== after.status ||
		num(before.stopped_at) !== after.stopped_at ||
		num(before.started_at) !== after.started_at ||
		num(before.wait_till) !== after.wait_till ||
		before.workflow_name !== after.workflow_name
	);
}

/** PostgreSQL returns bigint columns as strings. */
function num(value: unknown): number | null {
	if (value === null || value === undefined) return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : null;
}

function toMs(value: string | null | undefined): number | null {
	if (!value) return null;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? ms : null;
}

/** n8n's execution ids are increasing integers (as strings); compare them as numbers. */
export function compareIds(a: string, b: string): number {
	if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
		const x = BigInt(a);
		const y = BigInt(b);
		return x < y ? -1 : x > y ? 1 : 0;
	}
	return a < b ? -1 : a > b ? 1 : 0;
}

function maxId(...ids: Array<string | null>): string | null {
	let best: string | null = null;
	for (const id of ids) if (id !== null && (best === null || compareIds(id, best) > 0)) best = id;
	return best;
}

/** n8n's cursor format (public-api pagination.service, 2.40): base64 of {lastId, limit}. */
export function encodeCursor(lastId: string, limit: number): string {
	return Buffer.from(JSON.stringify({ lastId, limit })).toString('base64');
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
	for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
