/*
 * AI model server collector: Ollama, vLLM, Hugging Face TGI and llama.cpp's llama-server, one
 * module per server type behind ServerModule (./types.ts), composed here.
 *
 *   ollama     GET /api/version (health, version), GET /api/ps (loaded models, size, VRAM)
 *   vllm       GET /health, GET /metrics (requests, KV cache, token counters, TTFT + e2e histograms)
 *   tgi        GET /health, GET /metrics (batch and queue size, token sums, e2e histogram)
 *   llamacpp   GET /health, GET /metrics (needs --metrics; requests, token counters, KV cache)
 *
 * Each endpoint is read with global fetch under its own timeout (AbortSignal.timeout, also bound to
 * the collection's abort signal), at most `concurrency` endpoints at once. An endpoint that fails in
 * any way (refused, no answer, HTTP error, HTML instead of JSON, a page that cannot be parsed, the
 * wrong kind of server) is down with its reason; the others are still collected, and the collection
 * itself stays ok. Header values (tokens) are sent and never copied anywhere.
 *
 * Rates and windows:
 * - Tokens per second are rates of the servers' token counters against the previous collection's
 *   counters (`state.counters`, via ratesFromCounters: a counter that went down is a restart). A
 *   first collection has no base and reports no rate (null in the snapshot, no sample): unlike the
 *   host collector, a second read a moment later would mostly see no tokens at all.
 * - TTFT and end-to-end latency p50/p95 come from histogramQuantile over the bucket increases since
 *   the previous collection, so they describe the last interval. With no usable previous buckets
 *   (first run, a restart, a new bucket layout) they are computed over the cumulative buckets and the
 *   snapshot says `window: 'cumulative'`. An interval without requests has no quantile (null).
 * - A down endpoint keeps its previous counters in the state, so rates resume when it comes back.
 */
import { mapLimit } from '../map-limit';
import { ratesFromCounters } from '../rates';
import type { CollectContext, Collector, CollectorOutput, CounterSet, Sample } from '../types';
import { bucketIncrease, histogramQuantile } from './histogram';
import { displayUrl, endpointIO, EndpointError, redact } from '../../http';
import { llamacppModule } from './llamacpp';
import { ollamaModule } from './ollama';
import { tgiModule } from './tgi';
import {
	MODEL_SERVER_TYPES,
	type Bucket,
	type EndpointStatus,
	type LatencyQuantiles,
	type ModelServerEndpoint,
	type ModelServerOptions,
	type ModelServerSnapshot,
	type ModelServerType,
	type ServerModule,
	type ServerReading,
} from './types';
import { serverLabel, validateEndpoints } from './validate';
import { vllmModule } from './vllm';

export * from './types';
export { histogramQuantile, bucketIncrease, sumBuckets } from './histogram';
export { validateEndpoints, serverLabel, type EndpointProblem } from './validate';
export { MODEL_SERVER_TYPES };

const MODULES: Record<ModelServerType, ServerModule> = {
	ollama: ollamaModule,
	vllm: vllmModule,
	tgi: tgiModule,
	llamacpp: llamacppModule,
};

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;
const QUANTILES = [
	{ q: 0.5, label: '0.5', key: 'p50' },
	{ q: 0.95, label: '0.95', key: 'p95' },
] as const;
const HISTOGRAMS = [
	{ key: 'ttft', sample: 'model_server_ttft_seconds', field: 'ttftSeconds' },
	{ key: 'e2e', sample: 'model_server_e2e_latency_seconds', field: 'e2eLatencySeconds' },
] as const;

interface EndpointOutcome {
	endpoint: ModelServerEndpoint;
	server: string;
	reading?: ServerReading;
	reason?: string;
	seconds: number;
}

