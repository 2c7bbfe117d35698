/**
 * The metric catalog: every series the collectors store, with its unit, kind, help text, labels
 * and, where a figure has an amber and a red mark, its default thresholds. The overview's status,
 * the alert presets, the digest, the browser's chart units and the HELP lines of /metrics read
 * them from here, so a name or a threshold is written once. The README's tables are checked
 * against it (test/unit/metric-catalog.test.ts).
 *
 * Plain data with no imports: the dashboard's browser bundle takes it as it is.
 */

/** What a value measures; the dashboard picks its axis from it. */
export type MetricUnit =
	| 'percent'
	| 'ratio'
	| 'bytes'
	| 'bytes_per_second'
	| 'bytes_per_day'
	| 'per_second'
	| 'seconds'
	| 'days'
	| 'celsius'
	| 'watts'
	| 'megahertz'
	| 'cores'
	| 'count'
	| 'number'
	| 'boolean';

/**
 * gauge: a value as measured; counter: a total that only grows (until a restart); rate: a
 * counter's increase per second between two collections, worked out by the collector.
 */
export type MetricKind = 'gauge' | 'counter' | 'rate';

export interface MetricInfo {
	unit: MetricUnit;
	kind: MetricKind;
	help: string;
	/** The labels its series carry (some only where they apply). */
	labels: readonly string[];
	/** The collector (Collection.collector) that writes it. */
	collector: string;
	/** Amber from here on (at or above; at or below when `below`). */
	warning?: number;
	/** Red from here on. */
	critical?: number;
	/** Small values are the bad ones (days left). */
	below?: boolean;
}

const FS = ['mount', 'device', 'fstype'] as const;
const GPU = ['gpu', 'uuid'] as const;
const DB = ['db', 'engine'] as const;
const SERVER = ['server', 'type'] as const;
/** `project` only where the container belongs to a compose project. */
const CTR = ['container', 'image', 'project'] as const;

