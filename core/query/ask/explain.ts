/**
 * Ask > Explain: one host or target in a few lines: its status and since when (the dashboard's
 * detail view, core/query/target-state.ts), its current figures with units and how they moved
 * over the range, its alerts and their history, and recent failures with their reasons.
 */
import type { StoreReader } from '../../store';
import { METRICS, metricInfo, type MetricInfo } from '../../catalog/metrics';
import type { AlertRow, DetailKind } from '../../contract/dashboard-api';
import { collectorOfKind, NAME_LABEL, type TargetKindName } from '../reasons';
import { querySeries } from '../series';
import { DETAIL_KINDS, targetState } from '../target-state';
import { QueryError } from '../errors';
import { checkName } from '../validate';
import { fitLines, type Answer } from './budget';
import { askFind } from './find';
import { figuresOf } from './stats';
import { ago, duration, labelText, quoted, valueOf, when } from './words';

/** Series an explanation describes at most. */
export const MAX_EXPLAIN_SERIES = 10;
const MAX_ALERT_LINES = 5;
const MAX_FAILURE_LINES = 5;
const TARGET_LABELS = [...Object.values(NAME_LABEL), 'container'];

export interface ExplainOptions {
	now: number;
	kind: string;
	host: string;
	name?: string;
	rangeMs: number;
	budget: number;
}

export interface ExplainAnswer extends Answer {
	kind: DetailKind;
	host: string;
	name: string | null;
	status: string;
	reported: boolean;
	current: Array<{
		metric: string;
		labels: Record<string, string>;
		value: number | null;
		first: number | null;
		min: number | null;
		max: number | null;
	}>;
	alerts: number;
	failures: number;
}

const STATUS_WORDS: Record<string, string> = {
	ok: 'OK',
	warning: 'WARNING',
	critical: 'CRITICAL',
	nodata: 'NOT REPORTING (no current data)',
};

/** The label that names a target of each kind in its series. */
function nameLabel(kind: DetailKind): string | undefined {
	if (kind === 'container') return 'container';
	return (NAME_LABEL as Record<string, string>)[kind as TargetKindName];
}

/** Metrics that describe this kind of subject, marked ones (with thresholds) first. */
function metricsOfKind(kind: DetailKind, stored: string[]): string[] {
	const collector = collectorOfKind(kind);
	const order = Object.keys(METRICS);
	return stored
		.filter((m) => metricInfo(m)?.collector === collector)
		.sort((a, b) => {
			const ma: MetricInfo = metricInfo(a)!;
			const mb: MetricInfo = metricInfo(b)!;
			const marked = Number(mb.warning !== undefined) - Number(ma.warning !== undefined);
			const up = Number(/_up$/.test(b)) - Number(/_up$/.test(a));
			return up || marked || order.indexOf(a) - order.indexOf(b);
		});
}

/** Series of a host that are "the host itself": all-core CPU, not one line per core or mode. */
function hostLevel(labels: Record<string, string>): boolean {
	if (labels.cpu !== undefined) return labels.cpu === 'total';
	if (labels.mode !== undefined) return false;
	if (labels.period !== undefined) return labels.period === '5m' || labels.period === '5';
	return true;
}

