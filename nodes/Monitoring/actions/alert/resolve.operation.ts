import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resolveAlert } from '../../../../core/alerts';
import { openStore } from '../../../../core/store';
import { getStoreConfig } from '../../../shared/store-config';
import { toNodeError } from '../../helpers/collect';
import { alertKey, MAX_MESSAGE, textParameter } from './params';

export const description: INodeProperties[] = [
	{
		displayName: 'Message',
		name: 'resolveMessage',
		type: 'string',
		default: '',
		placeholder: 'Empty: "Resolved: " and the message it was raised with',
		displayOptions: { show: { resource: ['alert'], operation: ['resolve'] } },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const key = alertKey(this, itemIndex);
	const message = textParameter(this, 'resolveMessage', 'Message', itemIndex, { max: MAX_MESSAGE });
	try {
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const result = await resolveAlert(store, { key, message, now: Date.now() });
		return [
			{
				json: { key, status: result.resolved ? 'resolved' : 'not open', ...result },
				pairedItem: { item: itemIndex },
			},
		];
	} catch (error) {
		throw toNodeError(this, error, itemIndex);
	}
}
