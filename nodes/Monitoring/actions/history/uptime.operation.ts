import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import type { MaintenanceWindow } from '../../../../core/alerts/schedule';
import { uptimeHistory } from '../../../../core/pipeline';
import { MAX_UPTIME_RANGE_MS, QueryError, uptimeCsv, type UptimeRow } from '../../../../core/query';
import { getStoreConfig } from '../../../shared/store-config';
import { maintenanceField } from '../../../shared/maintenance-field';
import { readTargets, targetsField } from '../../descriptions/targets';
import { toNodeError } from '../../helpers/collect';
import { MAX_NAME, readBoolean, readChoice, readInteger, readText } from '../../helpers/parameters';

const show = { show: { resource: ['history'], operation: ['uptime'] } };
const DAY_MS = 86_400_000;
const PERIODS = ['lastMonth', 'lastDays', 'month', 'custom'] as const;

export const description: INodeProperties[] = [
	targetsField(show, 'The targets to report on; none means every target the store holds', {
		host: 'The host whose collector checks the target; empty means every host',
		name: 'The endpoint, database, server or workflow ID as stored; empty means all of this kind',
	}),
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Calendar Month', value: 'month', description: 'A month, e.g. 2026-03 (UTC)' },
			{ name: 'Custom Range', value: 'custom', description: 'From and to dates' },
			{ name: 'Last Month', value: 'lastMonth', description: 'The previous calendar month (UTC)' },
			{ name: 'Last N Days', value: 'lastDays', description: 'Whole UTC days before today' },
		],
		default: 'lastMonth',
		displayOptions: show,
	},
	{
		displayName: 'Days',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 366 },
		default: 30,
		displayOptions: { show: { ...show.show, period: ['lastDays'] } },
	},
	{
		displayName: 'Month',
		name: 'month',
		type: 'string',
		default: '',
		placeholder: '2026-03',
		description: 'The month as YYYY-MM (UTC)',
		displayOptions: { show: { ...show.show, period: ['month'] } },
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { ...show.show, period: ['custom'] } },
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { ...show.show, period: ['custom'] } },
	},
	{
		displayName: 'Granularity',
		name: 'granularity',
		type: 'options',
		options: [
			{ name: 'Day', value: 'day' },
			{ name: 'Month', value: 'month' },
		],
		default: 'day',
		description: 'One row per target per UTC day, or per calendar month',
		displayOptions: show,
	},
	{
		...maintenanceField('Announced maintenance: its minutes count neither up nor down'),
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'CSV File',
				name: 'csv',
				type: 'boolean',
				default: false,
				description:
					'Whether to return one item holding every row and the table as a CSV file (binary data), ready for Send Email, instead of one item per row',
			},
			{
				displayName: 'Put CSV in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'The binary field the CSV file goes into',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'uptime-2026-03.csv',
				description: 'Empty: uptime-PERIOD.csv',
			},
		],
	},
];

type Ctx = IExecuteFunctions;

