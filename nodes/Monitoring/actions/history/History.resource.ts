import type { INodeProperties } from 'n8n-workflow';

import * as query from './query.operation';
import * as summary from './summary.operation';
import * as uptime from './uptime.operation';

export { query, summary, uptime };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'History', value: 'history' };
export const operations = { query, summary, uptime };

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
			{
				name: 'Uptime Report',
				value: 'uptime',
				description:
					'Uptime %, down and no-data minutes, incidents and MTTR per target per day or month, as items or a CSV file',
				action: 'Report uptime',
			},
		],
		default: 'query',
	},
	...query.description,
	...summary.description,
	...uptime.description,
];
