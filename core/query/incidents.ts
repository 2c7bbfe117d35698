import type { Severity } from '../model';
import type { IncidentUpdateRow, ManualIncidentRow, StoreReader } from '../store';
import { QueryError } from './errors';
import {
	alertIsAbout,
	resolveTargets,
	UPTIME_KINDS,
	type UptimeKind,
	type UptimeTarget,
} from './uptime';

/**
 * Incidents: the alert history of chosen targets grouped into spans of trouble. Alerts about any
 * of the targets that overlap in time are one incident (a host going down takes its endpoints
 * with it: one incident, several targets). Each incident carries a timeline: when each target's
 * alerts began and ended. This is the one reader of incidents: the status page, its feeds and
 * the History resource read them here, so what a page says and what a report counts agree.
 *
 * Nothing here is free text from an alert: rule messages hold values, thresholds, hosts and
 * labels that a public page must not show. What a person writes for readers comes as updates:
 * posted on one of an incident's alerts (any of them: the update follows its alert into whichever
 * incident holds it), or on an incident opened by hand (`source: 'manual'`, listed by its targets
 * and period beside the grouped ones; its latest `resolved` update resolves it, a later
 * investigating / identified / monitoring one opens it again).
 */

export interface IncidentTarget {
	kind: UptimeKind;
	host: string;
	/** The endpoint, db, server or workflow id; the host's name for kind host. */
	name: string;
}

export type IncidentUpdateStatus =
	| 'investigating'
	| 'identified'
	| 'monitoring'
	| 'update'
	| 'resolved';

/** In the order an incident usually goes through them. */
export const INCIDENT_UPDATE_STATUSES: readonly IncidentUpdateStatus[] = [
	'investigating',
	'identified',
	'monitoring',
	'update',
	'resolved',
];

export interface IncidentTimelineEntry {
	at: number;
	/**
	 * `down`/`up`: one of the targets' alerts began or ended (recorded by the monitor);
	 * `update`: words a person posted.
	 */
	kind: 'down' | 'up' | 'update';
	/** The target the entry is about (down/up). */
	target?: IncidentTarget;
	status?: IncidentUpdateStatus;
	message?: string;
	author?: string | null;
}

export interface Incident {
	/**
	 * Stable across reads: `a<first alert id>` for one grouped from alerts, `m<id>` for one opened
	 * by hand.
	 */
	id: string;
	source: 'alerts' | 'manual';
	/** A title a person gave; null for one grouped from alerts (a page names it by its targets). */
	title: string | null;
	severity: Severity;
	targets: IncidentTarget[];
	startedAt: number;
	/** Null while it is open. */
	resolvedAt: number | null;
	/** Until resolved, or until `now` while open. */
	durationMs: number;
	alertIds: number[];
	/** Oldest first. */
	timeline: IncidentTimelineEntry[];
}

