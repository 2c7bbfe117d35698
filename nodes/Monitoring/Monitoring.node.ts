import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { closeStore, openStore } from '../../core/store';
import { router } from './actions/router';
import * as host from './actions/host/Host.resource';
import { storeConfigFromCredentials } from './helpers/store-config';

export class Monitoring implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Monitoring',
		name: 'monitoring',
		icon: 'file:monitoring.svg',
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Collect host, GPU, database, endpoint and n8n metrics into the monitoring store',
		defaults: { name: 'Monitoring' },
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'monitoringStoreApi', required: false, testedBy: 'monitoringStoreTest' },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Host', value: 'host' }],
				default: 'host',
			},
			...host.description,
		],
	};

	methods = {
		credentialTest: {
			async monitoringStoreTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const config = storeConfigFromCredentials(credential.data ?? {});
				try {
					await openStore(config);
					return { status: 'OK', message: 'The monitoring store is ready' };
				} catch (error) {
					await closeStore(config);
					const hint = (error as { hint?: string }).hint;
					return {
						status: 'Error',
						message: `${(error as Error).message}${hint ? `. ${hint}` : ''}`,
					};
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
