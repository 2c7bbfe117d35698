import {
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
	NodeOperationError,
} from 'n8n-workflow';

import { N8nClient } from '../../../core/n8n/client';
import { storedHosts } from '../../../core/pipeline';
import { getStoreConfig } from '../../shared/store-config';

const MAX_HOSTS_NAMED = 3;

/** The metrics the store holds, each with the hosts that report it, for History's Metric. */
export async function storedMetrics(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const hosts = await storedHosts(await getStoreConfig(this));
	const byMetric = new Map<string, string[]>();
	for (const { host, metrics } of hosts)
		for (const metric of metrics) byMetric.set(metric, [...(byMetric.get(metric) ?? []), host]);
	return [...byMetric.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([metric, on]) => ({
			name: metric,
			value: metric,
			description:
				on.length > MAX_HOSTS_NAMED
					? `On ${on.slice(0, MAX_HOSTS_NAMED).join(', ')} and ${on.length - MAX_HOSTS_NAMED} more`
					: `On ${on.join(', ')}`,
		}));
}

/** The workflows of the watched n8n by name, for Expected Intervals (the value is the ID). */
export async function n8nWorkflows(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	let credentials: Record<string, unknown>;
	try {
		credentials = await this.getCredentials('n8nApi');
	} catch {
		throw new NodeOperationError(
			this.getNode(),
			'Select the n8n API credential of the instance to watch first',
		);
	}
	const client = new N8nClient({
		baseUrl: String(credentials.baseUrl ?? ''),
		apiKey: String(credentials.apiKey ?? ''),
		timeoutMs: 15_000,
	});
	const workflows = await client.allWorkflows();
	return workflows
		.map((w) => ({
			name: w.name,
			value: w.id,
			description: `${w.active ? 'Active' : 'Inactive'} · ID ${w.id}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
