import type { N8nInstance, N8nStorePool, N8nStuckRow } from '../contract/dashboard-api';
import type { StoreReader } from '../store';
import { latestSnapshot } from './snapshot';

export type { N8nInstance };

/** The n8n collector's name (core/n8n's N8N_COLLECTOR; core/query does not import core/n8n). */
const N8N = 'n8n';
const MAX_STUCK = 50;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * What the n8n view lists from the latest n8n collection: stuck executions with their
 * workflows' names and editor links, why Process Health has no figures, n8n's database pool
 * (where its /metrics has one) and the monitoring store's pool. The snapshot is stored JSON that
 * an older version may have written with fewer fields: every field is checked, and a link that
 * is not http(s) is dropped rather than handed to the browser.
 */
export async function n8nInstance(
	store: Pick<StoreReader, 'runs'>,
	instance: string,
): Promise<N8nInstance> {
	const row = await latestSnapshot(store, instance, N8N);
	const snap = isObj(row?.snapshot) ? row.snapshot : {};
	const names = new Map<string, string>();
	for (const w of Array.isArray(snap.workflows) ? snap.workflows : [])
		if (isObj(w) && typeof w.id === 'string' && typeof w.name === 'string') names.set(w.id, w.name);
	const stuck: N8nStuckRow[] = [];
	for (const s of Array.isArray(snap.stuck) ? snap.stuck.slice(0, MAX_STUCK) : []) {
		if (!isObj(s)) continue;
		const id = str(s.id);
		const workflowId = str(s.workflowId);
		const since = num(s.since);
		if (id === null || workflowId === null || since === null) continue;
		stuck.push({
			id,
			workflowId,
			workflowName: names.get(workflowId) ?? null,
			status: str(s.status) ?? 'unknown',
			since,
			overMs: num(s.overMs) ?? 0,
			limitMs: num(s.limitMs) ?? 0,
			link: webLink(s.link),
		});
	}
	const process = isObj(snap.process) ? snap.process : null;
	return {
		instance,
		ts: row?.ts ?? null,
		stuck,
		processError: str(snap.processError),
		n8nPools: process ? poolsOf(process.pools) : null,
		storePool: storePoolOf(snap.storePool),
	};
}

function poolsOf(value: unknown): Array<{ metric: string; value: number }> {
	const out: Array<{ metric: string; value: number }> = [];
	for (const p of Array.isArray(value) ? value : []) {
		if (!isObj(p)) continue;
		const metric = str(p.metric);
		const v = num(p.value);
		if (metric !== null && v !== null) out.push({ metric, value: v });
	}
	return out;
}

function storePoolOf(value: unknown): N8nStorePool | null {
	if (!isObj(value)) return null;
	const store =
		value.store === 'postgres' ? 'postgres' : value.store === 'sqlite' ? 'sqlite' : null;
	const figures = [
		'used',
		'free',
		'max',
		'pending',
		'pendingPeak',
		'acquireWaitMaxSeconds',
	] as const;
	if (store === null || figures.some((k) => num(value[k]) === null)) return null;
	const n = (k: (typeof figures)[number]) => num(value[k]) as number;
	return {
		store,
		used: n('used'),
		free: n('free'),
		max: n('max'),
		pending: n('pending'),
		pendingPeak: n('pendingPeak'),
		acquireWaitMaxSeconds: n('acquireWaitMaxSeconds'),
	};
}

function webLink(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
	} catch {
		return null;
	}
}
