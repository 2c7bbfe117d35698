import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Where the Monitoring nodes store metrics. Without this credential they use an SQLite file in
 * the n8n user folder (`~/.n8n/monitoring.sqlite`); PostgreSQL is for fleets and queue mode.
 */
export class MonitoringStoreApi implements ICredentialType {
	name = 'monitoringStoreApi';

	displayName = 'Monitoring Store';

	icon: Icon = 'file:monitoring.svg';

	documentationUrl = 'https://github.com/n8n-nodes-monitoring/n8n-nodes-monitoring#where-data-goes';

	properties: INodeProperties[] = [
		{
			displayName: 'Database Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'SQLite (Embedded File)', value: 'sqlite' },
				{ name: 'PostgreSQL', value: 'postgres' },
			],
			default: 'sqlite',
		},
		{
			displayName: 'SQLite File Path',
			name: 'sqlitePath',
			type: 'string',
			default: '',
			placeholder: '/home/node/.n8n/monitoring.sqlite',
			description:
				'Absolute path of the SQLite file; created if missing. Empty means monitoring.sqlite in the n8n user folder.',
			displayOptions: { show: { type: ['sqlite'] } },
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			displayOptions: { show: { type: ['postgres'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 5432,
			displayOptions: { show: { type: ['postgres'] } },
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'monitoring',
			displayOptions: { show: { type: ['postgres'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: 'monitoring',
			displayOptions: { show: { type: ['postgres'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { type: ['postgres'] } },
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'public',
			description: 'Schema that holds the monitoring tables (created on first use)',
			displayOptions: { show: { type: ['postgres'] } },
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'boolean',
			default: false,
			displayOptions: { show: { type: ['postgres'] } },
		},
	];
}
