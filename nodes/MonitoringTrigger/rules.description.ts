import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { type Preset, PRESETS } from '../../core/alerts/presets';
import { maintenanceField } from '../shared/maintenance-field';
import { severityField } from '../shared/severity-field';
import { ONLY_V1, SINCE_V2 } from '../shared/versions';

/** Custom Rule among the presets, in the alphabetical order n8n's own lists keep. */
const ruleOptions = [
	{ name: 'Custom Rule', value: 'custom', description: 'A threshold on any stored metric' },
	...Object.entries(PRESETS).map(([value, p]) => ({
		name: p.name,
		value,
		description: p.description,
	})),
].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));

/**
 * Version 1 showed every override under every rule (nine fields each, with the CPU rule's
 * placeholders); version 2 keeps them in a collection per rule with that preset's own values as
 * placeholders. Version 1's fields stay for workflows saved with it: n8n drops parameters its
 * description no longer has, and a dropped threshold would silently move an alert.
 */
const V1 = ONLY_V1;
const V2 = SINCE_V2;

const showV1 = (show: IDisplayOptions['show'] = {}): IDisplayOptions => ({
	show: { ...show, ...V1 },
});
const custom = { preset: ['custom'] };

const minutes = (ms: number) => String(ms / 60_000);
const withUnit = (value: number, unit?: string) =>
	unit && unit !== 'failed checks' ? `${value} ${unit}` : String(value);

const aggregationField: INodeProperties = {
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
		{
			name: 'Unusual for the Hour (Anomaly Score)',
			value: 'anomaly',
			description:
				"How far the window's average is from what is usual for that hour of the week, in spreads (5 is very unusual)",
		},
	],
	default: 'avg',
	displayOptions: { show: custom },
};

const comparisonField: INodeProperties = {
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
	displayOptions: { show: custom },
};

const metricField: INodeProperties = {
	displayName: 'Metric',
	name: 'metric',
	type: 'string',
	default: '',
	placeholder: 'cpu_usage_percent',
	description: 'A stored metric name, as the History resource lists them',
	displayOptions: { show: custom },
};

/** The fields a rule can change, each with a placeholder that says what the rule uses without it. */
const field = {
	name: (placeholder: string): INodeProperties => ({
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder,
		description:
			'Shown in messages; also what the rule keeps its state under, so each rule of a trigger needs its own',
	}),
	host: (): INodeProperties => ({
		displayName: 'Host',
		name: 'host',
		type: 'string',
		default: '',
		placeholder: 'web-* (empty: every host)',
		description: 'A host name, or a pattern with *; every matching series is judged on its own',
	}),
	labels: (placeholder: string): INodeProperties => ({
		displayName: 'Label Filter',
		name: 'labels',
		type: 'string',
		default: '',
		placeholder,
		description: 'Only series with these label values',
	}),
	window: (placeholder: string): INodeProperties => ({
		displayName: 'Window (Minutes)',
		name: 'windowMinutes',
		type: 'string',
		default: '',
		placeholder,
		description: 'The span the aggregation runs over; at least the collection interval',
	}),
	threshold: (placeholder: string): INodeProperties => ({
		displayName: 'Threshold',
		name: 'threshold',
		type: 'string',
		default: '',
		placeholder,
		description: "In the metric's unit: 90 for 90 %, 7 for 7 days",
	}),
	resolveThreshold: (placeholder: string): INodeProperties => ({
		displayName: 'Resolve Threshold',
		name: 'resolveThreshold',
		type: 'string',
		default: '',
		placeholder,
		description:
			'Firing stops only once the value is back past this one, so a value hovering at the threshold does not flap',
	}),
	forMinutes: (placeholder: string): INodeProperties => ({
		displayName: 'For (Minutes)',
		name: 'forMinutes',
		type: 'string',
		default: '',
		placeholder,
		description: 'How long the condition must hold before the rule fires',
	}),
	repeat: (): INodeProperties => ({
		displayName: 'Repeat Every (Minutes)',
		name: 'repeatMinutes',
		type: 'string',
		default: '',
		placeholder: '0 (off)',
		description: 'Send the firing alert again this often while it keeps firing',
	}),
	severity: severityField,
	collector: (): INodeProperties => ({
		displayName: 'Collector',
		name: 'collector',
		type: 'string',
		default: '',
		placeholder: 'host',
		description: 'Which collector must keep running (host, gpu, database, endpoint, n8n)',
	}),
	direction: (placeholder: string): INodeProperties => ({
		displayName: 'Direction',
		name: 'direction',
		type: 'string',
		default: '',
		placeholder,
		description: 'For the anomaly score: up (unusually high), down (unusually low) or both',
	}),
	minHistory: (placeholder: string): INodeProperties => ({
		displayName: 'Minimum History (Hours)',
		name: 'minHistoryHours',
		type: 'string',
		default: '',
		placeholder,
		description:
			'For the anomaly score: how much history a series needs before it is judged; until then it waits, never fires',
	}),
	workflow: (): INodeProperties => ({
		displayName: 'Workflow',
		name: 'workflow',
		type: 'string',
		default: '',
		placeholder: 'Empty: every workflow',
		description: 'A workflow ID or name',
	}),
};

