import {
	durationFigures,
	type ExecutionFact,
	executionFigures,
	queueMetrics,
	scheduleIntervalMs,
	stalledWorkflows,
} from '../../core/n8n/figures';
import type { N8nWorkflow } from '../../core/n8n/client';
import { toSamples } from '../../core/n8n';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

let nextId = 1;
function run(partial: Partial<ExecutionFact> & { workflowId: string }): ExecutionFact {
	const startedAt = partial.startedAt ?? NOW - HOUR;
	const durationMs = partial.durationMs === undefined ? 1000 : partial.durationMs;
	return {
		id: String(nextId++),
		status: 'success',
		mode: 'webhook',
		startedAt,
		stoppedAt: durationMs === null ? null : startedAt + durationMs,
		durationMs,
		waitedMs: 0,
		...partial,
	};
}

describe('durationFigures (nearest-rank percentiles)', () => {
	it('gives exact avg, p50, p95 and max of 1..20 s', () => {
		const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 1000);
		// p50: ceil(0.5*20)=10th value; p95: ceil(0.95*20)=19th value.
		expect(durationFigures(values)).toEqual({
			count: 20,
			avg: 10_500,
			p50: 10_000,
			p95: 19_000,
			max: 20_000,
		});
	});

	it('takes the maximum as p95 below 20 values and the only value for one', () => {
		expect(durationFigures([300, 100, 200])).toEqual({
			count: 3,
			avg: 200,
			p50: 200,
			p95: 300,
			max: 300,
		});
		expect(durationFigures([42])).toMatchObject({ p50: 42, p95: 42, max: 42 });
		expect(durationFigures([])).toEqual({ count: 0, avg: null, p50: null, p95: null, max: null });
	});
});

