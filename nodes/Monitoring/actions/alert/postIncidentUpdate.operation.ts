import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { postIncidentUpdate } from '../../../../core/alerts/incidents';
import { openStore } from '../../../../core/store';
import { getStoreConfig } from '../../../shared/store-config';
import { readText } from '../../helpers/parameters';
import {
	authorOption,
	incidentError,
	incidentJson,
	messageField,
	readAuthor,
	readMessage,
	readStatus,
	statusField,
} from './incident-fields';

const show = { show: { resource: ['alert'], operation: ['postIncidentUpdate'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Incident ID',
		name: 'incidentId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'a34',
		description:
			"The incident as List Incidents gives it (m12, a34), or the alertId of a Monitoring Trigger's event: any alert of an incident names it",
		displayOptions: show,
	},
	statusField(show, 'update'),
	messageField(show, 'The database failed over; checkouts are back to normal.'),
	{
		displayName: 'Options',
		name: 'updateOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [authorOption],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incident = readText(this, this.getNodeParameter('incidentId', itemIndex, ''), {
		name: 'Incident ID',
		max: 100,
		required: true,
		itemIndex,
		description:
			"Map the id from List Incidents (m12, a34) or a trigger event's alertId, e.g. {{ $json.alertId }}.",
	});
	const status = readStatus(this, itemIndex);
	const message = readMessage(this, itemIndex);
	const options = this.getNodeParameter('updateOptions', itemIndex, {}) as IDataObject;
	const author = readAuthor(this, options.author, itemIndex);
	try {
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const updated = await postIncidentUpdate(store, {
			incident,
			status,
			message,
			author,
			now: Date.now(),
		});
		return [{ json: incidentJson(updated), pairedItem: { item: itemIndex } }];
	} catch (error) {
		throw incidentError(this, error, itemIndex);
	}
}
