import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { raiseAlert } from '../../../../core/alerts';
import { openStore } from '../../../../core/store';
import { severityField } from '../../../shared/severity-field';
import { getStoreConfig } from '../../../shared/store-config';
import { toNodeError } from '../../helpers/collect';
import { MAX_NAME, readChoice, readInteger, readText } from '../../helpers/parameters';
import { alertKey, MAX_MESSAGE, textParameter } from './params';

const show = { show: { resource: ['alert'], operation: ['raise'] } };

export const description: INodeProperties[] = [
	{ ...severityField('warning'), displayOptions: show },
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
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				placeholder: 'Nightly import failed',
				description:
					'The name people see on the dashboard and in notifications; empty shows the key',
			},
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
	const severity = readChoice(this, this.getNodeParameter('severity', itemIndex, 'warning'), {
		name: 'Severity',
		choices: ['info', 'warning', 'critical'] as const,
		fallback: 'warning',
		itemIndex,
	});
	const options = this.getNodeParameter('alertOptions', itemIndex, {}) as {
		title?: unknown;
		host?: unknown;
		link?: unknown;
		resolveAfterMinutes?: unknown;
	};
	const title = readText(this, options.title, { name: 'Title', max: MAX_NAME, itemIndex });
	const host = readText(this, options.host, { name: 'Host', max: MAX_NAME, itemIndex });
	const link = readText(this, options.link, { name: 'Link', max: MAX_MESSAGE, itemIndex });
	// The link reaches e-mails and chat messages through the trigger: only web addresses.
	if (link && !/^https?:\/\/\S+$/i.test(link))
		throw new NodeOperationError(
			this.getNode(),
			`Link must be an http:// or https:// address, not ${JSON.stringify(link.slice(0, 60))}`,
			{
				itemIndex,
				description: 'Use the address of an execution or a runbook, or leave Link empty.',
			},
		);
	const minutes = readInteger(this, options.resolveAfterMinutes, {
		name: 'Resolve After (Minutes)',
		min: 0,
		max: 525_600,
		fallback: 0,
		itemIndex,
	});
	try {
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const result = await raiseAlert(store, {
			key,
			title: title || undefined,
			severity,
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
