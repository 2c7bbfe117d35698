import type { Severity } from '../model';
import {
	findIncident,
	INCIDENT_UPDATE_STATUSES,
	parseIncidentRef,
	type Incident,
	type IncidentTarget,
	type IncidentUpdateStatus,
} from '../query/incidents';
import { UPTIME_KINDS } from '../query/uptime';
import type { StoreReader } from '../store';

/**
 * What people write about incidents: an incident opened by hand, and updates posted on it or on
 * an alert-grouped incident (through any of its alerts). The words are for readers of a status
 * page and are kept as given (the page escapes them); what is checked is that they fit.
 */

/** Messages are for people: a few paragraphs at most. */
export const MAX_INCIDENT_MESSAGE = 2000;
export const MAX_INCIDENT_TITLE = 200;
export const MAX_INCIDENT_AUTHOR = 200;
/** The store's host and name columns are this wide. */
const MAX_TARGET_NAME = 255;

/** Bad input, with what to do about it (a NodeOperationError in n8n, a 400 on the server). */
export class IncidentInputError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'IncidentInputError';
	}
}

export interface OpenIncidentRequest {
	title: string;
	severity: Severity;
	targets: IncidentTarget[];
	/** The first update's status; `resolved` records an incident that is already over. */
	status: IncidentUpdateStatus;
	message: string;
	author?: string | null;
	/** When it began; `now` when absent. */
	startedAt?: number;
	now: number;
}

export interface PostUpdateRequest {
	/** `m12` or `a34` as listIncidents gives it, or an alert id (34) as the triggers hand it. */
	incident: unknown;
	status: IncidentUpdateStatus;
	message: string;
	author?: string | null;
	now: number;
}

/** Opens an incident by hand with its first update; returns it as listIncidents shows it. */
export async function openIncident(
	store: Pick<StoreReader, 'samples' | 'alerts' | 'incidents'>,
	r: OpenIncidentRequest,
): Promise<Incident> {
	const title = checkText(r.title, 'Title', MAX_INCIDENT_TITLE, true);
	const message = checkText(r.message, 'Message', MAX_INCIDENT_MESSAGE, true);
	const author = checkText(r.author ?? '', 'Author', MAX_INCIDENT_AUTHOR, false) || null;
	const status = checkStatus(r.status);
	const severity = checkSeverity(r.severity);
	const targets = checkTargets(r.targets);
	const startedAt = r.startedAt ?? r.now;
	if (!Number.isFinite(startedAt) || startedAt > r.now + 60_000)
		throw new IncidentInputError(
			'Started At is in the future',
			'Leave Started At empty for now, or pick a time that has passed.',
		);
	const id = await store.incidents.transaction(async (records) => {
		const id = await records.open({
			title,
			severity,
			targets,
			startedAt,
			openedBy: author,
			now: r.now,
		});
		await records.addUpdate({ incidentId: id }, { at: r.now, status, message, author });
		if (status === 'resolved') await records.setResolved(id, r.now, r.now);
		return id;
	});
	const incident = await findIncident(store, { manual: id }, r.now);
	if (!incident) throw new Error(`incident m${id} was stored but cannot be read back`);
	return incident;
}

/**
 * Posts an update. On an incident opened by hand, `resolved` resolves it and investigating,
 * identified or monitoring after that opens it again (`update` changes nothing); an
 * alert-grouped incident opens and resolves with its alerts, whatever the words say.
 */
