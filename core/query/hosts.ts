import type { Knex } from 'knex';
import type { HostMetrics } from '../contract/dashboard-api';

export type { HostMetrics };

/** Every host with the names of its metrics, for the dashboard's pickers (one indexed scan). */
export async function listHosts(knex: Knex): Promise<HostMetrics[]> {
	const rows = await knex('mon_series')
		.distinct('host', 'metric')
		.orderBy([{ column: 'host' }, { column: 'metric' }]);
	const hosts = new Map<string, string[]>();
	for (const row of rows) {
		const list = hosts.get(String(row.host)) ?? [];
		list.push(String(row.metric));
		hosts.set(String(row.host), list);
	}
	return [...hosts.entries()].map(([host, metrics]) => ({ host, metrics }));
}
