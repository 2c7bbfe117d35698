import type { Sample } from '../model';
import type { PoolStats } from '../store';

/**
 * The monitoring store's pool as series of the n8n instance (catalog: store_pool_*), labelled
 * with the store's kind. They ride on the n8n collection: no write of their own, and the n8n
 * view shows them beside n8n's process. `store_pool_pending` is the peak of waiting acquirers
 * since the previous collection, `store_pool_acquire_wait_seconds` the longest wait.
 */
export function poolSamples(stats: PoolStats, store: 'sqlite' | 'postgres'): Sample[] {
	const labels = { store };
	return [
		{ name: 'store_pool_used', value: stats.used, labels },
		{ name: 'store_pool_free', value: stats.free, labels },
		{ name: 'store_pool_max', value: stats.max, labels },
		{ name: 'store_pool_pending', value: stats.pendingPeak, labels },
		{ name: 'store_pool_acquire_wait_seconds', value: stats.acquireWaitMaxSeconds, labels },
	];
}
