import type { MaintenanceWindow } from '../alerts/schedule';
import { matchesHost } from '../alerts/match';
import { listIncidents, type Incident, type IncidentUpdateStatus } from './incidents';
import type { OverviewStore } from './overview';
import { targetState } from './target-state';
import { uptimeReport, type UptimeKind, type UptimeRow, type UptimeTarget } from './uptime';
import { DAY_MS, HOUR_MS } from './validate';

/**
 * The model of a public status page: what its owner chose to show, and nothing else. Hosts,
 * target names, URLs, labels, error text and alert messages stay out of it unless an item's
 * owner turned "Show Details" on for that item; the renderers (HTML, JSON, badges, feeds) read
 * only this model, so what none of them may show is decided here, once.
 */

export interface StatusPageItemConfig {
	kind: UptimeKind;
	/** The host whose collector checks the target (the host itself for kind host). */
	host: string;
	/** The endpoint, db, server or workflow id; unused for kind host. */
	name?: string;
	displayName: string;
	/** Whether the target's host, name, URL and last error may be shown for this item. */
	showDetails?: boolean;
}

export interface StatusPageConfig {
	title: string;
	description?: string;
	groups: Array<{ name: string; items: StatusPageItemConfig[] }>;
	/** Announced maintenance; `note` is written for readers and shown as is (escaped). */
	maintenance?: Array<MaintenanceWindow & { note?: string }>;
}

export type PublicStatus = 'operational' | 'degraded' | 'down' | 'nodata' | 'maintenance';

export interface StatusDay {
	/** UTC day, 2026-03-01. */
	day: string;
	/** Null: no up or down minute that day (a gap, never "up"). */
	uptimePercent: number | null;
	downMinutes: number;
	noDataMinutes: number;
	maintenanceMinutes: number;
}

export const UPTIME_RANGES = ['24h', '7d', '30d', '90d'] as const;
export type UptimeRange = (typeof UPTIME_RANGES)[number];

export interface StatusItem {
	/** A stable slug of the display name: badges live at /badge/<slug>/… */
	slug: string;
	name: string;
	status: PublicStatus;
	/** When the current status began, when the store knows. */
	since: number | null;
	uptime: Record<UptimeRange, number | null>;
	/** The last 90 UTC days, oldest first, today last. */
	days: StatusDay[];
	/** Only when the item's owner turned Show Details on. */
	details?: {
		kind: UptimeKind;
		host: string;
		name: string;
		url: string | null;
		reason: string | null;
	};
}

export interface StatusGroup {
	name: string;
	items: StatusItem[];
}

export interface StatusIncidentEntry {
	at: number;
	kind: 'down' | 'up' | 'update';
	/** The item's display name (down/up). */
	item?: string;
	status?: IncidentUpdateStatus;
	/** Words a person posted for readers (update). */
	message?: string;
}

export interface StatusIncident {
	id: string;
	/** A title a person gave; null: the page names it by its items. */
	title: string | null;
	severity: Incident['severity'];
	/** Display names of the page's items it is about. */
	items: string[];
	startedAt: number;
	resolvedAt: number | null;
	durationMs: number;
	/** Oldest first. */
	timeline: StatusIncidentEntry[];
	/** When it last changed (its newest entry, else its start): a feed's updated time. */
	updatedAt: number;
}

export interface StatusMaintenance {
	from: number;
	to: number;
	note: string | null;
	/** Display names of the items it covers. */
	items: string[];
	active: boolean;
}

export interface StatusPageModel {
	title: string;
	description: string | null;
	generatedAt: number;
	status: PublicStatus;
	groups: StatusGroup[];
	incidents: { current: StatusIncident[]; past: StatusIncident[] };
	maintenance: StatusMaintenance[];
}

export const STATUS_DAYS = 90;
/** Resolved incidents listed on the page and in its feed. */
export const MAX_PAST_INCIDENTS = 50;

