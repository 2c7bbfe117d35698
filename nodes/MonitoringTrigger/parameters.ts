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
import { flattenOptions } from '../shared/versions';

/** An AlertConfigError (or any error) as the NodeOperationError n8n shows. */
export function toTriggerError(node: INode, error: unknown): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof AlertConfigError || (error instanceof Error && 'hint' in error))
		return new NodeOperationError(node, error.message, {
			description: (error as AlertConfigError).hint,
		});
	return new NodeOperationError(node, error as Error);
}

/** A rule as saved: version 2 keeps its overrides in `options`, version 1 beside the preset. */
type RuleParameter = RuleInput & { options?: unknown };

export function readRules(ctx: IPollFunctions): AlertRule[] {
	const entries = ((ctx.getNodeParameter('rules.rule', []) as RuleParameter[]) ?? []).map(
		flattenOptions<RuleInput>,
	);
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
	days?: unknown;
	start?: unknown;
	end?: unknown;
}
interface MaintenanceInput {
	from?: unknown;
	to?: unknown;
	host?: unknown;
}

/** A text field of the trigger: an expression can hand over a number (taken as text), not more. */
function text(value: unknown, what: string, max: number): string {
	if (value !== null && value !== undefined && typeof value === 'object')
		throw new AlertConfigError(
			`${what} must be text, not ${Array.isArray(value) ? 'a list' : 'an object'}`,
			`Map ${what} to a text field.`,
		);
	const s = value === null || value === undefined ? '' : String(value).trim();
	if (s.length > max)
		throw new AlertConfigError(
			`${what} is ${s.length} characters long; at most ${max} are allowed`,
			`Shorten ${what}.`,
		);
	return s;
}

function time(value: unknown, what: string): number {
	const ms = typeof value === 'string' && value ? Date.parse(value) : NaN;
	if (!Number.isFinite(ms))
		throw new AlertConfigError(
			`${what} of a maintenance window is not a date: ${JSON.stringify(value ?? '')}`,
			'Pick a date and time, or remove the window.',
		);
	return ms;
}

/** Days of the week, 0 (Sunday) to 6; empty means every day. */
function quietDays(value: unknown): number[] {
	const days = value === undefined || value === null || value === '' ? [] : value;
	const list = Array.isArray(days) ? days.map(Number) : [NaN];
	if (list.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
		throw new AlertConfigError(
			`The days of quiet hours must be a list of days 0 (Sunday) to 6, not ${JSON.stringify(value)?.slice(0, 60)}`,
			'Pick the days from the list.',
		);
	return list;
}

export function readSchedule(ctx: IPollFunctions): Schedule {
	const options = ctx.getNodeParameter('options', {}) as { timeZone?: unknown };
	const timeZone = checkTimeZone(text(options.timeZone, 'Time Zone', 100) || ctx.getTimezone());
	const quiet = (ctx.getNodeParameter('quietHours.window', []) as QuietInput[]) ?? [];
	const maintenance = (ctx.getNodeParameter('maintenance.window', []) as MaintenanceInput[]) ?? [];
	return {
		timeZone,
		quietHours: quiet.map((w) => ({
			days: quietDays(w.days),
			startMinute: parseClock(
				text(w.start, 'The start of quiet hours', 10),
				'The start of quiet hours',
			),
			endMinute: parseClock(text(w.end, 'The end of quiet hours', 10), 'The end of quiet hours'),
		})),
		maintenance: maintenance.map((w) => {
			const from = time(w.from, 'From');
			const to = time(w.to, 'To');
			if (to <= from)
				throw new AlertConfigError(
					`A maintenance window ends (${w.to}) before it starts (${w.from})`,
					'Set To after From.',
				);
			return { from, to, host: text(w.host, 'The host of a maintenance window', 255) || undefined };
		}),
	};
}

/**
 * The Dashboard URL option: it ends up as a link in e-mails and chat messages, so only http(s)
 * (a `javascript:` URL there would run in whatever renders the message as HTML).
 */
export function readDashboardUrl(value: unknown): string {
	const url = text(value, 'Dashboard URL', 2000);
	if (url && !/^https?:\/\/[^\s]+$/i.test(url))
		throw new AlertConfigError(
			`Dashboard URL must be an http:// or https:// address, not ${JSON.stringify(url.slice(0, 60))}`,
			"Use the dashboard's address, e.g. https://n8n.example.com/webhook/monitoring/, or leave it empty.",
		);
	return url;
}
