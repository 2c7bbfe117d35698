import { thresholdsOf, unitSymbol, type MetricName } from '../catalog/metrics';
import type { AlertRule } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type Preset = Omit<AlertRule, 'key' | 'repeatMs'> & { description: string };

/** A metric's name, checked against the catalog. */
const metric = <N extends MetricName>(name: N): N => name;

// The presets fire where the overview's lights turn: a warning preset at the amber mark, a
// critical one at the red.
const CPU = thresholdsOf('cpu_usage_percent');
const MEMORY = thresholdsOf('memory_used_percent');
const DISK = thresholdsOf('filesystem_used_percent');
const GPU_TEMPERATURE = thresholdsOf('gpu_temperature_celsius');
const DB_CONNECTIONS = thresholdsOf('db_connections_used_percent');
const FAILURE_RATE = thresholdsOf('n8n_execution_failure_rate');
const CERT = thresholdsOf('endpoint_cert_days_left');
const CONTAINER_MEMORY = thresholdsOf('docker_container_memory_percent');
const POOL_PENDING = thresholdsOf('store_pool_pending');
const ANOMALY_LEVEL = 5;
const ANOMALY_RESOLVE = 3;

/**
 * Ready-made rules for what every operator watches. Thresholds follow the dashboard's amber and
 * red marks where there are some; each can be overridden on the trigger.
 */
