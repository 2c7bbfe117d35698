import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { askStatus } from '../../../../core/query/ask';
import { readBoolean } from '../../helpers/parameters';
import { answer, budgetField, maxLinesField, readBudget, readMaxLines, show } from './params';

export const description: INodeProperties[] = [
	maxLinesField('status'),
	{
		displayName: 'Check Usual Ranges',
		name: 'unusual',
		type: 'boolean',
		default: true,
		description:
			'Whether to also list host CPU and memory far outside their usual range for the hour (reads four weeks of hourly averages)',
		displayOptions: show('status'),
	},
	budgetField('status'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const maxLines = readMaxLines(this, itemIndex);
	const budget = readBudget(this, itemIndex);
	const unusual = readBoolean(this, this.getNodeParameter('unusual', itemIndex, true), {
		name: 'Check Usual Ranges',
		fallback: true,
		itemIndex,
	});
	return await answer(
		this,
		itemIndex,
		async (store) => await askStatus(store, { now: Date.now(), maxLines, budget, unusual }),
		'Check the store settings of the node.',
	);
}
