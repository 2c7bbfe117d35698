/*
 * Prometheus collector: scrapes a /metrics page on another machine (node_exporter, NVIDIA's
 * dcgm-exporter, anything in the text format) and stores it under that machine's host name.
 *
 *   node_exporter  mapped onto the Host collector's names (./node-exporter.ts), CPU/disk/network
 *                  rates from counters against the previous scrape's (CollectorState)
 *   dcgm           mapped onto the GPU collector's names and snapshot (./dcgm.ts)
 *   generic        every series as it is, names made safe, optional name filter (./generic.ts)
 *
 * The collector's name follows the mode: `host`, `gpu`, `prometheus`. The dashboard tells stale
 * host and GPU figures by the collector that writes them (core/query/overview.ts), and a host
 * scraped for node_exporter and dcgm at once keeps two separate counter states this way.
 *
 * Faults are data: refused, no answer, HTTP error, a page that is not the text format (an HTML
 * login page, JSON) or cannot be parsed, a page without the mode's figures: a failed collection
 * with the reason. A page with more series than Max Series keeps the first ones and says in a
 * warning how many were dropped and how to filter. Header values are never part of a message.
 */
import { displayUrl, redact } from '../../http';
import { parseMetricsPage, type MetricsPage } from '../../prometheus-text';
import { ratesFromCounters } from '../rates';
import type { CollectContext, Collector, CollectorOutput, CounterSet, Sample } from '../types';
import { mapDcgm } from './dcgm';
import { genericSamples } from './generic';
import { buildNodeExporter, lacksNodeExporterFigures, readNodeExporter } from './node-exporter';
import { notTextFormat, scrape } from './scrape';
import {
	DEFAULT_MAX_SERIES,
	DEFAULT_SCRAPE_TIMEOUT_MS,
	type PrometheusMode,
	type PrometheusOptions,
	type ScrapeInfo,
} from './types';
import { validatePrometheusOptions } from './validate';

export * from './types';
export { validatePrometheusOptions } from './validate';
export { sanitizeMetricName } from './generic';

/**
 * Counters older than this make a poor base (a workflow paused for a day would report that day's
 * average as the current CPU): the scrape then stores no rates and the next one has a fresh base.
 * Longer than the local collector's 10 minutes, since remote scrapes are often less frequent.
 */
const MAX_PREVIOUS_AGE_MS = 60 * 60_000;

/*
 * node_exporter counters are seconds, the local host collector's are jiffies, under the same
 * `cpu:…` keys. Both are stored as collector `host`: should a workflow give a scrape the very host
 * name the local collector uses, each would take the other's counters as its base. Marked keys
 * make them strangers instead (no rates for one run, never a wrong one).
 */
const MARK = 'node_exporter/';

function mark(counters: CounterSet): CounterSet {
	const out: CounterSet = {};
	for (const [k, v] of Object.entries(counters)) out[`${MARK}${k}`] = v;
	return out;
}

function unmark(counters: CounterSet): CounterSet {
	const out: CounterSet = {};
	for (const [k, v] of Object.entries(counters))
		if (k.startsWith(MARK)) out[k.slice(MARK.length)] = v;
	return out;
}

export type PrometheusSnapshot = ScrapeInfo & Record<string, unknown>;

interface Mapped {
	samples: Sample[];
	view: Record<string, unknown>;
	counters?: Record<string, number>;
	warnings?: string[];
}

function seriesCount(page: MetricsPage): number {
	let n = 0;
	for (const list of page.values()) n += list.length;
	return n;
}

async function readPage(options: PrometheusOptions, signal: AbortSignal): Promise<MetricsPage> {
	const page = await scrape({
		url: options.url,
		headers: options.headers,
		timeoutMs: options.timeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS,
		ignoreTlsErrors: options.ignoreTlsErrors,
		signal,
	});
	const where = `GET ${displayUrl(options.url)}`;
	const wrong = notTextFormat(page);
	if (wrong) throw new Error(`${where}: ${redact(wrong, options.headers)}`);
	try {
		return parseMetricsPage(page.body);
	} catch (error) {
		const why = redact((error as Error).message, options.headers);
		throw new Error(`${where}: not Prometheus text format: ${why}`);
	}
}

