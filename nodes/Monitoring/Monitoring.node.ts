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
import * as alert from './actions/alert/Alert.resource';
import * as database from './actions/database/Database.resource';
import * as endpoint from './actions/endpoint/Endpoint.resource';
import * as gpu from './actions/gpu/Gpu.resource';
import * as history from './actions/history/History.resource';
import * as host from './actions/host/Host.resource';
import * as modelServer from './actions/modelServer/ModelServer.resource';
import * as n8n from './actions/n8n/N8n.resource';
import * as prometheus from './actions/prometheus/Prometheus.resource';
import { monitoringStoreTest } from '../shared/store-test';

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
		// equals `version`, which a list never does: the one version, as a list, keeps it out.
		version: [1],
		defaultVersion: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Collect host, GPU, database, endpoint and n8n metrics into the monitoring store, and raise alerts',
		defaults: { name: 'Monitoring' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'monitoringStoreApi', required: false, testedBy: 'monitoringStoreTest' },
			{
				// n8n's own Header Auth type, for model servers and endpoints behind a token
				name: 'httpHeaderAuth',
				required: false,
				displayOptions: { show: { resource: ['modelServer', 'endpoint', 'prometheus'] } },
			},
			{
				name: 'postgres',
				required: true,
				displayOptions: { show: { resource: ['database'], engine: ['postgres'] } },
			},
			{
				name: 'mySql',
				required: true,
				displayOptions: { show: { resource: ['database'], engine: ['mysql'] } },
			},
			{ name: 'n8nApi', required: true, displayOptions: { show: { resource: ['n8n'] } } },
			{
				name: 'httpBasicAuth',
				required: false,
				displayOptions: { show: { resource: ['endpoint', 'prometheus'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Alert', value: 'alert' },
					{ name: 'Database', value: 'database' },
					{ name: 'Endpoint', value: 'endpoint' },
					{ name: 'GPU', value: 'gpu' },
					{ name: 'History', value: 'history' },
					{ name: 'Host', value: 'host' },
					{ name: 'Model Server', value: 'modelServer' },
					{ name: 'N8n', value: 'n8n' },
					{ name: 'Prometheus', value: 'prometheus' },
				],
				default: 'host',
			},
			...alert.description,
			...database.description,
			...endpoint.description,
			...history.description,
			...host.description,
			...gpu.description,
			...modelServer.description,
			...n8n.description,
			...prometheus.description,
		],
	};

	methods = { credentialTest: { monitoringStoreTest } };

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
