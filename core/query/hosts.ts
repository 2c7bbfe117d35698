import type { HostMetrics } from '../contract/dashboard-api';
import type { StoreReader } from '../store';

export type { HostMetrics };

/** Every host with the names of its metrics, for the dashboard's pickers (one indexed scan). */
export async function listHosts(store: Pick<StoreReader, 'samples'>): Promise<HostMetrics[]> {
	const rows = await store.samples.hostMetrics();
	const hosts = new Map<string, string[]>();
	for (const row of rows) {
		const list = hosts.get(row.host) ?? [];
		list.push(row.metric);
		hosts.set(row.host, list);
	}
	return [...hosts.entries()].map(([host, metrics]) => ({ host, metrics }));
}
