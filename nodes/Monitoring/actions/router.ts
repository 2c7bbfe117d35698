import { type IExecuteFunctions, type INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import * as alert from './alert/Alert.resource';
import * as database from './database/Database.resource';
import * as endpoint from './endpoint/Endpoint.resource';
import * as gpu from './gpu/Gpu.resource';
import * as history from './history/History.resource';
import * as host from './host/Host.resource';
import * as modelServer from './modelServer/ModelServer.resource';
import * as n8n from './n8n/N8n.resource';
import * as prometheus from './prometheus/Prometheus.resource';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const resources: Record<string, Record<string, { execute: Operation }>> = {
	alert: { raise: alert.raise, resolve: alert.resolve },
	database: { collect: database.collect },
	endpoint: { collect: endpoint.collect },
	history: { query: history.query, summary: history.summary },
	host: { collect: host.collect },
	gpu: { collect: gpu.collect },
	modelServer: { collect: modelServer.collect },
	n8n: { collect: n8n.collect },
	prometheus: { scrape: prometheus.scrape },
};

/** Runs the operation that the item's resource and operation parameters name. */
export async function router(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const resource = this.getNodeParameter('resource', itemIndex) as string;
	if (!Object.hasOwn(resources, resource)) {
		throw new NodeOperationError(
			this.getNode(),
			`The resource "${resource}" is not known: use ${Object.keys(resources).join(', ')}`,
			{ itemIndex, description: 'Pick a resource from the list in the node.' },
		);
	}
	const operation = this.getNodeParameter('operation', itemIndex, '') as string;
	const run = Object.hasOwn(resources[resource], operation)
		? resources[resource][operation].execute
		: undefined;
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not known for the resource "${resource}"`,
			{ itemIndex, description: 'Pick a resource and operation from the lists in the node.' },
		);
	}
	return await run.call(this, itemIndex);
}