export async function postIncidentUpdate(
	store: Pick<StoreReader, 'samples' | 'alerts' | 'incidents'>,
	r: PostUpdateRequest,
): Promise<Incident> {
	const ref = parseIncidentRef(r.incident);
	if (!ref)
		throw new IncidentInputError(
			`Incident ${JSON.stringify(String(r.incident ?? '').slice(0, 60))} is not an incident or alert id`,
			'Use an incident id as List Incidents gives it (m12, a34), or the alertId of a Monitoring Trigger event.',
		);
	const message = checkText(r.message, 'Message', MAX_INCIDENT_MESSAGE, true);
	const author = checkText(r.author ?? '', 'Author', MAX_INCIDENT_AUTHOR, false) || null;
	const status = checkStatus(r.status);
	const update = { at: r.now, status, message, author };
	const posted = await store.incidents.transaction(async (records) => {
		if ('manual' in ref) {
			const incident = await records.manual(ref.manual);
			if (!incident) return false;
			await records.addUpdate({ incidentId: ref.manual }, update);
			const resolvedAt = resolvedAfter(incident.resolvedAt, status, r.now);
			if (resolvedAt !== incident.resolvedAt)
				await records.setResolved(ref.manual, resolvedAt, r.now);
			return true;
		}
		if (!(await records.alertSpan(ref.alert))) return false;
		await records.addUpdate({ alertId: ref.alert }, update);
		return true;
	});
	const name = 'manual' in ref ? `m${ref.manual}` : `alert ${ref.alert}`;
	if (!posted)
		throw new IncidentInputError(
			`No incident ${name} in the store`,
			'Take the id from List Incidents or from the trigger event that reported it, and check that this node uses the same store.',
		);
	const incident = await findIncident(store, ref, r.now);
	if (!incident) throw new Error(`incident ${name} cannot be read back`);
	return incident;
}

/** When a hand-opened incident is resolved after an update with this status (null: open). */
export function resolvedAfter(
	current: number | null,
	status: IncidentUpdateStatus,
	at: number,
): number | null {
	if (status === 'resolved') return current ?? at;
	if (status === 'update') return current;
	return null;
}

function checkText(
	value: unknown,
	name: string,
	max: number,
	required: boolean,
	whatToEnter = `Enter ${name}: it is what readers see.`,
): string {
	if (typeof value !== 'string')
		throw new IncidentInputError(`${name} must be text`, `Map ${name} to a text field.`);
	if (required && !value.trim()) throw new IncidentInputError(`${name} is empty`, whatToEnter);
	if (value.length > max)
		throw new IncidentInputError(
			`${name} is ${value.length} characters long; at most ${max} are allowed`,
			`Shorten ${name}, or post the rest as a further update.`,
		);
	// PostgreSQL refuses NUL in text, and would keep half a surrogate pair as U+FFFD.
	if (/\u0000/.test(value) || /[\uD800-\uDFFF]/u.test(value))
		throw new IncidentInputError(
			`${name} contains a character that cannot be stored (NUL or half a UTF-16 surrogate pair)`,
			`Remove it from ${name}; if it comes from an expression, clean the text first.`,
		);
	return value;
}

function checkStatus(status: unknown): IncidentUpdateStatus {
	if (!(INCIDENT_UPDATE_STATUSES as readonly unknown[]).includes(status))
		throw new IncidentInputError(
			`Status must be one of ${INCIDENT_UPDATE_STATUSES.join(', ')}, not ${JSON.stringify(status)}`,
			'Pick Status from the list.',
		);
	return status as IncidentUpdateStatus;
}

function checkSeverity(severity: unknown): Severity {
	if (severity !== 'info' && severity !== 'warning' && severity !== 'critical')
		throw new IncidentInputError(
			`Severity must be info, warning or critical, not ${JSON.stringify(severity)}`,
			'Pick Severity from the list.',
		);
	return severity;
}

function checkTargets(targets: IncidentTarget[]): IncidentTarget[] {
	if (targets.length === 0)
		throw new IncidentInputError(
			'An incident needs at least one target',
			'Add the endpoints, hosts, databases, model servers or workflows it is about with Add Target: a status page shows it on theirs.',
		);
	const out: IncidentTarget[] = [];
	for (const t of targets) {
		if (!(UPTIME_KINDS as readonly string[]).includes(t.kind))
			throw new IncidentInputError(
				`A target's kind must be one of ${UPTIME_KINDS.join(', ')}, not ${JSON.stringify(t.kind)}`,
				'Pick Kind from the list.',
			);
		const host = checkText(
			t.host,
			'Host Name of a target',
			MAX_TARGET_NAME,
			true,
			'Enter the host whose collector checks the target (for a host target, the host itself).',
		);
		const name =
			t.kind === 'host'
				? host
				: checkText(
						t.name,
						`Name of the ${t.kind} target`,
						MAX_TARGET_NAME,
						true,
						'Enter the endpoint, database, server or workflow ID as stored.',
					);
		if (!out.some((o) => o.kind === t.kind && o.host === host && o.name === name))
			out.push({ kind: t.kind, host, name });
	}
	return out;
}
