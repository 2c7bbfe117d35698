import { evaluateRule } from './evaluate';
import type { AlertEvent } from '../model';
import type { AlertLedger, SilenceRecord, StoreReader } from '../store';
import type { EscalationPolicy } from './escalation';
import { escalate, handOver, releaseHeld } from './lifecycle';
import { ackLink, DEFAULT_ACK_LINK_MS, LINK_SECRET } from './links';
import { anomalyItem, dashboardLink, eventMessage } from './message';
import { observe } from './observe';
import { isQuiet, type Schedule } from './schedule';
import type { AlertRule, Evaluation, InactiveRule, RuleEvent, RuleState } from './types';
import { checkRuleAgainstStore } from './validate';

/** What polling alerts reads and writes of the store. */
export type AlertStore = Pick<StoreReader, 'samples' | 'runs' | 'executions' | 'alerts'>;

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
	/** Escalate this trigger's alerts that nobody acknowledged; none when absent. */
	escalation?: EscalationPolicy;
	/** How long the acknowledge links in handed-over events work (a week by default). */
	ackLinkMs?: number;
	now: number;
}

export interface PollResult {
	events: AlertEvent[];
	cursor: number;
	/** Presets whose metric this store does not hold: skipped, their state kept. */
	inactive: InactiveRule[];
}

