/**
 * Ask > Query: one metric over a range, summarised per series (min, average, maximum, 95th
 * percentile, last value, trend and a handful of averaged points) instead of the thousands of
 * raw points History > Query returns. No data is an answer that says why.
 */
import type { StoreReader } from '../../store';
import { metricInfo } from '../../catalog/metrics';
import { querySeries } from '../series';
import { checkLabels, checkName } from '../validate';
import { fitLines, type Answer } from './budget';
import { fewPoints, figuresOf, trendOf } from './stats';
import { ago, duration, labelText, quoted, unitWords, valueOf, when } from './words';

/** Points each series is read at: enough for a fair p95, few enough to stay cheap. */
const READ_POINTS = 500;
export const DEFAULT_QUERY_POINTS = 8;
export const MAX_QUERY_POINTS = 48;
/** Series one answer describes at most; more is a hint to narrow with labels. */
export const MAX_QUERY_SERIES = 10;

export interface AskQueryOptions {
	now: number;
	host: string;
	metric: string;
	labels?: Record<string, string>;
	rangeMs: number;
	/** How many averaged points each series shows. */
	points?: number;
	budget: number;
}

export interface SeriesSummary {
	labels: Record<string, string>;
	min: number;
	avg: number;
	max: number;
	p95: number;
	last: number;
	lastTs: number;
	trend: 'rising' | 'falling' | 'steady';
	points: Array<[number, number]>;
}

export interface QueryAnswer extends Answer {
	host: string;
	metric: string;
	unit: string;
	resolution: string | null;
	series: SeriesSummary[];
	/** Why there is nothing to summarise; null when there is. */
	noData: string | null;
}

export async function askQuery(
	store: Pick<StoreReader, 'samples'>,
	options: AskQueryOptions,
): Promise<QueryAnswer> {
	const host = checkName('host', options.host);
	const metric = checkName('metric', options.metric);
	const labels = checkLabels(options.labels);
	const { now, rangeMs } = options;
	const from = now - rangeMs;
	const unit = unitWords(metric);
	const base = { host, metric, unit, resolution: null, series: [] as SeriesSummary[] };
	const result = await querySeries(store, {
		host,
		metric,
		labels,
		from,
		to: now,
		maxPoints: READ_POINTS,
	});
	const range = `the last ${duration(rangeMs)} (${when(from)} to ${when(now)})`;

	if (result.series.length === 0) {
		const noData = await whyNoSeries(store, host, metric, labels);
		return {
			...base,
			noData,
			text: `No data for ${quoted(metric)} on host ${quoted(host)}: ${noData}`,
			truncated: false,
		};
	}
	const n = Math.min(MAX_QUERY_POINTS, Math.max(2, options.points ?? DEFAULT_QUERY_POINTS));
	const series: SeriesSummary[] = [];
	const lines: string[] = [];
	const empty: string[] = [];
	for (const s of result.series.slice(0, MAX_QUERY_SERIES)) {
		const f = figuresOf(s.points, { min: s.min, max: s.max });
		if (!f) {
			empty.push(labelText(s.labels) || '(no labels)');
			continue;
		}
		const summary: SeriesSummary = {
			labels: s.labels,
			min: f.min,
			avg: f.avg,
			max: f.max,
			p95: f.p95,
			last: f.last[1],
			lastTs: f.last[0],
			trend: trendOf(f, rangeMs),
			points: fewPoints(s.points, n, from, now),
		};
		series.push(summary);
		const v = (x: number) => valueOf(metric, x);
		lines.push(
			`- ${labelText(s.labels) || 'series'}: last ${v(summary.last)} ${ago(now, summary.lastTs)}; ` +
				`min ${v(f.min)}, average ${v(f.avg)}, max ${v(f.max)}, 95th percentile ${v(f.p95)}; ${summary.trend}` +
				`${summary.trend === 'steady' ? '' : ` (about ${v(Math.abs(f.slopePerHour))} per hour)`}. ` +
				`Points (UTC time = average): ${summary.points.map(([t, x]) => `${when(t).slice(11, 16)}${rangeMs > 86_400_000 ? ` ${when(t).slice(5, 10)}` : ''} = ${valueOf(metric, x)}`).join(', ')}.`,
		);
	}
	if (series.length === 0) {
		const noData = `its series exist but hold no samples in ${range}; the collector may have stopped (ask Status or Explain).`;
		return {
			...base,
			resolution: result.resolution,
			noData,
			text: `No data for ${quoted(metric)} on host ${quoted(host)}: ${noData}`,
			truncated: false,
		};
	}
	const help = metricInfo(metric)?.help;
	const header = [
		`${quoted(metric)} on host ${quoted(host)}${help ? ` (${help})` : ''}, unit: ${unit}, over ${range}, ` +
			`${result.resolution === 'raw' ? 'from raw samples' : `from ${result.resolution} averages`}; ` +
			`${series.length} series${empty.length ? ` (${empty.length} more without samples in the range)` : ''}:`,
	];
	if (result.series.length > MAX_QUERY_SERIES)
		lines.push(
			`- … ${result.series.length - MAX_QUERY_SERIES} more series: narrow with labels, e.g. ${labelText(result.series[MAX_QUERY_SERIES].labels)}.`,
		);
	const answer = fitLines(header, lines, { budget: options.budget, more: 'narrow with labels' });
	return { ...base, resolution: result.resolution, series, noData: null, ...answer };
}

/** Why a host and metric select no series: the host, the metric or the labels are unknown. */
export async function whyNoSeries(
	store: Pick<StoreReader, 'samples'>,
	host: string,
	metric: string,
	labels: Record<string, string>,
): Promise<string> {
	const onHost = await store.samples.ofHost(host, metric, 50);
	if (onHost.length > 0)
		return (
			`no series of it on that host has the labels ${labelText(labels)}; ` +
			`its series have ${onHost
				.slice(0, 5)
				.map((s) => labelText(s.labels) || 'no labels')
				.join(', ')}${onHost.length > 5 ? ', …' : ''}.`
		);
	const pairs = await store.samples.hostMetrics();
	const hosts = [...new Set(pairs.map((p) => p.host))];
	if (!hosts.includes(host))
		return hosts.length === 0
			? 'the monitoring store holds no data yet (no collector has written to it).'
			: `the store knows no host by that name; use Find to look up names (hosts include ${hosts
					.slice(0, 5)
					.map((h) => quoted(h))
					.join(', ')}${hosts.length > 5 ? ', …' : ''}).`;
	const metrics = pairs.filter((p) => p.host === host).map((p) => p.metric);
	return (
		`that host stores no such metric; use Find to look up names (its metrics include ` +
		`${metrics.slice(0, 8).join(', ')}${metrics.length > 8 ? ', …' : ''}).`
	);
}
