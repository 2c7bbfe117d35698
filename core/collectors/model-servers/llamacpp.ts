import { prometheusModule, type PrometheusServerSpec } from './prometheus-server';
import { sumOf, type MetricsPage } from '../../prometheus-text';
import type { ServerReading } from './types';

/*
 * llama.cpp's llama-server (tools/server/server.cpp, the /metrics handler) when started with
 * --metrics; without it /metrics answers 501. Unlabelled series:
 *   llamacpp:requests_processing     -> requests running
 *   llamacpp:requests_deferred       -> requests waiting
 *   llamacpp:prompt_tokens_total     -> prompt tokens counter
 *   llamacpp:tokens_predicted_total  -> generation tokens counter
 *   llamacpp:kv_cache_usage_ratio    -> KV-cache ratio (older builds only; removed upstream in 2025)
 * No latency histograms: TTFT and end-to-end latency stay null.
 */
export function llamacppFromPage(page: MetricsPage): ServerReading {
	const counters: Record<string, number> = {};
	const prompt = sumOf(page, 'llamacpp:prompt_tokens_total');
	const generation = sumOf(page, 'llamacpp:tokens_predicted_total');
	if (prompt !== null) counters.prompt_tokens = prompt;
	if (generation !== null) counters.generation_tokens = generation;
	return {
		requestsRunning: sumOf(page, 'llamacpp:requests_processing'),
		requestsWaiting: sumOf(page, 'llamacpp:requests_deferred'),
		kvCacheUsageRatio: sumOf(page, 'llamacpp:kv_cache_usage_ratio'),
		counters,
		histograms: {},
	};
}

export const llamacppSpec: PrometheusServerSpec = {
	type: 'llamacpp',
	marker: (page) => [...page.keys()].some((name) => name.startsWith('llamacpp:')),
	notThisServer: 'the metrics page has no llamacpp:* metrics (is this a llama.cpp server?)',
	metricsHint: (message) =>
		/HTTP 501/.test(message) ? 'start llama-server with --metrics to enable /metrics' : undefined,
	fromPage: llamacppFromPage,
};

export const llamacppModule = prometheusModule(llamacppSpec);
