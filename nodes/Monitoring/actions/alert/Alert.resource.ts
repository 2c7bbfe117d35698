import type { INodeProperties } from 'n8n-workflow';

import * as listIncidents from './listIncidents.operation';
import * as openIncident from './openIncident.operation';
import * as postIncidentUpdate from './postIncidentUpdate.operation';
import * as raise from './raise.operation';
import * as resolve from './resolve.operation';

export { listIncidents, openIncident, postIncidentUpdate, raise, resolve };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Alert', value: 'alert' };
export const operations = { listIncidents, openIncident, postIncidentUpdate, raise, resolve };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['alert'] } },
		options: [
			{
				name: 'List Incidents',
				value: 'listIncidents',
				description:
					'The incidents of chosen targets over a period, one item each: alerts grouped, and those opened by hand, with their timelines',
				action: 'List incidents',
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
		displayOptions: {
			show: { resource: ['alert'] },
			hide: { operation: ['listIncidents', 'openIncident', 'postIncidentUpdate'] },
		},
	},
	...raise.description,
	...resolve.description,
	...openIncident.description,
	...postIncidentUpdate.description,
	...listIncidents.description,
];
