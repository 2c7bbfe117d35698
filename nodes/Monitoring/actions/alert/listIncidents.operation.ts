import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { IncidentInputError } from '../../../../core/alerts/incidents';
import { listIncidents, MAX_UPTIME_RANGE_MS } from '../../../../core/query';
import { openStore } from '../../../../core/store';
import { getStoreConfig } from '../../../shared/store-config';
import { readTargets, targetsField } from '../../descriptions/targets';
import { readBoolean, readChoice, readInteger } from '../../helpers/parameters';
import { incidentError, incidentJson } from './incident-fields';

const show = { show: { resource: ['alert'], operation: ['listIncidents'] } };
const DAY_MS = 86_400_000;

export const description: INodeProperties[] = [
	targetsField(show, 'The targets whose incidents to list; none means every target', {
		host: 'The host whose collector checks the target; empty means every host',
		name: 'The endpoint, database, server or workflow ID as stored; empty means all of this kind',
	}),
	{
		displayName: 'Period',
		name: 'incidentPeriod',
		type: 'options',
		options: [
			{ name: 'Custom Range', value: 'custom', description: 'From and to dates' },
			{ name: 'Last N Days', value: 'lastDays', description: 'The last days, up to now' },
		],
		default: 'lastDays',
		description: 'Incidents open at any time in the period are listed',
		displayOptions: show,
	},
	{
		displayName: 'Days',
		name: 'incidentDays',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 366 },
		default: 7,
		displayOptions: { show: { ...show.show, incidentPeriod: ['lastDays'] } },
	},
	{
		displayName: 'From',
		name: 'incidentFrom',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { ...show.show, incidentPeriod: ['custom'] } },
	},
	{
		displayName: 'To',
		name: 'incidentTo',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { ...show.show, incidentPeriod: ['custom'] } },
	},
	{
		displayName: 'Options',
		name: 'listOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Only Open',
				name: 'onlyOpen',
				type: 'boolean',
				default: false,
				description: 'Whether to list only the incidents that are still open',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const now = Date.now();
	const targets = readTargets(this, itemIndex);
	const options = this.getNodeParameter('listOptions', itemIndex, {}) as IDataObject;
	const onlyOpen = readBoolean(this, options.onlyOpen, {
		name: 'Only Open',
		fallback: false,
		itemIndex,
	});
	try {
		const { from, to } = readPeriod(this, itemIndex, now);
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const incidents = await listIncidents(store, { from, to, now, targets });
		return incidents
			.filter((i) => !onlyOpen || i.resolvedAt === null)
			.map((i) => ({ json: incidentJson(i), pairedItem: { item: itemIndex } }));
	} catch (error) {
		throw incidentError(this, error, itemIndex);
	}
}

function readPeriod(ctx: IExecuteFunctions, itemIndex: number, now: number) {
	const period = readChoice(ctx, ctx.getNodeParameter('incidentPeriod', itemIndex, 'lastDays'), {
		name: 'Period',
		choices: ['custom', 'lastDays'] as const,
		fallback: 'lastDays',
		itemIndex,
	});
	if (period === 'lastDays') {
		const days = readInteger(ctx, ctx.getNodeParameter('incidentDays', itemIndex, 7), {
			name: 'Days',
			min: 1,
			max: 366,
			fallback: 7,
			itemIndex,
		});
		return { from: now - days * DAY_MS, to: now + 1 };
	}
	const date = (name: string, label: string) => {
		const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
		const ms = typeof value === 'string' && value.trim() ? Date.parse(value) : NaN;
		if (!Number.isFinite(ms))
			throw new IncidentInputError(
				`${label} is not a date: ${JSON.stringify(value ?? '')}`,
				'Pick a date and time, or map an ISO date such as 2026-03-01T00:00:00Z.',
			);
		return ms;
	};
	const from = date('incidentFrom', 'From');
	const to = date('incidentTo', 'To');
	if (to <= from) throw new IncidentInputError('To must be after From', 'Set To later than From.');
	if (to - from > MAX_UPTIME_RANGE_MS)
		throw new IncidentInputError(
			`The period is ${Math.ceil((to - from) / DAY_MS)} days long; at most 366 are allowed`,
			'Shorten the period, or list one year at a time.',
		);
	return { from, to };
}
