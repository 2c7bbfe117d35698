import fs from 'node:fs';
import path from 'node:path';

import { processHealth, processSamples } from '../../core/n8n';

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
});

test('a cut page is an error, not zeros', () => {
	expect(() => processHealth(PAGE.slice(0, PAGE.length - 20), AT)).toThrow(/cut off/);
});
