import type { AlertEvent, Severity } from '../model';
import { AlertConfigError } from './errors';

/**
 * Grouping of alert events, as Alertmanager's group_by / group_wait / group_interval /
 * repeat_interval: events that share the chosen keys wait together and leave as one item.
 * Pure: the state is plain JSON (the trigger keeps it in its static data, which n8n commits with
 * the execution it starts, so a crash in between repeats a group rather than losing it).
 */

/** What events can be grouped by besides labels. */
export type GroupField = 'host' | 'rule' | 'severity';
export const GROUP_FIELDS: readonly GroupField[] = ['host', 'rule', 'severity'];

export interface GroupConfig {
	/** Fields, then label names; none: every event of the trigger in one group. */
	by: GroupField[];
	labels: string[];
	/** How long a new group waits for more events before its first item (group_wait). */
	waitMs: number;
	/** How long after an item a group with news waits before the next (group_interval). */
	intervalMs: number;
	/** Send a group that still fires again after this long without news; 0 is off (repeat_interval). */
	repeatMs: number;
}

/** One alert in a group: the id of its latest event in the log, and where it stands. */
export interface GroupedAlert {
	eventId: number;
	firing: boolean;
	/** Not yet in an item since its latest event. */
	changed: boolean;
	/** The group's workflows were told it fires (so its resolve is news for them). */
	told: boolean;
	/** It was held back by an inhibition and let go: the source that held it. */
	releasedFrom?: string;
}

export interface GroupState {
	values: Record<string, string>;
	/** By alert (its id in the store, else its key). */
	alerts: Record<string, GroupedAlert>;
	/** When the oldest news not yet sent arrived. */
	pendingSince?: number;
	/** When the group last left as an item. */
	sentAt?: number;
}

export type Groups = Record<string, GroupState>;

/** A group that is due: what its item holds (event ids, oldest alert first). */
export interface GroupFlush {
	key: string;
	values: Record<string, string>;
	alerts: Array<{ eventId: number; firing: boolean; releasedFrom?: string }>;
	/** Nothing new: sent again because it still fires (Repeat Every). */
	repeat: boolean;
}

const MINUTE = 60_000;
/** Longest wait, interval and repeat: a week (a group that waits longer is lost in practice). */
const MAX_MS = 7 * 24 * 60 * MINUTE;

/** The event's values for the group keys; a missing one is empty, as Alertmanager has it. */
export function groupValues(
	e: Pick<AlertEvent, 'host' | 'rule' | 'severity' | 'labels'>,
	config: Pick<GroupConfig, 'by' | 'labels'>,
): Record<string, string> {
	const values: Record<string, string> = {};
	for (const field of config.by) values[field] = String(e[field] ?? '');
	for (const label of config.labels) values[label] = e.labels?.[label] ?? '';
	return values;
}

/** "host=web-1, rule=CPU busy": readable, and the same for the same values. */
export function groupKeyText(values: Record<string, string>): string {
	const parts = Object.entries(values).map(([k, v]) => `${k}=${v}`);
	return parts.length ? parts.join(', ') : 'all';
}

/** An alert's identity across its events: its id in the store, else its key. */
export function alertRef(e: Pick<AlertEvent, 'alertId' | 'key'>): string {
	return e.alertId ? String(e.alertId) : `key:${e.key}`;
}

/** Takes one firing or resolved event (with its log id) into its group. */
export function addToGroup(
	groups: Groups,
	e: AlertEvent & { eventId: number },
	config: GroupConfig,
	now: number,
	releasedFrom?: string,
): void {
	const values = groupValues(e, config);
	const key = groupKeyText(values);
	const group = (groups[key] ??= { values, alerts: {} });
	const ref = alertRef(e);
	const before = group.alerts[ref];
	if (e.status === 'resolved') {
		// A resolve with no firing in the group (handed over before grouping was on, or state
		// that was lost): better told twice than never.
		group.alerts[ref] = {
			eventId: e.eventId,
			firing: false,
			changed: true,
			told: before ? before.told : true,
		};
	} else {
		group.alerts[ref] = {
			eventId: e.eventId,
			firing: true,
			changed: true,
			told: before?.told ?? false,
			...(releasedFrom ? { releasedFrom } : {}),
		};
	}
	group.pendingSince ??= now;
}

function isDue(group: GroupState, config: GroupConfig, now: number): boolean | 'repeat' {
	const alerts = Object.values(group.alerts);
	const news = alerts.some((a) => a.changed);
	if (group.sentAt === undefined) return news && now - (group.pendingSince ?? now) >= config.waitMs;
	if (news) return now - group.sentAt >= config.intervalMs;
	if (config.repeatMs > 0 && alerts.some((a) => a.firing) && now - group.sentAt >= config.repeatMs)
		return 'repeat';
	return false;
}

/**
 * The groups due now, as items to send; the state moves on as if they were sent (the caller
 * keeps the old state when they are not). Resolved alerts leave their group with the item that
 * tells it; a group left empty is forgotten, so its next alert waits the full wait again.
 */
