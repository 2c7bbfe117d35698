import type { Sample } from '../model';
import { parseMetricsPage, sumOf, type MetricsPage } from '../prometheus-text';

/**
 * n8n's own health from its Prometheus page (/metrics, `N8N_METRICS=true`; prom-client's default
 * metrics are on unless N8N_METRICS_INCLUDE_DEFAULT_METRICS=false): the process's CPU and memory,
 * the JavaScript heap, event-loop lag, open files, active workflows, the HTTP latency of its own
 * server (N8N_METRICS_INCLUDE_API_ENDPOINTS=true) and its version. Read from n8n 2.40.7's real
 * page (test/fixtures/n8n/metrics-2.40.7.txt). That version exports no database-pool figures;
 * any series whose name says "pool" is kept (`pools`), for an n8n that does.
 * The metric prefix (N8N_METRICS_PREFIX) is assumed to be the default `n8n_`.
 */
export interface ProcessHealth {
	/** When the page was read (Unix ms). */
	at: number;
	version: string | null;
	nodeVersion: string | null;
	/** Process start (Unix ms): a change means n8n restarted, and counters started again. */
	startedAt: number | null;
	cpuSecondsTotal: number | null;
	/** CPU over the time since the previous read, % of one core; null on the first read or after a restart. */
	cpuPercent: number | null;
	residentMemoryBytes: number | null;
	heapUsedBytes: number | null;
	heapTotalBytes: number | null;
	eventLoopLagP99Seconds: number | null;
	openFds: number | null;
	maxFds: number | null;
	activeWorkflows: number | null;
	/** Main or leader of a multi-main setup (1), follower (0); null when not exported. */
	leader: boolean | null;
	/** Requests n8n's HTTP server answered since it started, and the seconds they took. */
	httpRequests: number | null;
	httpSeconds: number | null;
	/** Mean HTTP latency since the previous read; null without requests in between. */
	httpMeanSeconds: number | null;
	/**
	 * n8n's database pool, where its page has it: every series whose name contains "pool"
	 * (summed over its labels). n8n 2.40.7 exports none, so this is empty there.
	 */
	pools: Array<{ metric: string; value: number }>;
}

/** The names on n8n's page that are read (not series this package writes; the catalog test knows). */
export const N8N_PAGE = {
	version: 'n8n_version_info',
	nodeVersion: 'n8n_nodejs_version_info',
	start: 'n8n_process_start_time_seconds',
	leader: 'n8n_instance_role_leader',
	cpu: 'n8n_process_cpu_seconds_total',
	rss: 'n8n_process_resident_memory_bytes',
	heapUsed: 'n8n_nodejs_heap_size_used_bytes',
	heapTotal: 'n8n_nodejs_heap_size_total_bytes',
	lag: 'n8n_nodejs_eventloop_lag_p99_seconds',
	openFds: 'n8n_process_open_fds',
	maxFds: 'n8n_process_max_fds',
	activeWorkflows: 'n8n_active_workflow_count',
	httpCount: 'n8n_http_request_duration_seconds_count',
	httpSum: 'n8n_http_request_duration_seconds_sum',
} as const;

const one = (page: MetricsPage, name: string): number | null => {
	const v = sumOf(page, name);
	return v !== null && Number.isFinite(v) ? v : null;
};

const versionOf = (page: MetricsPage, name: string): string | null =>
	page.get(name)?.[0]?.labels.version ?? null;

/**
 * The figures of one read of the page. `previous` (the last read's figures, from the stored
 * snapshot) turns the counters into rates; a restart in between (another start time, or a
 * counter that went back) gives no rate rather than a negative or a spike.
 */
