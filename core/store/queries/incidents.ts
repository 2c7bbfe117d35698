import type { Knex } from 'knex';

import { withBusyRetry } from '../retry';
import { chunks, num, numOrNull } from './values';

/** A target an incident is about, as the page names it. */
export interface IncidentTargetRef {
	kind: string;
	host: string;
	name: string;
}

/** An incident opened by hand, as stored. */
export interface ManualIncidentRow {
	id: number;
	title: string;
	severity: string;
	targets: IncidentTargetRef[];
	startedAt: number;
	resolvedAt: number | null;
	openedBy: string | null;
	createdAt: number;
	updatedAt: number;
}

/** Words posted for readers: on a hand-opened incident, or on an alert. */
export interface IncidentUpdateRow {
	id: number;
	incidentId: number | null;
	alertId: number | null;
	at: number;
	status: string;
	message: string;
	author: string | null;
}

export interface NewIncident {
	title: string;
	severity: string;
	targets: IncidentTargetRef[];
	startedAt: number;
	openedBy: string | null;
	now: number;
}

export interface NewIncidentUpdate {
	at: number;
	status: string;
	message: string;
	author: string | null;
}

/** What an update needs to know of the alert it is posted on. */
export interface AlertSpan {
	id: number;
	severity: string;
	startedAt: number;
	resolvedAt: number | null;
}

/** The most hand-opened incidents one read returns (newest first): far more than a page shows. */
const MAX_MANUAL = 2000;

/**
 * Incidents opened by hand (mon_incidents) and the updates people post (mon_incident_updates),
 * either on such an incident or on an alert (mon_alerts, read here for its span only). Writes
 * that belong together go through `transaction`.
 */
export class IncidentRecords {
	constructor(private readonly db: Knex) {}

	/** Runs `work` in one transaction; the whole of it runs again when SQLite was busy. */
	async transaction<T>(work: (records: IncidentRecords) => Promise<T>): Promise<T> {
		return await withBusyRetry(() =>
			this.db.transaction(async (trx) => await work(new IncidentRecords(trx))),
		);
	}

	/** Stores a hand-opened incident; returns its id. */
	async open(incident: NewIncident): Promise<number> {
		const [row] = await this.db('mon_incidents')
			.insert({
				title: incident.title,
				severity: incident.severity,
				targets: JSON.stringify(incident.targets),
				started_at: incident.startedAt,
				resolved_at: null,
				opened_by: incident.openedBy,
				created_at: incident.now,
				updated_at: incident.now,
			})
			.returning('id');
		return num(typeof row === 'object' ? row.id : row);
	}

	/** Sets when a hand-opened incident resolved (null: open again). */
	async setResolved(id: number, resolvedAt: number | null, now: number): Promise<void> {
		await this.db('mon_incidents')
			.where('id', id)
			.update({ resolved_at: resolvedAt, updated_at: now });
	}

	/** Adds an update to a hand-opened incident (`incidentId`) or to an alert (`alertId`). */
	async addUpdate(
		on: { incidentId: number } | { alertId: number },
		update: NewIncidentUpdate,
	): Promise<number> {
		const [row] = await this.db('mon_incident_updates')
			.insert({
				incident_id: 'incidentId' in on ? on.incidentId : null,
				alert_id: 'alertId' in on ? on.alertId : null,
				at: update.at,
				status: update.status,
				message: update.message,
				author: update.author,
			})
			.returning('id');
		return num(typeof row === 'object' ? row.id : row);
	}

	/** One hand-opened incident, or undefined when there is none with that id. */
	async manual(id: number): Promise<ManualIncidentRow | undefined> {
		const row = await this.db('mon_incidents').where('id', id).first();
		return row ? toIncident(row) : undefined;
	}

	/**
	 * Hand-opened incidents open at some time in [from, to): started before `to` and not resolved
	 * before `from`, newest first.
	 */
	async manualOverlapping(options: { from: number; to: number }): Promise<ManualIncidentRow[]> {
		const rows = await this.db('mon_incidents')
			.where('started_at', '<', options.to)
			.andWhere((q) => q.whereNull('resolved_at').orWhere('resolved_at', '>=', options.from))
			.orderBy([
				{ column: 'started_at', order: 'desc' },
				{ column: 'id', order: 'desc' },
			])
			.limit(MAX_MANUAL)
			.select();
		return rows.map(toIncident);
	}

	/** The updates of these hand-opened incidents and of these alerts, oldest first. */
	async updates(of: { incidentIds?: number[]; alertIds?: number[] }): Promise<IncidentUpdateRow[]> {
		const out: IncidentUpdateRow[] = [];
		for (const [column, ids] of [
			['incident_id', of.incidentIds ?? []],
			['alert_id', of.alertIds ?? []],
		] as const) {
			for (const part of chunks([...new Set(ids)], 500)) {
				const rows = await this.db('mon_incident_updates').whereIn(column, part).select();
				out.push(...rows.map(toUpdate));
			}
		}
		return out.sort((a, b) => a.at - b.at || a.id - b.id);
	}

	/** When an alert started and resolved; undefined when there is no alert with that id. */
	async alertSpan(id: number): Promise<AlertSpan | undefined> {
		const row = await this.db('mon_alerts')
			.where('id', id)
			.first('id', 'severity', 'started_at', 'resolved_at');
		return row
			? {
					id: num(row.id),
					severity: String(row.severity),
					startedAt: num(row.started_at),
					resolvedAt: numOrNull(row.resolved_at),
				}
			: undefined;
	}
}

function toIncident(r: Record<string, unknown>): ManualIncidentRow {
	let targets: IncidentTargetRef[] = [];
	try {
		const parsed = JSON.parse(String(r.targets ?? '[]')) as unknown;
		if (Array.isArray(parsed))
			targets = parsed
				.filter((t): t is IncidentTargetRef => typeof t === 'object' && t !== null)
				.map((t) => ({ kind: String(t.kind), host: String(t.host), name: String(t.name) }));
	} catch {
		targets = [];
	}
	return {
		id: num(r.id),
		title: String(r.title),
		severity: String(r.severity),
		targets,
		startedAt: num(r.started_at),
		resolvedAt: numOrNull(r.resolved_at),
		openedBy: r.opened_by == null ? null : String(r.opened_by),
		createdAt: num(r.created_at),
		updatedAt: num(r.updated_at),
	};
}

function toUpdate(r: Record<string, unknown>): IncidentUpdateRow {
	return {
		id: num(r.id),
		incidentId: numOrNull(r.incident_id),
		alertId: numOrNull(r.alert_id),
		at: num(r.at),
		status: String(r.status),
		message: String(r.message),
		author: r.author == null ? null : String(r.author),
	};
}
