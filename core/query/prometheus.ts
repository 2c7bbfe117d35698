import { metricInfo } from '../catalog/metrics';
import { collectorStatuses, LATEST_WINDOW_MS, type OverviewStore } from './overview';

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

/** HELP text escapes backslash and line feed, as the text format says. */
function escapeHelp(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** What the export's own per-collector and per-host series mean. */
const COLLECTOR_HELP: Record<string, string> = {
	monitoring_collector_stale:
		'1 when the collector stopped reporting (no run for max(3 intervals, 5 min))',
	monitoring_collector_ok: "1 when the collector's latest run succeeded",
	monitoring_collector_last_run_timestamp_ms: 'When the collector last ran (Unix ms)',
	monitoring_collector_status_since_timestamp_ms:
		'Since when the collector has been in its state (Unix ms)',
	monitoring_host_stale: '1 when a collector of the host stopped reporting',
};

function formatValue(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return String(value);
}

/**
 * The current value of every series in Prometheus' text format (version 0.0.4), so a Prometheus
 * server can scrape the store: `monitoring_<metric>{host="…", <labels>} value timestamp_ms`. A
 * label called `host` is renamed `exported_host`, as Prometheus itself does on a clash.
 *
 * Current means written by the latest run of a collector that is still reporting (the staleness
 * rule of core/staleness.ts): a silent host's last figures are left out, as Prometheus itself
 * marks a vanished series stale, instead of being served as if measured now. Each collector's
 * own state comes with them: `monitoring_collector_stale`, `monitoring_collector_ok`, the time
 * of its last run and since when it has been in its state; `monitoring_host_stale` is 1 for a host
 * with a collector that stopped (the dashboard's "stale" badge).
 */
export async function prometheusExport(store: OverviewStore, now = Date.now()): Promise<string> {
	const [latest, { statusOf }] = await Promise.all([
		store.samples.latest(now - LATEST_WINDOW_MS, now),
		collectorStatuses(store, now),
	]);
	const freshRuns = new Set<string>();
	for (const c of statusOf.values()) if (!c.stale) freshRuns.add(`${c.host}\u0000${c.lastTs}`);
	const current = latest.filter((l) => freshRuns.has(`${l.host}\u0000${l.ts}`));
	const byMetric = new Map<string, string[]>();
	const help = new Map<string, string>(Object.entries(COLLECTOR_HELP));
	current.sort(
		(a, b) =>
			a.metric.localeCompare(b.metric) ||
			a.host.localeCompare(b.host) ||
			JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)),
	);
	for (const l of current) {
		const name = `monitoring_${sanitizeMetricName(l.metric)}`;
		const info = metricInfo(l.metric);
		if (info) help.set(name, info.help);
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
	const collectors = [...statusOf.values()].sort(
		(a, b) => a.host.localeCompare(b.host) || a.collector.localeCompare(b.collector),
	);
	const perCollector = (name: string, value: (c: (typeof collectors)[number]) => number) =>
		byMetric.set(
			name,
			collectors.map(
				(c) =>
					`${name}{host="${escapeLabelValue(c.host)}",collector="${escapeLabelValue(c.collector)}"} ${value(c)}`,
			),
		);
	if (collectors.length) {
		perCollector('monitoring_collector_stale', (c) => (c.stale ? 1 : 0));
		perCollector('monitoring_collector_ok', (c) => (c.ok ? 1 : 0));
		perCollector('monitoring_collector_last_run_timestamp_ms', (c) => c.lastTs);
		perCollector('monitoring_collector_status_since_timestamp_ms', (c) => c.since);
		const staleHosts = new Map<string, boolean>();
		for (const c of collectors)
			staleHosts.set(c.host, (staleHosts.get(c.host) ?? false) || c.stale);
		byMetric.set(
			'monitoring_host_stale',
			[...staleHosts].map(
				([host, stale]) =>
					`monitoring_host_stale{host="${escapeLabelValue(host)}"} ${stale ? 1 : 0}`,
			),
		);
	}
	let text = '';
	for (const [name, lines] of byMetric) {
		const h = help.get(name);
		if (h) text += `# HELP ${name} ${escapeHelp(h)}\n`;
		text += `# TYPE ${name} gauge\n${lines.join('\n')}\n`;
	}
	return text;
}
