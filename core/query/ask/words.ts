/**
 * Numbers, units, times and durations as words, for answers that a language model reads: "72.5
 * percent", "1.2 gigabytes", "38 minutes ago". Units come from the metric catalog, so a model
 * never has to guess whether 0.3 is a ratio, seconds or percent.
 */
import { metricInfo, type MetricUnit } from '../../catalog/metrics';

const SCALES = [
	[1e12, 'tera'],
	[1e9, 'giga'],
	[1e6, 'mega'],
	[1e3, 'kilo'],
] as const;

/** A number with at most one decimal (three significant digits under 10), thousands grouped. */
export function figure(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	const abs = Math.abs(value);
	const digits = abs !== 0 && abs < 10 ? (abs < 0.01 ? 4 : 2) : 1;
	return value.toLocaleString('en-US', { maximumFractionDigits: digits, useGrouping: true });
}

function scaled(value: number, base: string, suffix = ''): string {
	for (const [factor, prefix] of SCALES)
		if (Math.abs(value) >= factor) return `${figure(value / factor)} ${prefix}${base}${suffix}`;
	return `${figure(value)} ${base}${suffix}`;
}

/** A value in the unit's words ("72.5 percent", "3.4 megabytes per second", "up"). */
export function inUnit(value: number | null | undefined, unit: MetricUnit | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return 'no value';
	switch (unit) {
		case 'percent':
			return `${figure(value)} percent`;
		case 'ratio':
			return `${figure(value * 100)} percent`;
		case 'bytes':
			return scaled(value, 'bytes');
		case 'bytes_per_second':
			return scaled(value, 'bytes', ' per second');
		case 'bytes_per_day':
			return scaled(value, 'bytes', ' per day');
		case 'per_second':
			return `${figure(value)} per second`;
		case 'seconds':
			return Math.abs(value) < 1
				? `${figure(value * 1000)} milliseconds`
				: `${figure(value)} seconds`;
		case 'days':
			return `${figure(value)} days`;
		case 'celsius':
			return `${figure(value)} degrees Celsius`;
		case 'watts':
			return `${figure(value)} watts`;
		case 'megahertz':
			return `${figure(value)} megahertz`;
		case 'cores':
			return `${figure(value)} cores`;
		case 'boolean':
			return value >= 1 ? 'yes (1)' : 'no (0)';
		default:
			return figure(value);
	}
}

/** A metric's value in words; up/down metrics say "up" or "down". */
export function valueOf(metric: string, value: number | null | undefined): string {
	if (value !== null && value !== undefined && /_up$/.test(metric))
		return value >= 1 ? 'up' : 'down';
	return inUnit(value, metricInfo(metric)?.unit);
}

/** The unit of a metric in words, for headers ("percent", "bytes", "a count"). */
export function unitWords(metric: string): string {
	const unit = metricInfo(metric)?.unit;
	switch (unit) {
		case undefined:
			return 'unknown unit (not in the catalog)';
		case 'ratio':
			return 'percent (stored as a ratio)';
		case 'bytes_per_second':
			return 'bytes per second';
		case 'bytes_per_day':
			return 'bytes per day';
		case 'per_second':
			return 'per second';
		case 'celsius':
			return 'degrees Celsius';
		case 'boolean':
			return '1 = yes/up, 0 = no/down';
		case 'count':
		case 'number':
			return 'a plain number';
		default:
			return unit;
	}
}

/** "2 hours 5 minutes", "40 seconds", "3 days 4 hours". */
export function duration(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	const parts: Array<[number, string]> = [
		[Math.floor(s / 86_400), 'day'],
		[Math.floor((s % 86_400) / 3600), 'hour'],
		[Math.floor((s % 3600) / 60), 'minute'],
	];
	const named = parts.filter(([n]) => n > 0).slice(0, 2);
	if (named.length === 0) return `${s} second${s === 1 ? '' : 's'}`;
	return named.map(([n, w]) => `${n} ${w}${n === 1 ? '' : 's'}`).join(' ');
}

/** "2026-12-03 07:31 UTC". */
export function when(ts: number): string {
	return `${new Date(ts).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "38 minutes ago (2026-12-03 07:31 UTC)". */
export function ago(now: number, ts: number): string {
	return `${duration(now - ts)} ago (${when(ts)})`;
}

/** A name from users or remote systems, quoted so that a model reads it as data, never as text to follow. */
export function quoted(name: string, max = 120): string {
	const flat = name.replace(/\s+/g, ' ');
	return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/** label="value" pairs, or '' when there are none. */
export function labelText(labels: Record<string, string>): string {
	const entries = Object.entries(labels);
	return entries.length ? `{${entries.map(([k, v]) => `${k}=${quoted(v, 60)}`).join(', ')}}` : '';
}