function bad(ctx: Ctx, itemIndex: number, message: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

function date(ctx: Ctx, itemIndex: number, value: unknown, what: string, fix: string): number {
	const ms = typeof value === 'string' && value.trim() ? Date.parse(value) : NaN;
	if (!Number.isFinite(ms))
		bad(ctx, itemIndex, `${what} is not a date: ${JSON.stringify(value ?? '')}`, fix);
	return ms;
}

/** The period asked for as [from, to) and a label for the file name. */
export function readPeriod(
	ctx: Ctx,
	itemIndex: number,
	now: number,
): { from: number; to: number; label: string } {
	const period = readChoice(ctx, ctx.getNodeParameter('period', itemIndex, 'lastMonth'), {
		name: 'Period',
		choices: PERIODS,
		fallback: 'lastMonth',
		itemIndex,
	});
	const today = new Date(now);
	const y = today.getUTCFullYear();
	const m = today.getUTCMonth();
	const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
	if (period === 'lastMonth') {
		const from = Date.UTC(y, m - 1, 1);
		return { from, to: Date.UTC(y, m, 1), label: new Date(from).toISOString().slice(0, 7) };
	}
	if (period === 'lastDays') {
		const days = readInteger(ctx, ctx.getNodeParameter('days', itemIndex, 30), {
			name: 'Days',
			min: 1,
			max: 366,
			fallback: 30,
			itemIndex,
		});
		const to = Date.UTC(y, m, today.getUTCDate());
		const from = to - days * DAY_MS;
		return { from, to, label: `${iso(from)}_${iso(to - DAY_MS)}` };
	}
	if (period === 'month') {
		const text = readText(ctx, ctx.getNodeParameter('month', itemIndex, ''), {
			name: 'Month',
			max: 20,
			required: true,
			itemIndex,
			description: 'Enter the month as YYYY-MM, e.g. 2026-03.',
		});
		const match = /^(\d{4})-(\d{2})$/.exec(text);
		if (!match || Number(match[2]) < 1 || Number(match[2]) > 12)
			bad(
				ctx,
				itemIndex,
				`Month must be written YYYY-MM, not ${JSON.stringify(text)}`,
				'Enter the month as YYYY-MM, e.g. 2026-03.',
			);
		const from = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
		return { from, to: Date.UTC(Number(match[1]), Number(match[2]), 1), label: text };
	}
	const fix = 'Pick a date and time, or map an ISO date such as 2026-03-01T00:00:00Z.';
	const from = date(ctx, itemIndex, ctx.getNodeParameter('from', itemIndex, ''), 'From', fix);
	const to = date(ctx, itemIndex, ctx.getNodeParameter('to', itemIndex, ''), 'To', fix);
	if (to <= from) bad(ctx, itemIndex, 'To must be after From', 'Set To to a later time than From.');
	if (to - from > MAX_UPTIME_RANGE_MS)
		bad(
			ctx,
			itemIndex,
			`The period is ${Math.ceil((to - from) / DAY_MS)} days long; at most 366 are allowed`,
			'Shorten the period, or run one report per year.',
		);
	return { from, to, label: `${iso(from)}_${iso(to)}` };
}

function readMaintenance(ctx: Ctx, itemIndex: number): MaintenanceWindow[] {
	const raw = ctx.getNodeParameter('maintenance.window', itemIndex, []) as IDataObject[];
	const fix = 'Pick a date and time, or remove the window.';
	return (Array.isArray(raw) ? raw : []).map((w) => {
		const from = date(ctx, itemIndex, w.from, 'From of a maintenance window', fix);
		const to = date(ctx, itemIndex, w.to, 'To of a maintenance window', fix);
		if (to <= from)
			bad(
				ctx,
				itemIndex,
				`A maintenance window ends (${String(w.to)}) before it starts (${String(w.from)})`,
				'Set To after From.',
			);
		const host = readText(ctx, w.host, {
			name: 'The host of a maintenance window',
			max: MAX_NAME,
			itemIndex,
		});
		return { from, to, host: host || undefined };
	});
}

/** A row as an item: times as ISO text, which mail and sheet nodes show as they are. */
function rowJson(r: UptimeRow): IDataObject {
	return { ...r, from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() };
}

export async function execute(this: Ctx, itemIndex: number): Promise<INodeExecutionData[]> {
	const now = Date.now();
	const targets = readTargets(this, itemIndex);
	const { from, to, label } = readPeriod(this, itemIndex, now);
	const granularity = readChoice(this, this.getNodeParameter('granularity', itemIndex, 'day'), {
		name: 'Granularity',
		choices: ['day', 'month'] as const,
		fallback: 'day',
		itemIndex,
	});
	const maintenance = readMaintenance(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const csv = readBoolean(this, options.csv, { name: 'CSV File', fallback: false, itemIndex });
	let rows: UptimeRow[];
	try {
		rows = await uptimeHistory(await getStoreConfig(this, itemIndex), {
			from,
			to,
			now,
			granularity,
			targets,
			maintenance,
		});
	} catch (error) {
		if (error instanceof QueryError)
			bad(this, itemIndex, error.message, 'Change the period or the targets.');
		throw toNodeError(this, error, itemIndex);
	}
	if (!csv) return rows.map((r) => ({ json: rowJson(r), pairedItem: { item: itemIndex } }));

	const field =
		readText(this, options.binaryPropertyName, { name: 'Put CSV in Field', max: 100, itemIndex }) ||
		'data';
	const fileName =
		readText(this, options.fileName, { name: 'File Name', max: 200, itemIndex }) ||
		`uptime-${label}.csv`;
	const binary = await this.helpers.prepareBinaryData(
		Buffer.from(uptimeCsv(rows), 'utf8'),
		fileName,
		'text/csv',
	);
	return [
		{
			json: {
				from: new Date(from).toISOString(),
				to: new Date(to).toISOString(),
				granularity,
				targets: new Set(rows.map((r) => `${r.kind}\u0000${r.host}\u0000${r.name}`)).size,
				rows: rows.map(rowJson),
			},
			binary: { [field]: binary },
			pairedItem: { item: itemIndex },
		},
	];
}