const RANK: Record<PublicStatus, number> = {
	operational: 0,
	nodata: 1,
	maintenance: 2,
	degraded: 3,
	down: 4,
};

/** A display name as a URL segment: lower case letters and digits of any script, dashes. */
export function slugOf(displayName: string): string {
	const slug = displayName
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		// Recomposed: NFKD splits Hangul syllables into their letters.
		.normalize('NFC')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80);
	return slug || 'item';
}

const targetKey = (kind: string, host: string, name: string) => JSON.stringify([kind, host, name]);
const itemKey = (i: StatusPageItemConfig) =>
	targetKey(i.kind, i.host, i.kind === 'host' ? i.host : (i.name ?? ''));

/** What the page reads: whatever the uptime report, incidents and target state read. */
export type StatusPageStore = OverviewStore &
	Parameters<typeof uptimeReport>[0] &
	Parameters<typeof listIncidents>[0];

export async function buildStatusPage(
	store: StatusPageStore,
	config: StatusPageConfig,
	now: number,
): Promise<StatusPageModel> {
	const items = config.groups.flatMap((g) => g.items);
	const targets: UptimeTarget[] = items.map((i) => ({
		kind: i.kind,
		host: i.host,
		name: i.kind === 'host' ? undefined : i.name,
	}));
	const maintenance = config.maintenance ?? [];
	const today = now - (now % DAY_MS);
	const rowsByTarget = new Map<string, UptimeRow[]>();
	const dayRows = new Map<string, UptimeRow[]>();
	let incidents: Incident[] = [];
	if (items.length > 0) {
		const [days, last24h, found] = await Promise.all([
			uptimeReport(store, {
				from: today - (STATUS_DAYS - 1) * DAY_MS,
				to: today + DAY_MS,
				now,
				granularity: 'day',
				targets,
				maintenance,
			}),
			uptimeReport(store, {
				from: now - 24 * HOUR_MS,
				to: now,
				now,
				granularity: 'day',
				targets,
				maintenance,
			}),
			listIncidents(store, { from: now - STATUS_DAYS * DAY_MS, to: now, now, targets }),
		]);
		for (const r of days) push(dayRows, targetKey(r.kind, r.host, r.name), r);
		for (const r of last24h) push(rowsByTarget, targetKey(r.kind, r.host, r.name), r);
		incidents = found;
	}

	const slugs = new Set<string>();
	const nameOfTarget = new Map<string, string>();
	const groups: StatusGroup[] = [];
	for (const group of config.groups) {
		const out: StatusItem[] = [];
		for (const item of group.items) {
			let slug = slugOf(item.displayName);
			for (let n = 2; slugs.has(slug); n++) slug = `${slugOf(item.displayName)}-${n}`;
			slugs.add(slug);
			const key = itemKey(item);
			if (!nameOfTarget.has(key)) nameOfTarget.set(key, item.displayName);
			const rows = dayRows.get(key) ?? [];
			const state = await currentState(store, item, now);
			const inMaintenance = maintenance.some(
				(w) => w.from <= now && now < w.to && matchesHost(w.host, item.host),
			);
			const status: PublicStatus = inMaintenance ? 'maintenance' : state.status;
			out.push({
				slug,
				name: item.displayName,
				status,
				since: inMaintenance ? null : state.since,
				uptime: {
					'24h': percent(rowsByTarget.get(key) ?? []),
					'7d': percent(rows.slice(-7)),
					'30d': percent(rows.slice(-30)),
					'90d': percent(rows),
				},
				days: rows.map((r) => ({
					day: r.slot,
					uptimePercent: r.uptimePercent,
					downMinutes: r.downMinutes,
					noDataMinutes: r.noDataMinutes,
					maintenanceMinutes: r.maintenanceMinutes,
				})),
				...(item.showDetails
					? {
							details: {
								kind: item.kind,
								host: item.host,
								name: item.kind === 'host' ? item.host : (item.name ?? ''),
								url: state.url,
								reason: state.reason,
							},
						}
					: {}),
			});
		}
		groups.push({ name: group.name, items: out });
	}

	const shown = incidents.map((i) => publicIncident(i, nameOfTarget));
	const all = groups.flatMap((g) => g.items);
	return {
		title: config.title,
		description: config.description?.trim() ? config.description : null,
		generatedAt: now,
		status: all.reduce<PublicStatus>(
			(worst, i) => (RANK[i.status] > RANK[worst] ? i.status : worst),
			'operational',
		),
		groups,
		incidents: {
			current: shown.filter((i) => i.resolvedAt === null),
			past: shown.filter((i) => i.resolvedAt !== null).slice(0, MAX_PAST_INCIDENTS),
		},
		maintenance: maintenance
			.filter((w) => w.to > now)
			.sort((a, b) => a.from - b.from)
			.map((w) => ({
				from: w.from,
				to: w.to,
				note: w.note?.trim() ? w.note : null,
				items: items.filter((i) => matchesHost(w.host, i.host)).map((i) => i.displayName),
				active: w.from <= now,
			})),
	};
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/** Uptime over the rows: up / (up + down) minutes, null when there was neither. */
function percent(rows: UptimeRow[]): number | null {
	let up = 0;
	let down = 0;
	for (const r of rows) {
		up += r.upMinutes;
		down += r.downMinutes;
	}
	return up + down === 0 ? null : Math.round((100000 * up) / (up + down)) / 1000;
}

const FROM_STATE = {
	ok: 'operational',
	warning: 'degraded',
	critical: 'down',
	nodata: 'nodata',
} as const;

/**
 * The item's status by the dashboard's own rules (targetState): a target that never reported or
 * went silent is "no data", never operational. A target that cannot be read is "no data" too:
 * one bad item must not take the page down.
 */
async function currentState(
	store: OverviewStore,
	item: StatusPageItemConfig,
	now: number,
): Promise<{
	status: Exclude<PublicStatus, 'maintenance'>;
	since: number | null;
	url: string | null;
	reason: string | null;
}> {
	try {
		const s = await targetState(store, {
			now,
			kind: item.kind,
			host: item.host,
			name: item.kind === 'host' ? undefined : item.name,
		});
		const status = s.reported && !s.stale ? FROM_STATE[s.status] : 'nodata';
		return { status, since: s.since, url: s.url ?? null, reason: s.reason };
	} catch (error) {
		return {
			status: 'nodata',
			since: null,
			url: null,
			reason: error instanceof Error ? error.message : String(error),
		};
	}
}

function publicIncident(incident: Incident, names: Map<string, string>): StatusIncident {
	const nameOf = (t: { kind: string; host: string; name: string }) =>
		names.get(targetKey(t.kind, t.host, t.name));
	const items = [
		...new Set(incident.targets.map(nameOf).filter((n): n is string => n !== undefined)),
	];
	const timeline: StatusIncidentEntry[] = [];
	for (const e of incident.timeline) {
		if (e.kind === 'update') {
			// Only the status and the words written for readers; never the author.
			timeline.push({
				at: e.at,
				kind: 'update',
				status: e.status ?? 'update',
				message: e.message ?? '',
			});
		} else {
			const item = e.target ? nameOf(e.target) : undefined;
			if (item !== undefined) timeline.push({ at: e.at, kind: e.kind, item });
		}
	}
	const last = timeline.reduce((t, e) => Math.max(t, e.at), incident.startedAt);
	return {
		id: incident.id,
		title: incident.source === 'manual' && incident.title ? incident.title : null,
		severity: incident.severity,
		items,
		startedAt: incident.startedAt,
		resolvedAt: incident.resolvedAt,
		durationMs: incident.durationMs,
		timeline,
		updatedAt: Math.max(last, incident.resolvedAt ?? 0),
	};
}
