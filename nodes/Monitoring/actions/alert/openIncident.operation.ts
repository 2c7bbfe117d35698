import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import {
	IncidentInputError,
	MAX_INCIDENT_TITLE,
	openIncident,
} from '../../../../core/alerts/incidents';
import type { IncidentTarget } from '../../../../core/query';
import { openStore } from '../../../../core/store';
import { severityField } from '../../../shared/severity-field';
import { getStoreConfig } from '../../../shared/store-config';
import { readTargets, targetsField } from '../../descriptions/targets';
import { readChoice, readText } from '../../helpers/parameters';
import {
	authorOption,
	incidentError,
	incidentJson,
	messageField,
	readAuthor,
	readMessage,
	readStatus,
	statusField,
} from './incident-fields';

const show = { show: { resource: ['alert'], operation: ['openIncident'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'incidentTitle',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Checkout is slow',
		description: 'What status pages call the incident',
		displayOptions: show,
	},
	targetsField(
		show,
		'What the incident is about: status pages that show any of these targets show it',
		{
			host: 'The host whose collector checks the target (for a host target, the host itself)',
			name: 'The endpoint, database, server or workflow ID as stored; empty for a host',
		},
	),
	{ ...severityField('critical'), displayOptions: show },
	statusField(show, 'investigating'),
	messageField(show, 'We are looking into slow checkouts.'),
	{
		displayName: 'Options',
		name: 'incidentOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			authorOption,
			{
				displayName: 'Started At',
				name: 'startedAt',
				type: 'dateTime',
				default: '',
				description: 'When it began; empty means now',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const now = Date.now();
	const title = readText(this, this.getNodeParameter('incidentTitle', itemIndex, ''), {
		name: 'Title',
		max: MAX_INCIDENT_TITLE,
		required: true,
		itemIndex,
		description: 'Enter the name status pages give the incident, e.g. "Checkout is slow".',
	});
	const targets: IncidentTarget[] = readTargets(this, itemIndex).map((t) => ({
		kind: t.kind,
		host: t.host ?? '',
		name: t.kind === 'host' ? (t.host ?? '') : (t.name ?? ''),
	}));
	const severity = readChoice(this, this.getNodeParameter('severity', itemIndex, 'critical'), {
		name: 'Severity',
		choices: ['info', 'warning', 'critical'] as const,
		fallback: 'critical',
		itemIndex,
	});
	const status = readStatus(this, itemIndex);
	const message = readMessage(this, itemIndex);
	const options = this.getNodeParameter('incidentOptions', itemIndex, {}) as IDataObject;
	const author = readAuthor(this, options.author, itemIndex);
	const startedAt = readStartedAt(this, options.startedAt, itemIndex);
	try {
		const store = await openStore(await getStoreConfig(this, itemIndex));
		const incident = await openIncident(store, {
			title,
			severity,
			targets,
			status,
			message,
			author,
			startedAt,
			now,
		});
		return [{ json: incidentJson(incident), pairedItem: { item: itemIndex } }];
	} catch (error) {
		throw incidentError(this, error, itemIndex);
	}
}

function readStartedAt(ctx: IExecuteFunctions, value: unknown, itemIndex: number) {
	const text = readText(ctx, value, { name: 'Started At', max: 100, itemIndex });
	if (!text) return undefined;
	const ms = Date.parse(text);
	if (!Number.isFinite(ms))
		throw incidentError(
			ctx,
			new IncidentInputError(
				`Started At is not a date: ${JSON.stringify(text.slice(0, 60))}`,
				'Pick a date and time, or map an ISO date such as 2026-03-01T09:30:00Z.',
			),
			itemIndex,
		);
	return ms;
}
