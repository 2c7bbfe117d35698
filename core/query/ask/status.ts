/**
 * Ask > Status: what is wrong now, worst first, in a few lines: open alerts, failing and silent
 * hosts, down targets, figures past their marks, and series far outside their usual range for
 * the hour. Built from the same reads as the dashboard's overview and alert list, so the answer
 * and the dashboard agree.
 */
import type { StoreReader } from '../../store';
import { listAlerts } from '../../alerts/ledger';
import { assess, type Judged } from '../../analysis/anomaly';
import { buildBaseline, HOUR_MS } from '../../analysis/baseline';
import { metricInfo } from '../../catalog/metrics';
import type { AlertRow, Gauge, HostOverview, TargetStatus } from '../../contract/dashboard-api';
import { MAX_FLEET_LIMIT, overview } from '../overview';
import { fitLines, type Answer } from './budget';
import { ago, duration, labelText, quoted, valueOf, when } from './words';

/** Four weeks of hourly rollups: what anomaly rules learn from too. */
const HISTORY_MS = 28 * 24 * HOUR_MS;
/** The series checked for unusual values at most (host CPU and memory, fleet order). */
export const MAX_UNUSUAL_SERIES = 200;
/** The series whose usual range Status checks. */
const UNUSUAL_METRICS: Array<{ metric: string; labels?: Record<string, string> }> = [
	{ metric: 'cpu_usage_percent', labels: { cpu: 'total' } },
	{ metric: 'memory_used_percent' },
];

export interface StatusOptions {
	now: number;
	budget: number;
	maxLines: number;
	/** Look for series outside their usual range (reads four weeks of hourly rollups). */
	unusual?: boolean;
}

export interface StatusAnswer extends Answer {
	counts: { critical: number; warning: number; nodata: number; unusual: number };
	openAlerts: number;
	hosts: number;
	targets: number;
}

/** A line and where it sorts: lower is worse. */
interface Problem {
	rank: number;
	line: string;
}

const KIND_WORDS: Record<string, string> = {
	model_server: 'model server',
	database: 'database',
	endpoint: 'endpoint',
	workflow: 'workflow',
};

const GAUGE_NAMES: Record<keyof HostOverview['gauges'], string> = {
	cpu: 'cpu_usage_percent',
	memory: 'memory_used_percent',
	disk: 'filesystem_used_percent',
	gpuUtilization: 'gpu_utilization_percent',
	gpuTemperature: 'gpu_temperature_celsius',
};

