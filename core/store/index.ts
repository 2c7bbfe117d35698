import { type StoreConfig, storeKey } from './config';
import { MonitoringStore } from './store';

export * from './config';
export { StoreError } from './errors';
export { MonitoringStore, type WriteResult } from './store';
export { resolveSqliteDriver } from './connection';

/**
 * One open store per database per process: n8n runs the node every minute, and opening a
 * pool and checking migrations each time would cost more than the collection itself.
 */
const open = new Map<string, Promise<MonitoringStore>>();

export function openStore(config: StoreConfig): Promise<MonitoringStore> {
	const key = storeKey(config);
	let store = open.get(key);
	if (!store) {
		store = MonitoringStore.open(config);
		open.set(key, store);
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
