import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { askExplain } from '../../../../core/query/ask';
import { DETAIL_KINDS } from '../../../../core/query';
import { readChoice, readText } from '../../helpers/parameters';
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

/** Kinds that name a target on a host (they need a Target Name). */
const TARGET_KINDS = ['model_server', 'database', 'endpoint', 'workflow', 'container'];

export const description: INodeProperties[] = [
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		options: [
			{ name: 'Container', value: 'container' },
			{ name: 'Database', value: 'database' },
			{ name: 'Endpoint', value: 'endpoint' },
			{ name: 'GPU', value: 'gpu' },
			{ name: 'Host', value: 'host' },
			{ name: 'Model Server', value: 'model_server' },
			{ name: 'n8n Instance', value: 'n8n' },
			{ name: 'Workflow', value: 'workflow' },
		],
		default: 'host',
		description:
			'What to explain: host, gpu or n8n (the host itself), or a target on it: endpoint, database, model_server, workflow, container',
		displayOptions: show('explain'),
	},
	hostField('explain'),
	{
		displayName: 'Target Name',
		name: 'targetName',
		type: 'string',
		default: '',
		description:
			'For endpoint, database, model_server, workflow (its ID) and container: its name exactly as stored; empty for host, gpu, n8n',
		displayOptions: show('explain'),
	},
	rangeField('explain', '24h'),
	budgetField('explain'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const kind = readChoice(this, this.getNodeParameter('kind', itemIndex, 'host'), {
		name: 'Kind',
		choices: DETAIL_KINDS,
		fallback: 'host',
		itemIndex,
	});
	const host = readHost(this, itemIndex);
	const name = readText(this, this.getNodeParameter('targetName', itemIndex, ''), {
		name: 'Target Name',
		max: 255,
		required: TARGET_KINDS.includes(kind),
		description: `A ${kind} is named on its host: enter its name exactly as stored; Ask > Find lists them.`,
		itemIndex,
	});
	const rangeMs = readRange(this, itemIndex, '24h');
	const budget = readBudget(this, itemIndex);
	return await answer(
		this,
		itemIndex,
		async (store) =>
			await askExplain(store, {
				now: Date.now(),
				kind,
				host,
				name: name || undefined,
				rangeMs,
				budget,
			}),
		'Check the kind, host and target name; Ask > Find lists the names.',
	);
}
