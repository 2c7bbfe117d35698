import type { Knex } from 'knex';

import { evaluateRule } from './evaluate';
import {
	type AlertEvent,
	closeAlert,
	eventsAfter,
	lastEventId,
	logEvent,
	openAlert,
	openKey,
} from './ledger';
import { dashboardLink, eventMessage } from './message';
import { observe } from './observe';
import { isQuiet, type Schedule } from './schedule';
import { withBusyRetry } from '../store/store';
import type { AlertRule, Evaluation, InactiveRule, RuleEvent, RuleState } from './types';
import { checkRuleAgainstStore } from './validate';

export interface PollOptions {
	/** Whose rules these are (workflow id + node id): each trigger keeps its own state. */
	scope: string;
	rules: AlertRule[];
	schedule?: Schedule;
	/** Also hand over alerts raised by workflows (the Alert resource). */
	includeWorkflowAlerts: boolean;
	/** Last event id already handed over; undefined on the very first poll. */
	cursor: number | undefined;
	/** The dashboard's address, for deep links. */
	dashboardUrl?: string;
	now: number;
}

export interface PollResult {
	events: AlertEvent[];
	cursor: number;
	/** Presets whose metric this store does not hold: skipped, their state kept. */
	inactive: InactiveRule[];
}

/** The rules that can be judged now, and the presets that wait for their metric. */
async function sortRules(knex: Knex, rules: AlertRule[], now: number) {
	const active: AlertRule[] = [];
	const inactive: InactiveRule[] = [];
	for (const rule of rules) {
		const waiting = await checkRuleAgainstStore(knex, rule, now);
		if (waiting) inactive.push(waiting);
		else active.push(rule);
	}
	return { active, inactive };
}

/**
 * One poll of a trigger: judge every rule on what the store holds now, record what changed
 * (state, alerts, events) in one transaction, then hand over every event after the cursor.
 * The evaluation state lives in the store and the cursor with the trigger (n8n commits it
 * together with the execution it starts): a restart repeats nothing that was handed over and
 * loses nothing that was recorded.
 */
export async function pollAlerts(knex: Knex, options: PollOptions): Promise<PollResult> {
	const { scope, now } = options;
	const { active, inactive } = await sortRules(knex, options.rules, now);
	// The first poll starts from the end of the log: old events are history, not news.
	const cursor = options.cursor ?? (await lastEventId(knex));

	const observed = await Promise.all(active.map((rule) => observe(knex, rule, now)));
	const stored = await knex('mon_alert_state').where('scope', scope).select('rule_key', 'state');
	const previous = new Map<string, RuleState>();
	for (const row of stored) {
		try {
			previous.set(String(row.rule_key), JSON.parse(row.state) as RuleState);
		} catch {
			// A damaged state costs that rule its pending timers, nothing more.
		}
	}
	const quiet = (host: string) => isQuiet(options.schedule, now, host);
	const results = active.map((rule, i) =>
		evaluateRule(rule, observed[i], previous.get(rule.key), now, quiet),
	);
	// An inactive preset is still one of the trigger's rules: its state is kept, not forgotten.
	const current = new Set(options.rules.map((r) => r.key));
	await withBusyRetry(() =>
		knex.transaction(async (trx) => {
			// Writes first, so SQLite's write lock is taken at the start (no lock upgrade to fail).
			for (const [i, rule] of active.entries()) {
				await trx('mon_alert_state')
					.insert({
						scope,
						rule_key: rule.key,
						state: JSON.stringify(results[i].state),
						updated_at: now,
					})
					.onConflict(['scope', 'rule_key'])
					.merge(['state', 'updated_at']);
			}
			for (const [i, rule] of active.entries()) await record(trx, rule, results[i], options);
			// Rules removed from the trigger: forget their state and close what they left open.
			for (const key of previous.keys()) {
				if (current.has(key)) continue;
				await trx('mon_alert_state').where({ scope, rule_key: key }).delete();
				const open = await trx('mon_alerts').where({ scope, status: 'firing' }).select('alert_key');
				for (const row of open) {
					const alertKey = String(row.alert_key);
					if (alertKey.startsWith(`${scope}|${key}|`)) await closeAlert(trx, alertKey, now);
				}
			}
			await expireWorkflowAlerts(trx, now);
		}),
	);

	const quietForAll = isQuiet(options.schedule, now, '');
	const events = quietForAll
		? []
		: await eventsAfter(knex, cursor, scope, options.includeWorkflowAlerts);
	// Workflow alerts about a host in maintenance wait, and so does everything after them.
	const ready: AlertEvent[] = [];
	for (const e of events) {
		if (e.source === 'workflow' && e.host && isQuiet(options.schedule, now, e.host)) break;
		ready.push(e);
	}
	return {
		events: ready,
		cursor: ready.length ? ready[ready.length - 1].eventId! : cursor,
		inactive,
	};
}

