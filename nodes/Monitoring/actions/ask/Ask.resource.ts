import type { INodeProperties } from 'n8n-workflow';

import * as explain from './explain.operation';
import * as find from './find.operation';
import * as query from './query.operation';
import * as status from './status.operation';

export { explain, find, query, status };

/**
 * Questions with short answers in words, for AI agents and MCP clients (the node is usable as a
 * tool): each answer is one item whose `text` stays within Max Characters.
 */
export const resource = { name: 'Ask', value: 'ask' };
export const operations = { explain, find, query, status };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['ask'] } },
		options: [
			{
				name: 'Explain',
				value: 'explain',
				description:
					'One host or target: status, current values with units, change over the range, alerts, recent failures',
				action: 'Explain a host or target',
			},
			{
				name: 'Find',
				value: 'find',
				description: 'Which hosts, targets and metrics match a name or pattern',
				action: 'Find hosts targets and metrics',
			},
			{
				name: 'Query',
				value: 'query',
				description:
					'A metric over a range, summarised: min, average, max, p95, last, trend, a few points',
				action: 'Summarize a metric',
			},
			{
				name: 'Status',
				value: 'status',
				description:
					'What is wrong now: open alerts, silent hosts, down targets, unusual values, worst first',
				action: 'Get what is wrong now',
			},
		],
		default: 'status',
	},
	...status.description,
	...explain.description,
	...query.description,
	...find.description,
];
