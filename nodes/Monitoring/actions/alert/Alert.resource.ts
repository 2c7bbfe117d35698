import type { INodeProperties } from 'n8n-workflow';

import * as raise from './raise.operation';
import * as resolve from './resolve.operation';

export { raise, resolve };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Alert', value: 'alert' };
export const operations = { raise, resolve };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['alert'] } },
		options: [
			{
				name: 'Raise',
				value: 'raise',
				description:
					'Open an alert (shown on the dashboard, sent by Monitoring Triggers); raising an open key again updates it',
				action: 'Raise an alert',
			},
			{
				name: 'Resolve',
				value: 'resolve',
				description: 'Close the open alert of a key',
				action: 'Resolve an alert',
			},
		],
		default: 'raise',
	},
	{
		displayName: 'Key',
		name: 'key',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'nightly-import',
		description: 'What the alert is about; the same key raises and resolves it',
		displayOptions: { show: { resource: ['alert'] } },
	},
	...raise.description,
	...resolve.description,
];
