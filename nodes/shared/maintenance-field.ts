import type { INodeProperties } from 'n8n-workflow';

/**
 * Maintenance windows, as the Monitoring Trigger (notifications wait) and the Uptime Report (its
 * minutes count neither up nor down) both take them: from, to, and a host pattern.
 */
export function maintenanceField(description: string): INodeProperties {
	return {
		displayName: 'Maintenance Windows',
		name: 'maintenance',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Maintenance Window',
		default: {},
		description,
		options: [
			{
				displayName: 'Window',
				name: 'window',
				values: [
					{ displayName: 'From', name: 'from', type: 'dateTime', default: '' },
					{ displayName: 'To', name: 'to', type: 'dateTime', default: '' },
					{
						displayName: 'Host',
						name: 'host',
						type: 'string',
						default: '',
						placeholder: 'db-* (empty: every host)',
					},
				],
			},
		],
	};
}
