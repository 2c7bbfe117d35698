import type { INodeProperties } from 'n8n-workflow';

import * as query from './query.operation';
import * as summary from './summary.operation';

export { query, summary };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'History', value: 'history' };
export const operations = { query, summary };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['history'] } },
		options: [
			{
				name: 'Query',
				value: 'query',
				description: 'Read a stored metric over a range, one item per series',
				action: 'Query stored metrics',
			},
			{
				name: 'Summarize',
				value: 'summary',
				description:
					'A daily or weekly digest: averages and peaks per host, availability, failures, worst offenders',
				action: 'Summarize stored metrics',
			},
		],
		default: 'query',
	},
	...query.description,
	...summary.description,
];