export function processHealth(text: string, at: number, previous?: ProcessHealth): ProcessHealth {
	const page = parseMetricsPage(text);
	const start = one(page, N8N_PAGE.start);
	const leader = one(page, N8N_PAGE.leader);
	const h: ProcessHealth = {
		at,
		version: versionOf(page, N8N_PAGE.version),
		nodeVersion: versionOf(page, N8N_PAGE.nodeVersion),
		startedAt: start === null ? null : start * 1000,
		cpuSecondsTotal: one(page, N8N_PAGE.cpu),
		cpuPercent: null,
		residentMemoryBytes: one(page, N8N_PAGE.rss),
		heapUsedBytes: one(page, N8N_PAGE.heapUsed),
		heapTotalBytes: one(page, N8N_PAGE.heapTotal),
		eventLoopLagP99Seconds: one(page, N8N_PAGE.lag),
		openFds: one(page, N8N_PAGE.openFds),
		maxFds: one(page, N8N_PAGE.maxFds),
		activeWorkflows: one(page, N8N_PAGE.activeWorkflows),
		leader: leader === null ? null : leader >= 1,
		httpRequests: one(page, N8N_PAGE.httpCount),
		httpSeconds: one(page, N8N_PAGE.httpSum),
		httpMeanSeconds: null,
		pools: poolsOf(page),
	};
	const same = previous && previous.startedAt === h.startedAt && previous.at < at;
	if (same && previous.cpuSecondsTotal !== null && h.cpuSecondsTotal !== null) {
		const used = h.cpuSecondsTotal - previous.cpuSecondsTotal;
		if (used >= 0) h.cpuPercent = round((used / ((at - previous.at) / 1000)) * 100, 2);
	}
	if (
		same &&
		previous.httpRequests !== null &&
		previous.httpSeconds !== null &&
		h.httpRequests !== null &&
		h.httpSeconds !== null
	) {
		const requests = h.httpRequests - previous.httpRequests;
		const seconds = h.httpSeconds - previous.httpSeconds;
		if (requests > 0 && seconds >= 0) h.httpMeanSeconds = round(seconds / requests, 6);
	}
	return h;
}

/** The figures as series of the n8n instance (no labels: one n8n per instance name). */
export function processSamples(h: ProcessHealth): Sample[] {
	const samples: Sample[] = [];
	const add = (name: string, value: number | null) => {
		if (value !== null && Number.isFinite(value)) samples.push({ name, value });
	};
	add('n8n_process_cpu_percent', h.cpuPercent);
	add('n8n_process_memory_bytes', h.residentMemoryBytes);
	add('n8n_heap_used_bytes', h.heapUsedBytes);
	add('n8n_event_loop_lag_seconds', h.eventLoopLagP99Seconds);
	add('n8n_open_files', h.openFds);
	add('n8n_active_workflows', h.activeWorkflows);
	add('n8n_http_request_mean_seconds', h.httpMeanSeconds);
	for (const p of h.pools ?? [])
		samples.push({ name: 'n8n_database_pool', value: p.value, labels: { metric: p.metric } });
	if (h.startedAt !== null)
		add('n8n_uptime_seconds', Math.max(0, Math.round((h.at - h.startedAt) / 1000)));
	return samples;
}

/** Most pool figures a page may bring (a page of many pools must not flood the store). */
const MAX_POOL_SERIES = 20;

/**
 * A database pool's series: "pool" and a database word in the name. n8n 2.40.7's
 * `n8n_expression_pool_*` (its expression sandboxes) are no database pool; histogram buckets
 * are left out (their _sum and _count say enough).
 */
const DATABASE_POOL =
	/^(?=.*pool)(?=.*(?:^|_)(?:db|database|typeorm|connections?|sql|sqlite|postgres|postgresql)(?:_|$)).*$/i;

/** Database-pool series (see DATABASE_POOL): a later n8n may export them. */
function poolsOf(page: MetricsPage): ProcessHealth['pools'] {
	const out: ProcessHealth['pools'] = [];
	for (const name of page.keys()) {
		if (!DATABASE_POOL.test(name) || name.endsWith('_bucket')) continue;
		if (out.length >= MAX_POOL_SERIES) break;
		const value = one(page, name);
		if (value !== null) out.push({ metric: name, value });
	}
	return out;
}

/** Whether a read found any of n8n's process figures (a page that is not n8n's has none). */
export function hasProcessFigures(h: ProcessHealth): boolean {
	return (
		h.version !== null ||
		h.startedAt !== null ||
		h.cpuSecondsTotal !== null ||
		h.residentMemoryBytes !== null ||
		h.heapUsedBytes !== null ||
		h.activeWorkflows !== null
	);
}

function round(value: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