export const PRESETS = {
	cpuHigh: {
		name: 'CPU busy',
		description: `CPU (all cores) above ${CPU.warning} % on average over 5 minutes, for 5 minutes`,
		source: {
			kind: 'metric',
			metric: metric('cpu_usage_percent'),
			labels: { cpu: 'total' },
			aggregation: 'avg',
			windowMs: 5 * MINUTE,
		},
		comparison: '>',
		threshold: CPU.warning,
		resolveThreshold: 80,
		forMs: 5 * MINUTE,
		severity: 'warning',
		unit: unitSymbol('cpu_usage_percent'),
	},
	memoryHigh: {
		name: 'Memory almost used up',
		description: `Memory used above ${MEMORY.warning} % on average over 5 minutes, for 5 minutes`,
		source: {
			kind: 'metric',
			metric: metric('memory_used_percent'),
			aggregation: 'avg',
			windowMs: 5 * MINUTE,
		},
		comparison: '>',
		threshold: MEMORY.warning,
		resolveThreshold: 85,
		forMs: 5 * MINUTE,
		severity: 'warning',
		unit: unitSymbol('memory_used_percent'),
	},
	diskFull: {
		name: 'Filesystem almost full',
		description: `Any filesystem more than ${DISK.critical} % used`,
		source: {
			kind: 'metric',
			metric: metric('filesystem_used_percent'),
			aggregation: 'last',
			windowMs: 15 * MINUTE,
		},
		comparison: '>',
		threshold: DISK.critical,
		resolveThreshold: 85,
		forMs: 0,
		severity: 'critical',
		unit: unitSymbol('filesystem_used_percent'),
	},
	diskFillingSoon: {
		name: 'Filesystem filling up',
		description: 'Any filesystem full within 7 days, by the trend of the last 24 hours',
		source: {
			kind: 'metric',
			metric: metric('filesystem_used_percent'),
			aggregation: 'daysUntil',
			windowMs: 24 * HOUR,
			limit: 100,
		},
		comparison: '<',
		threshold: 7,
		resolveThreshold: 10,
		forMs: 30 * MINUTE,
		severity: 'warning',
		unit: 'days',
	},
	gpuHot: {
		name: 'GPU hot',
		description: `Any GPU above ${GPU_TEMPERATURE.critical} °C on average over 5 minutes, for 2 minutes`,
		source: {
			kind: 'metric',
			metric: metric('gpu_temperature_celsius'),
			aggregation: 'avg',
			windowMs: 5 * MINUTE,
		},
		comparison: '>',
		threshold: GPU_TEMPERATURE.critical,
		resolveThreshold: 80,
		forMs: 2 * MINUTE,
		severity: 'critical',
		unit: unitSymbol('gpu_temperature_celsius'),
	},
	endpointDown: {
		name: 'Endpoint down',
		description: 'Any endpoint failing 3 checks in a row',
		source: {
			kind: 'metric',
			metric: metric('endpoint_up'),
			aggregation: 'consecutiveZero',
			windowMs: HOUR,
		},
		comparison: '>=',
		threshold: 3,
		resolveThreshold: 1,
		forMs: 0,
		severity: 'critical',
		unit: 'failed checks',
	},
	certificateExpiring: {
		name: 'Certificate expiring',
		description: `Any TLS certificate expiring within ${CERT.warning} days`,
		source: {
			kind: 'metric',
			metric: metric('endpoint_cert_days_left'),
			aggregation: 'last',
			windowMs: 2 * HOUR,
		},
		comparison: '<',
		threshold: CERT.warning,
		resolveThreshold: CERT.warning,
		forMs: 0,
		severity: 'warning',
		unit: unitSymbol('endpoint_cert_days_left'),
	},
	workflowFailureRate: {
		name: 'Workflow failing',
		description: `Any workflow failing more than ${FAILURE_RATE.warning * 100} % of its production runs`,
		source: {
			kind: 'metric',
			metric: metric('n8n_execution_failure_rate'),
			aggregation: 'last',
			windowMs: 30 * MINUTE,
		},
		comparison: '>',
		threshold: FAILURE_RATE.warning,
		resolveThreshold: 0.1,
		forMs: 0,
		severity: 'warning',
	},
	workflowStalled: {
		name: 'Workflow stalled',
		description: 'Any active workflow whose last success is overdue',
		source: {
			kind: 'metric',
			metric: metric('n8n_workflow_stalled'),
			aggregation: 'last',
			windowMs: HOUR,
		},
		comparison: '>=',
		threshold: 1,
		forMs: 0,
		severity: 'warning',
	},
	executionStuck: {
		name: 'Execution stuck',
		description:
			"Any workflow with an execution queued or running far longer than usual (max(10 min, 3 × its p95), or the n8n node's Stuck After), or waiting past its resume time",
		source: {
			kind: 'metric',
			metric: metric('n8n_executions_stuck'),
			aggregation: 'last',
			windowMs: 30 * MINUTE,
		},
		comparison: '>',
		threshold: 0,
		forMs: 0,
		severity: 'warning',
	},
	poolExhausted: {
		name: 'Store pool exhausted',
		description: `Queries waiting for a connection of the monitoring store's pool (at least ${POOL_PENDING.warning}) at every collection of the last 5 minutes: every connection stays in use (on SQLite: the one writer)`,
		source: {
			kind: 'metric',
			metric: metric('store_pool_pending'),
			// The lowest of the window: one busy minute is no exhaustion, a stretch of them is.
			aggregation: 'min',
			windowMs: 5 * MINUTE,
		},
		comparison: '>=',
		threshold: POOL_PENDING.warning,
		forMs: 0,
		severity: 'warning',
	},
	workflowWithoutSuccess: {
		name: 'Workflow without success',
		description: 'Any workflow without a successful run for 24 hours',
		source: { kind: 'workflowWithoutSuccess' },
		comparison: '>',
		threshold: 24,
		forMs: 0,
		severity: 'warning',
		unit: 'h',
	},
	databaseConnections: {
		name: 'Database connections near the maximum',
		description: `Any database using more than ${DB_CONNECTIONS.warning} % of its connection limit`,
		source: {
			kind: 'metric',
			metric: metric('db_connections_used_percent'),
			aggregation: 'max',
			windowMs: 10 * MINUTE,
		},
		comparison: '>',
		threshold: DB_CONNECTIONS.warning,
		resolveThreshold: DB_CONNECTIONS.warning - 10,
		forMs: 5 * MINUTE,
		severity: 'warning',
		unit: unitSymbol('db_connections_used_percent'),
	},
	databaseDown: {
		name: 'Database down',
		description: 'Any database failing 2 checks in a row',
		source: {
			kind: 'metric',
			metric: metric('db_up'),
			aggregation: 'consecutiveZero',
			windowMs: HOUR,
		},
		comparison: '>=',
		threshold: 2,
		resolveThreshold: 1,
		forMs: 0,
		severity: 'critical',
		unit: 'failed checks',
	},
	modelServerDown: {
		name: 'Model server down',
		description: 'Any model server failing 2 checks in a row',
		source: {
			kind: 'metric',
			metric: metric('model_server_up'),
			aggregation: 'consecutiveZero',
			windowMs: HOUR,
		},
		comparison: '>=',
		threshold: 2,
		resolveThreshold: 1,
		forMs: 0,
		severity: 'critical',
		unit: 'failed checks',
	},
	containerRestarted: {
		name: 'Container restarted',
		description: 'Any container restarted by its restart policy in the last 15 minutes',
		source: {
			kind: 'metric',
			metric: metric('docker_container_restarts_total'),
			aggregation: 'rate',
			windowMs: 15 * MINUTE,
		},
		comparison: '>',
		threshold: 0,
		forMs: 0,
		severity: 'warning',
		unit: 'restarts/min',
	},
	containerUnhealthy: {
		name: 'Container unhealthy',
		description: 'Any container failing its health check 2 collections in a row',
		source: {
			kind: 'metric',
			metric: metric('docker_container_healthy'),
			aggregation: 'consecutiveZero',
			windowMs: HOUR,
		},
		comparison: '>=',
		threshold: 2,
		resolveThreshold: 1,
		forMs: 0,
		severity: 'critical',
		unit: 'failed checks',
	},
	containerExitedNonZero: {
		name: 'Container exited with an error',
		description:
			'Any container that exited with a failure: a non-zero exit code, or killed by its memory limit. A docker stop (exit 143 or 137) is not a failure',
		source: {
			kind: 'metric',
			metric: metric('docker_container_failed'),
			aggregation: 'last',
			windowMs: 15 * MINUTE,
		},
		comparison: '>',
		threshold: 0,
		forMs: 0,
		severity: 'warning',
	},
	containerMemoryHigh: {
		name: 'Container near its memory limit',
		description: `Any container using more than ${CONTAINER_MEMORY.warning} % of its memory limit on average over 5 minutes, for 5 minutes`,
		source: {
			kind: 'metric',
			metric: metric('docker_container_memory_percent'),
			aggregation: 'avg',
			windowMs: 5 * MINUTE,
		},
		comparison: '>',
		threshold: CONTAINER_MEMORY.warning,
		resolveThreshold: 85,
		forMs: 5 * MINUTE,
		severity: 'warning',
		unit: unitSymbol('docker_container_memory_percent'),
	},
	// Anomaly presets: the value is how unusual the last hour is for its hour of the week (in
	// spreads; core/analysis/anomaly.ts); 5 is where bench/anomaly-eval.js found about 0.1 false
	// alarms per series-week. They wait (no value, never a firing) until 3 days of history exist.
	cpuUnusual: {
		name: 'CPU unusually high for the hour',
		description:
			'CPU (all cores) over the last hour far above what is usual for that hour of the week, for 15 minutes',
		source: {
			kind: 'metric',
			metric: metric('cpu_usage_percent'),
			labels: { cpu: 'total' },
			aggregation: 'anomaly',
			direction: 'up',
			windowMs: HOUR,
			minHistoryHours: 72,
			minSpread: 2,
		},
		comparison: '>=',
		threshold: ANOMALY_LEVEL,
		resolveThreshold: ANOMALY_RESOLVE,
		forMs: 15 * MINUTE,
		severity: 'warning',
		unit: unitSymbol('cpu_usage_percent'),
	},
	networkUnusual: {
		name: 'Unusual network traffic',
		description:
			'Bytes received on any interface over the last hour far above or below what is usual for that hour of the week, for 15 minutes',
		source: {
			kind: 'metric',
			metric: metric('net_rx_bytes_per_second'),
			aggregation: 'anomaly',
			direction: 'both',
			windowMs: HOUR,
			minHistoryHours: 72,
			minSpread: 1024,
		},
		comparison: '>=',
		threshold: ANOMALY_LEVEL,
		resolveThreshold: ANOMALY_RESOLVE,
		forMs: 15 * MINUTE,
		severity: 'warning',
		unit: unitSymbol('net_rx_bytes_per_second'),
	},
	endpointLatencyUnusual: {
		name: 'Endpoint latency unusual',
		description:
			'Any endpoint answering far slower over the last hour than is usual for that hour of the week, for 15 minutes',
		source: {
			kind: 'metric',
			metric: metric('endpoint_total_seconds'),
			aggregation: 'anomaly',
			direction: 'up',
			windowMs: HOUR,
			minHistoryHours: 72,
			minSpread: 0.005,
		},
		comparison: '>=',
		threshold: ANOMALY_LEVEL,
		resolveThreshold: ANOMALY_RESOLVE,
		forMs: 15 * MINUTE,
		severity: 'warning',
		unit: unitSymbol('endpoint_total_seconds'),
	},
	workflowRunsLess: {
		name: 'Workflow runs far less than usual',
		description:
			'Any workflow with far fewer successful production runs over the last hour than usual for that hour of the week (a silent slowdown a fixed rule misses), for 30 minutes',
		source: {
			kind: 'metric',
			metric: metric('n8n_executions_total'),
			labels: { kind: 'production', status: 'success' },
			aggregation: 'anomaly',
			direction: 'down',
			windowMs: HOUR,
			minHistoryHours: 72,
			minSpread: 1,
		},
		comparison: '>=',
		threshold: ANOMALY_LEVEL,
		resolveThreshold: ANOMALY_RESOLVE,
		forMs: 30 * MINUTE,
		severity: 'warning',
		unit: 'runs',
	},
	hostSilent: {
		name: 'Host stopped reporting',
		description: 'Any host whose host collector has not run for 5 minutes',
		source: { kind: 'silentHost', collector: 'host' },
		comparison: '>',
		threshold: 5,
		forMs: 0,
		severity: 'critical',
		unit: 'min',
	},
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export function isPreset(name: string): name is PresetName {
	return Object.hasOwn(PRESETS, name);
}
