import type { INodeProperties } from 'n8n-workflow';

import { PRESETS } from '../../core/alerts/presets';

/** Custom Rule among the presets, in the alphabetical order n8n's own lists keep. */
const ruleOptions = [
	{ name: 'Custom Rule', value: 'custom', description: 'A threshold on any stored metric' },
	...Object.entries(PRESETS).map(([value, p]) => ({
		name: p.name,
		value,
		description: p.description,
	})),
].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));

const custom = { show: { preset: ['custom'] } };

/** One rule of the trigger: a preset with optional overrides, or a rule on any stored metric. */
export const ruleFields: INodeProperties[] = [
	{
		displayName: 'Rule',
		name: 'preset',
		type: 'options',
		options: ruleOptions,
		default: 'cpuHigh',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: "The preset's name",
		description:
			'Shown in messages; also what the rule keeps its state under, so each rule of a trigger needs its own',
	},
	{
		displayName: 'Metric',
		name: 'metric',
		type: 'string',
		default: '',
		placeholder: 'cpu_usage_percent',
		description: 'A stored metric name, as the History resource lists them',
		displayOptions: custom,
	},
	{
		displayName: 'Host',
		name: 'host',
		type: 'string',
		default: '',
		placeholder: 'web-* (empty: every host)',
		description: 'A host name, or a pattern with *; every matching series is judged on its own',
	},
	{
		displayName: 'Label Filter',
		name: 'labels',
		type: 'string',
		default: '',
		placeholder: 'mount=/, fstype=ext4',
		description: 'Only series with these label values',
	},
	{
		displayName: 'Aggregation',
		name: 'aggregation',
		type: 'options',
		options: [
			{ name: 'Average', value: 'avg' },
			{
				name: 'Checks Failed in a Row',
				value: 'consecutiveZero',
				description: 'For 0/1 "up" metrics',
			},
			{
				name: 'Days Until Full (Trend)',
				value: 'daysUntil',
				description: 'Until the trend reaches 100',
			},
			{ name: 'Latest', value: 'last' },
			{ name: 'Maximum', value: 'max' },
			{ name: 'Minimum', value: 'min' },
			{ name: 'Rate of Change (per Minute)', value: 'rate' },
		],
		default: 'avg',
		displayOptions: custom,
	},
	{
		displayName: 'Window (Minutes)',
		name: 'windowMinutes',
		type: 'string',
		default: '',
		placeholder: "5 (a preset's own when empty)",
		description: 'The span the aggregation runs over; at least the collection interval',
	},
	{
		displayName: 'Comparison',
		name: 'comparison',
		type: 'options',
		options: [
			{ name: 'Above', value: '>' },
			{ name: 'At or Above', value: '>=' },
			{ name: 'At or Below', value: '<=' },
			{ name: 'Below', value: '<' },
		],
		default: '>',
		displayOptions: custom,
	},
	{
		displayName: 'Threshold',
		name: 'threshold',
		type: 'string',
		default: '',
		placeholder: "90 (a preset's own when empty)",
		description: "In the metric's unit: 90 for 90 %, 7 for 7 days",
	},
	{
		displayName: 'Resolve Threshold',
		name: 'resolveThreshold',
		type: 'string',
		default: '',
		placeholder: 'Empty: resolve at the threshold',
		description:
			'Firing stops only once the value is back past this one, so a value hovering at the threshold does not flap',
	},
	{
		displayName: 'For (Minutes)',
		name: 'forMinutes',
		type: 'string',
		default: '',
		placeholder: "0 (a preset's own when empty)",
		description: 'How long the condition must hold before the rule fires',
	},
	{
		displayName: 'Severity',
		name: 'severity',
		type: 'options',
		options: [
			{ name: 'Critical', value: 'critical' },
			{ name: 'Info', value: 'info' },
			{ name: "Preset's Own", value: '' },
			{ name: 'Warning', value: 'warning' },
		],
		default: '',
	},
	{
		displayName: 'Repeat Every (Minutes)',
		name: 'repeatMinutes',
		type: 'string',
		default: '',
		placeholder: '0 (off)',
		description: 'Send the firing alert again this often while it keeps firing',
	},
	{
		displayName: 'Collector',
		name: 'collector',
		type: 'string',
		default: 'host',
		description: 'Which collector must keep running (host, gpu, database, endpoint, n8n)',
		displayOptions: { show: { preset: ['hostSilent'] } },
	},
	{
		displayName: 'Workflow',
		name: 'workflow',
		type: 'string',
		default: '',
		placeholder: 'Empty: every workflow',
		description: 'A workflow ID or name',
		displayOptions: { show: { preset: ['workflowWithoutSuccess'] } },
	},
];

export const scheduleFields: INodeProperties[] = [
	{
		displayName: 'Quiet Hours',
		name: 'quietHours',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'When notifications wait (state keeps updating); what is still firing afterwards is sent then',
		options: [
			{
				displayName: 'Window',
				name: 'window',
				values: [
					{
						displayName: 'Days',
						name: 'days',
						type: 'multiOptions',
						options: [
							{ name: 'Friday', value: 5 },
							{ name: 'Monday', value: 1 },
							{ name: 'Saturday', value: 6 },
							{ name: 'Sunday', value: 0 },
							{ name: 'Thursday', value: 4 },
							{ name: 'Tuesday', value: 2 },
							{ name: 'Wednesday', value: 3 },
						],
						default: [],
						description: 'The days the window starts on; none for every day',
					},
					{ displayName: 'Start', name: 'start', type: 'string', default: '22:00' },
					{
						displayName: 'End',
						name: 'end',
						type: 'string',
						default: '07:00',
						description: 'Before the start for a window over midnight',
					},
				],
			},
		],
	},
	{
		displayName: 'Maintenance Windows',
		name: 'maintenance',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'Planned work: notifications about these hosts wait until the window ends',
		options: [
			{
				displayName: 'Window',
				name: 'window',
				values: [
					{ displayName: 'From', name: 'from', type: 'dateTime', default: '' },
					{ displayName: 'To', name: 'to', type: 'dateTime', default: '' },
					{
						displayName: 'Host',
						name: 'host',
						type: 'string',
						default: '',
						placeholder: 'db-* (empty: every host)',
					},
				],
			},
		],
	},
];
