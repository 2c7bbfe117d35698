import type { INodeCredentialDescription } from 'n8n-workflow';

import { STORE_CREDENTIAL_LABEL } from '../../shared/store-test';

/**
 * The credentials of the Monitoring node, shown by resource: the store's, and those the collect
 * operations send to what they watch. The Monitoring Collector Trigger runs the same operations,
 * so it offers the same list.
 */
export const monitoringCredentials: INodeCredentialDescription[] = [
	{
		name: 'monitoringStoreApi',
		displayName: STORE_CREDENTIAL_LABEL,
		required: false,
		testedBy: 'monitoringStoreTest',
	},
	{
		name: 'httpHeaderAuth',
		displayName: 'Header Auth (Token) for the Servers',
		required: false,
		displayOptions: {
			show: { resource: ['modelServer', 'endpoint', 'prometheus'] },
			hide: { authentication: ['none', 'basicAuth'] },
		},
	},
	{
		name: 'postgres',
		displayName: 'Monitored PostgreSQL Database',
		required: true,
		displayOptions: { show: { resource: ['database'], engine: ['postgres'] } },
	},
	{
		name: 'mySql',
		displayName: 'Monitored MySQL / MariaDB Database',
		required: true,
		displayOptions: { show: { resource: ['database'], engine: ['mysql'] } },
	},
	{
		name: 'n8nApi',
		displayName: 'n8n API of the Instance to Watch',
		required: true,
		displayOptions: { show: { resource: ['n8n'] } },
	},
	{
		name: 'httpBasicAuth',
		displayName: 'Basic Auth (Login) for the Servers',
		required: false,
		displayOptions: {
			show: { resource: ['endpoint', 'prometheus'] },
			hide: { authentication: ['none', 'headerAuth'] },
		},
	},
];