export const METRICS = {
	// host: CPU
	cpu_usage_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'CPU busy time, all cores (cpu="total") and per core',
		labels: ['cpu'],
		collector: 'host',
		warning: 90,
		critical: 95,
	},
	cpu_mode_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'CPU time by mode (user, system, iowait, steal, idle, …), all cores',
		labels: ['mode'],
		collector: 'host',
	},
	load_average: {
		unit: 'number',
		kind: 'gauge',
		help: 'Run-queue load average over 1, 5 and 15 minutes',
		labels: ['period'],
		collector: 'host',
	},
	cpu_count: { unit: 'count', kind: 'gauge', help: 'CPU cores', labels: [], collector: 'host' },
	// host: memory
	memory_total_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Memory installed',
		labels: [],
		collector: 'host',
	},
	memory_used_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Memory used (total less available)',
		labels: [],
		collector: 'host',
	},
	memory_available_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Memory available to new work without swapping',
		labels: [],
		collector: 'host',
	},
	memory_cached_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Page cache',
		labels: [],
		collector: 'host',
	},
	memory_buffers_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Block device buffers',
		labels: [],
		collector: 'host',
	},
	memory_used_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'Memory used, of the total',
		labels: [],
		collector: 'host',
		warning: 90,
		critical: 95,
	},
	swap_total_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Swap space',
		labels: [],
		collector: 'host',
	},
	swap_used_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Swap space used',
		labels: [],
		collector: 'host',
	},
	// host: filesystems
	filesystem_size_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Filesystem size',
		labels: FS,
		collector: 'host',
	},
	filesystem_used_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Filesystem space used',
		labels: FS,
		collector: 'host',
	},
	filesystem_free_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Filesystem space available to users',
		labels: FS,
		collector: 'host',
	},
	filesystem_used_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'Filesystem space used, of what users can have',
		labels: FS,
		collector: 'host',
		warning: 85,
		critical: 90,
	},
	filesystem_inodes_total: {
		unit: 'count',
		kind: 'gauge',
		help: 'Filesystem inodes',
		labels: FS,
		collector: 'host',
	},
	filesystem_inodes_used: {
		unit: 'count',
		kind: 'gauge',
		help: 'Filesystem inodes used',
		labels: FS,
		collector: 'host',
	},
	// host: disk I/O
	disk_read_bytes_per_second: {
		unit: 'bytes_per_second',
		kind: 'rate',
		help: 'Bytes read from the device',
		labels: ['device'],
		collector: 'host',
	},
	disk_write_bytes_per_second: {
		unit: 'bytes_per_second',
		kind: 'rate',
		help: 'Bytes written to the device',
		labels: ['device'],
		collector: 'host',
	},
	disk_reads_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Reads completed by the device',
		labels: ['device'],
		collector: 'host',
	},
	disk_writes_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Writes completed by the device',
		labels: ['device'],
		collector: 'host',
	},
	// host: network
	net_rx_bytes_per_second: {
		unit: 'bytes_per_second',
		kind: 'rate',
		help: 'Bytes received',
		labels: ['interface'],
		collector: 'host',
	},
	net_rx_packets_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Packets received',
		labels: ['interface'],
		collector: 'host',
	},
	net_rx_errors_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Receive errors',
		labels: ['interface'],
		collector: 'host',
	},
	net_rx_drops_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Received packets dropped',
		labels: ['interface'],
		collector: 'host',
	},
	net_tx_bytes_per_second: {
		unit: 'bytes_per_second',
		kind: 'rate',
		help: 'Bytes sent',
		labels: ['interface'],
		collector: 'host',
	},
	net_tx_packets_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Packets sent',
		labels: ['interface'],
		collector: 'host',
	},
	net_tx_errors_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Transmit errors',
		labels: ['interface'],
		collector: 'host',
	},
	net_tx_drops_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Packets dropped on sending',
		labels: ['interface'],
		collector: 'host',
	},
	// host: other
	uptime_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'Time since the host booted',
		labels: [],
		collector: 'host',
	},
	temperature_celsius: {
		unit: 'celsius',
		kind: 'gauge',
		help: 'Temperature of each sensor (hwmon, thermal zones)',
		labels: ['sensor'],
		collector: 'host',
	},
	process_count: {
		unit: 'count',
		kind: 'gauge',
		help: 'Processes running on the host',
		labels: [],
		collector: 'host',
	},
	// host: the container n8n runs in
	container_cpu_limit_cores: {
		unit: 'cores',
		kind: 'gauge',
		help: "The container's CPU limit (quota or cpuset)",
		labels: [],
		collector: 'host',
	},
	container_cpu_usage_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: "The container's CPU use, of one core",
		labels: [],
		collector: 'host',
	},
	container_memory_limit_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: "The container's memory limit",
		labels: [],
		collector: 'host',
	},
	container_memory_usage_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: "The container's memory use, page cache that can be dropped left out",
		labels: [],
		collector: 'host',
	},
	// every collector
	collector_up: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when the collection succeeded, 0 when it failed',
		labels: ['collector'],
		collector: '*',
	},
	collector_duration_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'How long the collection took',
		labels: ['collector'],
		collector: '*',
	},
	// gpu
	gpu_utilization_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'Time a kernel was running on the GPU',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_memory_utilization_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'Time GPU memory was being read or written',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_memory_total_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'GPU memory installed',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_memory_used_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'GPU memory used',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_memory_free_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'GPU memory free',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_memory_used_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'GPU memory used, of the total',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_temperature_celsius: {
		unit: 'celsius',
		kind: 'gauge',
		help: 'GPU core temperature',
		labels: GPU,
		collector: 'gpu',
		warning: 80,
		critical: 85,
	},
	gpu_power_draw_watts: {
		unit: 'watts',
		kind: 'gauge',
		help: 'GPU power draw',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_power_limit_watts: {
		unit: 'watts',
		kind: 'gauge',
		help: 'GPU power limit',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_fan_speed_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'GPU fan speed, of its maximum',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_clock_graphics_mhz: {
		unit: 'megahertz',
		kind: 'gauge',
		help: 'GPU graphics clock',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_clock_memory_mhz: {
		unit: 'megahertz',
		kind: 'gauge',
		help: 'GPU memory clock',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_pstate: {
		unit: 'number',
		kind: 'gauge',
		help: 'GPU performance state (0 fastest … 15 slowest)',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_throttled: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when the GPU clocks are held down (power, heat, slowdown)',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_ecc_errors_uncorrected_total: {
		unit: 'count',
		kind: 'counter',
		help: 'GPU memory errors that ECC could not correct',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_ecc_errors_corrected_total: {
		unit: 'count',
		kind: 'counter',
		help: 'GPU memory errors that ECC corrected',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_mig_enabled: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when the GPU is split into MIG instances',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_process_count: {
		unit: 'count',
		kind: 'gauge',
		help: 'Compute processes on the GPU',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_processes_memory_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'GPU memory used by compute processes',
		labels: GPU,
		collector: 'gpu',
	},
	gpu_count: { unit: 'count', kind: 'gauge', help: 'GPUs found', labels: [], collector: 'gpu' },
	// model servers
	model_server_up: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when the model server answered as expected, 0 when not',
		labels: SERVER,
		collector: 'model_server',
	},
	model_server_response_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: "The model server's response time to the collector",
		labels: SERVER,
		collector: 'model_server',
	},
	model_server_requests_running: {
		unit: 'count',
		kind: 'gauge',
		help: 'Requests being processed',
		labels: SERVER,
		collector: 'model_server',
	},
	model_server_requests_waiting: {
		unit: 'count',
		kind: 'gauge',
		help: 'Requests queued',
		labels: SERVER,
		collector: 'model_server',
	},
	model_server_kv_cache_usage_ratio: {
		unit: 'ratio',
		kind: 'gauge',
		help: 'KV cache used (0–1)',
		labels: SERVER,
		collector: 'model_server',
	},
	model_server_prompt_tokens_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Prompt tokens processed',
		labels: SERVER,
		collector: 'model_server',
	},
	model_server_generation_tokens_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Tokens generated',
		labels: SERVER,
		collector: 'model_server',
	},
	model_server_ttft_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'Time to first token over the last interval, by quantile',
		labels: [...SERVER, 'quantile'],
		collector: 'model_server',
	},
	model_server_e2e_latency_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'Request latency end to end over the last interval, by quantile',
		labels: [...SERVER, 'quantile'],
		collector: 'model_server',
	},
	model_server_models_loaded: {
		unit: 'count',
		kind: 'gauge',
		help: 'Models loaded',
		labels: SERVER,
		collector: 'model_server',
	},
	model_server_model_size_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Size of a loaded model',
		labels: [...SERVER, 'model'],
		collector: 'model_server',
	},
	model_server_model_vram_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'GPU memory a loaded model takes',
		labels: [...SERVER, 'model'],
		collector: 'model_server',
	},
	// containers of a Docker engine (or Podman's Docker-compatible socket)
	docker_container_up: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 while the container runs, 0 when it is created, paused, restarting or exited',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_healthy: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when its health check passes, 0 when it fails (only containers with a health check, once it has a verdict)',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_restarts_total: {
		unit: 'count',
		kind: 'counter',
		help: 'Restarts by its restart policy since it was created',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_exit_code: {
		unit: 'number',
		kind: 'gauge',
		help: 'Exit code of its last exit (0 while it runs after a clean start)',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_failed: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 while it is exited and its last exit was a failure: a non-zero exit code other than a stop (130, 137, 143), or killed by its memory limit',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_uptime_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'Time since it started (running containers)',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_cpu_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'CPU it uses, of the whole host (all cores)',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_cpu_limit_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'CPU it uses, of its own limit (--cpus or a CFS quota; only where one is set)',
		labels: CTR,
		collector: 'containers',
		warning: 90,
		critical: 95,
	},
	docker_container_cpu_limit_cores: {
		unit: 'cores',
		kind: 'gauge',
		help: 'Its CPU limit (--cpus or a CFS quota; only where one is set)',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_memory_used_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Memory it uses, less inactive page cache (as docker stats shows it)',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_memory_limit_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: "Its memory limit (the host's memory when none is set)",
		labels: CTR,
		collector: 'containers',
	},
	docker_container_memory_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'Memory it uses, of its limit',
		labels: CTR,
		collector: 'containers',
		warning: 90,
		critical: 95,
	},
	docker_container_net_rx_bytes_per_second: {
		unit: 'bytes_per_second',
		kind: 'rate',
		help: 'Bytes it received, all its networks',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_net_tx_bytes_per_second: {
		unit: 'bytes_per_second',
		kind: 'rate',
		help: 'Bytes it sent, all its networks',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_block_read_bytes_per_second: {
		unit: 'bytes_per_second',
		kind: 'rate',
		help: 'Bytes it read from block devices',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_block_write_bytes_per_second: {
		unit: 'bytes_per_second',
		kind: 'rate',
		help: 'Bytes it wrote to block devices',
		labels: CTR,
		collector: 'containers',
	},
	docker_container_pids: {
		unit: 'count',
		kind: 'gauge',
		help: 'Processes and threads in it',
		labels: CTR,
		collector: 'containers',
	},
	docker_engine_containers: {
		unit: 'count',
		kind: 'gauge',
		help: 'Containers the engine has, by state (running, paused, stopped)',
		labels: ['state'],
		collector: 'containers',
	},
	docker_engine_images: {
		unit: 'count',
		kind: 'gauge',
		help: 'Images the engine has',
		labels: [],
		collector: 'containers',
	},
	// endpoints
	endpoint_up: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when the check passed (status, content, certificate), 0 when not',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_status_code: {
		unit: 'number',
		kind: 'gauge',
		help: 'HTTP status code of the answer',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_dns_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'Name lookup',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_connect_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'TCP connection set-up',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_tls_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'TLS handshake',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_first_byte_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'From the request sent to the first byte of the answer',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_download_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'From the first byte to the last',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_total_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'The whole check, redirects included',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_response_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Size of the answer body',
		labels: ['endpoint'],
		collector: 'endpoint',
	},
	endpoint_cert_days_left: {
		unit: 'days',
		kind: 'gauge',
		help: 'Days until the first certificate on the way expires',
		labels: ['endpoint'],
		collector: 'endpoint',
		warning: 14,
		critical: 3,
		below: true,
	},
	// databases
	db_up: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when the database is reachable and answering, 0 when not',
		labels: DB,
		collector: 'database',
	},
	db_connect_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'Connection set-up, authentication included',
		labels: DB,
		collector: 'database',
	},
	db_query_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'Round trip of SELECT 1',
		labels: DB,
		collector: 'database',
	},
	db_connections: {
		unit: 'count',
		kind: 'gauge',
		help: 'Client sessions by state',
		labels: [...DB, 'state'],
		collector: 'database',
	},
	db_connections_total: {
		unit: 'count',
		kind: 'gauge',
		help: 'Client sessions',
		labels: DB,
		collector: 'database',
	},
	db_connections_max: {
		unit: 'count',
		kind: 'gauge',
		help: 'Sessions the server allows (max_connections)',
		labels: DB,
		collector: 'database',
	},
	db_connections_used_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: 'Client sessions, of the maximum',
		labels: DB,
		collector: 'database',
		warning: 85,
		critical: 95,
	},
	db_lock_waiting: {
		unit: 'count',
		kind: 'gauge',
		help: 'Sessions waiting on a lock',
		labels: DB,
		collector: 'database',
	},
	db_longest_transaction_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: "Age of the oldest open transaction (other than the collector's)",
		labels: DB,
		collector: 'database',
	},
	db_size_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Size of the database',
		labels: DB,
		collector: 'database',
	},
	db_table_size_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Size of a table with its indexes, top N tables',
		labels: [...DB, 'table'],
		collector: 'database',
	},
	db_table_rows: {
		unit: 'count',
		kind: 'gauge',
		help: 'Rows of a table (an estimate but on SQLite), top N tables',
		labels: [...DB, 'table'],
		collector: 'database',
	},
	db_growth_bytes_per_day: {
		unit: 'bytes_per_day',
		kind: 'gauge',
		help: 'Growth over 7 days of history, of the database or a table',
		labels: [...DB, 'table'],
		collector: 'database',
	},
	db_days_until_full: {
		unit: 'days',
		kind: 'gauge',
		help: 'Days until the size limit (or the disk) is reached at the 30-day trend',
		labels: [...DB, 'limit'],
		collector: 'database',
	},
	db_slow_queries_available: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when statement statistics could be read',
		labels: DB,
		collector: 'database',
	},
	db_cache_hit_ratio: {
		unit: 'ratio',
		kind: 'gauge',
		help: 'Reads served from the cache (0–1)',
		labels: DB,
		collector: 'database',
	},
	db_transactions_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Transactions committed',
		labels: DB,
		collector: 'database',
	},
	db_rollbacks_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Transactions rolled back',
		labels: DB,
		collector: 'database',
	},
	db_deadlocks_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Deadlocks',
		labels: DB,
		collector: 'database',
	},
	db_temp_files_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Temporary files (MySQL: on-disk temporary tables)',
		labels: DB,
		collector: 'database',
	},
	db_deadlocks_total: {
		unit: 'count',
		kind: 'counter',
		help: 'Deadlocks since the server started',
		labels: DB,
		collector: 'database',
	},
	db_queries_per_second: {
		unit: 'per_second',
		kind: 'rate',
		help: 'Statements received (MySQL Questions)',
		labels: DB,
		collector: 'database',
	},
	db_replication_lag_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'How far a replica is behind',
		labels: [...DB, 'replica'],
		collector: 'database',
	},
	sqlite_page_count: {
		unit: 'count',
		kind: 'gauge',
		help: 'Pages of the SQLite file',
		labels: DB,
		collector: 'database',
	},
	sqlite_freelist_count: {
		unit: 'count',
		kind: 'gauge',
		help: 'Unused pages of the SQLite file',
		labels: DB,
		collector: 'database',
	},
	sqlite_page_size_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: 'Page size of the SQLite file',
		labels: DB,
		collector: 'database',
	},
	sqlite_wal_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: "Size of the SQLite file's write-ahead log",
		labels: DB,
		collector: 'database',
	},
	// n8n
	n8n_executions_total: {
		unit: 'count',
		kind: 'gauge',
		help: 'Executions in the window, by workflow, status and kind (production, manual)',
		labels: ['workflow', 'status', 'kind'],
		collector: 'n8n',
	},
	n8n_execution_failure_rate: {
		unit: 'ratio',
		kind: 'gauge',
		help: 'Failed production executions in the window, of those finished (0–1)',
		labels: ['workflow'],
		collector: 'n8n',
		warning: 0.2,
		critical: 0.5,
	},
	n8n_execution_duration_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: 'Execution duration in the window (avg, p50, p95, max)',
		labels: ['workflow', 'quantile'],
		collector: 'n8n',
	},
	n8n_executions_running: {
		unit: 'count',
		kind: 'gauge',
		help: 'Executions running now',
		labels: [],
		collector: 'n8n',
	},
	n8n_executions_waiting: {
		unit: 'count',
		kind: 'gauge',
		help: 'Executions waiting now',
		labels: [],
		collector: 'n8n',
	},
	n8n_executions_stuck: {
		unit: 'count',
		kind: 'gauge',
		help: "Executions queued or running longer than their workflow's limit (Stuck After, else max(10 min, 3 × its p95)), or waiting past their resume time by that much",
		labels: ['workflow'],
		collector: 'n8n',
	},
	n8n_workflow_stalled: {
		unit: 'boolean',
		kind: 'gauge',
		help: '1 when an active workflow has not succeeded for twice its expected interval',
		labels: ['workflow'],
		collector: 'n8n',
	},
	n8n_api_up: {
		unit: 'boolean',
		kind: 'gauge',
		help: "1 when n8n's public API answered, 0 when not",
		labels: [],
		collector: 'n8n',
	},
	n8n_queue_jobs: {
		unit: 'count',
		kind: 'gauge',
		help: 'Queue-mode jobs by state',
		labels: ['state'],
		collector: 'n8n',
	},
	// n8n's own process, from its /metrics page (Process Health option, N8N_METRICS=true)
	n8n_process_cpu_percent: {
		unit: 'percent',
		kind: 'gauge',
		help: "CPU used by n8n's main process since the previous collection, % of one core",
		labels: [],
		collector: 'n8n',
	},
	n8n_process_memory_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: "Resident memory of n8n's main process",
		labels: [],
		collector: 'n8n',
	},
	n8n_heap_used_bytes: {
		unit: 'bytes',
		kind: 'gauge',
		help: "JavaScript heap in use in n8n's main process",
		labels: [],
		collector: 'n8n',
	},
	n8n_event_loop_lag_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: "Event-loop lag of n8n's main process (p99 since the previous sample): how long work waits to run",
		labels: [],
		collector: 'n8n',
		warning: 0.5,
		critical: 2,
	},
	n8n_open_files: {
		unit: 'count',
		kind: 'gauge',
		help: "Open file descriptors of n8n's main process",
		labels: [],
		collector: 'n8n',
	},
	n8n_active_workflows: {
		unit: 'count',
		kind: 'gauge',
		help: 'Active (published) workflows, as n8n counts them',
		labels: [],
		collector: 'n8n',
	},
	n8n_http_request_mean_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: "Mean time n8n's HTTP server took per request since the previous collection (N8N_METRICS_INCLUDE_API_ENDPOINTS=true)",
		labels: [],
		collector: 'n8n',
	},
	n8n_uptime_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: "Time since n8n's main process started",
		labels: [],
		collector: 'n8n',
	},
	n8n_database_pool: {
		unit: 'number',
		kind: 'gauge',
		help: "A figure of n8n's own database pool, by the name n8n's /metrics gives it (n8n 2.40.7 exports none)",
		labels: ['metric'],
		collector: 'n8n',
	},
	// The monitoring store's own Knex pool in the process that collected (with each n8n collection)
	store_pool_used: {
		unit: 'count',
		kind: 'gauge',
		help: "Connections of the monitoring store's pool in use when the n8n collection was stored",
		labels: ['store'],
		collector: 'n8n',
	},
	store_pool_free: {
		unit: 'count',
		kind: 'gauge',
		help: "Idle connections of the monitoring store's pool",
		labels: ['store'],
		collector: 'n8n',
	},
	store_pool_max: {
		unit: 'count',
		kind: 'gauge',
		help: "The monitoring store's pool size (1 on SQLite: one writer at a time)",
		labels: ['store'],
		collector: 'n8n',
	},
	store_pool_pending: {
		unit: 'count',
		kind: 'gauge',
		help: "Most queries waiting at once for a connection of the monitoring store's pool since the previous collection",
		labels: ['store'],
		collector: 'n8n',
		warning: 1,
		critical: 5,
	},
	store_pool_acquire_wait_seconds: {
		unit: 'seconds',
		kind: 'gauge',
		help: "Longest wait for a connection of the monitoring store's pool since the previous collection",
		labels: ['store'],
		collector: 'n8n',
		warning: 1,
		critical: 5,
	},
} as const satisfies Record<string, MetricInfo>;

