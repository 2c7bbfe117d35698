import { randomBytes } from 'node:crypto';

import type { Knex } from 'knex';

import { num, numOrNull } from './values';

/** What the lifecycle of one alert needs to know about it (core/alerts/lifecycle.ts). */
export interface AlertLifecycleRow {
	id: number;
	scope: string;
	source: string;
	alertKey: string;
	status: 'firing' | 'resolved';
	rule: string;
	severity: string;
	host: string | null;
	metric: string | null;
	labels: Record<string, string>;
	value: number | null;
	threshold: number | null;
	message: string;
	link: string | null;
	startedAt: number;
	ackedBy: string | null;
	ackedAt: number | null;
	/** When its firing was first handed to workflows; null while none was. */
	handedAt: number | null;
	escalationLevel: number;
	escalatedAt: number | null;
	/** The silence that holds its firing back, and the event owed once it ends. */
	heldBy: number | null;
	heldEvent: string | null;
}

/** A silence as stored: matchers, why, who, and its span [startsAt, endsAt). */
export interface SilenceRecord {
	id: number;
	host: string | null;
	rule: string | null;
	labels: Record<string, string>;
	reason: string;
	author: string;
	startsAt: number;
	endsAt: number;
	createdAt: number;
}

export type NewSilence = Omit<SilenceRecord, 'id'>;

/**
 * Acknowledgements, hand-over bookkeeping, escalation levels and silences of alerts
 * (mon_alerts' lifecycle columns, mon_silences), and the package's own secrets (mon_secrets).
 * Reached as `store.alerts.lifecycle`, so that it joins the ledger's transactions.
 */
export class AlertLifecycleRecords {
	constructor(private readonly db: Knex) {}

	async alert(id: number): Promise<AlertLifecycleRow | undefined> {
		if (!Number.isSafeInteger(id) || id < 1) return undefined;
		const row = await this.db('mon_alerts').where('id', id).first();
		return row ? toLifecycle(row) : undefined;
	}

	/** Marks an alert acknowledged unless it already is; false when it was (or is gone). */
	async acknowledge(id: number, by: string, at: number): Promise<boolean> {
		const changed = await this.db('mon_alerts')
			.where('id', id)
			.whereNull('acked_at')
			.update({ acked_by: by.slice(0, 255), acked_at: at, updated_at: at });
		return num(changed) > 0;
	}

	async markHanded(id: number, at: number): Promise<void> {
		await this.db('mon_alerts').where('id', id).whereNull('handed_at').update({ handed_at: at });
	}

	/** Holds an alert's firing back under a silence, with the event to hand over when it ends. */
	async hold(id: number, silenceId: number, event: string): Promise<void> {
		await this.db('mon_alerts').where('id', id).update({ held_by: silenceId, held_event: event });
	}

	/** Nothing is owed any more: released, or resolved before anyone was told. */
	async unhold(id: number): Promise<void> {
		await this.db('mon_alerts').where('id', id).update({ held_by: null, held_event: null });
	}

	/** Firing alerts whose firing a silence holds back. */
	async held(): Promise<AlertLifecycleRow[]> {
		const rows = await this.db('mon_alerts')
			.where('status', 'firing')
			.whereNotNull('held_by')
			.orderBy('id')
			.select();
		return rows.map(toLifecycle);
	}

	/** A scope's firing alerts that were handed over and nobody acknowledged: may escalate. */
	async unacknowledged(scope: string): Promise<AlertLifecycleRow[]> {
		const rows = await this.db('mon_alerts')
			.where({ scope, status: 'firing' })
			.whereNull('acked_at')
			.whereNull('held_by')
			.whereNotNull('handed_at')
			.orderBy('id')
			.select();
		return rows.map(toLifecycle);
	}

	async setEscalation(id: number, level: number, at: number): Promise<void> {
		await this.db('mon_alerts')
			.where('id', id)
			.update({ escalation_level: level, escalated_at: at });
	}

