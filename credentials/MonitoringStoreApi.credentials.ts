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
			placeholder: '/var/lib/monitoring/monitoring.sqlite',
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
		// No numberPrecision on the retentions: n8n pads a value to it (7 days shown as "7.0000"),
		// while without one a value shows as typed and fractions (0.0035) still go in.
		{
			displayName: 'Raw Samples Retention (Days)',
			name: 'retentionRawDays',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 7,
			description:
				'How long every collected value is kept as collected (packed, a few bytes each). At least 5 minutes (0.0035).',
		},
		{
			displayName: '5-Minute Rollups Retention (Days)',
			name: 'retentionRollup5mDays',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 90,
			description:
				'How long min/max/average per 5 minutes are kept (charts of up to ~5 days). At least 1 hour (0.0417).',
		},
		{
			displayName: 'Hourly Rollups Retention (Days)',
			name: 'retentionRollup1hDays',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 730,
			description:
				'How long min/max/average per hour are kept (long charts, summaries, forecasts). At least 1 hour (0.0417).',
		},
		{
			displayName: 'Run Records Retention (Days)',
			name: 'retentionRecordsDays',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 90,
			description:
				'How long the record of every collection run and of every synced n8n execution is kept. At least 1.',
		},
	];
}
