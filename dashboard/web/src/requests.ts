/** Which API paths each view needs; the app's PollController fetches them (pure, no DOM). */
import { alertsPath, seriesPath, snapshotPath, statusPath, type SeriesQuery } from './api';
import { formatHash, windowOf, type Route } from './router';
import type { Requests } from './controllers/poll-controller';

type Q = Omit<SeriesQuery, 'from' | 'to'>;

function series(
	route: Route,
	queries: Record<string, Q>,
	extra: Record<string, string> = {},
): Requests {
	return {
		// The route decides what to fetch; the clock only moves the window (see PollController).
		key: formatHash(route),
		paths: () => {
			const w = windowOf(route);
			const out: Record<string, string> = { ...extra };
			for (const [name, q] of Object.entries(queries)) out[name] = seriesPath({ ...q, ...w });
			return out;
		},
	};
}

/** Hosts on one page of the fleet view: enough to scan, few enough to draw at once on a phone. */
export const FLEET_PAGE = 50;

/** One page of the fleet, worst first unless the route says otherwise, with whole-fleet counts. */
export function overviewPath(route: Route): string {
	const p = new URLSearchParams({
		sort: route.sort ?? 'status',
		limit: String(FLEET_PAGE),
		offset: String(((route.page ?? 1) - 1) * FLEET_PAGE),
	});
	if (route.q) p.set('filter', route.q);
	if (route.status) p.set('status', route.status);
	return `/api/overview?${p}`;
}

export function requestsFor(route: Route): Requests {
	const [a = '', b = ''] = route.args;
	switch (route.view) {
		case 'overview':
			return {
				key: formatHash(route),
				paths: () => ({
					overview: overviewPath(route),
					alerts: alertsPath(Date.now() - 86_400_000, Date.now()),
				}),
				// Typing in the fleet filter or turning a page keeps the old page until the new one is in.
				keep: true,
			};
		case 'alerts':
			return {
				key: formatHash(route),
				paths: () => {
					const w = windowOf(route);
					return { alerts: alertsPath(w.from, w.to) };
				},
			};
		case 'host': {
			const q = (metric: string): Q => ({ host: a, metric });
			// Every series the host collector stores; a view hides the panels whose series are absent.
			return series(
				route,
				{
					// cpu="total" and each core, in one read.
					cpu: q('cpu_usage_percent'),
					modes: q('cpu_mode_percent'),
					load: q('load_average'),
					memory: q('memory_used_percent'),
					swapUsed: q('swap_used_bytes'),
					swapTotal: q('swap_total_bytes'),
					filesystem: q('filesystem_used_percent'),
					diskRead: q('disk_read_bytes_per_second'),
					diskWrite: q('disk_write_bytes_per_second'),
					rx: q('net_rx_bytes_per_second'),
					tx: q('net_tx_bytes_per_second'),
					temperature: q('temperature_celsius'),
					processes: q('process_count'),
					containerCpu: q('container_cpu_usage_percent'),
					containerMemory: q('container_memory_usage_bytes'),
					containerMemoryLimit: q('container_memory_limit_bytes'),
				},
				{ snapshot: snapshotPath(a, 'host'), status: statusPath('host', a) },
			);
		}
		case 'gpu':
			return series(
				route,
				{
					util: { host: a, metric: 'gpu_utilization_percent' },
					memory: { host: a, metric: 'gpu_memory_used_percent' },
					temperature: { host: a, metric: 'gpu_temperature_celsius' },
					power: { host: a, metric: 'gpu_power_draw_watts' },
				},
				{ snapshot: snapshotPath(a, 'gpu'), status: statusPath('gpu', a) },
			);
		case 'database':
			return series(
				route,
				{
					query: { host: a, metric: 'db_query_seconds', labels: { db: b } },
					connections: { host: a, metric: 'db_connections', labels: { db: b } },
					tables: { host: a, metric: 'db_table_size_bytes', labels: { db: b } },
				},
				{ snapshot: snapshotPath(a, 'database'), status: statusPath('database', a, b) },
			);
		case 'endpoint': {
			const q = (metric: string): Q => ({ host: a, metric, labels: { endpoint: b } });
			return series(
				route,
				{
					up: q('endpoint_up'),
					dns: q('endpoint_dns_seconds'),
					connect: q('endpoint_connect_seconds'),
					tls: q('endpoint_tls_seconds'),
					firstByte: q('endpoint_first_byte_seconds'),
					download: q('endpoint_download_seconds'),
					cert: q('endpoint_cert_days_left'),
				},
				{ status: statusPath('endpoint', a, b) },
			);
		}
		case 'model': {
			// b is the `server` label of the model_server_* series.
			const q = (metric: string): Q => ({ host: a, metric, labels: { server: b } });
			return series(
				route,
				{
					up: q('model_server_up'),
					response: q('model_server_response_seconds'),
					running: q('model_server_requests_running'),
					waiting: q('model_server_requests_waiting'),
					kvCache: q('model_server_kv_cache_usage_ratio'),
					promptTokens: q('model_server_prompt_tokens_per_second'),
					generationTokens: q('model_server_generation_tokens_per_second'),
					ttft: q('model_server_ttft_seconds'),
					e2e: q('model_server_e2e_latency_seconds'),
				},
				{ snapshot: snapshotPath(a, 'model_server'), status: statusPath('model_server', a, b) },
			);
		}
		case 'workflow':
			return series(
				route,
				{ failure: { host: a, metric: 'n8n_execution_failure_rate', labels: { workflow: b } } },
				{
					status: statusPath('workflow', a, b),
					executions: `/api/executions?${new URLSearchParams({
						instance: a,
						workflow: b,
						...(route.status ? { status: route.status } : {}),
						limit: '50',
					})}`,
				},
			);
		default:
			return null;
	}
}
