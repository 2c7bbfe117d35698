import type { INodeProperties } from 'n8n-workflow';

import * as createSilence from './createSilence.operation';
import * as deleteSilence from './deleteSilence.operation';
import * as listIncidents from './listIncidents.operation';
import * as listSilences from './listSilences.operation';
import * as openIncident from './openIncident.operation';
import * as postIncidentUpdate from './postIncidentUpdate.operation';
import * as raise from './raise.operation';
import * as resolve from './resolve.operation';

export {
	createSilence,
	deleteSilence,
	listIncidents,
	listSilences,
	openIncident,
	postIncidentUpdate,
	raise,
	resolve,
};

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Alert', value: 'alert' };
export const operations = {
	listIncidents,
	openIncident,
	postIncidentUpdate,
	raise,
	resolve,
	createSilence,
	listSilences,
	deleteSilence,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['alert'] } },
		options: [
			{
				name: 'Create Silence',
				value: 'createSilence',
				description:
					'Hold back alerts that match (host, rule, labels) from workflows for a while; they still show on the dashboard',
				action: 'Create a silence',
			},
			{
				name: 'Delete (Expire) Silence',
				value: 'deleteSilence',
				description: 'End a silence now; what it held back and still fires is sent then',
				action: 'Expire a silence',
			},
			{
				name: 'List Incidents',
				value: 'listIncidents',
				description:
					'The incidents of chosen targets over a period, one item each: alerts grouped, and those opened by hand, with their timelines',
				action: 'List incidents',
			},
			{
				name: 'List Silences',
				value: 'listSilences',
				description: 'The silences in force now or starting later',
				action: 'List silences',
			},
			{
				name: 'Open Incident',
				value: 'openIncident',
				description:
					'Open an incident by hand (title, targets, words for readers), shown on status pages',
				action: 'Open an incident',
			},
			{
				name: 'Post Incident Update',
				value: 'postIncidentUpdate',
				description:
					"Post words for readers on an incident, named by its ID or by any of its alerts' IDs",
				action: 'Post an incident update',
			},
			{
				name: 'Raise',
				value: 'raise',
				description:
					'Open an alert (shown on the dashboard, sent by Monitoring Triggers); raising an open key again updates it',
				action: 'Raise an alert',
			},
			{
				name: 'Resolve',
				value: 'resolve',
				description: 'Close the open alert of a key',
				action: 'Resolve an alert',
			},
		],
		default: 'raise',
	},
	{
		displayName: 'Key',
		name: 'key',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'nightly-import',
		description: 'What the alert is about; the same key raises and resolves it',
		displayOptions: { show: { resource: ['alert'], operation: ['raise', 'resolve'] } },
	},
	...raise.description,
	...resolve.description,
	...createSilence.description,
	...listSilences.description,
	...deleteSilence.description,
	...openIncident.description,
	...postIncidentUpdate.description,
	...listIncidents.description,
];