function round(value: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

async function readEndpoint(
	endpoint: ModelServerEndpoint,
	problems: string[],
	timeoutMs: number,
	signal: AbortSignal,
): Promise<EndpointOutcome> {
	const server = serverLabel(endpoint);
	const started = performance.now();
	const seconds = () => (performance.now() - started) / 1000;
	if (problems.length > 0) return { endpoint, server, reason: problems.join('; '), seconds: 0 };
	try {
		const io = endpointIO({
			baseUrl: endpoint.url,
			headers: endpoint.headers,
			signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
			timeoutMs,
		});
		const reading = await MODULES[endpoint.type].read(io);
		return { endpoint, server, reading, seconds: seconds() };
	} catch (error) {
		// EndpointError messages are built to be shown; anything else is scrubbed of header values.
		const reason =
			error instanceof EndpointError ? error.message : redact(message(error), endpoint.headers);
		return { endpoint, server, reason, seconds: seconds() };
	}
}

/** `server|type|` — the prefix of one endpoint's counters in the state. */
function statePrefix(server: string, type: string): string {
	return `${server}|${type}|`;
}

function previousBuckets(previous: CounterSet, prefix: string): Map<number, number> {
	const out = new Map<number, number>();
	for (const [key, value] of Object.entries(previous)) {
		if (!key.startsWith(prefix)) continue;
		const le = Number(key.slice(prefix.length)); // 'Infinity' parses back to Infinity
		if (!Number.isNaN(le)) out.set(le, value);
	}
	return out;
}

function quantiles(buckets: Bucket[], previous: Map<number, number> | undefined): LatencyQuantiles {
	const increase = bucketIncrease(buckets, previous);
	const used = increase ?? buckets;
	const total = used.find((b) => b.le === Infinity)?.count ?? 0;
	const value = (q: number) => {
		const v = histogramQuantile(used, q);
		return Number.isFinite(v) ? round(v, 6) : null;
	};
	return {
		p50: value(0.5),
		p95: value(0.95),
		window: increase ? 'interval' : 'cumulative',
		observations: total,
	};
}

function downStatus(o: EndpointOutcome): EndpointStatus {
	return {
		server: o.server,
		type: String(o.endpoint.type),
		url: displayUrl(String(o.endpoint.url)),
		up: false,
		reason: o.reason,
		responseSeconds: null,
		version: null,
		requestsRunning: null,
		requestsWaiting: null,
		kvCacheUsageRatio: null,
		promptTokensPerSecond: null,
		generationTokensPerSecond: null,
		ttftSeconds: null,
		e2eLatencySeconds: null,
		models: null,
	};
}

export interface ModelServerCollectorOptions {
	/** Clock for the state's time and the rates' interval (tests pin it). */
	now?: () => number;
}

export function createModelServerCollector(
	factory: ModelServerCollectorOptions = {},
): Collector<ModelServerOptions, ModelServerSnapshot> {
	const now = factory.now ?? Date.now;

	async function collect(
		options: ModelServerOptions,
		context: CollectContext,
	): Promise<CollectorOutput<ModelServerSnapshot>> {
		const { endpoints, timeoutMs, concurrency, problems } = readOptions(options);
		const time = now();
		const previous = context.previous;
		const elapsedSeconds = previous && time > previous.time ? (time - previous.time) / 1000 : 0;
		const interval: Interval = {
			previous: previous?.counters,
			base: elapsedSeconds > 0 ? previous!.counters : {},
			elapsedSeconds,
		};

		const outcomes = await mapLimit(endpoints, concurrency, (endpoint, i) =>
			readEndpoint(endpoint, problems.get(i) ?? [], timeoutMs, context.signal),
		);

		const tally: Tally = { samples: [], statuses: [], counters: {} };
		for (const o of outcomes) addOutcome(tally, o, interval);
		const { samples, statuses, counters } = tally;
		const up = statuses.filter((s) => s.up).length;
		return {
			samples,
			snapshot: {
				endpoints: statuses,
				up,
				down: statuses.length - up,
				intervalSeconds: elapsedSeconds > 0 ? round(elapsedSeconds, 3) : null,
			},
			state: { time, counters },
			warnings: [],
		};
	}

	return { name: 'model_server', collect };
}

/** The endpoints, the timeout and concurrency in bounds, and each endpoint's problems by index. */
function readOptions(options: ModelServerOptions) {
	const endpoints = Array.isArray(options?.endpoints) ? options.endpoints : [];
	if (endpoints.length === 0) throw new Error('model_server: no endpoints to collect');
	const timeoutMs =
		Number.isFinite(options.timeoutMs) && options.timeoutMs! > 0
			? options.timeoutMs!
			: DEFAULT_TIMEOUT_MS;
	const concurrency = Math.min(
		MAX_CONCURRENCY,
		Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY) || DEFAULT_CONCURRENCY),
	);
	const problems = new Map<number, string[]>();
	for (const p of validateEndpoints(endpoints)) {
		problems.set(p.index, [...(problems.get(p.index) ?? []), p.message]);
	}
	return { endpoints, timeoutMs, concurrency, problems };
}

/** The previous collection's counters, and the base and interval that rates use. */
interface Interval {
	previous: CounterSet | undefined;
	/** The previous counters when the interval is usable, else none. */
	base: CounterSet;
	elapsedSeconds: number;
}

/** What a collection gathers endpoint by endpoint. */
interface Tally {
	samples: Sample[];
	statuses: EndpointStatus[];
	/** The state's counters: every endpoint's, for the next collection's rates. */
	counters: CounterSet;
}

