import type { MetricsPage } from '../../prometheus-text';
import type { Sample } from '../types';

/*
 * Any /metrics page, stored as it is: one sample per series, its labels kept, counters stored as
 * counters (a rate is a query's business, not a scrape's). Names are made safe for the store and
 * for PromQL-style readers: every character outside [a-zA-Z0-9_] becomes `_` (vLLM's
 * `vllm:num_requests_running` -> `vllm_num_requests_running`), and a leading digit gets a `_`.
 */

/** How long a stored metric name or label may be (the store's limit on names). */
const MAX_NAME = 255;

export function sanitizeMetricName(name: string): string {
	const safe = name.replace(/[^a-zA-Z0-9_]/g, '_');
	return (/^[0-9]/.test(safe) ? `_${safe}` : safe).slice(0, MAX_NAME);
}

/** Which series of a page to keep: names matching a regex and/or starting with one of the prefixes. */
export interface MetricFilter {
	include?: RegExp;
	prefixes?: string[];
}

export function keepsMetric(filter: MetricFilter, name: string): boolean {
	if (filter.include && !filter.include.test(name)) return false;
	if (filter.prefixes?.length && !filter.prefixes.some((p) => name.startsWith(p))) return false;
	return true;
}

/** Every series the filter keeps, in page order, with sanitised names. */
export function genericSamples(page: MetricsPage, filter: MetricFilter): Sample[] {
	const samples: Sample[] = [];
	for (const [name, list] of page) {
		if (!keepsMetric(filter, name)) continue;
		const safe = sanitizeMetricName(name);
		for (const s of list) {
			const labels = Object.keys(s.labels).length ? { ...s.labels } : undefined;
			samples.push({ name: safe, value: s.value, ...(labels ? { labels } : {}) });
		}
	}
	return samples;
}
