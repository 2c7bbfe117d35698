import {
	type IDataObject,
	type IExecuteFunctions,
	type IDisplayOptions,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { UPTIME_KINDS, type UptimeKind, type UptimeTarget } from '../../../core/query';
import { targetKindField } from '../../shared/target-kind-field';
import { MAX_NAME, readChoice, readText } from '../helpers/parameters';

/**
 * The Targets list: which endpoints, hosts, databases, model servers and workflows an uptime
 * report or an incident is about (the History resource's Uptime, the Alert resource's incidents).
 */
export function targetsField(
	displayOptions: IDisplayOptions,
	description: string,
	names: { host: string; name: string },
): INodeProperties {
	return {
		displayName: 'Targets',
		name: 'targets',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Target',
		default: {},
		description,
		displayOptions,
		options: [
			{
				displayName: 'Target',
				name: 'target',
				values: [
					targetKindField,
					{
						displayName: 'Host Name',
						name: 'host',
						type: 'string',
						default: '',
						description: names.host,
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: names.name,
					},
				],
			},
		],
	};
}

/**
 * The Targets as asked: a host target is named by its Host Name (or its Name); another kind needs
 * the host that checks it when it is named.
 */
export function readTargets(ctx: IExecuteFunctions, itemIndex: number): UptimeTarget[] {
	const raw = ctx.getNodeParameter('targets.target', itemIndex, []) as unknown;
	if (!Array.isArray(raw))
		throw new NodeOperationError(ctx.getNode(), 'Targets must be a list', {
			itemIndex,
			description: 'Add targets with Add Target, or leave none for all.',
		});
	return raw.map((t: IDataObject) => {
		const kind = readChoice(ctx, t.kind, {
			name: 'Kind of a target',
			choices: [...UPTIME_KINDS].sort() as UptimeKind[],
			fallback: 'endpoint',
			itemIndex,
		});
		const host = readText(ctx, t.host, { name: 'Host Name of a target', max: MAX_NAME, itemIndex });
		const name = readText(ctx, t.name, { name: 'Name of a target', max: MAX_NAME, itemIndex });
		if (name && !host && kind !== 'host')
			throw new NodeOperationError(ctx.getNode(), `The ${kind} target "${name}" has no Host Name`, {
				itemIndex,
				description:
					'Enter the host whose collector checks it, or leave Name empty for all of its kind.',
			});
		return {
			kind,
			host: kind === 'host' ? host || name || undefined : host || undefined,
			name: kind === 'host' ? undefined : name || undefined,
		};
	});
}