	async createSilence(s: NewSilence): Promise<SilenceRecord> {
		const [row] = await this.db('mon_silences')
			.insert({
				host: s.host,
				rule: s.rule,
				labels: JSON.stringify(s.labels),
				reason: s.reason,
				author: s.author.slice(0, 255),
				starts_at: s.startsAt,
				ends_at: s.endsAt,
				created_at: s.createdAt,
			})
			.returning('id');
		return { ...s, id: num(typeof row === 'object' ? row.id : row) };
	}

	/** Silences not ended at `now` (those that start later too), soonest end first. */
	async silences(
		now: number,
		options: { includeEnded?: boolean; limit?: number } = {},
	): Promise<SilenceRecord[]> {
		const rows = await this.db('mon_silences')
			.modify((q) => {
				if (!options.includeEnded) q.where('ends_at', '>', now);
			})
			.orderBy([
				{ column: 'ends_at', order: options.includeEnded ? 'desc' : 'asc' },
				{ column: 'id', order: 'asc' },
			])
			.limit(Math.min(options.limit ?? 500, 1000))
			.select();
		return rows.map(toSilence);
	}

	async silence(id: number): Promise<SilenceRecord | undefined> {
		if (!Number.isSafeInteger(id) || id < 1) return undefined;
		const row = await this.db('mon_silences').where('id', id).first();
		return row ? toSilence(row) : undefined;
	}

	/** Ends a silence now; false when there is none with this id or it had ended. */
	async expireSilence(id: number, now: number): Promise<boolean> {
		if (!Number.isSafeInteger(id) || id < 1) return false;
		const changed = await this.db('mon_silences')
			.where('id', id)
			.andWhere('ends_at', '>', now)
			.update({ ends_at: now });
		return num(changed) > 0;
	}

	/**
	 * The package's secret of a name, generated on first use (32 random bytes). Two processes
	 * asking at once both insert-or-ignore and read back the one that won.
	 */
	async secret(name: string, now: number): Promise<string> {
		const existing = await this.db('mon_secrets').where('name', name).first('value');
		if (existing) return String(existing.value);
		await this.db('mon_secrets')
			.insert({ name, value: randomBytes(32).toString('base64url'), created_at: now })
			.onConflict('name')
			.ignore();
		const row = await this.db('mon_secrets').where('name', name).first('value');
		return String(row.value);
	}
}

function labelsOf(text: unknown): Record<string, string> {
	try {
		const parsed = JSON.parse(String(text ?? '{}')) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
	} catch {
		return {};
	}
}

function toLifecycle(r: Record<string, unknown>): AlertLifecycleRow {
	return {
		id: num(r.id),
		scope: String(r.scope),
		source: String(r.source),
		alertKey: String(r.alert_key),
		status: r.status === 'firing' ? 'firing' : 'resolved',
		rule: String(r.rule),
		severity: String(r.severity),
		host: r.host == null ? null : String(r.host),
		metric: r.metric == null ? null : String(r.metric),
		labels: labelsOf(r.labels),
		value: numOrNull(r.value),
		threshold: numOrNull(r.threshold),
		message: String(r.message),
		link: r.link == null ? null : String(r.link),
		startedAt: num(r.started_at),
		ackedBy: r.acked_by == null ? null : String(r.acked_by),
		ackedAt: numOrNull(r.acked_at),
		handedAt: numOrNull(r.handed_at),
		escalationLevel: num(r.escalation_level ?? 0),
		escalatedAt: numOrNull(r.escalated_at),
		heldBy: numOrNull(r.held_by),
		heldEvent: r.held_event == null ? null : String(r.held_event),
	};
}

function toSilence(r: Record<string, unknown>): SilenceRecord {
	return {
		id: num(r.id),
		host: r.host == null ? null : String(r.host),
		rule: r.rule == null ? null : String(r.rule),
		labels: labelsOf(r.labels),
		reason: String(r.reason),
		author: String(r.author),
		startsAt: num(r.starts_at),
		endsAt: num(r.ends_at),
		createdAt: num(r.created_at),
	};
}
