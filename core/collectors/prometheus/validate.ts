import {
	HARD_MAX_SERIES,
	MAX_SCRAPE_TIMEOUT_MS,
	PROMETHEUS_MODES,
	type PrometheusOptions,
} from './types';

/**
 * What is wrong with a scrape's options, each in words that say what to change; empty when
 * nothing is. The node turns these into a NodeOperationError, the collector into a failed
 * collection (a workflow that calls core directly gets the same reasons).
 */
export function validatePrometheusOptions(options: PrometheusOptions): string[] {
	const problems: string[] = [];
	let url: URL | undefined;
	try {
		url = new URL(options.url);
	} catch {
		problems.push(
			`"${options.url}" is not a URL: use the metrics page's address, e.g. http://gpu01:9100/metrics`,
		);
	}
	if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
		problems.push(`${url.protocol}// URLs are not supported: use http:// or https://`);
	} else if (url && (url.username || url.password)) {
		problems.push(
			'the URL carries a user name or password: remove it and use a Basic Auth credential instead',
		);
	}
	if (!(PROMETHEUS_MODES as readonly string[]).includes(options.mode)) {
		problems.push(`mode "${options.mode}" is not known: use one of ${PROMETHEUS_MODES.join(', ')}`);
	}
	const max = options.maxSeries;
	if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= HARD_MAX_SERIES)) {
		problems.push(
			`Max Series must be a whole number from 1 to ${HARD_MAX_SERIES}, not ${JSON.stringify(max)}: filter the metrics (include regex or prefixes) to store fewer`,
		);
	}
	const t = options.timeoutMs;
	if (t !== undefined && !(Number.isFinite(t) && t > 0 && t <= MAX_SCRAPE_TIMEOUT_MS)) {
		problems.push(`the scrape timeout must be from 1 to ${MAX_SCRAPE_TIMEOUT_MS / 1000} seconds`);
	}
	if (options.include) {
		try {
			new RegExp(options.include);
		} catch (error) {
			problems.push(
				`the include pattern "${options.include}" is not a valid regular expression (${(error as Error).message}): e.g. ^node_(cpu|memory)_`,
			);
		}
	}
	return problems;
}
