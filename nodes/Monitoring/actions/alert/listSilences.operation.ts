import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listSilences } from '../../../../core/alerts';
import { openStore } from '../../../../core/store';
import { getStoreConfig } from '../../../shared/store-config';
import { silenceError } from './silence-error';

export const description: INodeProperties[] = [];

/** One item per silence not ended yet (in force now, or starting later), soonest end first. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	try {
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const silences = await listSilences(store, Date.now());
		return silences.map((s) => ({
			json: {
				...s,
				startsAtIso: new Date(s.startsAt).toISOString(),
				endsAtIso: new Date(s.endsAt).toISOString(),
			},
			pairedItem: { item: itemIndex },
		}));
	} catch (error) {
		throw silenceError(this, error, itemIndex);
	}
}
