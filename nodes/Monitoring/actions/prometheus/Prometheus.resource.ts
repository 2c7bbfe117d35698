import type { INodeProperties } from 'n8n-workflow';

import * as scrape from './scrape.operation';

export { scrape };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Prometheus', value: 'prometheus' };
export const operations = { scrape };

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
