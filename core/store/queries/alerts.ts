import { createHash } from 'node:crypto';

import type { Knex } from 'knex';

import type { AlertEvent, AlertRow, Severity } from '../../model';
import { withBusyRetry } from '../retry';
import { AlertLifecycleRecords } from './alert-lifecycle';
import { num } from './values';

const openKey = (alertKey: string) => createHash('sha256').update(alertKey).digest('hex');

/** A firing workflow alert as stored, for resolving it. */
export interface OpenWorkflowAlert {
	id: number;
	alertKey: string;
	rule: string;
	severity: Severity;
	host: string | null;
	message: string;
	link: string | null;
	startedAt: number;
}

/**
 * An alert to open: what its event says, under the ledger's scope and key. `startedAt` is when
 * its condition began, `now` the time of writing; `expiresAt` (workflow alerts) when it resolves
 * by itself, left as it is when absent.
 */
export type OpenAlert = Pick<
	AlertEvent,
	| 'source'
	| 'key'
	| 'rule'
	| 'severity'
	| 'host'
	| 'metric'
	| 'labels'
	| 'value'
	| 'threshold'
	| 'message'
	| 'link'
> & { scope: string; startedAt: number; now: number; expiresAt?: number | null };

/**
 * Alerts (mon_alerts: one row per alert, open while its open_key is set), the append-only event
 * log that triggers hand over (mon_alert_events), and each trigger's rule state
 * (mon_alert_state). Writes that belong together go through `transaction`.
 */
export class AlertLedger {
	/** Acknowledgements, escalation, silences: in this ledger's transaction when it has one. */
	readonly lifecycle: AlertLifecycleRecords;

	constructor(private readonly db: Knex) {
		this.lifecycle = new AlertLifecycleRecords(db);
	}

	/**
	 * Runs `work` in one transaction on a ledger bound to it; the whole of it runs again when
	 * SQLite was busy.
	 */
	async transaction<T>(work: (ledger: AlertLedger) => Promise<T>): Promise<T> {
		return await withBusyRetry(() =>
			this.db.transaction(async (trx) => await work(new AlertLedger(trx))),
		);
	}

