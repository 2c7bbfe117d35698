import type { MaintenanceWindow } from '../alerts/schedule';
import { matchesHost } from '../alerts/match';
import type { MetricName } from '../catalog/metrics';
import type { AlertRow } from '../model';
import type { RollupBucket, SeriesRef, StoreReader } from '../store';
import { QueryError } from './errors';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './validate';

/**
 * Uptime per target and per day or month, from the stored up/down series. The definition (also
 * in the README, "Uptime"):
 *
 * - time is counted in whole minutes of the period, UTC;
 * - each sample stands for its target's collection interval I (whole minutes, at least one,
 *   the median spacing of its samples), from its own minute on, up to the next sample;
 * - a minute is down when a sample standing for it said down, up when samples stood for it and
 *   none said down (a flapping target's minute is down once, never twice), else "no data":
 *   counted apart, never down;
 * - minutes of announced maintenance windows count neither way; minutes after `now` not at all;
 * - uptime % = up / (up + down), null when there is neither.
 *
 * Packed history is read from the hourly rollups: a bucket with count c and sum s of a 0/1
 * series holds c - s down samples (s for the inverted "stalled" series) and stands for
 * min(c x I, until the next datum) minutes, its down samples for min(that, (c - s) x I) of them.
 * Hours whose bucket is mixed (some down, or fewer samples than the hour needs) are read again
 * from the 5-minute rollups, so a down minute is placed within five minutes. The hot samples not
 * rolled up yet are read one by one. So 90 days of a target cost about 2,200 hourly rows plus
 * the 5-minute rows of the hours that had trouble.
 */

export type UptimeKind = 'host' | 'endpoint' | 'database' | 'model_server' | 'workflow';
export const UPTIME_KINDS: readonly UptimeKind[] = [
	'endpoint',
	'database',
	'model_server',
	'host',
	'workflow',
];

/** Which series says up or down for each kind of target, and which label names the target. */
const UP_SERIES: Record<
	UptimeKind,
	{ metric: MetricName; label?: string; fixed?: Record<string, string>; inverted?: boolean }
> = {
	endpoint: { metric: 'endpoint_up', label: 'endpoint' },
	database: { metric: 'db_up', label: 'db' },
	model_server: { metric: 'model_server_up', label: 'server' },
	// A host is up while its host collector succeeds.
	host: { metric: 'collector_up', fixed: { collector: 'host' } },
	// A workflow is down while it is stalled (1 = stalled).
	workflow: { metric: 'n8n_workflow_stalled', label: 'workflow', inverted: true },
};
/** The labels that name a target; an alert with none of them is about its host. */
const TARGET_LABELS = ['endpoint', 'db', 'server', 'workflow'];

export interface UptimeTarget {
	kind: UptimeKind;
	/** The host whose collector checks the target; absent: every host. */
	host?: string;
	/** The endpoint, db, server or workflow id; absent: every one of the kind (on the host). */
	name?: string;
}

export type UptimeGranularity = 'day' | 'month';

export interface UptimeQuery {
	from: number;
	to: number;
	now: number;
	granularity: UptimeGranularity;
	/** Empty: every target of every kind the store holds. */
	targets: UptimeTarget[];
	/** Announced maintenance: its minutes count neither up nor down. */
	maintenance?: MaintenanceWindow[];
	/** How many days the 5-minute rollups are kept (older mixed hours stay hourly). */
	rollup5mDays?: number;
}

export interface UptimeRow {
	kind: UptimeKind;
	host: string;
	/** The target's name label; the host for kind host. */
	name: string;
	/** 2026-03-01 for a day, 2026-03 for a month (UTC). */
	slot: string;
	from: number;
	to: number;
	/** 0-100, three decimals; null when the slot had no up or down minute. */
	uptimePercent: number | null;
	upMinutes: number;
	downMinutes: number;
	noDataMinutes: number;
	maintenanceMinutes: number;
	/** Incidents (overlapping alerts of the target merged) that were open at some time in the slot. */
	incidents: number;
	/** Minutes of the slot during which an incident was open. */
	incidentMinutes: number;
	/** Mean time to recovery of the incidents resolved in the slot, minutes; null when none. */
	mttrMinutes: number | null;
}

/** The longest report: a year and a day (a leap year's report of "the last 365 days"). */
export const MAX_UPTIME_RANGE_MS = 366 * DAY_MS;

const NO_DATA = 0;
const UP = 1;
const DOWN = 2;
const MAINTENANCE = 3;

/** One datum of a series: a raw sample (width 1 minute) or a rollup bucket. */
interface Datum {
	ts: number;
	widthMin: number;
	count: number;
	down: number;
}

