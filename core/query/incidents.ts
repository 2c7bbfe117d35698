import type { Severity } from '../model';
import type { StoreReader } from '../store';
import { QueryError } from './errors';
import { alertIsAbout, resolveTargets, type UptimeKind, type UptimeTarget } from './uptime';

/**
 * Incidents: the alert history of chosen targets grouped into spans of trouble. Alerts about any
 * of the targets that overlap in time are one incident (a host going down takes its endpoints
 * with it: one incident, several targets). Each incident carries a timeline: when each target's
 * alerts began and ended. This is the one reader of incidents: the status page, its feeds and
 * the History resource read them here, so what a page says and what a report counts agree.
 *
 * Nothing here is free text from an alert: rule messages hold values, thresholds, hosts and
 * labels that a public page must not show. What a person writes for readers comes as updates.
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
	/** Stable across reads: `a<first alert id>` for one grouped from alerts. */
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
	store: Pick<StoreReader, 'samples' | 'alerts'>,
	query: IncidentQuery,
): Promise<Incident[]> {
	const { from, to, now } = query;
	if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
		throw new QueryError('the incident period must have from before to');
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

function sameTarget(a: IncidentTarget, b: IncidentTarget): boolean {
	return a.kind === b.kind && a.host === b.host && a.name === b.name;
}
