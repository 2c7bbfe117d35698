import fs from 'node:fs';
import path from 'node:path';

import { hasProcessFigures, processHealth, processSamples } from '../../core/n8n';

/** n8n's process health from the /metrics page of a real n8n 2.40.7 (test/fixtures/n8n). */
const PAGE = fs.readFileSync(
	path.join(__dirname, '..', 'fixtures', 'n8n', 'metrics-2.40.7.txt'),
	'utf8',
);
const AT = 1_796_215_900_000;
/** The page as a later read would show it: counters moved on. */
const later = (cpu: string, start = '1796215683', count = '6', sum = '0.23367513') =>
	PAGE.replace(/^n8n_process_cpu_seconds_total .*$/m, `n8n_process_cpu_seconds_total ${cpu}`)
		.replace(/^n8n_process_start_time_seconds .*$/m, `n8n_process_start_time_seconds ${start}`)
		.replace(
			/^n8n_http_request_duration_seconds_count .*$/m,
			`n8n_http_request_duration_seconds_count ${count}`,
		)
		.replace(
			/^n8n_http_request_duration_seconds_sum .*$/m,
			`n8n_http_request_duration_seconds_sum ${sum}`,
		);

test('reads the figures of a real page; no rates on a first read', () => {
	const h = processHealth(PAGE, AT);
	expect(h).toEqual({
		at: AT,
		version: 'v2.40.7',
		nodeVersion: 'v24.21.0',
		startedAt: 1_796_215_683_000,
		cpuSecondsTotal: 0.665724,
		cpuPercent: null,
		residentMemoryBytes: 741_502_976,
		heapUsedBytes: 384_539_248,
		heapTotalBytes: expect.any(Number),
		eventLoopLagP99Seconds: 0.125632511,
		openFds: 44,
		maxFds: expect.any(Number),
		// 2.40.7 has n8n_expression_pool_* (its expression sandboxes), but no database pool.
		pools: [],
		activeWorkflows: 0,
		leader: true,
		httpRequests: 6,
		httpSeconds: 0.23367513,
		httpMeanSeconds: null,
	});
	expect(h.heapTotalBytes!).toBeGreaterThan(h.heapUsedBytes!);
	expect(processSamples(h).map((s) => s.name)).toEqual([
		'n8n_process_memory_bytes',
		'n8n_heap_used_bytes',
		'n8n_event_loop_lag_seconds',
		'n8n_open_files',
		'n8n_active_workflows',
		'n8n_uptime_seconds',
	]);
	expect(processSamples(h).find((s) => s.name === 'n8n_uptime_seconds')?.value).toBe(217);
});

test('CPU % of one core and mean HTTP latency over the time since the previous read', () => {
	const first = processHealth(PAGE, AT);
	// 2.5 CPU seconds in 10 s; 4 requests that took 0.2 s in all.
	const second = processHealth(
		later('3.165724', undefined, '10', '0.43367513'),
		AT + 10_000,
		first,
	);
	expect(second.cpuPercent).toBe(25);
	expect(second.httpMeanSeconds).toBe(0.05);
	const samples = Object.fromEntries(processSamples(second).map((s) => [s.name, s.value]));
	expect(samples).toMatchObject({
		n8n_process_cpu_percent: 25,
		n8n_http_request_mean_seconds: 0.05,
	});
});

test('after a restart (another start time, or a counter that went back): no rate, no spike', () => {
	const first = processHealth(PAGE, AT);
	expect(processHealth(later('0.2', '1796215999'), AT + 10_000, first).cpuPercent).toBeNull();
	expect(processHealth(later('0.1'), AT + 10_000, first).cpuPercent).toBeNull();
	// No request in between: no mean, rather than 0 s.
	expect(processHealth(later('1'), AT + 10_000, first).httpMeanSeconds).toBeNull();
	// A clock that went back: no rate.
	expect(processHealth(later('1'), AT - 10_000, first).cpuPercent).toBeNull();
});

test('a page without the process metrics (N8N_METRICS_INCLUDE_DEFAULT_METRICS=false): only what it has', () => {
	const bare = '# TYPE n8n_version_info gauge\nn8n_version_info{version="v2.40.7"} 1\n';
	const h = processHealth(bare, AT);
	expect(h.version).toBe('v2.40.7');
	expect(h.residentMemoryBytes).toBeNull();
	expect(processSamples(h)).toEqual([]);
	// Still n8n's page: its version is a figure to show, so this is no "metrics off" reason.
	expect(hasProcessFigures(h)).toBe(true);
});

test("another exporter's page has none of n8n's figures", () => {
	const other = '# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 12\n';
	expect(hasProcessFigures(processHealth(other, AT))).toBe(false);
	expect(hasProcessFigures(processHealth(PAGE, AT))).toBe(true);
});

test('a cut page is an error, not zeros', () => {
	expect(() => processHealth(PAGE.slice(0, PAGE.length - 20), AT)).toThrow(/cut off/);
});

test("keeps n8n's database pool where a page has one (a variant of the real page), as n8n_database_pool", () => {
	// What a later n8n might add; 2.40.7's own n8n_expression_pool_* stay out (no database).
	const variant =
		PAGE +
		[
			'# HELP n8n_db_pool_connections_in_use Connections of the database pool in use.',
			'# TYPE n8n_db_pool_connections_in_use gauge',
			'n8n_db_pool_connections_in_use{database="postgresdb"} 7',
			'# HELP n8n_typeorm_pool_waiting Queries waiting for a pooled connection.',
			'# TYPE n8n_typeorm_pool_waiting gauge',
			'n8n_typeorm_pool_waiting 2',
			'# TYPE n8n_db_pool_acquire_seconds histogram',
			'n8n_db_pool_acquire_seconds_bucket{le="+Inf"} 3',
			'n8n_db_pool_acquire_seconds_sum 0.3',
			'n8n_db_pool_acquire_seconds_count 3',
			'',
		].join('\n');
	const h = processHealth(variant, AT);
	expect(h.pools).toEqual([
		{ metric: 'n8n_db_pool_connections_in_use', value: 7 },
		{ metric: 'n8n_typeorm_pool_waiting', value: 2 },
		{ metric: 'n8n_db_pool_acquire_seconds_sum', value: 0.3 },
		{ metric: 'n8n_db_pool_acquire_seconds_count', value: 3 },
	]);
	expect(processSamples(h).filter((s) => s.name === 'n8n_database_pool')).toEqual([
		{ name: 'n8n_database_pool', value: 7, labels: { metric: 'n8n_db_pool_connections_in_use' } },
		{ name: 'n8n_database_pool', value: 2, labels: { metric: 'n8n_typeorm_pool_waiting' } },
		{
			name: 'n8n_database_pool',
			value: 0.3,
			labels: { metric: 'n8n_db_pool_acquire_seconds_sum' },
		},
		{
			name: 'n8n_database_pool',
			value: 3,
			labels: { metric: 'n8n_db_pool_acquire_seconds_count' },
		},
	]);
	expect(processSamples(processHealth(PAGE, AT)).some((s) => s.name === 'n8n_database_pool')).toBe(
		false,
	);
});