export async function uptimeReport(
	store: Pick<StoreReader, 'samples' | 'alerts'>,
	query: UptimeQuery,
): Promise<UptimeRow[]> {
	const from = Math.floor(query.from / MINUTE_MS) * MINUTE_MS;
	const to = Math.ceil(query.to / MINUTE_MS) * MINUTE_MS;
	if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
		throw new QueryError('the uptime period must have from before to');
	if (to - from > MAX_UPTIME_RANGE_MS)
		throw new QueryError('the uptime period may be at most 366 days');
	const end = Math.max(from, Math.min(to, Math.floor(query.now / MINUTE_MS) * MINUTE_MS));
	const slots = slotsOf(from, to, query.granularity);
	const targets = await resolveTargets(store, query.targets);
	const alerts =
		targets.length === 0
			? []
			: await store.alerts.overlapping({
					from,
					to,
					hosts: [...new Set(targets.map((t) => t.host))],
				});
	const fiveMinuteFrom =
		query.rollup5mDays === undefined
			? -Infinity
			: Math.ceil((query.now - query.rollup5mDays * DAY_MS) / HOUR_MS) * HOUR_MS;
	const rows: UptimeRow[] = [];
	for (const target of targets) {
		const minutes = new Uint8Array(Math.max(0, (end - from) / MINUTE_MS));
		for (const ref of target.series) {
			const data = await seriesData(store, ref.id, from, end, target.kind, fiveMinuteFrom);
			markMinutes(minutes, from, data);
		}
		for (const w of query.maintenance ?? []) {
			if (!matchesHost(w.host, target.host)) continue;
			const a = Math.max(0, Math.floor((w.from - from) / MINUTE_MS));
			const b = Math.min(minutes.length, Math.ceil((w.to - from) / MINUTE_MS));
			if (a < b) minutes.fill(MAINTENANCE, a, b);
		}
		const incidents = mergeIncidents(
			alerts.filter((a) => alertIsAbout(a, target)),
			query.now,
		);
		for (const slot of slots) rows.push(slotRow(target, slot, minutes, from, end, incidents));
	}
	return rows;
}

export interface ResolvedTarget {
	kind: UptimeKind;
	host: string;
	name: string;
	series: SeriesRef[];
}