	/** Opens an alert unless one with its key is open; returns its id and whether it is new. */
	async open(alert: OpenAlert): Promise<{ id: number; created: boolean }> {
		const hash = openKey(alert.key);
		const existing = await this.db('mon_alerts').where('open_key', hash).first('id');
		if (existing) {
			await this.db('mon_alerts')
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
		const [row] = await this.db('mon_alerts')
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
	async close(
		key: string,
		now: number,
		update: { value?: number | null; message?: string } = {},
	): Promise<number | null> {
		const hash = openKey(key);
		const existing = await this.db('mon_alerts').where('open_key', hash).first('id');
		if (!existing) return null;
		await this.db('mon_alerts')
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

	async logEvent(scope: string, alertId: number, event: AlertEvent): Promise<void> {
		await this.db('mon_alert_events').insert({
			alert_id: alertId,
			source: event.source,
			scope,
			kind: event.status,
			ts: event.at,
			payload: JSON.stringify({ ...event, alertId }),
		});
	}

	/** Events after a cursor for one trigger: its own rules' and, if asked, those raised by workflows. */
	async eventsAfter(
		cursor: number,
		scope: string,
		includeWorkflowAlerts: boolean,
		limit = 1000,
	): Promise<AlertEvent[]> {
		const rows = await this.db('mon_alert_events')
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

	/** Open alerts, and those that started or resolved within [from, to], newest first. */
	async list(options: {
		from: number;
		to: number;
		limit?: number;
	}): Promise<{ active: AlertRow[]; history: AlertRow[] }> {
		const active = await this.db('mon_alerts')
			.where('status', 'firing')
			.orderBy([{ column: 'started_at', order: 'desc' }])
			.limit(500)
			.select();
		const history = await this.db('mon_alerts')
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

	/**
	 * Every alert that was firing at some time in [from, to): started before `to` and not
	 * resolved before `from`, of the given hosts (all when absent), oldest first.
	 */
	async overlapping(options: { from: number; to: number; hosts?: string[] }): Promise<AlertRow[]> {
		const { from, to, hosts } = options;
		if (hosts && hosts.length === 0) return [];
		const out: AlertRow[] = [];
		const groups = hosts
			? Array.from({ length: Math.ceil(hosts.length / 500) }, (_, i) =>
					hosts.slice(i * 500, i * 500 + 500),
				)
			: [undefined];
		for (const group of groups) {
			const rows = await this.db('mon_alerts')
				.where('started_at', '<', to)
				.andWhere((q) => q.whereNull('resolved_at').orWhere('resolved_at', '>=', from))
				.modify((q) => {
					if (group) q.whereIn('host', group);
				})
				.orderBy([{ column: 'started_at' }, { column: 'id' }])
				.select();
			out.push(...rows.map(toRow));
		}
		return out.sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
	}

	async lastEventId(): Promise<number> {
		const row = await this.db('mon_alert_events').max({ id: 'id' }).first();
		return row?.id == null ? 0 : num(row.id);
	}

	/** The id of the latest alert of a key, open or not; undefined when there is none. */
	async latestId(scope: string, key: string): Promise<number | undefined> {
		const row = await this.db('mon_alerts')
			.where('open_key', openKey(key))
			.orWhere((q) => q.where('scope', scope).andWhere('alert_key', key))
			.orderBy('id', 'desc')
			.first('id');
		return row ? Number(row.id) : undefined;
	}

	/** The keys of a scope's firing alerts. */
	async firingKeys(scope: string): Promise<string[]> {
		const open = await this.db('mon_alerts').where({ scope, status: 'firing' }).select('alert_key');
		return open.map((row) => String(row.alert_key));
	}

	/** Firing workflow alerts whose "resolve after" time has come. */
	async dueWorkflowAlerts(now: number): Promise<OpenWorkflowAlert[]> {
		const due = await this.db('mon_alerts')
			.where({ source: 'workflow', status: 'firing' })
			.andWhere('expires_at', '<=', now)
			.select();
		return due.map(toOpenWorkflowAlert);
	}

	/** The firing workflow alert of a key, if one is. */
	async openWorkflowAlert(key: string): Promise<OpenWorkflowAlert | undefined> {
		const open = await this.db('mon_alerts')
			.where({ source: 'workflow', status: 'firing', alert_key: key })
			.first();
		return open ? toOpenWorkflowAlert(open) : undefined;
	}

	/** A trigger's stored rule states (JSON text) by rule key. */
	async ruleStates(scope: string): Promise<Array<{ ruleKey: string; state: string }>> {
		const rows = await this.db('mon_alert_state').where('scope', scope).select('rule_key', 'state');
		return rows.map((row) => ({ ruleKey: String(row.rule_key), state: row.state }));
	}

	async saveRuleState(scope: string, ruleKey: string, state: string, now: number): Promise<void> {
		await this.db('mon_alert_state')
			.insert({ scope, rule_key: ruleKey, state, updated_at: now })
			.onConflict(['scope', 'rule_key'])
			.merge(['state', 'updated_at']);
	}

	async forgetRuleState(scope: string, ruleKey: string): Promise<void> {
		await this.db('mon_alert_state').where({ scope, rule_key: ruleKey }).delete();
	}

	// ---- inhibition and grouping (core/alerts/inhibit.ts, core/alerts/dispatch.ts) ----

	/** Every firing alert of every trigger and workflow, oldest first (at most `limit`). */
	async firing(limit = 10_000): Promise<AlertRow[]> {
		const rows = await this.db('mon_alerts')
			.where('status', 'firing')
			.orderBy([{ column: 'started_at' }, { column: 'id' }])
			.limit(limit)
			.select();
		return rows.map(toRow);
	}

	/** Marks alerts as held back (the words that say by what) or not (null). */
	async markInhibited(changes: Array<{ id: number; by: string | null }>): Promise<void> {
		for (const { id, by } of changes)
			await this.db('mon_alerts').where('id', id).update({ inhibited_by: by });
	}

	/** Logged events by id (a group or a held alert keeps only its events' ids), in id order. */
	async eventsByIds(ids: number[]): Promise<AlertEvent[]> {
		const out: AlertEvent[] = [];
		for (let i = 0; i < ids.length; i += 500) {
			const rows = await this.db('mon_alert_events')
				.whereIn('id', ids.slice(i, i + 500))
				.select('id', 'payload');
			for (const r of rows)
				out.push({ ...(JSON.parse(r.payload) as AlertEvent), eventId: num(r.id) });
		}
		return out.sort((a, b) => a.eventId! - b.eventId!);
	}
}

function toOpenWorkflowAlert(row: Record<string, unknown>): OpenWorkflowAlert {
	return {
		id: Number(row.id),
		alertKey: String(row.alert_key),
		rule: String(row.rule),
		severity: row.severity as Severity,
		host: row.host == null ? null : String(row.host),
		message: String(row.message),
		link: row.link == null ? null : String(row.link),
		startedAt: Number(row.started_at),
	};
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
		ackedBy: r.acked_by == null ? null : String(r.acked_by),
		ackedAt: r.acked_at == null ? null : num(r.acked_at),
		escalationLevel: num(r.escalation_level ?? 0),
		heldBy: r.held_by == null ? null : num(r.held_by),
		inhibitedBy: r.inhibited_by == null ? null : String(r.inhibited_by),
	};
}
