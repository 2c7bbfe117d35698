import type { Judged } from '../analysis/anomaly';
import { anomalyMessageKo } from './message-ko';
import type { AlertRule, RuleEvent } from './types';

const AGGREGATION_TEXT: Record<string, string> = {
	last: 'latest',
	avg: 'average',
	min: 'minimum',
	max: 'maximum',
	rate: 'change per minute',
	consecutiveZero: 'in a row',
	daysUntil: 'until full',
	anomaly: 'unusual',
};

/** What the rule's value is about, e.g. "web-1 /var" or "api.example.com". */
export function targetText(host: string, labels: Record<string, string>): string {
	const parts = Object.entries(labels)
		.filter(([k]) => k !== 'cpu' || labels[k] !== 'total')
		.map(([k, v]) => (k === 'mount' || k === 'endpoint' || k === 'db' ? v : `${k}=${v}`));
	return parts.length ? `${host} ${parts.join(' ')}` : host;
}

export function formatValue(value: number | null, unit?: string): string {
	if (value === null) return 'no data';
	const rounded =
		Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
	if (!unit) return rounded;
	return unit === '%' || unit === '°C' ? `${rounded} ${unit}` : `${rounded} ${unit}`;
}

export function clock(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function duration(ms: number): string {
	const minutes = Math.max(0, Math.round(ms / 60_000));
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Which usual the range is: "on Mondays at 14:00 UTC", "at 14:00 UTC", or none for a level. */
function usualFor(a: Judged, at: number): string {
	const d = new Date(at);
	const hour = `${String(d.getUTCHours()).padStart(2, '0')}:00 UTC`;
	if (a.expected.source === 'weekly') return ` on ${WEEKDAYS[d.getUTCDay()]}s at ${hour}`;
	if (a.expected.source === 'daily') return ` at ${hour}`;
	return '';
}

/** The usual range; a low end below zero of a series that is usually positive reads as 0. */
export function rangeText(a: Judged, unit?: string): string {
	const low = a.expected.low < 0 && a.expected.centre >= 0 ? 0 : a.expected.low;
	return `${formatValue(low, unit)} to ${formatValue(a.expected.high, unit)}`;
}

/**
 * An anomaly rule's line: observed against the usual range for that hour, how far outside in
 * plain words, since when and for how long, e.g. "Firing: Unusual CPU on web-1: 92 % where
 * 20 % to 45 % is usual on Mondays at 14:00 UTC, 6.1 times its usual variation above, since
 * 2026-11-30 13:10 UTC (50 min)".
 */
function anomalyMessage(rule: AlertRule, e: RuleEvent, a: Judged, what: string): string {
	const usual = `${rangeText(a, rule.unit)} is usual${usualFor(a, e.at)}`;
	if (e.kind === 'resolved') {
		if (e.reason === 'stopped reporting')
			return `Resolved: ${what}: stopped reporting (was unusual for ${duration(e.at - e.since)})`;
		return `Resolved: ${what}: ${formatValue(a.observed, rule.unit)}, back within the usual range (${usual}) after ${duration(e.at - e.since)}`;
	}
	const side = a.score >= 0 ? 'above' : 'below';
	const how =
		Math.abs(a.score) >= 100
			? `far ${side} anything usual`
			: `${Math.abs(a.score).toFixed(1)} times its usual variation ${side}`;
	// The stretch may have started before the rule first saw it (a restart, a new rule).
	const since = Math.min(e.since, a.since ?? e.since);
	return `${e.repeat ? 'Still firing' : 'Firing'}: ${what}: ${formatValue(a.observed, rule.unit)} where ${usual}, ${how}, since ${clock(since)} (${duration(e.at - since)})`;
}

/** One line a person reads in a mail subject or a chat: what, where, how bad, since when. */
export function eventMessage(rule: AlertRule, e: RuleEvent): string {
	const what = `${rule.name} on ${targetText(e.host, e.labels)}`;
	if (e.anomaly) return anomalyMessage(rule, e, e.anomaly, what);
	const how =
		rule.source.kind === 'metric' ? ` (${AGGREGATION_TEXT[rule.source.aggregation]})` : '';
	if (e.kind === 'firing') {
		return `${e.repeat ? 'Still firing' : 'Firing'}: ${what}: ${formatValue(e.value, rule.unit)}${how} ${e.comparison} ${formatValue(e.threshold, rule.unit)} since ${clock(e.since)}`;
	}
	if (e.reason === 'stopped reporting')
		return `Resolved: ${what}: stopped reporting (was firing for ${duration(e.at - e.since)})`;
	return `Resolved: ${what}: ${formatValue(e.value, rule.unit)}${how}, back past ${formatValue(e.resolveThreshold, rule.unit)} after ${duration(e.at - e.since)}`;
}

/**
 * A link to the dashboard view of what fired. Hash routes of the dashboard (dashboard/web's
 * router): each part is URL-encoded, so a name from a remote system cannot change the link.
 */
export function dashboardLink(
	baseUrl: string | undefined,
	metric: string | undefined,
	host: string,
	labels: Record<string, string>,
): string | undefined {
	if (!baseUrl) return undefined;
	const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
	const path = (...parts: string[]) => `${base}#/${parts.map(encodeURIComponent).join('/')}`;
	const m = metric ?? '';
	if (m.startsWith('gpu_')) return path('gpu', host);
	if (m.startsWith('db_') && labels.db) return path('database', host, labels.db);
	if (m.startsWith('endpoint_') && labels.endpoint) return path('endpoint', host, labels.endpoint);
	if (m.startsWith('model_server') && labels.server) return path('model', host, labels.server);
	if (m.startsWith('n8n_') || m === 'workflow') {
		return labels.workflow && labels.workflow !== '_all'
			? path('workflow', host, labels.workflow)
			: path('overview');
	}
	return path('host', host);
}

/**
 * An anomaly event's figures for the workflow item, beside its message; `messageKo` is the same
 * line in Korean (./message-ko.ts) for teams whose channel speaks it.
 */
export function anomalyItem(a: Judged, rule?: AlertRule, e?: RuleEvent) {
	return {
		...(rule && e ? { messageKo: anomalyMessageKo(rule, e, a) } : {}),
		observed: a.observed,
		expectedLow: a.expected.low,
		expectedCentre: a.expected.centre,
		expectedHigh: a.expected.high,
		expectedFrom: a.expected.source,
		score: a.score,
		direction: a.direction,
		unusualSince: a.since,
		unusualSinceIso: a.since === null ? null : new Date(a.since).toISOString(),
	};
}
