import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { expireSilence } from '../../../../core/alerts';
import { openStore } from '../../../../core/store';
import { getStoreConfig } from '../../../shared/store-config';
import { silenceError } from './silence-error';

export const description: INodeProperties[] = [
	{
		displayName: 'Silence ID',
		name: 'silenceId',
		type: 'number',
		required: true,
		default: 0,
		description: 'The ID of the silence (from Create Silence or List Silences)',
		displayOptions: { show: { resource: ['alert'], operation: ['deleteSilence'] } },
	},
];

/**
 * Ends a silence now (it stays in the store as history); what it held back and still fires is
 * handed over at the next poll of a trigger.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const raw = this.getNodeParameter('silenceId', itemIndex, 0) as unknown;
	const id = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
	if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1)
		throw new NodeOperationError(
			this.getNode(),
			`Silence ID must be the whole number of a silence, not ${JSON.stringify(raw)}`,
			{ itemIndex, description: 'Map the id from Create Silence or List Silences.' },
		);
	try {
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const expired = await expireSilence(store, id, Date.now());
		return [
			{
				json: { id, status: expired ? 'expired' : 'not active', expired },
				pairedItem: { item: itemIndex },
			},
		];
	} catch (error) {
		throw silenceError(this, error, itemIndex);
	}
}
