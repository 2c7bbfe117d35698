import { firstPresent, labelValues, meanOf, sumOf, type MetricsPage } from '../../prometheus-text';
import { histogramOf } from './histogram';
import { prometheusModule, type PrometheusServerSpec } from './prometheus-server';
import type { Bucket, ServerReading } from './types';

/*
 * vLLM (vllm/v1/metrics/loggers.py): every series carries model_name and, on the V1 engine, engine
 * (one per data-parallel rank). Requests and token counters are summed over engines; the KV-cache
 * ratio is their mean. `vllm:kv_cache_usage_perc` (a 0..1 ratio despite its name) replaced
 * `vllm:gpu_cache_usage_perc` in 0.10; the newer name wins when a page has both.
 */
const KV_CACHE = ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'] as const;

export function vllmFromPage(page: MetricsPage): ServerReading {
	const kv = firstPresent(page, KV_CACHE);
	const counters: Record<string, number> = {};
	const prompt = sumOf(page, 'vllm:prompt_tokens_total');
	const generation = sumOf(page, 'vllm:generation_tokens_total');
	if (prompt !== null) counters.prompt_tokens = prompt;
	if (generation !== null) counters.generation_tokens = generation;
	const histograms: Record<string, Bucket[]> = {};
	const ttft = histogramOf(page, 'vllm:time_to_first_token_seconds');
	const e2e = histogramOf(page, 'vllm:e2e_request_latency_seconds');
	if (ttft) histograms.ttft = ttft;
	if (e2e) histograms.e2e = e2e;
	const models = labelValues(page, 'vllm:num_requests_running', 'model_name');
	return {
		requestsRunning: sumOf(page, 'vllm:num_requests_running'),
		requestsWaiting: sumOf(page, 'vllm:num_requests_waiting'),
		kvCacheUsageRatio: kv ? meanOf(page, kv) : null,
		counters,
		histograms,
		models: models.map((name) => ({ name })),
	};
}

export const vllmSpec: PrometheusServerSpec = {
	type: 'vllm',
	marker: (page) => [...page.keys()].some((name) => name.startsWith('vllm:')),
	notThisServer: 'the metrics page has no vllm:* metrics (is this a vLLM server?)',
	fromPage: vllmFromPage,
};

export const vllmModule = prometheusModule(vllmSpec);
