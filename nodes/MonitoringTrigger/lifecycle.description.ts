import type { INodeProperties } from 'n8n-workflow';

import {
	AlertConfigError,
	DEFAULT_ACK_LINK_MS,
	parseEscalation,
	type EscalationPolicy,
} from '../../core/alerts';

/** The trigger's options for what happens after an alert fires: the acknowledge link… */
export const ackLinkOption: INodeProperties = {
	displayName: 'Ack Link Valid For (Hours)',
	name: 'ackLinkHours',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 8760 },
	default: 168,
	description:
		'How long the one-click acknowledge link in each firing item (ackLink) works; it needs the Dashboard URL',
};

/** …and escalation (after Dashboard URL in the options' alphabetical order). */
export const escalationOptions: INodeProperties[] = [
	{
		displayName: 'Escalate After (Minutes)',
		name: 'escalateAfter',
		type: 'string',
		default: '',
		placeholder: '30, or 15, 60, 240',
		description:
			'Start the workflow again with status "escalated" (and escalationLevel) when nobody acknowledged a firing alert: one number repeats (30, 60, 90… up to Escalation Levels), a list gives each level its time; acknowledging or resolving stops it; empty: never',
	},
	{
		displayName: 'Escalation Levels',
		name: 'escalationLevels',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10 },
		default: 3,
		description: 'With a single Escalate After time: how many times an alert escalates',
	},
];

/** The lifecycle options as pollAlerts takes them; bad input is an AlertConfigError. */
export function readLifecycle(options: {
	ackLinkHours?: unknown;
	escalateAfter?: unknown;
	escalationLevels?: unknown;
}): { escalation?: EscalationPolicy; ackLinkMs: number } {
	const escalation = parseEscalation(
		typeof options.escalateAfter === 'number'
			? String(options.escalateAfter)
			: options.escalateAfter,
		options.escalationLevels ?? 3,
	);
	const hours =
		options.ackLinkHours === undefined || options.ackLinkHours === ''
			? DEFAULT_ACK_LINK_MS / 3_600_000
			: Number(options.ackLinkHours);
	if (!Number.isFinite(hours) || hours < 1 || hours > 8760)
		throw new AlertConfigError(
			`Ack Link Valid For must be hours from 1 to 8760, not ${JSON.stringify(options.ackLinkHours)}`,
			'Set how many hours the acknowledge link in a notification works, e.g. 168 (a week).',
		);
	return { escalation, ackLinkMs: Math.round(hours * 3_600_000) };
}