async function mapPage(
	mode: PrometheusMode,
	page: MetricsPage,
	options: PrometheusOptions,
	context: CollectContext,
	now: number,
): Promise<Mapped> {
	if (mode === 'generic') {
		const prefixes = options.prefixes?.map((p) => p.trim()).filter(Boolean);
		const samples = genericSamples(page, {
			include: options.include ? new RegExp(options.include) : undefined,
			prefixes,
		});
		return { samples, view: { metrics: new Set(samples.map((s) => s.name)).size } };
	}
	const where = displayUrl(options.url);
	if (mode === 'dcgm') {
		const { samples, snapshot } = mapDcgm(page);
		if (snapshot.gpus.length === 0) {
			throw new Error(
				`${where} has no DCGM_FI_* series with a gpu label: is it dcgm-exporter (usually port 9400)? Use the generic mode for other exporters`,
			);
		}
		return { samples, view: snapshot as unknown as Record<string, unknown> };
	}
	const reading = readNodeExporter(page);
	if (lacksNodeExporterFigures(reading)) {
		throw new Error(
			`${where} has neither node_cpu_seconds_total nor node_memory_MemTotal_bytes: is it node_exporter (usually port 9100)? Use the generic mode for other exporters`,
		);
	}
	const previous = context.previous;
	const age = previous ? now - previous.time : NaN;
	const usable = previous !== undefined && age > 0 && age <= MAX_PREVIOUS_AGE_MS;
	const elapsedSeconds = usable ? age / 1000 : 0;
	const rates = usable
		? ratesFromCounters(unmark(previous.counters), reading.counters, elapsedSeconds)
		: {};
	const built = await buildNodeExporter(reading, rates, elapsedSeconds);
	return {
		samples: built.samples,
		view: built.snapshot,
		counters: mark(reading.counters),
		warnings: built.warnings,
	};
}

function capMessage(total: number, kept: number, mode: PrometheusMode): string {
	const how =
		mode === 'generic'
			? 'set Include Metrics (a regular expression) or Metric Prefixes to keep only what you need, or raise Max Series'
			: 'raise Max Series, or use the generic mode with a metric filter';
	return `the page has ${total} series; kept the first ${kept} and dropped ${total - kept} (Max Series): ${how}`;
}

function collectorFor(
	name: string,
	mode: PrometheusMode,
): Collector<PrometheusOptions, PrometheusSnapshot> {
	return {
		name,
		async collect(options, context): Promise<CollectorOutput<PrometheusSnapshot>> {
			const problems = validatePrometheusOptions({ ...options, mode: options.mode ?? mode });
			if (problems.length) throw new Error(problems.join('; '));
			if (options.mode && options.mode !== mode) {
				throw new Error(`the ${name} collector reads ${mode} pages, not ${options.mode}`);
			}
			const page = await readPage(options, context.signal);
			const now = Date.now();
			const mapped = await mapPage(mode, page, options, context, now);
			const max = options.maxSeries ?? DEFAULT_MAX_SERIES;
			const total = mapped.samples.length;
			const samples = total > max ? mapped.samples.slice(0, max) : mapped.samples;
			const warnings = [...(mapped.warnings ?? [])];
			if (total > max) warnings.push(capMessage(total, max, mode));
			const info: ScrapeInfo = {
				target: displayUrl(options.url),
				mode,
				seriesOnPage: mode === 'generic' ? total : seriesCount(page),
				seriesKept: samples.length,
				seriesDropped: total - samples.length,
			};
			return {
				samples,
				snapshot: { ...info, ...mapped.view },
				state: mapped.counters ? { time: now, counters: mapped.counters } : undefined,
				warnings,
			};
		},
	};
}

/** node_exporter, stored as the Host collector's figures. */
export const nodeExporterCollector = collectorFor('host', 'node_exporter');
/** dcgm-exporter, stored as the GPU collector's figures. */
export const dcgmCollector = collectorFor('gpu', 'dcgm');
/** Any exporter, stored as it is. */
export const genericPrometheusCollector = collectorFor('prometheus', 'generic');

export const PROMETHEUS_COLLECTORS: Record<
	PrometheusMode,
	Collector<PrometheusOptions, PrometheusSnapshot>
> = {
	node_exporter: nodeExporterCollector,
	dcgm: dcgmCollector,
	generic: genericPrometheusCollector,
};

/** The host name a target's samples go under by default: the URL's host name, without port. */
export function targetHostName(url: string): string | undefined {
	try {
		const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
		return host || undefined;
	} catch {
		return undefined;
	}
}
