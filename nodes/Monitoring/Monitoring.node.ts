import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
	NodeOperationError,
} from 'n8n-workflow';

import { router } from './actions/router';
import { RESOURCES } from './actions/resources';
import { monitoringStoreTest } from '../shared/store-test';
import { resourceField } from './descriptions/common';
import { monitoringCredentials } from './descriptions/credentials';
import { n8nWorkflows, storedMetrics } from './methods/loadOptions';

const resources = RESOURCES;

/** "resource:operation" → the operation's action, read from the resources' own Operation lists. */
function actionsByOperation(): Record<string, string> {
	const actions: Record<string, string> = {};
	for (const { description } of resources)
		for (const property of description) {
			if (property.name !== 'operation') continue;
			for (const resource of (property.displayOptions?.show?.resource ?? []) as string[])
				for (const option of property.options ?? [])
					if ('action' in option && option.action)
						actions[`${resource}:${String(option.value)}`] = option.action;
		}
	return actions;
}

export class Monitoring implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Monitoring',
		name: 'monitoring',
		icon: 'file:monitoring.svg',
		group: ['input'],
		// n8n appends "Custom API Call" to the Resource and Operation lists of the latest version of
		// every node that has a credential with `authenticate` (here n8n's Header Auth, Basic Auth
		// and n8n API), to call the service's API through the HTTP Request node
		// (LoadNodesAndCredentials.injectCustomApiCallOptions in n8n 2.40). There is no Monitoring
		// API to call. n8n takes a node for its latest version when `defaultVersion` is unset or
		// equals `version`, which a list never does: a list keeps it out.
		// 2: Endpoint and Model Server choose their credential once for the node (its picker shows
		// only then), and an endpoint check keeps its request settings in its own Options.
		version: [1, 2],
		defaultVersion: 2,
		// The canvas shows the operation's action ("Collect host metrics"), not raw values.
		subtitle: `={{ (${JSON.stringify(actionsByOperation())})[$parameter["resource"] + ":" + $parameter["operation"]] }}`,
		description:
			'Collect host, GPU, database, endpoint and n8n metrics into the monitoring store, and raise alerts',
		defaults: { name: 'Monitoring' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: monitoringCredentials,
		properties: [
			resourceField(RESOURCES.map((r) => r.resource)),
			...resources.flatMap((resource) => resource.description),
		],
	};

	methods = {
		credentialTest: { monitoringStoreTest },
		loadOptions: { storedMetrics, n8nWorkflows },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				output.push(...(await router.call(this, itemIndex)));
			} catch (error) {
				const nodeError =
					error instanceof NodeOperationError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				if (!this.continueOnFail()) throw nodeError;
				// A failed store still hands over what was collected: nothing collected is lost.
				const partial = (error as { partial?: IDataObject }).partial ?? {};
				output.push({
					json: {
						...partial,
						error: nodeError.message,
						description: nodeError.description ?? undefined,
					},
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [output];
	}
}
