import type { INodeProperties } from 'n8n-workflow';

import * as collect from './collect.operation';

export { collect };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['host'] } },
		options: [
			{
				name: 'Collect',
				value: 'collect',
				description:
					'Collect CPU, memory, filesystems, disk and network I/O, temperatures and (optionally) top processes of this machine',
				action: 'Collect host metrics',
			},
		],
		default: 'collect',
	},
	...collect.description,
];