export async function askExplain(
	store: Pick<StoreReader, 'samples' | 'runs' | 'alerts'>,
	options: ExplainOptions,
): Promise<ExplainAnswer> {
	if (!DETAIL_KINDS.includes(options.kind as DetailKind))
		throw new QueryError(`kind must be one of ${DETAIL_KINDS.join(', ')}`);
	const kind = options.kind as DetailKind;
	const host = checkName('host', options.host);
	const label = nameLabel(kind);
	const name = label ? checkName('name', options.name) : null;
	const { now, rangeMs } = options;
	const from = now - rangeMs;
	const subject = `${kind.replace('_', ' ')} ${name !== null ? `${quoted(name)} on host ${quoted(host)}` : quoted(host)}`;
	const state = await targetState(store, { now, kind, host, name: name ?? undefined });
	const base = {
		kind,
		host,
		name,
		status: state.status,
		reported: state.reported,
		current: [] as ExplainAnswer['current'],
		alerts: 0,
		failures: 0,
	};

	if (!state.reported) {
		const similar = await askFind(store, {
			pattern: name ?? host,
			what: 'all',
			budget: 600,
			maxLines: 5,
		});
		return {
			...base,
			text:
				`No data for ${subject}: nothing was ever stored under that name, so there is nothing to explain. ` +
				`Names are exact; look them up with Find.${similar.hosts.length + similar.targets.length ? `\nSimilar names:\n${similar.text.split('\n').slice(1).join('\n')}` : ''}`,
			truncated: false,
		};
	}

	const header: string[] = [];
	header.push(
		`${subject}: ${STATUS_WORDS[state.status] ?? state.status}${state.since !== null ? ` since ${ago(now, state.since)}` : ''}.` +
			`${state.reason ? ` Reason: ${quoted(state.reason, 300)}.` : ''}`,
	);
	header.push(
		`Collector ${quoted(state.collector)}: last run ${state.lastTs === null ? 'never' : ago(now, state.lastTs)}` +
			`${state.lastOkTs !== null && state.lastOkTs !== state.lastTs ? `, last success ${ago(now, state.lastOkTs)}` : ''}` +
			`${state.intervalMs ? `, runs every ${duration(state.intervalMs)}` : ''}.` +
			`${state.url ? ` URL ${quoted(state.url)}${state.statusCode != null ? `, last HTTP status ${state.statusCode}` : ''}.` : ''}`,
	);

	// Figures: the subject's series, now and over the range.
	const stored = (await store.samples.hostMetrics())
		.filter((p) => p.host === host)
		.map((p) => p.metric);
	const figureLines: string[] = [];
	const refs: Array<{ metric: string; labels: Record<string, string> }> = [];
	for (const metric of metricsOfKind(kind, stored)) {
		for (const s of await store.samples.ofHost(host, metric, 200)) {
			const mine = label ? s.labels[label] === name : kind === 'host' ? hostLevel(s.labels) : true;
			if (mine) refs.push({ metric, labels: s.labels });
		}
		if (refs.length >= MAX_EXPLAIN_SERIES) break;
	}
	let downPoints = 0;
	let upPoints = 0;
	for (const ref of refs.slice(0, MAX_EXPLAIN_SERIES)) {
		const r = await querySeries(store, {
			host,
			metric: ref.metric,
			labels: ref.labels,
			from,
			to: now,
			maxPoints: 300,
		});
		const s = r.series.find((x) => labelText(x.labels) === labelText(ref.labels));
		const f = s ? figuresOf(s.points, { min: s.min, max: s.max }) : null;
		const v = (x: number) => valueOf(ref.metric, x);
		const shown = label
			? Object.fromEntries(Object.entries(ref.labels).filter(([k]) => k !== label))
			: ref.labels;
		const title = `${metricInfo(ref.metric)?.help ?? ref.metric} (${ref.metric}${labelText(shown)})`;
		base.current.push({
			metric: ref.metric,
			labels: ref.labels,
			value: f && !state.stale ? f.last[1] : null,
			first: f?.first[1] ?? null,
			min: f?.min ?? null,
			max: f?.max ?? null,
		});
		if (!f) {
			figureLines.push(`- ${title}: no samples in the range.`);
			continue;
		}
		if (/_up$/.test(ref.metric) && s)
			for (const [, x] of s.points) {
				if (x === null) continue;
				if (x < 1) downPoints++;
				else upPoints++;
			}
		const currently = state.stale
			? `no current value (last ${v(f.last[1])} ${ago(now, f.last[0])})`
			: `now ${v(f.last[1])}`;
		figureLines.push(
			/_up$/.test(ref.metric)
				? `- ${title}: ${currently}.`
				: `- ${title}: ${currently}; ${duration(rangeMs)} ago ${v(f.first[1])}, low ${v(f.min)}, high ${v(f.max)}.`,
		);
	}

	// Alerts of the subject that overlapped the range, newest first.
	const alerts = (await store.alerts.overlapping({ from, to: now, hosts: [host] }))
		// A host's own alerts are those that name no target on it.
		.filter((a) =>
			label ? a.labels[label] === name : !TARGET_LABELS.some((l) => a.labels[l] !== undefined),
		)
		.sort((a, b) => b.startedAt - a.startedAt);
	base.alerts = alerts.length;
	const alertLines = alerts.slice(0, MAX_ALERT_LINES).map((a) => alertLine(a, now));
	if (alerts.length > MAX_ALERT_LINES)
		alertLines.push(`- … ${alerts.length - MAX_ALERT_LINES} older alerts in the range.`);

	// Failed runs of its collector on this host (their errors), and down checks.
	const failures = await store.runs.failures(host, from, now, {
		collector: state.collector,
		limit: 50,
	});
	base.failures = failures.length;
	const failureLines = failures
		.slice(0, MAX_FAILURE_LINES)
		.map((r) => `- ${when(r.ts)}: ${quoted(r.error ?? 'failed without an error text', 200)}`);
	if (failures.length > MAX_FAILURE_LINES)
		failureLines.push(`- … ${failures.length - MAX_FAILURE_LINES} more failed runs in the range.`);

	const lines = [
		`Figures (the last ${duration(rangeMs)}):`,
		...(figureLines.length ? figureLines : ['- none stored for this subject.']),
		...(downPoints > 0
			? [
					`- Down in ${downPoints} of ${downPoints + upPoints} checks (or averaged intervals) in the range.`,
				]
			: []),
		alerts.length ? `Alerts in the range (${alerts.length}):` : 'Alerts in the range: none.',
		...alertLines,
		failures.length
			? `Failed collector runs in the range (${failures.length}${failures.length === 50 ? '+' : ''}), newest first:`
			: 'Failed collector runs in the range: none.',
		...failureLines,
	];
	const answer = fitLines(header, lines, {
		budget: options.budget,
		more: 'raise the budget or ask Query about one metric',
	});
	return { ...base, ...answer };
}

function alertLine(a: AlertRow, now: number): string {
	const value = a.value !== null && a.metric ? ` at ${valueOf(a.metric, a.value)}` : '';
	const span =
		a.status === 'firing'
			? `FIRING since ${ago(now, a.startedAt)}`
			: `resolved ${ago(now, a.resolvedAt ?? a.updatedAt)} after ${duration((a.resolvedAt ?? a.updatedAt) - a.startedAt)}`;
	return `- ${a.severity} ${quoted(a.rule)}${labelText(a.labels) ? ` ${labelText(a.labels)}` : ''}${value}: ${span}. ${quoted(a.message, 140)}`;
}
