/** Minimal types for parse-prometheus-text-format 1.1.1, which ships none. */
declare module 'parse-prometheus-text-format' {
	export interface PrometheusSample {
		value?: string;
		labels?: Record<string, string>;
		timestamp_ms?: string;
		buckets?: Record<string, string>;
		quantiles?: Record<string, string>;
		count?: string;
		sum?: string;
	}
	export interface PrometheusFamily {
		name: string;
		help: string;
		type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED' | string;
		metrics: PrometheusSample[];
	}
	function parsePrometheusTextFormat(text: string): PrometheusFamily[];
	export default parsePrometheusTextFormat;
}
