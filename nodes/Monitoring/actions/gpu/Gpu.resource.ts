import type { INodeProperties } from 'n8n-workflow';

import * as collect from './collect.operation';

export { collect };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['gpu'] } },
		options: [
			{
				name: 'Collect',
				value: 'collect',
				description:
					'Collect NVIDIA and AMD GPU utilisation, memory, temperature, power, clocks, throttling and per-process GPU memory',
				action: 'Collect GPU metrics',
			},
		],
		default: 'collect',
	},
	...collect.description,
];
