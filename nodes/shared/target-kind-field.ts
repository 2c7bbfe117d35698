import type { INodeProperties } from 'n8n-workflow';

/**
 * Which kind of target an entry names: the Targets of uptime reports and incidents (Monitoring
 * node) and the items of a status page. The values are core/query's UptimeKind.
 */
export const targetKindField: INodeProperties = {
	displayName: 'Kind',
	name: 'kind',
	type: 'options',
	options: [
		{ name: 'Database', value: 'database' },
		{ name: 'Endpoint', value: 'endpoint' },
		{ name: 'Host', value: 'host' },
		{ name: 'Model Server', value: 'model_server' },
		{ name: 'Workflow', value: 'workflow' },
	],
	default: 'endpoint',
};
