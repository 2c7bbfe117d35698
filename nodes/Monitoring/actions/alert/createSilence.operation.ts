import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createSilence } from '../../../../core/alerts';
import { openStore } from '../../../../core/store';
import { getStoreConfig } from '../../../shared/store-config';
import { MAX_NAME, readInteger, readText } from '../../helpers/parameters';
import { MAX_MESSAGE, textParameter } from './params';
import { silenceError } from './silence-error';

const show = { show: { resource: ['alert'], operation: ['createSilence'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Host',
		name: 'silenceHost',
		type: 'string',
		default: '',
		placeholder: 'web-*',
		description: 'Silence alerts about these hosts (* matches any text); empty: any host',
		displayOptions: show,
	},
	{
		displayName: 'Rule',
		name: 'silenceRule',
		type: 'string',
		default: '',
		placeholder: 'CPU busy',
		description:
			"Silence alerts of this rule (an alert's name, * matches any text); empty: any rule",
		displayOptions: show,
	},
	{
		displayName: 'Labels',
		name: 'silenceLabels',
		type: 'string',
		default: '',
		placeholder: 'mount=/var, endpoint=api*',
		description: 'Silence only alerts with these labels (name=value pairs, * in values)',
		displayOptions: show,
	},
	{
		displayName: 'Reason',
		name: 'silenceReason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Disk replacement, ticket 4711',
		displayOptions: show,
	},
	{
		displayName: 'Duration (Minutes)',
		name: 'silenceMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description: 'How long from its start the silence lasts (unless Ends At is set)',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'silenceOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Author',
				name: 'author',
				type: 'string',
				default: '',
				placeholder: "The workflow's name",
				description: 'Who set it, shown beside the silence',
			},
			{
				displayName: 'Ends At',
				name: 'endsAt',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'Starts At',
				name: 'startsAt',
				type: 'dateTime',
				default: '',
				description: 'Empty: now',
			},
		],
	},
];

/**
 * A silence: alerts matching it still fire in the store and on the dashboard, but triggers do not
 * hand them to workflows until it ends (then, once, what still fires).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const text = (name: string, label: string, max = MAX_NAME) =>
		textParameter(this, name, label, itemIndex, { max });
	const options = this.getNodeParameter('silenceOptions', itemIndex, {}) as {
		author?: unknown;
		startsAt?: unknown;
		endsAt?: unknown;
	};
	const minutes = readInteger(this, this.getNodeParameter('silenceMinutes', itemIndex, 60), {
		name: 'Duration (Minutes)',
		min: 1,
		max: 527_040,
		fallback: 60,
		itemIndex,
	});
	const author =
		readText(this, options.author, { name: 'Author', max: MAX_NAME, itemIndex }) ||
		`workflow ${this.getWorkflow().name ?? this.getWorkflow().id ?? ''}`.trim();
	try {
		const body = {
			host: text('silenceHost', 'Host'),
			rule: text('silenceRule', 'Rule'),
			labels: text('silenceLabels', 'Labels', MAX_MESSAGE),
			reason: text('silenceReason', 'Reason', MAX_MESSAGE),
			durationMinutes: minutes,
			startsAt: (options.startsAt as string) || undefined,
			endsAt: (options.endsAt as string) || undefined,
		};
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const silence = await createSilence(store, body, author, Date.now());
		return [
			{
				json: {
					...silence,
					startsAtIso: new Date(silence.startsAt).toISOString(),
					endsAtIso: new Date(silence.endsAt).toISOString(),
				},
				pairedItem: { item: itemIndex },
			},
		];
	} catch (error) {
		throw silenceError(this, error, itemIndex);
	}
}
