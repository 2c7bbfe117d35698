import fs from 'node:fs';

import { type StoreConfig, storeKey } from './config';
import { MonitoringStore } from './store';

/** What readers of the store (queries, alerts, the server) use of it: typed reads, no SQL. */
export type StoreReader = Pick<
	MonitoringStore,
	'samples' | 'runs' | 'executions' | 'alerts' | 'incidents'
>;

export * from './config';
export { StoreError } from './errors';
export { MonitoringStore, type WriteResult } from './store';
export type { PoolStats } from './pool';
export { withBusyRetry } from './retry';
export { parseLabels } from './labels';
export type { AlertLedger, OpenAlert, OpenWorkflowAlert } from './queries/alerts';
export type {
	AlertLifecycleRecords,
	AlertLifecycleRow,
	NewSilence,
	SilenceRecord,
} from './queries/alert-lifecycle';
export type {
	AlertSpan,
	IncidentRecords,
	IncidentTargetRef,
	IncidentUpdateRow,
	ManualIncidentRow,
	NewIncident,
	NewIncidentUpdate,
} from './queries/incidents';
export type {
	ExecutionFilter,
	ExecutionRecord,
	ExecutionRecords,
	StoredExecution,
	StoredExecutionState,
	WorkflowStatusCount,
} from './queries/executions';
export type { BulkLoad, RunRecord } from './queries/bulk';
export type { Footprint, FootprintReads } from './queries/footprint';
export type { LatestRun, RunReads, SnapshotRow } from './queries/runs';
export type {
	DigestRow,
	LatestValue,
	RawSample,
	RollupBucket,
	SampleReads,
	SeriesRef,
} from './queries/samples';
export { resolveSqliteDriver } from './connection';

/**
 * One open store per database per process: n8n runs the node every minute, and opening a
 * pool and checking migrations each time would cost more than the collection itself.
 */
const open = new Map<string, Promise<MonitoringStore>>();

/** Which file an open SQLite store writes to (device and inode), to notice it was replaced. */
const files = new Map<string, string | null>();

function fileIdentity(config: StoreConfig): string | null {
	if (config.type !== 'sqlite' || config.filename === ':memory:') return null;
	try {
		const st = fs.statSync(config.filename);
		return `${st.dev}:${st.ino}`;
	} catch {
		return 'missing';
	}
}

export function openStore(config: StoreConfig): Promise<MonitoringStore> {
	const key = storeKey(config);
	let store = open.get(key);
	const known = files.get(key);
	if (store && typeof known === 'string' && fileIdentity(config) !== known) {
		// The file was deleted or replaced under a running n8n: SQLite would go on writing into the
		// unlinked file and every later sample would be lost. Open (and migrate) the file anew.
		// The old handle closes a little later, so that a write in flight on it can finish.
		open.delete(key);
		const old = store;
		setTimeout(() => void old.then((s) => s.close()).catch(() => undefined), 30_000).unref();
		store = undefined;
	}
	if (!store) {
		store = MonitoringStore.open(config);
		open.set(key, store);
		if (config.type === 'sqlite') {
			files.set(key, null);
			void store.then(() => files.set(key, fileIdentity(config))).catch(() => undefined);
		}
		// A store that failed to open is tried again next time (the user may fix the cause).
		store.catch(() => open.delete(key));
	}
	return store;
}

export async function closeStore(config: StoreConfig): Promise<void> {
	const key = storeKey(config);
	const store = open.get(key);
	open.delete(key);
	if (store) await (await store.catch(() => undefined))?.close();
}

export async function closeAllStores(): Promise<void> {
	const stores = [...open.values()];
	open.clear();
	await Promise.all(stores.map(async (s) => (await s.catch(() => undefined))?.close()));
}
