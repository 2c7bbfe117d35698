import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { summarizeHistory } from '../../../../core/pipeline';
import { getStoreConfig } from '../../../shared/store-config';
import { toNodeError } from '../../helpers/collect';
import { readChoice } from '../../helpers/parameters';

export const description: INodeProperties[] = [
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Last 24 Hours', value: 'day' },
			{ name: 'Last 7 Days', value: 'week' },
		],
		default: 'day',
		displayOptions: { show: { resource: ['history'], operation: ['summary'] } },
	},
];

const PERIOD_MS: Record<string, number> = { day: 86_400_000, week: 7 * 86_400_000 };

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const period = readChoice(this, this.getNodeParameter('period', itemIndex, 'day'), {
		name: 'Period',
		choices: ['day', 'week'] as const,
		fallback: 'day',
		itemIndex,
	});
	const to = Date.now();
	try {
		const digest = await summarizeHistory(await getStoreConfig(this, itemIndex), {
			from: to - PERIOD_MS[period],
			to,
		});
		return [
			{
				json: { period, ...digest, text: digestText(digest) },
				pairedItem: { item: itemIndex },
			},
		];
	} catch (error) {
		throw toNodeError(this, error, itemIndex);
	}
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const num = (x: number | null, unit = '') => (x === null ? 'n/a' : `${x.toFixed(1)}${unit}`);

/** A plain-text digest for an e-mail or a chat message; names are data, printed as they are. */
export function digestText(d: Awaited<ReturnType<typeof summarizeHistory>>): string {
	const lines = [
		`Monitoring digest ${new Date(d.from).toISOString()} – ${new Date(d.to).toISOString()}`,
		'',
		'Hosts (average / peak):',
		...d.hosts.map(
			(h) =>
				`- ${h.host}: CPU ${num(h.cpu.avg, ' %')} / ${num(h.cpu.max, ' %')}, memory ${num(h.memory.avg, ' %')} / ${num(h.memory.max, ' %')}, disk ${num(h.disk.max, ' %')}`,
		),
	];
	if (d.databases.length) {
		lines.push('', 'Databases (availability):');
		lines.push(...d.databases.map((db) => `- ${db.db} on ${db.host}: ${pct(db.availability)}`));
	}
	if (d.endpoints.length) {
		lines.push('', 'Endpoints (availability, average response):');
		lines.push(
			...d.endpoints.map(
				(e) =>
					`- ${e.endpoint}: ${pct(e.availability)}, ${num(e.total.avg === null ? null : e.total.avg * 1000, ' ms')}`,
			),
		);
	}
	if (d.workflows.length) {
		lines.push('', 'Workflows (failures / runs):');
		lines.push(
			...d.workflows.map((w) => `- ${w.workflowName ?? w.workflowId}: ${w.failures} / ${w.runs}`),
		);
	}
	return lines.join('\n');
}
