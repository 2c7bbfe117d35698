import { prometheusModule, type PrometheusServerSpec } from './prometheus-server';
import { sumOf, type MetricsPage } from '../../prometheus-text';
import { histogramOf } from './histogram';
import type { Bucket, ServerReading } from './types';

/*
 * Hugging Face Text Generation Inference (router/src/server.rs, docs/source/reference/metrics.md),
 * exported through the metrics-exporter-prometheus crate:
 *   tgi_batch_current_size            requests in the running batch   -> requests running
 *   tgi_queue_size                    requests waiting in the queue   -> requests waiting
 *   tgi_request_input_length_sum      prompt tokens of finished requests (histogram sum) -> counter
 *   tgi_request_generated_tokens_sum  generated tokens of finished requests               -> counter
 *   tgi_request_duration              end-to-end latency histogram    -> e2e p50/p95
 * TGI has no time-to-first-token histogram and no KV-cache ratio: those stay null. Its token sums
 * grow when a request finishes, so its tokens/s is per finished request, not per decoding step.
 */
export function tgiFromPage(page: MetricsPage): ServerReading {
	const counters: Record<string, number> = {};
	const prompt = sumOf(page, 'tgi_request_input_length_sum');
	const generation = sumOf(page, 'tgi_request_generated_tokens_sum');
	if (prompt !== null) counters.prompt_tokens = prompt;
	if (generation !== null) counters.generation_tokens = generation;
	const histograms: Record<string, Bucket[]> = {};
	const e2e = histogramOf(page, 'tgi_request_duration');
	if (e2e) histograms.e2e = e2e;
	return {
		requestsRunning: sumOf(page, 'tgi_batch_current_size'),
		requestsWaiting: sumOf(page, 'tgi_queue_size'),
		kvCacheUsageRatio: null,
		counters,
		histograms,
	};
}

export const tgiSpec: PrometheusServerSpec = {
	type: 'tgi',
	marker: (page) => [...page.keys()].some((name) => name.startsWith('tgi_')),
	notThisServer: 'the metrics page has no tgi_* metrics (is this a TGI server?)',
	fromPage: tgiFromPage,
};

export const tgiModule = prometheusModule(tgiSpec);