function addOutcome(tally: Tally, o: EndpointOutcome, interval: Interval): void {
	const type = String(o.endpoint.type);
	const labels = { server: o.server, type };
	const prefix = statePrefix(o.server, type);
	const seen = `${prefix}answered`;
	if (!o.reading && o.endpoint.onlyOnceAnswered && !interval.previous?.[seen]) return;
	if (o.reading) tally.counters[seen] = 1;
	tally.samples.push({ name: 'model_server_up', value: o.reading ? 1 : 0, labels });
	if (!o.reading) {
		tally.statuses.push(downStatus(o));
		// Keep this endpoint's previous counters: rates resume when it answers again.
		for (const [key, value] of Object.entries(interval.previous ?? {})) {
			if (key.startsWith(prefix)) tally.counters[key] = value;
		}
		return;
	}
	tally.statuses.push(upStatus(tally, o, o.reading, { labels, prefix, interval }));
}

interface EndpointScope {
	labels: { server: string; type: string };
	/** The endpoint's counters in the state start with it. */
	prefix: string;
	interval: Interval;
}

/** An answering endpoint's status, with its samples and counters added to the tally. */
function upStatus(
	tally: Tally,
	o: EndpointOutcome,
	r: ServerReading,
	scope: EndpointScope,
): EndpointStatus {
	const { labels } = scope;
	const status: EndpointStatus = {
		...downStatus(o),
		up: true,
		reason: undefined,
		responseSeconds: round(o.seconds, 6),
		version: r.version ?? null,
		requestsRunning: r.requestsRunning ?? null,
		requestsWaiting: r.requestsWaiting ?? null,
		kvCacheUsageRatio: r.kvCacheUsageRatio ?? null,
		models: r.models ?? null,
	};
	delete status.reason;
	tally.samples.push({
		name: 'model_server_response_seconds',
		value: status.responseSeconds!,
		labels,
	});
	const gauges = [
		['model_server_requests_running', status.requestsRunning],
		['model_server_requests_waiting', status.requestsWaiting],
		['model_server_kv_cache_usage_ratio', status.kvCacheUsageRatio],
	] as const;
	for (const [name, value] of gauges) {
		if (value !== null && Number.isFinite(value)) tally.samples.push({ name, value, labels });
	}
	addTokenRates(tally, status, r, scope);
	addLatencies(tally, status, r, scope);
	if (r.models) addModels(tally, r.models, labels);
	return status;
}

/** Token counters -> rates against the previous collection's. */
function addTokenRates(
	tally: Tally,
	status: EndpointStatus,
	r: ServerReading,
	{ labels, prefix, interval }: EndpointScope,
): void {
	const current: CounterSet = {};
	for (const [name, value] of Object.entries(r.counters)) current[`${prefix}${name}`] = value;
	Object.assign(tally.counters, current);
	const rates = ratesFromCounters(interval.base, current, interval.elapsedSeconds);
	const rate = (name: string) => {
		const v = rates[`${prefix}${name}`];
		return v === undefined ? null : round(v, 3);
	};
	status.promptTokensPerSecond = rate('prompt_tokens');
	status.generationTokensPerSecond = rate('generation_tokens');
	if (status.promptTokensPerSecond !== null) {
		tally.samples.push({
			name: 'model_server_prompt_tokens_per_second',
			value: status.promptTokensPerSecond,
			labels,
		});
	}
	if (status.generationTokensPerSecond !== null) {
		tally.samples.push({
			name: 'model_server_generation_tokens_per_second',
			value: status.generationTokensPerSecond,
			labels,
		});
	}
}

/** Histograms -> interval (or cumulative) quantiles. */
function addLatencies(
	tally: Tally,
	status: EndpointStatus,
	r: ServerReading,
	{ labels, prefix, interval }: EndpointScope,
): void {
	for (const h of HISTOGRAMS) {
		const buckets = r.histograms[h.key];
		if (!buckets || buckets.length === 0) continue;
		const hPrefix = `${prefix}${h.key}|`;
		for (const b of buckets) tally.counters[`${hPrefix}${b.le}`] = b.count;
		const prev = interval.elapsedSeconds > 0 ? previousBuckets(interval.base, hPrefix) : undefined;
		const result = quantiles(buckets, prev);
		status[h.field] = result;
		for (const q of QUANTILES) {
			const value = result[q.key];
			if (value !== null) {
				tally.samples.push({ name: h.sample, value, labels: { ...labels, quantile: q.label } });
			}
		}
	}
}

function addModels(
	tally: Tally,
	models: NonNullable<ServerReading['models']>,
	labels: EndpointScope['labels'],
): void {
	tally.samples.push({ name: 'model_server_models_loaded', value: models.length, labels });
	for (const m of models) {
		const modelLabels = { ...labels, model: m.name };
		if (m.vramBytes !== undefined) {
			tally.samples.push({
				name: 'model_server_model_vram_bytes',
				value: m.vramBytes,
				labels: modelLabels,
			});
		}
		if (m.sizeBytes !== undefined) {
			tally.samples.push({
				name: 'model_server_model_size_bytes',
				value: m.sizeBytes,
				labels: modelLabels,
			});
		}
	}
}

export const modelServerCollector = createModelServerCollector();
