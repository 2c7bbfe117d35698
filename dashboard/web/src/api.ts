/**
 * The server's JSON, as the components read it. Every field is optional on purpose: the overview
 * must still draw when a collector has not reported or the server adds or renames a field.
 */
export type Status = 'ok' | 'warning' | 'critical' | 'nodata';
export type Point = [number, number | null];

export interface CollectorState {
	collector: string;
	ts?: number;
	lastTs?: number;
	stale?: boolean;
	ok?: boolean;
	error?: string | null;
}

export interface GaugeData {
	value?: number | null;
	ts?: number | null;
	status?: Status;
	since?: number | null;
	stale?: boolean;
}

export interface HostSummary {
	host: string;
	/** core/query's shape: one gauge per figure with its own status (preferred when present). */
	gauges?: Partial<
		Record<'cpu' | 'memory' | 'disk' | 'gpuUtilization' | 'gpuTemperature', GaugeData>
	>;
	cpu?: number | null;
	memory?: number | null;
	disk?: number | null;
	gpuUtil?: number | null;
	gpuTemp?: number | null;
	status?: Status;
	since?: number | string | null;
	stale?: boolean;
	sparkline?: Point[];
	collectors?: CollectorState[];
}

export interface TargetSummary {
	kind: string;
	name: string;
	/** What people call it where that differs from name: a workflow's name (name is its id). */
	title?: string;
	host?: string;
	id?: string;
	status?: Status;
	since?: number | string | null;
	stale?: boolean;
	value?: number | null;
	detail?: string | null;
	/** Why it is down, as its collector or the remote system said (text, never markup). */
	reason?: string | null;
}

/** The whole fleet's counts and where `hosts` lies in the filtered, sorted list. */
export interface FleetInfo {
	hosts?: number;
	counts?: Partial<Record<Status, number>>;
	matched?: number;
	offset?: number;
	limit?: number | null;
	sort?: string;
	filter?: string;
	status?: Status[];
}

export interface Overview {
	now?: number;
	hosts?: HostSummary[];
	fleet?: FleetInfo;
	targets?: TargetSummary[];
}

export interface SeriesData {
	labels?: Record<string, string>;
	points?: Point[];
	min?: Point[];
	max?: Point[];
}

export interface SeriesResponse {
	resolution?: string;
	stepMs?: number;
	series?: SeriesData[];
}

export interface SeriesQuery {
	host: string;
	metric: string;
	labels?: Record<string, string>;
	from: number;
	to: number;
	points?: number;
}

export function seriesPath(q: SeriesQuery): string {
	const p = new URLSearchParams({
		host: q.host,
		metric: q.metric,
		from: String(Math.round(q.from)),
		to: String(Math.round(q.to)),
		points: String(q.points ?? 1500),
	});
	if (q.labels && Object.keys(q.labels).length) p.set('labels', JSON.stringify(q.labels));
	return `/api/series?${p}`;
}

/** The subject of a detail view, as /api/status names it (core/query/target-state.ts). */
export type DetailKind = 'host' | 'gpu' | 'model_server' | 'database' | 'endpoint' | 'workflow';

/** /api/status: what the top of a detail view says (the server's TargetState). */
export interface TargetState {
	kind?: DetailKind;
	status?: Status;
	since?: number | null;
	stale?: boolean;
	/** False when nothing was ever stored for it. */
	reported?: boolean;
	lastTs?: number | null;
	lastOkTs?: number | null;
	intervalMs?: number | null;
	reason?: string | null;
	url?: string | null;
	statusCode?: number | null;
}

export function statusPath(kind: DetailKind, host: string, name?: string): string {
	const p = new URLSearchParams({ kind, host });
	if (name !== undefined) p.set('name', name);
	return `/api/status?${p}`;
}

export function snapshotPath(host: string, collector: string): string {
	return `/api/snapshot?${new URLSearchParams({ host, collector })}`;
}

export const STATUSES: Status[] = ['ok', 'warning', 'critical', 'nodata'];

export function statusOf(v: unknown): Status {
	return STATUSES.includes(v as Status) ? (v as Status) : 'nodata';
}

/** GET {base}{path} as JSON; a non-2xx answer becomes an Error with the server's {error} text. */
export async function getJson<T>(base: string, path: string, signal?: AbortSignal): Promise<T> {
	const res = await fetch(base.replace(/\/$/, '') + path, {
		signal,
		headers: { accept: 'application/json' },
		cache: 'no-store',
	});
	let body: unknown;
	try {
		body = await res.json();
	} catch {
		body = undefined;
	}
	if (!res.ok) {
		const msg = (body as { error?: unknown } | undefined)?.error;
		throw new Error(typeof msg === 'string' ? msg : `HTTP ${res.status}`);
	}
	return body as T;
}

export type GaugeKey = 'cpu' | 'memory' | 'disk' | 'gpuUtil' | 'gpuTemp';
const GAUGE_OF: Record<GaugeKey, 'cpu' | 'memory' | 'disk' | 'gpuUtilization' | 'gpuTemperature'> =
	{
		cpu: 'cpu',
		memory: 'memory',
		disk: 'disk',
		gpuUtil: 'gpuUtilization',
		gpuTemp: 'gpuTemperature',
	};

/** A host's figure either from `gauges` (value and the server's own status) or a flat field. */
export function gaugeOf(h: HostSummary, key: GaugeKey): GaugeData {
	const g = h.gauges?.[GAUGE_OF[key]];
	if (g && typeof g === 'object') return g;
	const v = h[key];
	return { value: typeof v === 'number' ? v : null };
}

/** Since when the host has been in its state: the earliest `since` among gauges in that state. */
export function hostSince(h: HostSummary): number | string | null | undefined {
	if (h.since !== undefined) return h.since;
	const status = statusOf(h.status);
	const times = Object.values(h.gauges ?? {})
		.filter((g) => g && g.status === status && typeof g.since === 'number')
		.map((g) => g!.since as number);
	return times.length ? Math.min(...times) : undefined;
}

/** Stale when the server says so, or when every collector of the host has stopped reporting. */
export function hostStale(h: HostSummary): boolean {
	if (typeof h.stale === 'boolean') return h.stale;
	const cs = (h.collectors ?? []).filter(Boolean);
	return cs.length > 0 && cs.every((c) => c.stale === true);
}

/** One alert, as /api/alerts lists it (core/alerts/ledger.ts AlertRow). */
export interface AlertItem {
	id: number;
	source?: string;
	rule?: string;
	severity?: string;
	host?: string | null;
	metric?: string | null;
	labels?: Record<string, string>;
	status?: 'firing' | 'resolved';
	value?: number | null;
	threshold?: number | null;
	message?: string;
	startedAt?: number;
	resolvedAt?: number | null;
}

export interface AlertsData {
	active?: AlertItem[];
	history?: AlertItem[];
}

export function alertsPath(from: number, to: number): string {
	return `/api/alerts?from=${Math.round(from)}&to=${Math.round(to)}`;
}