export type MetricName = keyof typeof METRICS;

/** The catalog's entry for a name, or undefined for a series it does not know (any /metrics page). */
export function metricInfo(name: string): MetricInfo | undefined {
	return Object.hasOwn(METRICS, name) ? (METRICS as Record<string, MetricInfo>)[name] : undefined;
}

/** A figure's amber and red marks from the catalog, for thresholdStatus and the alert presets. */
export function thresholdsOf<N extends MetricName>(
	name: N,
): { warning: number; critical: number; below?: boolean } {
	const m: MetricInfo = METRICS[name];
	if (m.warning === undefined || m.critical === undefined)
		throw new Error(`the catalog gives ${name} no thresholds`);
	return { warning: m.warning, critical: m.critical, ...(m.below ? { below: true } : {}) };
}

/** How a unit is written after a value in messages (alerts, digests). */
export const UNIT_SYMBOLS: Record<MetricUnit, string> = {
	percent: '%',
	ratio: '',
	bytes: 'B',
	bytes_per_second: 'B/s',
	bytes_per_day: 'B/day',
	per_second: '/s',
	seconds: 's',
	days: 'days',
	celsius: '°C',
	watts: 'W',
	megahertz: 'MHz',
	cores: 'cores',
	count: '',
	number: '',
	boolean: '',
};

export function unitSymbol(name: MetricName): string {
	return UNIT_SYMBOLS[METRICS[name].unit];
}
