import type { Knex } from 'knex';

import { latestValues } from './latest';
import { LATEST_WINDOW_MS } from './overview';

/** Metric names as Prometheus allows them: [a-zA-Z_:][a-zA-Z0-9_:]*. */
export function sanitizeMetricName(name: string): string {
	const cleaned = name.replace(/[^a-zA-Z0-9_:]/g, '_');
	return /^[a-zA-Z_:]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** Label names: [a-zA-Z_][a-zA-Z0-9_]* (no colon). */
export function sanitizeLabelName(name: string): string {
	const cleaned = name.replace(/[^a-zA-Z0-9_]/g, '_');
	return /^[a-zA-Z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** Label values escape backslash, double quote and line feed, as the text format says. */
export function escapeLabelValue(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return String(value);
}

/**
 * The latest value of every series sampled in the last 15 minutes, in Prometheus' text format
 * (version 0.0.4), so a Prometheus server can scrape the store: `monitoring_<metric>{host="…",
 * <labels>} value timestamp_ms`. A label called `host` is renamed `exported_host`, as Prometheus
 * itself does on a clash.
 */
export async function prometheusExport(knex: Knex, now = Date.now()): Promise<string> {
	const latest = await latestValues(knex, now - LATEST_WINDOW_MS, now);
	const byMetric = new Map<string, string[]>();
	latest.sort(
		(a, b) =>
			a.metric.localeCompare(b.metric) ||
			a.host.localeCompare(b.host) ||
			JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)),
	);
	for (const l of latest) {
		const name = `monitoring_${sanitizeMetricName(l.metric)}`;
		const pairs = [`host="${escapeLabelValue(l.host)}"`];
		for (const [key, value] of Object.entries(l.labels)) {
			let label = sanitizeLabelName(key);
			if (label === 'host') label = 'exported_host';
			pairs.push(`${label}="${escapeLabelValue(String(value))}"`);
		}
		const lines = byMetric.get(name) ?? [];
		lines.push(`${name}{${pairs.join(',')}} ${formatValue(l.value)} ${l.ts}`);
		byMetric.set(name, lines);
	}
	let text = '';
	for (const [name, lines] of byMetric) text += `# TYPE ${name} gauge\n${lines.join('\n')}\n`;
	return text;
}
