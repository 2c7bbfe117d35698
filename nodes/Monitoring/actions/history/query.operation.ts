import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { queryHistory } from '../../../../core/pipeline';
import { getStoreConfig } from '../../../shared/store-config';
import { toNodeError } from '../../helpers/collect';
import { hostNameParameter, readChoice, readInteger, readText } from '../../helpers/parameters';

const show = { show: { resource: ['history'], operation: ['query'] } };

export const RANGES: Record<string, number> = {
	'1h': 3_600_000,
	'24h': 86_400_000,
	'7d': 7 * 86_400_000,
	'30d': 30 * 86_400_000,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Metric Name or ID',
		name: 'metric',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'storedMetrics' },
		default: 'cpu_usage_percent',
		required: true,
		description:
			'A metric the store holds, listed from it (each with the hosts that report it). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	},
	{
		displayName: 'Host Name',
		name: 'hostName',
		type: 'string',
		default: '',
		description: "The host the samples were stored under; empty means this machine's host name",
		displayOptions: show,
	},
	{
		displayName: 'Labels (JSON)',
		name: 'labels',
		type: 'json',
		default: '{}',
		description: 'Only series with these label values, e.g. {"cpu": "total"} or {"mount": "/"}',
		displayOptions: show,
	},
	{
		displayName: 'Range',
		name: 'range',
		type: 'options',
		options: [
			{ name: 'Last Hour', value: '1h' },
			{ name: 'Last 24 Hours', value: '24h' },
			{ name: 'Last 7 Days', value: '7d' },
			{ name: 'Last 30 Days', value: '30d' },
		],
		default: '24h',
		displayOptions: show,
	},
	{
		displayName: 'Max Points',
		name: 'maxPoints',
		type: 'number',
		typeOptions: { minValue: 10, maxValue: 5000 },
		default: 1500,
		description:
			'At most this many points per series: raw, 5-minute or hourly data is picked to fit',
		displayOptions: show,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const metric = readText(this, this.getNodeParameter('metric', itemIndex, ''), {
		name: 'Metric',
		max: 200,
		required: true,
		itemIndex,
	});
	const range = readChoice(this, this.getNodeParameter('range', itemIndex, '24h'), {
		name: 'Range',
		choices: ['1h', '24h', '7d', '30d'] as const,
		fallback: '24h',
		itemIndex,
	});
	const rangeMs = RANGES[range];
	let labels: Record<string, string>;
	try {
		const raw = this.getNodeParameter('labels', itemIndex, '{}');
		labels = (typeof raw === 'string' ? JSON.parse(raw || '{}') : raw) as Record<string, string>;
		if (!labels || typeof labels !== 'object' || Array.isArray(labels))
			throw new Error('not an object');
		// Label values are compared with stored text: a number or a nested object matches nothing.
		if (Object.values(labels).some((v) => typeof v !== 'string')) throw new Error('not text');
	} catch {
		throw new NodeOperationError(this.getNode(), 'Labels must be a JSON object of text values', {
			itemIndex,
			description:
				'Write the labels as a JSON object of text values, e.g. {"cpu": "total"}, or {} for all series.',
		});
	}
	const to = Date.now();
	const host = hostNameParameter(this, itemIndex);
	try {
		const result = await queryHistory(await getStoreConfig(this, itemIndex), {
			host,
			metric,
			labels,
			from: to - rangeMs,
			to,
			maxPoints: readInteger(this, this.getNodeParameter('maxPoints', itemIndex, 1500), {
				name: 'Max Points',
				min: 10,
				max: 5000,
				fallback: 1500,
				itemIndex,
			}),
		});
		return result.series.map((series) => ({
			json: {
				host,
				metric,
				labels: series.labels,
				resolution: result.resolution,
				stepMs: result.stepMs,
				points: series.points,
				...(series.min ? { min: series.min, max: series.max } : {}),
			},
			pairedItem: { item: itemIndex },
		}));
	} catch (error) {
		if (error instanceof Error && error.name === 'QueryError') {
			throw new NodeOperationError(this.getNode(), error.message, {
				itemIndex,
				description: 'Check the metric, host and labels of the query.',
			});
		}
		throw toNodeError(this, error, itemIndex);
	}
}
