import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { askFind, FIND_WHAT } from '../../../../core/query/ask';
import { readChoice, readText } from '../../helpers/parameters';
import { answer, budgetField, maxLinesField, readBudget, readMaxLines, show } from './params';

export const description: INodeProperties[] = [
	{
		displayName: 'Pattern',
		name: 'pattern',
		type: 'string',
		default: '',
		description:
			'Text to find anywhere in a name, case insensitive; * matches any text (web-*); empty lists everything',
		displayOptions: show('find'),
	},
	{
		displayName: 'Look For',
		name: 'lookFor',
		type: 'options',
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'Hosts', value: 'hosts' },
			{ name: 'Metrics', value: 'metrics' },
			{ name: 'Targets', value: 'targets' },
		],
		default: 'all',
		description:
			'Which names to search: all, hosts, targets (endpoints, databases, model servers, workflows, containers) or metrics',
		displayOptions: show('find'),
	},
	maxLinesField('find'),
	budgetField('find'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pattern = readText(this, this.getNodeParameter('pattern', itemIndex, ''), {
		name: 'Pattern',
		max: 255,
		itemIndex,
	});
	const what = readChoice(this, this.getNodeParameter('lookFor', itemIndex, 'all'), {
		name: 'Look For',
		choices: FIND_WHAT,
		fallback: 'all',
		itemIndex,
	});
	const maxLines = readMaxLines(this, itemIndex);
	const budget = readBudget(this, itemIndex);
	return await answer(
		this,
		itemIndex,
		async (store) => await askFind(store, { pattern, what, budget, maxLines }),
		'Check the pattern.',
	);
}