/** The targets asked for, with their up/down series; a named target that never reported has none. */
export async function resolveTargets(
	store: Pick<StoreReader, 'samples'>,
	wanted: UptimeTarget[],
): Promise<ResolvedTarget[]> {
	const asked: UptimeTarget[] = wanted.length > 0 ? wanted : UPTIME_KINDS.map((kind) => ({ kind }));
	const out = new Map<string, ResolvedTarget>();
	for (const t of asked) {
		const spec = UP_SERIES[t.kind];
		if (!spec) throw new QueryError(`kind must be one of ${UPTIME_KINDS.join(', ')}`);
		const series = (await store.samples.ofMetric(spec.metric, t.host)).filter((s) =>
			Object.entries(spec.fixed ?? {}).every(([k, v]) => s.labels[k] === v),
		);
		const nameOf = (s: SeriesRef) => (spec.label ? (s.labels[spec.label] ?? '') : s.host);
		const found = new Map<string, ResolvedTarget>();
		for (const s of series) {
			const name = nameOf(s);
			if (t.name !== undefined && name !== t.name) continue;
			const key = JSON.stringify([t.kind, s.host, name]);
			const target = found.get(key) ?? { kind: t.kind, host: s.host, name, series: [] };
			target.series.push(s);
			found.set(key, target);
		}
		// Asked for by name and never reported: a row of no data, not silence.
		const name = t.kind === 'host' ? (t.name ?? t.host) : t.name;
		if (found.size === 0 && t.host !== undefined && name !== undefined)
			found.set(JSON.stringify([t.kind, t.host, name]), {
				kind: t.kind,
				host: t.host,
				name,
				series: [],
			});
		for (const [key, target] of found) if (!out.has(key)) out.set(key, target);
	}
	return [...out.values()].sort(
		(a, b) =>
			UPTIME_KINDS.indexOf(a.kind) - UPTIME_KINDS.indexOf(b.kind) ||
			(a.host < b.host ? -1 : a.host > b.host ? 1 : 0) ||
			(a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
	);
}

/** Down samples of a bucket: c - s for an up series, s for an inverted one, within [0, c]. */
function downOf(b: { count: number; sum: number; min: number; max: number }, inverted: boolean) {
	const down = inverted ? Math.round(b.sum) : b.count - Math.round(b.sum);
	return Math.min(b.count, Math.max(0, down));
}

/**
 * One series over [from, end) as data in time order: hourly buckets, the 5-minute buckets of
 * the hours that were mixed (and still have them), and the hot samples not rolled up yet.
 */
async function seriesData(
	store: Pick<StoreReader, 'samples'>,
	seriesId: number,
	from: number,
	end: number,
	kind: UptimeKind,
	fiveMinuteFrom: number,
): Promise<{ data: Datum[]; intervalMin: number }> {
	if (end <= from) return { data: [], intervalMin: 1 };
	const inverted = UP_SERIES[kind].inverted === true;
	const [hours, hot] = await Promise.all([
		store.samples.rollupRows('1h', [seriesId], from - (from % HOUR_MS), end),
		store.samples.notRolledUp([seriesId], from, end - 1),
	]);
	const hotData: Datum[] = hot.map((s) => ({
		ts: s.ts,
		widthMin: 1,
		count: 1,
		down: (inverted ? s.value >= 1 : s.value < 1) ? 1 : 0,
	}));
	const intervalMs =
		medianSpacing(hotData.map((d) => ({ ts: d.ts, count: 1 }))) ??
		medianSpacing(hours) ??
		MINUTE_MS;
	const intervalMin = Math.min(24 * 60, Math.max(1, Math.round(intervalMs / MINUTE_MS)));
	// An hour is mixed when it had down samples and up ones, or fewer than its 60 minutes need.
	const mixed = hours.filter((h) => {
		const down = downOf(h, inverted);
		return (down > 0 && down < h.count) || h.count * intervalMin < 60;
	});
	const detail = new Map<number, RollupBucket[]>();
	const wanted = mixed.filter((h) => h.ts >= fiveMinuteFrom);
	if (wanted.length > 0) {
		const hoursWanted = wanted.map((h) => h.ts);
		for (const r of await store.samples.fiveMinuteRowsOfHours(seriesId, hoursWanted)) {
			const hour = r.ts - (r.ts % HOUR_MS);
			const list = detail.get(hour);
			if (list) list.push(r);
			else detail.set(hour, [r]);
		}
	}
	const data: Datum[] = [];
	for (const h of hours) {
		const fine = detail.get(h.ts);
		// Retention deletes 5-minute rows a batch at a time: use them only when they hold the hour.
		if (fine && fine.reduce((n, r) => n + r.count, 0) === h.count)
			for (const r of fine)
				data.push({ ts: r.ts, widthMin: 5, count: r.count, down: downOf(r, inverted) });
		else data.push({ ts: h.ts, widthMin: 60, count: h.count, down: downOf(h, inverted) });
	}
	data.push(...hotData);
	data.sort((a, b) => a.ts - b.ts);
	return { data, intervalMin };
}

/**
 * The usual time between samples: the median, over consecutive data, of the gap to the next
 * datum divided by the samples the first one holds. Undefined with fewer than two data.
 */
function medianSpacing(data: Array<{ ts: number; count: number }>): number | undefined {
	if (data.length < 2) return undefined;
	const spacings: number[] = [];
	for (let i = 1; i < data.length; i++)
		if (data[i - 1].count > 0) spacings.push((data[i].ts - data[i - 1].ts) / data[i - 1].count);
	spacings.sort((a, b) => a - b);
	return spacings.length ? spacings[Math.floor(spacings.length / 2)] : undefined;
}

/** Marks the minutes each datum stands for: its down ones first, then up where nothing is yet. */
function markMinutes(
	minutes: Uint8Array,
	from: number,
	{ data, intervalMin }: { data: Datum[]; intervalMin: number },
): void {
	for (let i = 0; i < data.length; i++) {
		const d = data[i];
		const start = Math.floor((d.ts - from) / MINUTE_MS);
		const next = i + 1 < data.length ? Math.floor((data[i + 1].ts - from) / MINUTE_MS) : Infinity;
		const cover = Math.max(1, Math.min(d.count * intervalMin, Math.max(d.widthMin, next - start)));
		const down = Math.min(cover, d.down * intervalMin);
		for (let m = Math.max(0, start); m < Math.min(minutes.length, start + cover); m++) {
			if (m - start < down) minutes[m] = DOWN;
			else if (minutes[m] === NO_DATA) minutes[m] = UP;
		}
	}
}

interface Incident {
	start: number;
	/** When it resolved, or `now` while open. */
	end: number;
	resolved: boolean;
}

/** Whether an alert is about the target: same host, and its name label (none for a host). */
export function alertIsAbout(
	alert: AlertRow,
	target: Pick<ResolvedTarget, 'kind' | 'host' | 'name'>,
): boolean {
	if (alert.host !== target.host) return false;
	const label = UP_SERIES[target.kind].label;
	if (label) return alert.labels[label] === target.name;
	return TARGET_LABELS.every((l) => alert.labels[l] === undefined);
}

/** A target's alerts as incidents: alerts that overlap in time are one incident. */
function mergeIncidents(alerts: AlertRow[], now: number): Incident[] {
	const spans = alerts
		.map((a) => ({
			start: a.startedAt,
			end: a.resolvedAt ?? now,
			resolved: a.resolvedAt !== null,
		}))
		.sort((a, b) => a.start - b.start);
	const out: Incident[] = [];
	for (const s of spans) {
		const last = out[out.length - 1];
		if (last && s.start <= last.end) {
			if (s.end >= last.end) {
				last.resolved = s.end === last.end ? last.resolved && s.resolved : s.resolved;
				last.end = s.end;
			}
		} else out.push({ ...s });
	}
	return out;
}

interface Slot {
	label: string;
	from: number;
	to: number;
}

/** The period cut at UTC days or months, the first and last clipped to it. */
function slotsOf(from: number, to: number, granularity: UptimeGranularity): Slot[] {
	const slots: Slot[] = [];
	for (let t = from; t < to; ) {
		const d = new Date(t);
		const next =
			granularity === 'day'
				? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)
				: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
		const iso = d.toISOString();
		slots.push({
			label: granularity === 'day' ? iso.slice(0, 10) : iso.slice(0, 7),
			from: t,
			to: Math.min(next, to),
		});
		t = Math.min(next, to);
	}
	return slots;
}

