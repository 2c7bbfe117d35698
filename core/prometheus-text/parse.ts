import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface PromSample {
	labels: Record<string, string>;
	value: number;
}

/** Every sample on a metrics page by its exact name (`vllm:prompt_tokens_total`, `x_bucket`). */
export type MetricsPage = Map<string, PromSample[]>;

const HISTOGRAM_TYPE = /^#\s*TYPE\s+(\S+)\s+(?:histogram|summary)\s*$/gim;

/**
 * Parses a Prometheus text page with parse-prometheus-text-format and checks what it returns.
 *
 * Two things about that library shape this wrapper:
 * - It folds a histogram's `_bucket` lines into one bucket map per family, merging series with
 *   different labels (vLLM labels every bucket with engine and model_name) and dropping labelled
 *   `_sum`/`_count`. So `# TYPE x histogram` lines are read as untyped: each `x_bucket`, `x_sum` and
 *   `x_count` then comes back as its own family with its labels intact, and histograms are rebuilt
 *   from `_bucket` series here. Summaries are read as untyped for the same reason: their quantile
 *   lines keep the `quantile` label, and `_sum`/`_count` come back as families of their own.
 * - It is lenient with cut lines (`name{label="va` comes back with an empty value). Every value is
 *   therefore checked to be a Prometheus float, so a truncated page fails instead of yielding zeros.
 *
 * - It never emits the family of the last line when the text does not end with a line feed, so a
 *   page cut mid-line would silently lose that line. The text format requires the last line to end
 *   with a line feed; a page that does not is reported as cut off.
 *
 * Throws on a page that cannot be read; the caller turns that into a down endpoint.
 */
export function parseMetricsPage(text: string): MetricsPage {
	if (text.length > 0 && !text.endsWith('\n')) {
		const tail = text.slice(text.lastIndexOf('\n') + 1);
		throw new Error(
			`the page does not end with a line feed, it was cut off at "${tail.slice(0, 60)}"`,
		);
	}
	const families = parsePrometheusTextFormat(text.replace(HISTOGRAM_TYPE, '# TYPE $1 untyped'));
	const page: MetricsPage = new Map();
	for (const family of families) {
		for (const metric of family.metrics) {
			if (metric.value === undefined) continue; // summaries (quantiles/sum/count) are not used
			const value = parseValue(metric.value);
			if (value === undefined) {
				throw new Error(`"${family.name}" has no number as its value ("${metric.value}")`);
			}
			let list = page.get(family.name);
			if (!list) page.set(family.name, (list = []));
			list.push({ labels: metric.labels ?? {}, value });
		}
	}
	return page;
}

/** A Prometheus sample value: a float, +Inf, -Inf or NaN. */
export function parseValue(text: string): number | undefined {
	const t = text.trim();
	if (t === '') return undefined;
	if (t === '+Inf' || t === 'Inf') return Infinity;
	if (t === '-Inf') return -Infinity;
	if (t === 'NaN') return NaN;
	const n = Number(t);
	return Number.isNaN(n) ? undefined : n;
}