describe('executionFigures', () => {
	const rows: ExecutionFact[] = [
		// workflow A: 3 successes, 1 error, 1 crashed in production; 2 manual (1 success, 1 error)
		run({ workflowId: 'A', durationMs: 1000 }),
		run({ workflowId: 'A', durationMs: 2000 }),
		run({ workflowId: 'A', durationMs: 3000 }),
		run({ workflowId: 'A', status: 'error', durationMs: 4000 }),
		run({ workflowId: 'A', status: 'crashed', durationMs: 10_000 }),
		run({ workflowId: 'A', mode: 'manual', durationMs: 99_000 }),
		run({ workflowId: 'A', mode: 'manual', status: 'error' }),
		// outside the 24 h window: not counted
		run({ workflowId: 'A', startedAt: NOW - 25 * HOUR, status: 'error' }),
		// workflow B: one running now, one waiting that started 2 days ago (counts as waiting now),
		// one success that waited 60 s of its 61 s (duration counted as 1 s)
		run({ workflowId: 'B', status: 'running', durationMs: null }),
		run({ workflowId: 'B', status: 'waiting', durationMs: null, startedAt: NOW - 48 * HOUR }),
		run({ workflowId: 'B', durationMs: 61_000, waitedMs: 60_000 }),
		run({ workflowId: 'B', status: 'canceled', durationMs: 500 }),
	];
	const figures = executionFigures(rows, { now: NOW, windowMs: 24 * HOUR });

	it('counts production and manual runs apart, failures = error + crashed', () => {
		const a = figures.workflows.A;
		expect(a.production).toEqual({
			runs: 5,
			successes: 3,
			failures: 2,
			other: 0,
			failureRate: 0.4,
			byStatus: { success: 3, error: 1, crashed: 1 },
		});
		expect(a.manual).toMatchObject({ runs: 2, successes: 1, failures: 1, failureRate: 0.5 });
		// Manual runs stay out of durations: 1,2,3,4,10 s.
		expect(a.durationMs).toEqual({ count: 5, avg: 4000, p50: 3000, p95: 10_000, max: 10_000 });
	});

	it('counts running and waiting now, and leaves waiting time out of durations', () => {
		const b = figures.workflows.B;
		expect(b.running).toBe(1);
		expect(b.waiting).toBe(1);
		expect(b.production).toMatchObject({
			runs: 3, // running, success, canceled (the waiting one started before the window)
			successes: 1,
			failures: 0,
			other: 2,
			failureRate: 0,
		});
		expect(b.durationMs).toEqual({ count: 2, avg: 750, p50: 500, p95: 1000, max: 1000 });
	});

	it('adds the workflows up overall', () => {
		expect(figures.overall.production).toMatchObject({ runs: 8, successes: 4, failures: 2 });
		expect(figures.overall.production.failureRate).toBeCloseTo(2 / 6, 12);
		expect(figures.overall.manual.runs).toBe(2);
		expect(figures.overall.running).toBe(1);
		expect(figures.overall.waiting).toBe(1);
		expect(figures.overall.durationMs.count).toBe(7);
		expect(figures.overall.durationMs.max).toBe(10_000);
	});

	it('turns into samples keyed by workflow id', () => {
		const samples = toSamples(figures, [], {});
		const find = (name: string, labels: Record<string, string>) =>
			samples.find(
				(s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
			)?.value;
		expect(
			find('n8n_executions_total', { workflow: 'A', status: 'success', kind: 'production' }),
		).toBe(3);
		expect(find('n8n_executions_total', { workflow: 'A', status: 'error', kind: 'manual' })).toBe(
			1,
		);
		expect(find('n8n_execution_failure_rate', { workflow: 'A' })).toBe(0.4);
		expect(find('n8n_execution_duration_seconds', { workflow: 'A', quantile: 'p95' })).toBe(10);
		expect(find('n8n_executions_running', {})).toBe(1);
		expect(find('n8n_api_up', {})).toBe(1);
		expect(
			toSamples(figures, [], { error: 'x', errorSource: 'api' }).find(
				(s) => s.name === 'n8n_api_up',
			)?.value,
		).toBe(0);
	});
});

function workflow(
	id: string,
	rule: unknown,
	extra: Partial<N8nWorkflow> = {},
	triggerExtra: Record<string, unknown> = {},
): N8nWorkflow {
	return {
		id,
		name: `wf ${id}`,
		active: true,
		updatedAt: new Date(NOW - 10 * 24 * HOUR).toISOString(),
		nodes: [
			{
				name: 'Schedule',
				type: 'n8n-nodes-base.scheduleTrigger',
				parameters: { rule },
				...triggerExtra,
			},
			{ name: 'Set', type: 'n8n-nodes-base.set', parameters: {} },
		],
		...extra,
	};
}

describe('scheduleIntervalMs', () => {
	it('reads simple second, minute and hour intervals, with n8n defaults', () => {
		expect(
			scheduleIntervalMs(workflow('1', { interval: [{ field: 'seconds', secondsInterval: 5 }] })),
		).toBe(5000);
		expect(
			scheduleIntervalMs(workflow('1', { interval: [{ field: 'minutes', minutesInterval: 15 }] })),
		).toBe(15 * MIN);
		expect(
			scheduleIntervalMs(workflow('1', { interval: [{ field: 'hours', hoursInterval: 2 }] })),
		).toBe(2 * HOUR);
		expect(scheduleIntervalMs(workflow('1', { interval: [{ field: 'minutes' }] }))).toBe(5 * MIN);
	});

	it('does not judge days (the node default), cron, several rules, expressions or no trigger', () => {
		expect(scheduleIntervalMs(workflow('1', { interval: [{}] }))).toBeNull();
		expect(
			scheduleIntervalMs(
				workflow('1', { interval: [{ field: 'cronExpression', expression: '* * * * *' }] }),
			),
		).toBeNull();
		expect(
			scheduleIntervalMs(
				workflow('1', {
					interval: [
						{ field: 'minutes', minutesInterval: 5 },
						{ field: 'hours', hoursInterval: 1 },
					],
				}),
			),
		).toBeNull();
		expect(
			scheduleIntervalMs(
				workflow('1', { interval: [{ field: 'minutes', minutesInterval: '={{ 5 }}' }] }),
			),
		).toBeNull();
		expect(scheduleIntervalMs({ nodes: [{ type: 'n8n-nodes-base.webhook' }] })).toBeNull();
		expect(
			scheduleIntervalMs(
				workflow(
					'1',
					{ interval: [{ field: 'minutes', minutesInterval: 1 }] },
					{},
					{ disabled: true },
				),
			),
		).toBeNull();
	});
});

describe('stalledWorkflows', () => {
	const everyMinute = { interval: [{ field: 'minutes', minutesInterval: 1 }] };
	it('judges against the schedule with a grace of 2 intervals', () => {
		const result = stalledWorkflows(
			[
				workflow('fresh', everyMinute),
				workflow('late', everyMinute),
				workflow('edge', everyMinute),
			],
			{ fresh: NOW - 90_000, late: NOW - 121_000, edge: NOW - 120_000 },
			{ now: NOW },
		);
		expect(result.map((r) => [r.workflowId, r.source, r.expectedIntervalMs, r.stalled])).toEqual([
			['fresh', 'schedule', MIN, false],
			['late', 'schedule', MIN, true],
			['edge', 'schedule', MIN, false],
		]);
	});

	it('does not judge a workflow whose successful runs n8n does not save (the starters)', () => {
		const unsaved: N8nWorkflow = {
			...workflow('quiet', everyMinute),
			settings: { saveDataSuccessExecution: 'none' },
		};
		const saved: N8nWorkflow = {
			...workflow('kept', everyMinute),
			settings: { saveDataSuccessExecution: 'all' },
		};
		// Neither has a stored success; only the one whose successes would be stored is stalled.
		const result = stalledWorkflows([unsaved, saved], {}, { now: NOW + 10 * MIN });
		expect(result.map((r) => [r.workflowId, r.source, r.stalled])).toEqual([
			['quiet', 'unsaved', null],
			['kept', 'schedule', true],
		]);
	});

	it('prefers the user interval, skips inactive workflows, and does not judge unknown ones', () => {
		const webhookOnly: N8nWorkflow = {
			id: 'hook',
			name: 'hook',
			active: true,
			nodes: [{ type: 'n8n-nodes-base.webhook' }],
		};
		const result = stalledWorkflows(
			[workflow('user', everyMinute), workflow('off', everyMinute, { active: false }), webhookOnly],
			{ user: NOW - 30 * MIN, off: 0, hook: 0 },
			{ now: NOW, expectedIntervals: { user: HOUR } },
		);
		expect(result).toEqual([
			{
				workflowId: 'user',
				name: 'wf user',
				source: 'user',
				expectedIntervalMs: HOUR,
				lastSuccessAt: NOW - 30 * MIN,
				since: NOW - 30 * MIN,
				stalled: false,
			},
			{
				workflowId: 'hook',
				name: 'hook',
				source: 'none',
				expectedIntervalMs: null,
				lastSuccessAt: 0,
				since: 0,
				stalled: null,
			},
		]);
	});

	it('measures a workflow without any success from its last save', () => {
		const justSaved = workflow('new', everyMinute, {
			updatedAt: new Date(NOW - 30_000).toISOString(),
		});
		const longAgo = workflow('old', everyMinute);
		const result = stalledWorkflows([justSaved, longAgo], {}, { now: NOW });
		expect(result.map((r) => r.stalled)).toEqual([false, true]);
		expect(result[1].lastSuccessAt).toBeNull();
	});
});

describe('queueMetrics', () => {
	it("reads n8n's queue gauges and counters by state", () => {
		const text = [
			'# HELP n8n_scaling_mode_queue_jobs_waiting Current number of enqueued jobs waiting for pickup in scaling mode.',
			'# TYPE n8n_scaling_mode_queue_jobs_waiting gauge',
			'n8n_scaling_mode_queue_jobs_waiting 7',
			'# HELP n8n_scaling_mode_queue_jobs_active Current number of jobs being processed across all workers in scaling mode.',
			'# TYPE n8n_scaling_mode_queue_jobs_active gauge',
			'n8n_scaling_mode_queue_jobs_active 3',
			'# HELP n8n_scaling_mode_queue_jobs_completed Total number of jobs completed across all workers in scaling mode since instance start.',
			'# TYPE n8n_scaling_mode_queue_jobs_completed counter',
			'n8n_scaling_mode_queue_jobs_completed 1250',
			'# HELP n8n_scaling_mode_queue_jobs_failed Total number of jobs failed across all workers in scaling mode since instance start.',
			'# TYPE n8n_scaling_mode_queue_jobs_failed counter',
			'n8n_scaling_mode_queue_jobs_failed 4',
			'# TYPE n8n_active_workflow_count gauge',
			'n8n_active_workflow_count 12',
			'',
		].join('\n');
		expect(queueMetrics(text)).toEqual({ waiting: 7, active: 3, completed: 1250, failed: 4 });
	});

	it('is empty without queue mode and throws on a cut page', () => {
		expect(
			queueMetrics('# TYPE n8n_version_info gauge\nn8n_version_info{version="v2.40.7"} 1\n'),
		).toEqual({});
		expect(() =>
			queueMetrics('n8n_scaling_mode_queue_jobs_waiting 7\nn8n_scaling_mode_que'),
		).toThrow(/cut off/);
	});
});
