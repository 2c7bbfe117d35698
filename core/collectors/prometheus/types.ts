/** How a page is read: mapped onto the Host or GPU collector's names, or stored as it is. */
export const PROMETHEUS_MODES = ['node_exporter', 'dcgm', 'generic'] as const;
export type PrometheusMode = (typeof PROMETHEUS_MODES)[number];

export const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
export const MAX_SCRAPE_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_SERIES = 10_000;
/**
 * Every stored series is a row per scrape plus its rollups: 50,000 a minute is already ~72 million
 * rows a day. A page with more wants a filter, not a bigger cap.
 */
export const HARD_MAX_SERIES = 50_000;

export interface PrometheusOptions {
	/** The metrics page itself, e.g. http://gpu01:9100/metrics. */
	url: string;
	mode: PrometheusMode;
	/** Sent with the request (Authorization); never copied into a message. */
	headers?: Record<string, string>;
	timeoutMs?: number;
	/** Accept a certificate that does not verify (self-signed). */
	ignoreTlsErrors?: boolean;
	/** Series kept from one scrape, the first ones on the page; at most HARD_MAX_SERIES. */
	maxSeries?: number;
	/** generic mode: keep metrics whose name (as on the page) matches this regular expression. */
	include?: string;
	/** generic mode: keep metrics whose name starts with one of these. */
	prefixes?: string[];
}

/** What every scrape's snapshot says about the page, beside the mode's own view. */
export interface ScrapeInfo {
	target: string;
	mode: PrometheusMode;
	/** Series on the page (after the metric filter in generic mode). */
	seriesOnPage: number;
	/** Samples stored from it (mapped ones in node_exporter and dcgm mode). */
	seriesKept: number;
	/** Series left out by the Max Series cap. */
	seriesDropped: number;
}