/** Opens and closes the rule's alerts as its series start and stop firing, and logs its events. */
async function record(trx: Knex, rule: AlertRule, result: Evaluation, options: PollOptions) {
	const { scope, now } = options;
	const metric = rule.source.kind === 'metric' ? rule.source.metric : null;
	const keyOf = (seriesKey: string) => `${scope}|${rule.key}|${seriesKey}`;
	// The dashboard shows what fires now, quiet hours or not.
	for (const s of result.started) {
		const event = toEvent(rule, options, {
			kind: 'firing',
			ruleKey: rule.key,
			ruleName: rule.name,
			severity: rule.severity,
			seriesKey: s.seriesKey,
			host: s.host,
			labels: s.labels,
			value: s.value,
			threshold: rule.threshold,
			resolveThreshold: rule.resolveThreshold ?? rule.threshold,
			comparison: rule.comparison,
			since: s.since,
			at: now,
			repeat: false,
		});
		await openAlert(trx, {
			source: 'rule',
			scope,
			key: keyOf(s.seriesKey),
			rule: rule.name,
			severity: rule.severity,
			host: s.host,
			metric,
			labels: s.labels,
			value: s.value,
			threshold: rule.threshold,
			message: event.message,
			link: event.link,
			startedAt: s.since,
			now,
		});
	}
	for (const s of result.ended) await closeAlert(trx, keyOf(s.seriesKey), now, { value: s.value });
	for (const e of result.events) {
		const row = await trx('mon_alerts')
			.where('open_key', openKey(keyOf(e.seriesKey)))
			.orWhere((q) => q.where('scope', scope).andWhere('alert_key', keyOf(e.seriesKey)))
			.orderBy('id', 'desc')
			.first('id');
		await logEvent(trx, scope, row ? Number(row.id) : 0, toEvent(rule, options, e));
	}
}

function toEvent(rule: AlertRule, options: PollOptions, e: RuleEvent): AlertEvent {
	const metric =
		rule.source.kind === 'metric'
			? rule.source.metric
			: rule.source.kind === 'workflowWithoutSuccess'
				? 'workflow'
				: null;
	return {
		status: e.kind,
		source: 'rule',
		key: `${options.scope}|${rule.key}|${e.seriesKey}`,
		rule: rule.name,
		severity: rule.severity,
		host: e.host,
		metric,
		labels: e.labels,
		value: e.value,
		threshold: e.threshold,
		resolveThreshold: e.resolveThreshold,
		comparison: e.comparison,
		since: e.since,
		sinceIso: new Date(e.since).toISOString(),
		at: e.at,
		atIso: new Date(e.at).toISOString(),
		repeat: e.repeat,
		message: eventMessage(rule, e),
		link: dashboardLink(options.dashboardUrl, metric ?? undefined, e.host, e.labels) ?? null,
		...(e.reason ? { reason: e.reason } : {}),
	};
}

/** Workflow alerts raised with "resolve after": resolved once that time has passed. */
async function expireWorkflowAlerts(trx: Knex, now: number) {
	const due = await trx('mon_alerts')
		.where({ source: 'workflow', status: 'firing' })
		.andWhere('expires_at', '<=', now)
		.select();
	for (const row of due) {
		await closeAlert(trx, String(row.alert_key), now);
		await logEvent(trx, '', Number(row.id), {
			status: 'resolved',
			source: 'workflow',
			key: String(row.alert_key).replace(/^workflow\|/, ''),
			rule: String(row.rule),
			severity: row.severity,
			host: row.host ?? null,
			metric: null,
			labels: {},
			value: null,
			threshold: null,
			since: Number(row.started_at),
			sinceIso: new Date(Number(row.started_at)).toISOString(),
			at: now,
			atIso: new Date(now).toISOString(),
			repeat: false,
			message: `Resolved (expired): ${row.message}`,
			link: row.link ?? null,
			reason: 'expired',
		});
	}
}

/**
 * What would fire right now, ignoring "for": for a manual test of the trigger in the editor.
 * Reads only; nothing is recorded and no cursor moves.
 */
export async function previewAlerts(
	knex: Knex,
	options: { rules: AlertRule[]; dashboardUrl?: string; now: number },
): Promise<{ events: Array<AlertEvent & { preview: true }>; inactive: InactiveRule[] }> {
	const { now } = options;
	const { active, inactive } = await sortRules(knex, options.rules, now);
	const events: Array<AlertEvent & { preview: true }> = [];
	const ctx: PollOptions = {
		scope: 'preview',
		rules: [],
		includeWorkflowAlerts: false,
		cursor: 0,
		now,
		dashboardUrl: options.dashboardUrl,
	};
	for (const rule of active) {
		const result = evaluateRule(
			{ ...rule, forMs: 0 },
			await observe(knex, rule, now),
			undefined,
			now,
		);
		for (const e of result.events) events.push({ ...toEvent(rule, ctx, e), preview: true });
	}
	return { events, inactive };
}
