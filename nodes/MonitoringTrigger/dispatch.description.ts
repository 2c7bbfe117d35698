import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { BEFORE_V3, SINCE_V3 } from '../shared/versions';

const hostDown = (defaultValue: boolean, show: IDisplayOptions['show']): INodeProperties => ({
	displayName: 'Hold Back Alerts of Down Hosts',
	name: 'inhibitHostDown',
	type: 'boolean',
	default: defaultValue,
	description:
		'Whether alerts of the endpoints, databases, containers and model servers collected on a host wait while that host is down or stops reporting; what still fires when the host is back is sent then',
	displayOptions: { show },
});

/**
 * Inhibition: the built-in rule (on for triggers added since version 3; version 1 and 2 triggers
 * keep what they did until it is switched on) and the user's own source → target rules.
 */
export const inhibitionFields: INodeProperties[] = [
	hostDown(true, SINCE_V3),
	hostDown(false, BEFORE_V3),
	{
		displayName: 'Inhibit Rules',
		name: 'inhibitRules',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Inhibit Rule',
		default: {},
		description:
			'While an alert matching Source fires, alerts matching Target wait (they still show on the dashboard, marked as held back); what still fires when the source resolves is sent then',
		options: [
			{
				displayName: 'Rule',
				name: 'rule',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'string',
						default: '',
						placeholder: 'rule=Host stopped reporting',
						description:
							'The alert that holds others back: name=value tests separated by commas, on rule, severity, host, metric or a label; * matches any text, != means "not"',
					},
					{
						displayName: 'Target',
						name: 'target',
						type: 'string',
						default: '',
						placeholder: 'severity=warning',
						description: 'The alerts held back, written like Source',
					},
					{
						displayName: 'Equal Labels',
						name: 'equal',
						type: 'string',
						default: '',
						placeholder: 'host',
						description:
							'Names (host, rule, or a label) whose values source and target must share, so that web-1 down holds back web-1 alerts only',
					},
				],
			},
		],
	},
];

/** Options › Group Events. */
export const groupEventsOption: INodeProperties = {
	displayName: 'Group Events',
	name: 'groupEvents',
	type: 'fixedCollection',
	placeholder: 'Add Grouping',
	default: {},
	description:
		'Hand over one item per group (alerts sharing the chosen keys, with the alerts inside) instead of one per event',
	options: [
		{
			displayName: 'Grouping',
			name: 'settings',
			values: [
				{
					displayName: 'Group By',
					name: 'groupBy',
					type: 'multiOptions',
					options: [
						{ name: 'Host', value: 'host' },
						{ name: 'Rule', value: 'rule' },
						{ name: 'Severity', value: 'severity' },
					],
					default: ['host'],
					description:
						'Alerts with the same values of these keys go together; none: all in one group',
				},
				{
					displayName: 'Group By Labels',
					name: 'labels',
					type: 'string',
					default: '',
					placeholder: 'mount, endpoint',
					description: 'Label names to group by as well, separated by commas',
				},
				{
					displayName: 'Wait (Seconds)',
					name: 'waitSeconds',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 30,
					description:
						'How long a new group waits for more alerts before its first item; a poll that comes later sends it then',
				},
				{
					displayName: 'Interval (Minutes)',
					name: 'intervalMinutes',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 5,
					description:
						'How long after an item of a group its next news (alerts that fire or resolve) waits',
				},
				{
					displayName: 'Repeat Every (Minutes)',
					name: 'repeatMinutes',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: 'Send a group that still fires again this often without news; 0 is off',
				},
			],
		},
	],
};
