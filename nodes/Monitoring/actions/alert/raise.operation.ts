import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { raiseAlert } from '../../../../core/alerts';
import { openStore } from '../../../../core/store';
import { getStoreConfig } from '../../../shared/store-config';
import { toNodeError } from '../../helpers/collect';
import { readInteger } from '../../helpers/parameters';
import { alertKey, MAX_MESSAGE, textParameter } from './params';

const show = { show: { resource: ['alert'], operation: ['raise'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Severity',
		name: 'severity',
		type: 'options',
		options: [
			{ name: 'Critical', value: 'critical' },
			{ name: 'Info', value: 'info' },
			{ name: 'Warning', value: 'warning' },
		],
		default: 'warning',
		displayOptions: show,
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'The nightly import failed: 0 rows',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'alertOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Host',
				name: 'host',
				type: 'string',
				default: '',
				description: 'The host the alert is about, for the dashboard and maintenance windows',
			},
			{
				displayName: 'Link',
				name: 'link',
				type: 'string',
				default: '',
				placeholder: 'https://…',
				description: 'Where to look: an execution, a runbook',
			},
			{
				displayName: 'Resolve After (Minutes)',
				name: 'resolveAfterMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Resolve by itself after this long; 0 keeps it open until resolved',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const key = alertKey(this, itemIndex);
	const message = textParameter(this, 'message', 'Message', itemIndex, {
		required: true,
		max: MAX_MESSAGE,
	});
	const severity = this.getNodeParameter('severity', itemIndex, 'warning') as string;
	if (!['info', 'warning', 'critical'].includes(severity))
		throw new NodeOperationError(
			this.getNode(),
			`Severity must be info, warning or critical, not ${JSON.stringify(severity)}`,
			{ itemIndex, description: 'Pick a severity from the list.' },
		);
	const options = this.getNodeParameter('alertOptions', itemIndex, {}) as {
		host?: unknown;
		link?: unknown;
		resolveAfterMinutes?: unknown;
	};
	const host = options.host == null ? '' : String(options.host).trim().slice(0, 255);
	const link = options.link == null ? '' : String(options.link).trim();
	const minutes = readInteger(this, options.resolveAfterMinutes, {
		name: 'Resolve After (Minutes)',
		min: 0,
		max: 525_600,
		fallback: 0,
		itemIndex,
	});
	try {
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const result = await raiseAlert(store.knex, {
			key,
			severity: severity as 'info' | 'warning' | 'critical',
			message,
			host: host || undefined,
			link: link || undefined,
			resolveAfterMs: minutes * 60_000,
			now: Date.now(),
		});
		return [
			{
				json: {
					key,
					status: 'firing',
					alertId: result.alertId,
					created: result.created,
					severity,
					message,
				},
				pairedItem: { item: itemIndex },
			},
		];
	} catch (error) {
		throw toNodeError(this, error, itemIndex);
	}
}
