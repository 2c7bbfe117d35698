import { createHash } from 'node:crypto';

import type { Knex } from 'knex';

import { num } from '../query/validate';
import type { AlertRow, AlertsQuery, AlertsResponse } from '../contract/dashboard-api';
import type { Severity } from './types';

export type { AlertRow };

/** One alert as it is handed to a workflow, shown on the dashboard and stored in the event log. */
export interface AlertEvent {
	/** Id of the event in the log (grows with every event). */
	eventId?: number;
	alertId?: number;
	status: 'firing' | 'resolved';
	/** `rule` (a trigger's rule) or `workflow` (raised by the Alert resource). */
	source: 'rule' | 'workflow';
	/** What identifies the alert: the rule and series, or the key a workflow gave. */
	key: string;
	rule: string;
	severity: Severity;
	host: string | null;
	metric: string | null;
	labels: Record<string, string>;
	value: number | null;
	threshold: number | null;
	resolveThreshold?: number | null;
	comparison?: string;
	/** Since when the condition holds (Unix ms and ISO). */
	since: number;
	sinceIso: string;
	/** When this event happened. */
	at: number;
	atIso: string;
	repeat: boolean;
	message: string;
	link: string | null;
	reason?: string;
}

export const openKey = (alertKey: string) => createHash('sha256').update(alertKey).digest('hex');

/** Opens an alert unless one with its key is open; returns its id and whether it is new. */
export async function openAlert(
	trx: Knex,
	alert: {
		source: 'rule' | 'workflow';
		scope: string;
		key: string;
		rule: string;
		severity: Severity;
		host: string | null;
		metric: string | null;
		labels: Record<string, string>;
		value: number | null;
		threshold: number | null;
		message: string;
		link: string | null;
		startedAt: number;
		now: number;
		expiresAt?: number | null;
	},
): Promise<{ id: number; created: boolean }> {
	const hash = openKey(alert.key);
	const existing = await trx('mon_alerts').where('open_key', hash).first('id');
	if (existing) {
		await trx('mon_alerts')
			.where('id', existing.id)
			.update({
				severity: alert.severity,
				value: alert.value,
				message: alert.message,
				link: alert.link,
				updated_at: alert.now,
				...(alert.expiresAt !== undefined ? { expires_at: alert.expiresAt } : {}),
			});
		return { id: num(existing.id), created: false };
	}
	const [row] = await trx('mon_alerts')
		.insert({
			source: alert.source,
			scope: alert.scope,
			alert_key: alert.key,
			open_key: hash,
			rule: alert.rule.slice(0, 255),
			severity: alert.severity,
			host: alert.host?.slice(0, 255) ?? null,
			metric: alert.metric,
			labels: JSON.stringify(alert.labels),
			status: 'firing',
			value: alert.value,
			threshold: alert.threshold,
			message: alert.message,
			link: alert.link,
			started_at: alert.startedAt,
			updated_at: alert.now,
			expires_at: alert.expiresAt ?? null,
		})
		.returning('id');
	return { id: num(typeof row === 'object' ? row.id : row), created: true };
}

/** Closes the open alert of a key; returns its id, or null when none was open. */
export async function closeAlert(
	trx: Knex,
	key: string,
	now: number,
	update: { value?: number | null; message?: string } = {},
): Promise<number | null> {
	const hash = openKey(key);
	const existing = await trx('mon_alerts').where('open_key', hash).first('id');
	if (!existing) return null;
	await trx('mon_alerts')
		.where('id', existing.id)
		.update({
			status: 'resolved',
			open_key: null,
			resolved_at: now,
			updated_at: now,
			...(update.value !== undefined ? { value: update.value } : {}),
			...(update.message !== undefined ? { message: update.message } : {}),
		});
	return num(existing.id);
}

export async function logEvent(
	trx: Knex,
	scope: string,
	alertId: number,
	event: AlertEvent,
): Promise<void> {
	await trx('mon_alert_events').insert({
		alert_id: alertId,
		source: event.source,
		scope,
		kind: event.status,
		ts: event.at,
		payload: JSON.stringify({ ...event, alertId }),
	});
}

/** Events after a cursor for one trigger: its own rules' and, if asked, those raised by workflows. */
export async function eventsAfter(
	knex: Knex,
	cursor: number,
	scope: string,
	includeWorkflowAlerts: boolean,
	limit = 1000,
): Promise<AlertEvent[]> {
	const rows = await knex('mon_alert_events')
		.where('id', '>', cursor)
		.andWhere((q) => {
			q.where('scope', scope);
			if (includeWorkflowAlerts) q.orWhere('source', 'workflow');
		})
		.orderBy('id')
		.limit(limit)
		.select('id', 'payload');
	return rows.map((r) => ({ ...(JSON.parse(r.payload) as AlertEvent), eventId: num(r.id) }));
}

export async function lastEventId(knex: Knex): Promise<number> {
	const row = await knex('mon_alert_events').max({ id: 'id' }).first();
	return row?.id == null ? 0 : num(row.id);
}

/** Open alerts, and those that started or resolved within [from, to], newest first. */
export async function listAlerts(knex: Knex, options: AlertsQuery): Promise<AlertsResponse> {
	const active = await knex('mon_alerts')
		.where('status', 'firing')
		.orderBy([{ column: 'started_at', order: 'desc' }])
		.limit(500)
		.select();
	const history = await knex('mon_alerts')
		.where((q) =>
			q
				.whereBetween('started_at', [options.from, options.to])
				.orWhereBetween('resolved_at', [options.from, options.to]),
		)
		.orderBy([{ column: 'started_at', order: 'desc' }])
		.limit(Math.min(options.limit ?? 200, 1000))
		.select();
	return { active: active.map(toRow), history: history.map(toRow) };
}

function toRow(r: Record<string, unknown>): AlertRow {
	let labels: Record<string, string> = {};
	try {
		labels = JSON.parse(String(r.labels ?? '{}')) as Record<string, string>;
	} catch {
		labels = {};
	}
	return {
		id: num(r.id),
		source: String(r.source),
		key: String(r.alert_key),
		rule: String(r.rule),
		severity: String(r.severity),
		host: r.host == null ? null : String(r.host),
		metric: r.metric == null ? null : String(r.metric),
		labels,
		status: r.status === 'firing' ? 'firing' : 'resolved',
		value: r.value == null ? null : num(r.value),
		threshold: r.threshold == null ? null : num(r.threshold),
		message: String(r.message),
		link: r.link == null ? null : String(r.link),
		startedAt: num(r.started_at),
		resolvedAt: r.resolved_at == null ? null : num(r.resolved_at),
		updatedAt: num(r.updated_at),
	};
}