export interface IncidentQuery {
	from: number;
	to: number;
	now: number;
	/** Empty: every target of every kind the store holds. */
	targets: UptimeTarget[];
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
/** A stored severity; an unknown one (written by a newer version) counts as a warning. */
const severityOf = (s: string): Severity => (s in RANK ? (s as Severity) : 'warning');

/** The incidents open at some time in [from, to] about the targets, newest first. */
export async function listIncidents(
	store: Pick<StoreReader, 'samples' | 'alerts' | 'incidents'>,
	query: IncidentQuery,
): Promise<Incident[]> {
	const { from, to, now } = query;
	if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
		throw new QueryError('the incident period must have from before to');
	const grouped = await groupAlerts(store, query);
	const manual = (await store.incidents.manualOverlapping({ from, to }))
		.map((row) => manualIncident(row, query.targets, now))
		.filter((incident): incident is Incident => incident !== null);
	const incidents = [...grouped, ...manual];
	await attachUpdates(store, incidents);
	return incidents.sort(
		(a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
	);
}

/** What an update is posted on: an incident opened by hand, or an alert (of any incident). */
export type IncidentRef = { manual: number } | { alert: number };

/**
 * An incident id as listIncidents gives it (`m12`, `a34`), or an alert id as the triggers hand
 * it in their events' `alertId` (34 or "34"); undefined when it is neither.
 */
export function parseIncidentRef(value: unknown): IncidentRef | undefined {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
	const match = /^\s*([am]?)(\d{1,15})\s*$/i.exec(text);
	if (!match) return undefined;
	const id = Number(match[2]);
	if (!Number.isSafeInteger(id) || id < 1) return undefined;
	return match[1].toLowerCase() === 'm' ? { manual: id } : { alert: id };
}

/**
 * The incident an id names, as it stands now, with every update; undefined when no incident or
 * alert has that id. An alert's incident is grouped over every target the store holds (a page
 * that shows fewer targets may split it); an alert about none of them (a workflow's alert with no
 * host) is an incident of its own.
 */
export async function findIncident(
	store: Pick<StoreReader, 'samples' | 'alerts' | 'incidents'>,
	ref: IncidentRef,
	now: number,
): Promise<Incident | undefined> {
	if ('manual' in ref) {
		const row = await store.incidents.manual(ref.manual);
		const incident = row ? manualIncident(row, [], now) : null;
		if (!incident) return undefined;
		await attachUpdates(store, [incident]);
		return incident;
	}
	const alert = await store.incidents.alertSpan(ref.alert);
	if (!alert) return undefined;
	// Overlapping alerts chain: widen the period until the incident lies inside it.
	let from = alert.startedAt;
	let to = (alert.resolvedAt ?? now) + 1;
	let found: Incident | undefined;
	for (let round = 0; round < 20; round++) {
		const grouped = await groupAlerts(store, { from, to, now, targets: [] });
		found = grouped.find((i) => i.alertIds.includes(alert.id));
		if (!found) break;
		const end = (found.resolvedAt ?? now) + 1;
		if (found.startedAt >= from && end <= to) break;
		from = Math.min(from, found.startedAt);
		to = Math.max(to, end);
	}
	const incident = found ?? {
		id: `a${alert.id}`,
		source: 'alerts' as const,
		title: null,
		severity: severityOf(alert.severity),
		targets: [],
		startedAt: alert.startedAt,
		resolvedAt: alert.resolvedAt,
		durationMs: Math.max(0, (alert.resolvedAt ?? now) - alert.startedAt),
		alertIds: [alert.id],
		timeline: [
			{ at: alert.startedAt, kind: 'down' as const },
			...(alert.resolvedAt === null ? [] : [{ at: alert.resolvedAt, kind: 'up' as const }]),
		],
	};
	await attachUpdates(store, [incident]);
	return incident;
}

/** The alerts of the targets grouped: overlapping ones are one incident. Newest first. */
async function groupAlerts(
	store: Pick<StoreReader, 'samples' | 'alerts'>,
	query: IncidentQuery,
): Promise<Incident[]> {
	const { from, to, now } = query;
	const targets = await resolveTargets(store, query.targets);
	if (targets.length === 0) return [];
	const alerts = await store.alerts.overlapping({
		from,
		to,
		hosts: [...new Set(targets.map((t) => t.host))],
	});
	const spans = alerts
		.map((alert) => ({
			alert,
			about: targets
				.filter((t) => alertIsAbout(alert, t))
				.map(({ kind, host, name }) => ({ kind, host, name })),
			end: alert.resolvedAt ?? now,
		}))
		.filter((s) => s.about.length > 0)
		.sort((a, b) => a.alert.startedAt - b.alert.startedAt || a.alert.id - b.alert.id);

	const incidents: Incident[] = [];
	let openUntil = -Infinity;
	for (const span of spans) {
		let incident = incidents[incidents.length - 1];
		if (!incident || span.alert.startedAt > openUntil) {
			incident = {
				id: `a${span.alert.id}`,
				source: 'alerts',
				title: null,
				severity: severityOf(span.alert.severity),
				targets: [],
				startedAt: span.alert.startedAt,
				resolvedAt: null,
				durationMs: 0,
				alertIds: [],
				timeline: [],
			};
			incidents.push(incident);
			openUntil = -Infinity;
		}
		openUntil = Math.max(openUntil, span.end);
		incident.alertIds.push(span.alert.id);
		const severity = severityOf(span.alert.severity);
		if (RANK[severity] > RANK[incident.severity]) incident.severity = severity;
		for (const target of span.about) {
			if (!incident.targets.some((t) => sameTarget(t, target))) incident.targets.push(target);
			incident.timeline.push({ at: span.alert.startedAt, kind: 'down', target });
			if (span.alert.resolvedAt !== null)
				incident.timeline.push({ at: span.alert.resolvedAt, kind: 'up', target });
		}
		const stillOpen = spans.some(
			(s) => incident.alertIds.includes(s.alert.id) && s.alert.resolvedAt === null,
		);
		incident.resolvedAt = stillOpen ? null : openUntil;
		incident.durationMs = Math.max(0, (incident.resolvedAt ?? now) - incident.startedAt);
	}
	for (const incident of incidents) incident.timeline.sort((a, b) => a.at - b.at);
	return incidents.reverse();
}

/**
 * A hand-opened incident as listed for the wanted targets (all when none are asked): only the
 * asked targets are named, and one about none of them is not listed.
 */
function manualIncident(
	row: ManualIncidentRow,
	wanted: UptimeTarget[],
	now: number,
): Incident | null {
	const targets = row.targets
		.filter((t): t is IncidentTarget => (UPTIME_KINDS as readonly string[]).includes(t.kind))
		.filter((t) => wanted.length === 0 || wanted.some((w) => targetMatches(w, t)));
	if (wanted.length > 0 && targets.length === 0) return null;
	return {
		id: `m${row.id}`,
		source: 'manual',
		title: row.title,
		severity: severityOf(row.severity),
		targets,
		startedAt: row.startedAt,
		resolvedAt: row.resolvedAt,
		durationMs: Math.max(0, (row.resolvedAt ?? now) - row.startedAt),
		alertIds: [],
		timeline: [],
	};
}

/** Whether a target asked for (its host or name may be left open) names this one. */
function targetMatches(wanted: UptimeTarget, target: IncidentTarget): boolean {
	return (
		wanted.kind === target.kind &&
		(wanted.host === undefined || wanted.host === target.host) &&
		(wanted.name === undefined || wanted.name === target.name)
	);
}

/** Puts each posted update into the timeline of the incident it belongs to, in time order. */
async function attachUpdates(
	store: Pick<StoreReader, 'incidents'>,
	incidents: Incident[],
): Promise<void> {
	if (incidents.length === 0) return;
	const byAlert = new Map<number, Incident>();
	const byManual = new Map<number, Incident>();
	for (const incident of incidents) {
		if (incident.source === 'manual') byManual.set(Number(incident.id.slice(1)), incident);
		for (const id of incident.alertIds) byAlert.set(id, incident);
	}
	const updates = await store.incidents.updates({
		incidentIds: [...byManual.keys()],
		alertIds: [...byAlert.keys()],
	});
	for (const update of updates) {
		const incident =
			update.incidentId !== null ? byManual.get(update.incidentId) : byAlert.get(update.alertId!);
		incident?.timeline.push(updateEntry(update));
	}
	for (const incident of incidents) incident.timeline.sort((a, b) => a.at - b.at);
}

function updateEntry(update: IncidentUpdateRow): IncidentTimelineEntry {
	return {
		at: update.at,
		kind: 'update',
		// One written by a newer version with a status this one does not know reads as an update.
		status: (INCIDENT_UPDATE_STATUSES as readonly string[]).includes(update.status)
			? (update.status as IncidentUpdateStatus)
			: 'update',
		message: update.message,
		author: update.author,
	};
}

function sameTarget(a: IncidentTarget, b: IncidentTarget): boolean {
	return a.kind === b.kind && a.host === b.host && a.name === b.name;
}