/** The rules that can be judged now, and the presets that wait for their metric. */
async function sortRules(store: AlertStore, rules: AlertRule[], now: number) {
	const active: AlertRule[] = [];
	const inactive: InactiveRule[] = [];
	for (const rule of rules) {
		const waiting = await checkRuleAgainstStore(store, rule, now);
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
export async function pollAlerts(store: AlertStore, options: PollOptions): Promise<PollResult> {
	const { scope, now } = options;
	const { active, inactive } = await sortRules(store, options.rules, now);
	// The first poll starts from the end of the log: old events are history, not news.
	const cursor = options.cursor ?? (await store.alerts.lastEventId());

	const observed = await Promise.all(active.map((rule) => observe(store, rule, now)));
	const stored = await store.alerts.ruleStates(scope);
	const previous = new Map<string, RuleState>();
	for (const row of stored) {
		try {
			previous.set(row.ruleKey, JSON.parse(row.state) as RuleState);
		} catch {
			// A damaged state costs that rule its pending timers, nothing more.
		}
	}
	const quiet = (host: string) => isQuiet(options.schedule, now, host);
	const silences = await store.alerts.lifecycle.silences(now);
	const results = active.map((rule, i) =>
		evaluateRule(rule, observed[i], previous.get(rule.key), now, quiet),
	);
	// An inactive preset is still one of the trigger's rules: its state is kept, not forgotten.
	const current = new Set(options.rules.map((r) => r.key));
	await store.alerts.transaction(async (ledger) => {
		// Writes first, so SQLite's write lock is taken at the start (no lock upgrade to fail).
		for (const [i, rule] of active.entries())
			await ledger.saveRuleState(scope, rule.key, JSON.stringify(results[i].state), now);
		for (const [i, rule] of active.entries())
			await record(ledger, rule, results[i], options, silences);
		// Rules removed from the trigger: forget their state and close what they left open.
		for (const key of previous.keys()) {
			if (current.has(key)) continue;
			await ledger.forgetRuleState(scope, key);
			for (const alertKey of await ledger.firingKeys(scope))
				if (alertKey.startsWith(`${scope}|${key}|`)) await ledger.close(alertKey, now);
		}
		await expireWorkflowAlerts(ledger, now, silences);
		// Lifecycle (core/alerts/lifecycle.ts): what silences held back and are over now goes out
		// once; what nobody acknowledged in time escalates.
		await releaseHeld(ledger, silences, now);
		if (options.escalation) await escalate(ledger, scope, options.escalation, silences, now, quiet);
	});

	const quietForAll = isQuiet(options.schedule, now, '');
	const events = quietForAll
		? []
		: await store.alerts.eventsAfter(cursor, scope, options.includeWorkflowAlerts);
	// Workflow alerts about a host in maintenance wait, and so does everything after them.
	const ready: AlertEvent[] = [];
	for (const e of events) {
		if (e.source === 'workflow' && e.host && isQuiet(options.schedule, now, e.host)) break;
		ready.push(e);
	}
	return {
		events: await withAckLinks(store, ready, options),
		cursor: ready.length ? ready[ready.length - 1].eventId! : cursor,
		inactive,
	};
}

/**
 * Firing and escalated events get a signed one-click acknowledge link (core/alerts/links.ts),
 * made now and never stored: its key stays in the store, the link goes only to the workflow.
 */
export async function withAckLinks<E extends AlertEvent>(
	store: Pick<AlertStore, 'alerts'>,
	events: E[],
	options: Pick<PollOptions, 'dashboardUrl' | 'now' | 'ackLinkMs'>,
): Promise<E[]> {
	const { dashboardUrl, now } = options;
	const linked = (e: AlertEvent) =>
		(e.status === 'firing' || e.status === 'escalated') && e.alertId;
	if (!dashboardUrl || !events.some(linked)) return events;
	const secret = await store.alerts.lifecycle.secret(LINK_SECRET, now);
	const expires = now + (options.ackLinkMs ?? DEFAULT_ACK_LINK_MS);
	return events.map((e) =>
		linked(e) ? { ...e, ackLink: ackLink(dashboardUrl, secret, e.alertId!, expires) } : e,
	);
}

/** Opens and closes the rule's alerts as its series start and stop firing, and logs its events. */
async function record(
	ledger: AlertLedger,
	rule: AlertRule,
	result: Evaluation,
	options: PollOptions,
	silences: readonly SilenceRecord[],
) {
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
		await ledger.open({
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
	for (const s of result.ended) await ledger.close(keyOf(s.seriesKey), now, { value: s.value });
	for (const e of result.events) {
		const id = await ledger.latestId(scope, keyOf(e.seriesKey));
		// Silences, acknowledgements: whether workflows hear of it (core/alerts/lifecycle.ts).
		await handOver(ledger, scope, id ?? 0, toEvent(rule, options, e), silences, now);
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
		...(e.anomaly ? { anomaly: anomalyItem(e.anomaly, rule, e) } : {}),
	};
}

/** Workflow alerts raised with "resolve after": resolved once that time has passed. */
async function expireWorkflowAlerts(
	ledger: AlertLedger,
	now: number,
	silences: readonly SilenceRecord[],
) {
	for (const row of await ledger.dueWorkflowAlerts(now)) {
		await ledger.close(row.alertKey, now);
		await handOver(
			ledger,
			'',
			row.id,
			{
				status: 'resolved',
				source: 'workflow',
				key: row.alertKey.replace(/^workflow\|/, ''),
				rule: row.rule,
				severity: row.severity,
				host: row.host,
				metric: null,
				labels: {},
				value: null,
				threshold: null,
				since: row.startedAt,
				sinceIso: new Date(row.startedAt).toISOString(),
				at: now,
				atIso: new Date(now).toISOString(),
				repeat: false,
				message: `Resolved (expired): ${row.message}`,
				link: row.link,
				reason: 'expired',
			},
			silences,
			now,
		);
	}
}

/**
 * What would fire right now, ignoring "for": for a manual test of the trigger in the editor.
 * Reads only; nothing is recorded and no cursor moves.
 */
export async function previewAlerts(
	store: AlertStore,
	options: { rules: AlertRule[]; dashboardUrl?: string; now: number },
): Promise<{ events: Array<AlertEvent & { preview: true }>; inactive: InactiveRule[] }> {
	const { now } = options;
	const { active, inactive } = await sortRules(store, options.rules, now);
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
			await observe(store, rule, now),
			undefined,
			now,
		);
		for (const e of result.events) events.push({ ...toEvent(rule, ctx, e), preview: true });
	}
	return { events, inactive };
}
