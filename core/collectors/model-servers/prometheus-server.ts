import { EndpointError, type EndpointIO } from '../../http';
import { parseMetricsPage, type MetricsPage } from '../../prometheus-text';
import type { ModelServerType, ServerModule, ServerReading } from './types';

/**
 * A server whose numbers come from a Prometheus /metrics page next to a /health endpoint (vLLM,
 * TGI, llama.cpp). Each such module only says which metric names mean what (`fromPage`, pure).
 */
export interface PrometheusServerSpec {
	type: ModelServerType;
	/** A metric every page of this server has, to tell a wrong server type from an empty page. */
	marker: (page: MetricsPage) => boolean;
	/** What to say when the marker is missing. */
	notThisServer: string;
	/** Extra hint for an HTTP status on /metrics (llama.cpp answers 501 without --metrics). */
	metricsHint?: (message: string) => string | undefined;
	fromPage(page: MetricsPage): ServerReading;
}

export async function readPrometheusServer(
	spec: PrometheusServerSpec,
	io: EndpointIO,
): Promise<ServerReading> {
	const [, text] = await Promise.all([
		io.getText('/health'),
		io.getText('/metrics').catch((error: unknown) => {
			const hint = error instanceof Error ? spec.metricsHint?.(error.message) : undefined;
			throw hint ? new EndpointError(`${(error as Error).message}; ${hint}`) : error;
		}),
	]);
	let page: MetricsPage;
	try {
		page = parseMetricsPage(text);
	} catch (error) {
		throw new EndpointError(
			`metrics page could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
		);
	}
	if (!spec.marker(page)) throw new EndpointError(spec.notThisServer);
	return spec.fromPage(page);
}

export function prometheusModule(spec: PrometheusServerSpec): ServerModule {
	return { type: spec.type, read: (io) => readPrometheusServer(spec, io) };
}