function withoutPlaceholder(property: INodeProperties): INodeProperties {
	const rest = { ...property };
	delete rest.placeholder;
	return rest;
}

const byLabel = (a: INodeProperties, b: INodeProperties) =>
	a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' });

function labelPlaceholder(preset: Preset): string {
	const labels = preset.source.kind === 'metric' ? preset.source.labels : undefined;
	if (labels && Object.keys(labels).length)
		return Object.entries(labels)
			.map(([k, v]) => `${k}=${v}`)
			.join(', ');
	return preset.source.kind === 'metric' && preset.source.metric.startsWith('filesystem_')
		? 'mount=/, fstype=ext4'
		: 'label=value, other=value';
}

/** A preset's settings as "Add Option" offers them, its own values as the placeholders. */
function presetOptions(key: string, preset: Preset): INodeProperties {
	const fields = [
		field.name(preset.name),
		field.threshold(withUnit(preset.threshold, preset.unit)),
		field.resolveThreshold(withUnit(preset.resolveThreshold ?? preset.threshold, preset.unit)),
		field.forMinutes(minutes(preset.forMs)),
		field.severity(preset.severity),
		field.repeat(),
	];
	if (preset.source.kind === 'metric')
		fields.push(
			field.host(),
			field.labels(labelPlaceholder(preset)),
			field.window(minutes(preset.source.windowMs)),
		);
	if (preset.source.kind === 'metric' && preset.source.aggregation === 'anomaly')
		fields.push(
			field.direction(preset.source.direction ?? 'both'),
			field.minHistory(String(preset.source.minHistoryHours ?? 24)),
		);
	if (preset.source.kind === 'silentHost') fields.push(field.host(), field.collector());
	if (preset.source.kind === 'workflowWithoutSuccess') fields.push(field.workflow());
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: `Change what "${preset.name}" uses; each empty setting keeps the preset's own`,
		displayOptions: { show: { preset: [key], ...V2 } },
		options: fields.sort(byLabel),
	};
}

const customOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { ...custom, ...V2 } },
	options: [
		field.name('cpu_usage_percent > 90'),
		field.host(),
		field.labels('cpu=total'),
		field.resolveThreshold('Empty: resolve at the threshold'),
		field.forMinutes('0'),
		field.severity('warning'),
		field.repeat(),
		field.direction('both'),
		field.minHistory('24'),
	].sort(byLabel),
};

const ruleField: INodeProperties = {
	displayName: 'Rule',
	name: 'preset',
	type: 'options',
	options: ruleOptions,
	default: 'cpuHigh',
};

/** Version 2: a rule is its preset plus an options collection; a custom rule shows its five. */
const ruleFieldsV2: INodeProperties[] = [
	ruleField,
	{ ...metricField, displayOptions: { show: { ...custom, ...V2 } } },
	{ ...aggregationField, displayOptions: { show: { ...custom, ...V2 } } },
	{
		...field.window('5'),
		displayOptions: { show: { ...custom, ...V2 } },
	},
	{ ...comparisonField, displayOptions: { show: { ...custom, ...V2 } } },
	{
		...field.threshold('90'),
		default: '',
		displayOptions: { show: { ...custom, ...V2 } },
	},
	customOptions,
	...Object.entries(PRESETS).map(([key, preset]) => presetOptions(key, preset as Preset)),
];

/** Version 1, as saved workflows hold it: every override beside the rule. */
const ruleFieldsV1: INodeProperties[] = [
	{ ...field.name("The preset's name"), displayOptions: showV1() },
	{ ...metricField, displayOptions: showV1(custom) },
	{ ...field.host(), displayOptions: showV1() },
	{ ...field.labels('mount=/, fstype=ext4'), displayOptions: showV1() },
	{ ...aggregationField, displayOptions: showV1(custom) },
	{ ...field.window("5 (a preset's own when empty)"), displayOptions: showV1() },
	{ ...comparisonField, displayOptions: showV1(custom) },
	{ ...field.threshold("90 (a preset's own when empty)"), displayOptions: showV1() },
	{ ...field.resolveThreshold('Empty: resolve at the threshold'), displayOptions: showV1() },
	{ ...field.forMinutes("0 (a preset's own when empty)"), displayOptions: showV1() },
	{
		...field.severity(''),
		options: [
			{ name: 'Critical', value: 'critical' },
			{ name: 'Info', value: 'info' },
			{ name: "Preset's Own", value: '' },
			{ name: 'Warning', value: 'warning' },
		],
		displayOptions: showV1(),
	},
	{ ...field.repeat(), displayOptions: showV1() },
	{
		...withoutPlaceholder(field.collector()),
		default: 'host',
		displayOptions: showV1({ preset: ['hostSilent'] }),
	},
	{ ...field.workflow(), displayOptions: showV1({ preset: ['workflowWithoutSuccess'] }) },
];

/** One rule of the trigger: a preset with optional overrides, or a rule on any stored metric. */
export const ruleFields: INodeProperties[] = [...ruleFieldsV2, ...ruleFieldsV1];

export const scheduleFields: INodeProperties[] = [
	{
		displayName: 'Quiet Hours',
		name: 'quietHours',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Quiet Hours',
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
	maintenanceField('Planned work: notifications about these hosts wait until the window ends'),
];
