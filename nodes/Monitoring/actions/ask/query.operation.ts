import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { askQuery, DEFAULT_QUERY_POINTS, MAX_QUERY_POINTS } from '../../../../core/query/ask';
import { readInteger, readText } from '../../helpers/parameters';
import {
	answer,
	budgetField,
	hostField,
	rangeField,
	readBudget,
	readHost,
	readRange,
	show,
} from './params';

export const description: INodeProperties[] = [
	hostField('query'),
	{
		displayName: 'Metric',
		name: 'metricName',
		type: 'string',
		default: 'cpu_usage_percent',
		required: true,
		description:
			'The metric name, e.g. cpu_usage_percent, memory_used_percent, filesystem_used_percent, endpoint_response_seconds (Find lists them)',
		displayOptions: show('query'),
	},
	{
		displayName: 'Labels (JSON)',
		name: 'labels',
		type: 'json',
		default: '{}',
		description:
			'Only series with these label values, e.g. {"cpu": "total"} or {"mount": "/"}; {} for all',
		displayOptions: show('query'),
	},
	rangeField('query', '24h'),
	{
		displayName: 'Points',
		name: 'points',
		type: 'number',
		typeOptions: { minValue: 2, maxValue: MAX_QUERY_POINTS },
		default: DEFAULT_QUERY_POINTS,
		description: `How many averaged points each series shows besides its figures (2 to ${MAX_QUERY_POINTS})`,
		displayOptions: show('query'),
	},
	budgetField('query'),
];

/** Labels as an object of text values, from JSON text (a model writes text) or an object. */
function readLabels(ctx: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const raw = ctx.getNodeParameter('labels', itemIndex, '{}');
	try {
		const labels = (typeof raw === 'string' ? JSON.parse(raw.trim() || '{}') : raw) as unknown;
		if (!labels || typeof labels !== 'object' || Array.isArray(labels))
			throw new Error('not an object');
		if (Object.values(labels).some((v) => typeof v !== 'string')) throw new Error('not text');
		return labels as Record<string, string>;
	} catch {
		throw new NodeOperationError(ctx.getNode(), 'Labels must be a JSON object of text values', {
			itemIndex,
			description:
				'Write the labels as a JSON object of text values, e.g. {"cpu": "total"}, or {} for all series.',
		});
	}
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const host = readHost(this, itemIndex);
	const metric = readText(this, this.getNodeParameter('metricName', itemIndex, ''), {
		name: 'Metric',
		max: 200,
		required: true,
		description: 'Enter a metric name such as cpu_usage_percent; Ask > Find lists them.',
		itemIndex,
	});
	const labels = readLabels(this, itemIndex);
	const rangeMs = readRange(this, itemIndex, '24h');
	const points = readInteger(
		this,
		this.getNodeParameter('points', itemIndex, DEFAULT_QUERY_POINTS),
		{
			name: 'Points',
			min: 2,
			max: MAX_QUERY_POINTS,
			fallback: DEFAULT_QUERY_POINTS,
			itemIndex,
		},
	);
	const budget = readBudget(this, itemIndex);
	return await answer(
		this,
		itemIndex,
		async (store) =>
			await askQuery(store, { now: Date.now(), host, metric, labels, rangeMs, points, budget }),
		'Check the host, metric and labels; Ask > Find lists the names.',
	);
}
