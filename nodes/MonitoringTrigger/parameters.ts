import { type INode, type IPollFunctions, NodeOperationError } from 'n8n-workflow';

import {
	AlertConfigError,
	type AlertRule,
	buildRule,
	checkDistinctNames,
	checkTimeZone,
	parseClock,
	type RuleInput,
	type Schedule,
} from '../../core/alerts';

/** An AlertConfigError (or any error) as the NodeOperationError n8n shows. */
export function toTriggerError(node: INode, error: unknown): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof AlertConfigError || (error instanceof Error && 'hint' in error))
		return new NodeOperationError(node, error.message, {
			description: (error as AlertConfigError).hint,
		});
	return new NodeOperationError(node, error as Error);
}

export function readRules(ctx: IPollFunctions): AlertRule[] {
	const entries = (ctx.getNodeParameter('rules.rule', []) as RuleInput[]) ?? [];
	if (entries.length === 0)
		throw new AlertConfigError(
			'The trigger has no rules',
			'Add at least one rule (a preset such as CPU Busy, or a custom rule).',
		);
	const rules = entries.map((entry, i) => {
		try {
			return buildRule(entry);
		} catch (error) {
			const nodeError = toTriggerError(ctx.getNode(), error);
			nodeError.message = `Rule ${i + 1}: ${nodeError.message}`;
			throw nodeError;
		}
	});
	checkDistinctNames(rules);
	return rules;
}

interface QuietInput {
	days?: number[];
	start?: string;
	end?: string;
}
interface MaintenanceInput {
	from?: string;
	to?: string;
	host?: string;
}

function time(value: string | undefined, what: string): number {
	const ms = value ? Date.parse(value) : NaN;
	if (!Number.isFinite(ms))
		throw new AlertConfigError(
			`${what} of a maintenance window is not a date: ${JSON.stringify(value ?? '')}`,
			'Pick a date and time, or remove the window.',
		);
	return ms;
}

export function readSchedule(ctx: IPollFunctions): Schedule {
	const options = ctx.getNodeParameter('options', {}) as { timeZone?: string };
	const timeZone = checkTimeZone(options.timeZone?.trim() || ctx.getTimezone());
	const quiet = (ctx.getNodeParameter('quietHours.window', []) as QuietInput[]) ?? [];
	const maintenance = (ctx.getNodeParameter('maintenance.window', []) as MaintenanceInput[]) ?? [];
	return {
		timeZone,
		quietHours: quiet.map((w) => ({
			days: (w.days ?? []).map(Number),
			startMinute: parseClock(w.start ?? '', 'The start of quiet hours'),
			endMinute: parseClock(w.end ?? '', 'The end of quiet hours'),
		})),
		maintenance: maintenance.map((w) => {
			const from = time(w.from, 'From');
			const to = time(w.to, 'To');
			if (to <= from)
				throw new AlertConfigError(
					`A maintenance window ends (${w.to}) before it starts (${w.from})`,
					'Set To after From.',
				);
			return { from, to, host: w.host?.trim() || undefined };
		}),
	};
}