function slotRow(
	target: ResolvedTarget,
	slot: Slot,
	minutes: Uint8Array,
	from: number,
	end: number,
	incidents: Incident[],
): UptimeRow {
	const counts = [0, 0, 0, 0];
	const a = (slot.from - from) / MINUTE_MS;
	const b = (Math.min(slot.to, end) - from) / MINUTE_MS;
	for (let m = a; m < b; m++) counts[minutes[m]]++;
	const [noData, up, down, maintenance] = counts;
	let open = 0;
	let incidentMs = 0;
	const recovered: number[] = [];
	for (const inc of incidents) {
		if (inc.start >= slot.to || inc.end <= slot.from) continue;
		open++;
		incidentMs += Math.min(inc.end, slot.to) - Math.max(inc.start, slot.from);
		if (inc.resolved && inc.end >= slot.from && inc.end < slot.to)
			recovered.push(inc.end - inc.start);
	}
	const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
	return {
		kind: target.kind,
		host: target.host,
		name: target.name,
		slot: slot.label,
		from: slot.from,
		to: slot.to,
		uptimePercent: up + down === 0 ? null : round((100 * up) / (up + down), 3),
		upMinutes: up,
		downMinutes: down,
		noDataMinutes: noData,
		maintenanceMinutes: maintenance,
		incidents: open,
		incidentMinutes: round(incidentMs / MINUTE_MS, 1),
		mttrMinutes: recovered.length
			? round(recovered.reduce((n, x) => n + x, 0) / recovered.length / MINUTE_MS, 1)
			: null,
	};
}

/** The rows as CSV (RFC 4180, a header line, CRLF); names are quoted, never interpreted. */
export function uptimeCsv(rows: UptimeRow[]): string {
	const header = [
		'kind',
		'host',
		'name',
		'period',
		'from',
		'to',
		'uptime_percent',
		'up_minutes',
		'down_minutes',
		'no_data_minutes',
		'maintenance_minutes',
		'incidents',
		'incident_minutes',
		'mttr_minutes',
	];
	const cell = (v: string | number | null) => {
		if (v === null) return '';
		const s = String(v);
		// A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
		const guarded = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
		return /[",\r\n]/.test(guarded) || guarded !== s ? `"${guarded.replace(/"/g, '""')}"` : guarded;
	};
	const lines = [header.join(',')];
	for (const r of rows)
		lines.push(
			[
				r.kind,
				r.host,
				r.name,
				r.slot,
				new Date(r.from).toISOString(),
				new Date(r.to).toISOString(),
				r.uptimePercent,
				r.upMinutes,
				r.downMinutes,
				r.noDataMinutes,
				r.maintenanceMinutes,
				r.incidents,
				r.incidentMinutes,
				r.mttrMinutes,
			]
				.map(cell)
				.join(','),
		);
	return lines.join('\r\n') + '\r\n';
}