export async function askStatus(
	store: Pick<StoreReader, 'samples' | 'runs' | 'alerts'>,
	options: StatusOptions,
): Promise<StatusAnswer> {
	const { now } = options;
	const [o, alerts] = await Promise.all([
		// Only the hosts that are not OK, worst first: sparklines and streaks are read for the page
		// alone, while the fleet's counts still cover every host.
		overview(store, {
			now,
			sort: 'status',
			status: ['critical', 'warning', 'nodata'],
			limit: Math.min(MAX_FLEET_LIMIT, Math.max(options.maxLines, 50)),
		}),
		listAlerts(store, { from: now - HOUR_MS, to: now, limit: 1 }, now),
	]);
	const problems: Problem[] = [];
	const counts = { critical: 0, warning: 0, nodata: 0, unusual: 0 };

	for (const a of alerts.active) {
		const rank = a.severity === 'critical' ? 0 : a.severity === 'warning' ? 3 : 6;
		problems.push({ rank, line: alertLine(a, now) });
	}
	for (const status of ['critical', 'warning', 'nodata'] as const)
		counts[status] += o.fleet.counts[status];
	for (const h of o.hosts) {
		if (h.status === 'ok') continue;
		problems.push({
			rank: h.status === 'critical' ? 1 : h.status === 'nodata' ? 2 : 4,
			line: hostLine(h, now),
		});
	}
	for (const t of o.targets) {
		if (t.status === 'ok') continue;
		counts[t.status]++;
		problems.push({
			rank: t.status === 'critical' ? 1 : t.status === 'nodata' ? 2 : 4,
			line: targetLine(t, now),
		});
	}
	if (options.unusual !== false) {
		for (const line of await unusualLines(store, now)) {
			counts.unusual++;
			problems.push({ rank: 5, line });
		}
	}
	problems.sort((a, b) => a.rank - b.rank);

	const hosts = o.fleet.hosts;
	// Problem hosts past the page are counted, not listed.
	const unlisted = o.fleet.matched - o.hosts.length;
	if (unlisted > 0)
		problems.push({
			rank: 7,
			line: `… ${unlisted} more host${unlisted === 1 ? '' : 's'} not OK, not read here: ask Explain about one.`,
		});
	const total = problems.length - (unlisted > 0 ? 1 : 0) + unlisted;
	const targets = o.targets.length;
	const scope = `${hosts} host${hosts === 1 ? '' : 's'} and ${targets} target${targets === 1 ? '' : 's'}`;
	const header: string[] = [];
	if (hosts === 0 && targets === 0 && alerts.active.length === 0) {
		header.push(
			`No data at ${when(now)}: the monitoring store holds no collections yet, so nothing can be judged. ` +
				'Publish a collecting workflow (for example the starter "Monitoring: host metrics") and ask again in a minute.',
		);
	} else if (total === 0) {
		header.push(
			`All clear at ${when(now)}: ${scope} report normally, no alert is open and nothing is outside its usual range.`,
		);
	} else {
		header.push(
			`Status at ${when(now)} for ${scope}: ${total} problem${total === 1 ? '' : 's'} ` +
				`(${alerts.active.length} open alert${alerts.active.length === 1 ? '' : 's'}, ${counts.critical} critical, ` +
				`${counts.warning} warning, ${counts.nodata} not reporting, ${counts.unusual} unusual). Worst first:`,
		);
	}
	const answer = fitLines(
		header,
		problems.map((p) => `- ${p.line}`),
		{
			budget: options.budget,
			maxLines: options.maxLines,
			more: 'raise Max Lines, or ask Explain about one host or target',
		},
	);
	return { ...answer, counts, openAlerts: alerts.active.length, hosts, targets };
}

function alertLine(a: AlertRow, now: number): string {
	const where = [a.host ? `on host ${quoted(a.host)}` : null, labelText(a.labels) || null]
		.filter(Boolean)
		.join(' ');
	const value =
		a.value !== null && a.metric
			? `, value ${valueOf(a.metric, a.value)}${a.threshold !== null ? ` (threshold ${valueOf(a.metric, a.threshold)})` : ''}`
			: '';
	const state = [
		a.ackedBy ? 'acknowledged' : null,
		a.silencedBy?.length ? 'silenced' : null,
		a.inhibitedBy ? 'held back by another alert' : null,
	]
		.filter(Boolean)
		.join(', ');
	return (
		`${a.severity.toUpperCase()} alert ${quoted(a.rule)} ${where}: firing for ${duration(now - a.startedAt)}` +
		`${value}${state ? ` (${state})` : ''}. ${quoted(a.message, 160)}`
	);
}

function gaugeWords(name: keyof HostOverview['gauges'], g: Gauge): string {
	const metric = GAUGE_NAMES[name];
	return `${metricInfo(metric)?.help ?? metric} ${valueOf(metric, g.value)}`;
}

function hostLine(h: HostOverview, now: number): string {
	if (h.status === 'nodata') {
		const silent = h.collectors.filter((c) => c.stale);
		const last = silent.length ? Math.max(...silent.map((c) => c.lastTs)) : null;
		return (
			`NOT REPORTING host ${quoted(h.host)}: ${silent.map((c) => c.collector).join(', ') || 'its collectors'} ` +
			`stopped; last report ${last === null ? 'never' : ago(now, last)}.`
		);
	}
	const marks = (Object.keys(h.gauges) as Array<keyof HostOverview['gauges']>)
		.filter((k) => h.gauges[k].status === h.status)
		.map((k) => gaugeWords(k, h.gauges[k]));
	const failing = h.collectors.filter((c) => c.status === 'critical');
	const parts = [
		...marks,
		...failing.map(
			(c) => `collector ${c.collector} failing: ${quoted(c.error ?? 'no error text', 160)}`,
		),
	];
	return (
		`${h.status.toUpperCase()} host ${quoted(h.host)}: ${parts.join('; ') || h.reason || 'see Explain'}` +
		`${h.since !== null ? `, since ${ago(now, h.since)}` : ''}.`
	);
}