export function takeDue(groups: Groups, config: GroupConfig, now: number): GroupFlush[] {
	const out: GroupFlush[] = [];
	for (const [key, group] of Object.entries(groups)) {
		const due = isDue(group, config, now);
		if (!due) continue;
		const alerts: GroupFlush['alerts'] = [];
		for (const [ref, a] of Object.entries(group.alerts)) {
			// A resolve of an alert the group never told about is no news: it fired and resolved
			// within the wait.
			if (a.firing || a.told)
				alerts.push({
					eventId: a.eventId,
					firing: a.firing,
					...(a.releasedFrom && a.changed ? { releasedFrom: a.releasedFrom } : {}),
				});
			if (a.firing)
				group.alerts[ref] = { eventId: a.eventId, firing: true, changed: false, told: true };
			else delete group.alerts[ref];
		}
		group.sentAt = now;
		delete group.pendingSince;
		if (Object.keys(group.alerts).length === 0) delete groups[key];
		if (alerts.length)
			out.push({
				key,
				values: group.values,
				alerts: alerts.sort((x, y) => x.eventId - y.eventId),
				repeat: due === 'repeat',
			});
	}
	return out;
}

const SEVERITY_RANK: Record<string, number> = { critical: 3, warning: 2, info: 1 };

/** What a workflow gets for a group: its keys, counts, the alerts inside and one line to read. */
export interface GroupItem {
	status: 'firing' | 'resolved';
	groupKey: string;
	group: Record<string, string>;
	severity: Severity;
	counts: { firing: number; resolved: number };
	alerts: AlertEvent[];
	message: string;
	/** The dashboard link of the first alert (all of them are in `alerts`). */
	link: string | null;
	/** Sent again without news (the group's Repeat Every). */
	repeat: boolean;
	at: number;
	atIso: string;
}

/** Messages shown in full in a group's line; the rest are counted. */
const MESSAGES_IN_LINE = 3;

export function groupItem(
	key: string,
	values: Record<string, string>,
	alerts: AlertEvent[],
	now: number,
	repeat: boolean,
): GroupItem {
	const firing = alerts.filter((a) => a.status === 'firing');
	const resolved = alerts.filter((a) => a.status === 'resolved');
	const ranked = firing.length ? firing : alerts;
	const severity = ranked.reduce<Severity>(
		(worst, a) =>
			(SEVERITY_RANK[a.severity] ?? 0) > (SEVERITY_RANK[worst] ?? 0) ? a.severity : worst,
		ranked[0]?.severity ?? 'info',
	);
	const counts = [
		firing.length ? `${firing.length} firing` : '',
		resolved.length ? `${resolved.length} resolved` : '',
	]
		.filter(Boolean)
		.join(', ');
	const shown = [...firing, ...resolved].slice(0, MESSAGES_IN_LINE).map((a) => a.message);
	const more = alerts.length - shown.length;
	const scope = Object.keys(values).length ? ` (${key})` : '';
	return {
		status: firing.length ? 'firing' : 'resolved',
		groupKey: key,
		group: values,
		severity,
		counts: { firing: firing.length, resolved: resolved.length },
		alerts,
		message: `${repeat ? 'Still ' : ''}${counts}${scope}: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
		link: alerts[0]?.link ?? null,
		repeat,
		at: now,
		atIso: new Date(now).toISOString(),
	};
}

/** Events grouped at once (no waiting): what a manual test of the trigger shows. */
export function groupAtOnce(events: AlertEvent[], config: GroupConfig, now: number): GroupItem[] {
	const byKey = new Map<string, { values: Record<string, string>; events: AlertEvent[] }>();
	for (const e of events) {
		const values = groupValues(e, config);
		const key = groupKeyText(values);
		const entry = byKey.get(key) ?? { values, events: [] };
		entry.events.push(e);
		byKey.set(key, entry);
	}
	return [...byKey.entries()].map(([key, g]) => groupItem(key, g.values, g.events, now, false));
}

function duration(value: unknown, what: string, unitMs: number, unit: string): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n * unitMs > MAX_MS)
		throw new AlertConfigError(
			`${what} must be a number of ${unit} from 0 to ${MAX_MS / unitMs}, not ${JSON.stringify(value)}`,
			`Enter a plain number of ${unit}, e.g. ${unit === 'seconds' ? 30 : 5}.`,
		);
	return Math.round(n * unitMs);
}

/** Label names typed as "mount, endpoint". */
function labelNames(value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	if (typeof value !== 'string')
		throw new AlertConfigError(
			'Group By Labels must be text: label names separated by commas',
			'Write it like mount, endpoint.',
		);
	const names = value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const bad = names.find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
	if (bad)
		throw new AlertConfigError(
			`"${bad.slice(0, 60)}" in Group By Labels is not a label name`,
			'Label names are letters, digits and _, e.g. mount, endpoint, db.',
		);
	return [...new Set(names)];
}

/** The trigger's Group Events settings as typed, checked. */
export interface GroupInput {
	groupBy?: unknown;
	labels?: unknown;
	waitSeconds?: unknown;
	intervalMinutes?: unknown;
	repeatMinutes?: unknown;
}

export function buildGroupConfig(input: GroupInput): GroupConfig {
	const by = input.groupBy === undefined || input.groupBy === null ? [] : input.groupBy;
	if (!Array.isArray(by) || by.some((f) => !GROUP_FIELDS.includes(f as GroupField)))
		throw new AlertConfigError(
			`Group By must be a list of ${GROUP_FIELDS.join(', ')}, not ${JSON.stringify(input.groupBy)?.slice(0, 60)}`,
			'Pick the keys from the list (none puts every alert in one group).',
		);
	return {
		by: GROUP_FIELDS.filter((f) => by.includes(f)),
		labels: labelNames(input.labels),
		waitMs: duration(input.waitSeconds ?? 30, 'Wait (Seconds)', 1000, 'seconds'),
		intervalMs: duration(input.intervalMinutes ?? 5, 'Interval (Minutes)', MINUTE, 'minutes'),
		repeatMs: duration(input.repeatMinutes ?? 0, 'Repeat Every (Minutes)', MINUTE, 'minutes'),
	};
}
