import {
	type IDataObject,
	type IExecuteFunctions,
	type IDisplayOptions,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import {
	IncidentInputError,
	MAX_INCIDENT_AUTHOR,
	MAX_INCIDENT_MESSAGE,
} from '../../../../core/alerts/incidents';
import {
	INCIDENT_UPDATE_STATUSES,
	QueryError,
	type Incident,
	type IncidentUpdateStatus,
} from '../../../../core/query';
import { toNodeError } from '../../helpers/collect';
import { readChoice, readText } from '../../helpers/parameters';

/** What the incident operations share: Status, Message, Author, and the item an incident makes. */

export function statusField(displayOptions: IDisplayOptions, byDefault: string): INodeProperties {
	return {
		displayName: 'Status',
		name: 'incidentStatus',
		type: 'options',
		options: [
			{ name: 'Identified', value: 'identified', description: 'The cause is known' },
			{ name: 'Investigating', value: 'investigating', description: 'Looking into it' },
			{ name: 'Monitoring', value: 'monitoring', description: 'A fix is in; watching it' },
			{
				name: 'Resolved',
				value: 'resolved',
				description: 'Over (an incident opened by hand closes)',
			},
			{ name: 'Update', value: 'update', description: 'More words, no change of state' },
		],
		default: byDefault,
		displayOptions,
	};
}

export function messageField(
	displayOptions: IDisplayOptions,
	placeholder: string,
): INodeProperties {
	return {
		displayName: 'Message',
		name: 'incidentMessage',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder,
		description: `What readers of the status page see, as written (at most ${MAX_INCIDENT_MESSAGE} characters)`,
		displayOptions,
	};
}

export const authorOption: INodeProperties = {
	displayName: 'Author',
	name: 'author',
	type: 'string',
	default: '',
	placeholder: 'Operations team',
	description: 'Who speaks, shown with the update; empty shows none',
};

export function readStatus(ctx: IExecuteFunctions, itemIndex: number): IncidentUpdateStatus {
	return readChoice(ctx, ctx.getNodeParameter('incidentStatus', itemIndex, 'investigating'), {
		name: 'Status',
		choices: INCIDENT_UPDATE_STATUSES,
		fallback: 'investigating',
		itemIndex,
	});
}

/** The message as given (not trimmed: line breaks and spacing are the writer's). */
export function readMessage(ctx: IExecuteFunctions, itemIndex: number): string {
	return readText(ctx, ctx.getNodeParameter('incidentMessage', itemIndex, '') as unknown, {
		name: 'Message',
		max: MAX_INCIDENT_MESSAGE,
		required: true,
		trim: false,
		itemIndex,
		description: 'Enter the words readers of the status page should see.',
	});
}

export function readAuthor(ctx: IExecuteFunctions, value: unknown, itemIndex: number) {
	return readText(ctx, value, { name: 'Author', max: MAX_INCIDENT_AUTHOR, itemIndex }) || null;
}

/** An incident as an item: times as ISO text, which mail, chat and sheet nodes show as they are. */
export function incidentJson(incident: Incident): IDataObject {
	const iso = (t: number) => new Date(t).toISOString();
	return {
		...incident,
		open: incident.resolvedAt === null,
		startedAt: iso(incident.startedAt),
		resolvedAt: incident.resolvedAt === null ? null : iso(incident.resolvedAt),
		timeline: incident.timeline.map((e) => ({ ...e, at: iso(e.at) })),
	} as unknown as IDataObject;
}

/** Bad input found in core (an unknown id, a bad period) as the NodeOperationError it is. */
export function incidentError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError {
	if (error instanceof IncidentInputError)
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: error.hint,
		});
	if (error instanceof QueryError)
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: 'Change the period or the targets.',
		});
	return toNodeError(ctx, error, itemIndex);
}