function targetLine(t: TargetStatus, now: number): string {
	const kind = KIND_WORDS[t.kind] ?? t.kind;
	const name = t.title ? `${quoted(t.title)} (id ${quoted(t.name)})` : quoted(t.name);
	const word =
		t.status === 'nodata'
			? 'NOT REPORTING'
			: t.status === 'critical'
				? t.kind === 'workflow'
					? 'FAILING'
					: 'DOWN'
				: 'WARNING';
	const details = [
		t.certDaysLeft !== undefined && t.certDaysLeft !== null
			? `certificate expires in ${valueOf('endpoint_cert_days_left', t.certDaysLeft)}`
			: null,
		t.failureRate !== undefined && t.failureRate !== null
			? `failure rate ${valueOf('n8n_execution_failure_rate', t.failureRate)}`
			: null,
		t.reason ? `reason: ${quoted(t.reason, 200)}` : null,
	].filter(Boolean);
	const since =
		t.status === 'nodata'
			? `last report ${t.lastTs === null ? 'never' : ago(now, t.lastTs)}`
			: t.since !== null
				? `since ${ago(now, t.since)}`
				: '';
	return `${word} ${kind} ${name} on host ${quoted(t.host)}${since ? `, ${since}` : ''}${details.length ? `; ${details.join('; ')}` : ''}.`;
}

/**
 * Host CPU and memory far outside the usual range for this hour of the week (the anomaly rules'
 * robust score), at most MAX_UNUSUAL_SERIES series: four weeks of hourly rollups and the last
 * hour of raw samples each.
 */
async function unusualLines(store: Pick<StoreReader, 'samples'>, now: number): Promise<string[]> {
	const refs = (
		await Promise.all(
			UNUSUAL_METRICS.map(({ metric, labels }) =>
				labels ? store.samples.withLabels(metric, labels) : store.samples.ofMetric(metric),
			),
		)
	)
		.flat()
		.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0))
		.slice(0, MAX_UNUSUAL_SERIES);
	if (refs.length === 0) return [];
	const ids = refs.map((r) => r.id);
	const until = now - (now % HOUR_MS);
	const [rows, recent] = await Promise.all([
		// With the hours not packed yet: a store younger than a maintenance pass has a baseline too.
		store.samples.rollups('1h', ids, until - HISTORY_MS, until - 1, HOUR_MS),
		store.samples.raw(ids, now - HOUR_MS, now),
	]);
	const lines: Array<{ score: number; line: string }> = [];
	for (const ref of refs) {
		const baseline = buildBaseline(
			rows.filter((r) => r.seriesId === ref.id),
			{ until },
		);
		const points = recent
			.filter((p) => p.seriesId === ref.id)
			.map((p) => [p.ts, p.value] as [number, number]);
		const a = assess(baseline, points, now);
		if (a.status !== 'unusual') continue;
		const j = a as Judged;
		lines.push({
			score: Math.abs(j.score),
			line:
				`UNUSUAL host ${quoted(ref.host)}: ${metricInfo(ref.metric)?.help ?? ref.metric} ${valueOf(ref.metric, j.observed)} ` +
				`over the last hour, usually ${valueOf(ref.metric, Math.max(0, j.expected.low))} to ${valueOf(ref.metric, j.expected.high)} at this hour` +
				`${j.since !== null ? `, since ${ago(now, j.since)}` : ''}.`,
		});
	}
	return lines.sort((a, b) => b.score - a.score).map((l) => l.line);
}
