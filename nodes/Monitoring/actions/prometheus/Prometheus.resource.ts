import type { INodeProperties } from 'n8n-workflow';

import * as scrape from './scrape.operation';

export { scrape };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['prometheus'] } },
		options: [
			{
				name: 'Scrape',
				value: 'scrape',
				description:
					'Scrape node_exporter, NVIDIA dcgm-exporter or any /metrics page on another machine into the store under its host name',
				action: 'Scrape a Prometheus exporter',
			},
		],
		default: 'scrape',
	},
	...scrape.description,
];
