import type { ExecutionFact, WorkflowFigures } from '../../core/n8n';
import { executionFigures, stuckExecutions, STUCK_MIN_MS } from '../../core/n8n';

/** Which executions are stuck, on hand-made facts as the sync stores them. */
const MIN = 60_000;
const NOW = 1_800_000_000_000;
const BASE = 'http://n8n.local:5678';

const fact = (over: Partial<ExecutionFact>): ExecutionFact => ({
	id: '1',
	workflowId: 'w',
	status: 'success',
	mode: 'trigger',
	startedAt: NOW - 60 * MIN,
	stoppedAt: NOW - 59 * MIN,
	durationMs: MIN,
	waitedMs: 0,
	waitTill: null,
	...over,
});

const figures = (facts: ExecutionFact[]): Record<string, WorkflowFigures> =>
	executionFigures(facts, { now: NOW, windowMs: 24 * 60 * MIN }).workflows;

test('running longer than max(10 min, 3 × p95): stuck, with a link into the editor', () => {
	const facts = [
		fact({ id: '1' }), // p95 of w: 1 minute, so its limit is the 10-minute floor
		fact({
			id: '2',
			status: 'running',
			startedAt: NOW - 11 * MIN,
			stoppedAt: null,
			durationMs: null,
		}),
		fact({
			id: '3',
			status: 'running',
			startedAt: NOW - 9 * MIN,
			stoppedAt: null,
			durationMs: null,
		}),
	];
	const stuck = stuckExecutions(facts, figures(facts), { now: NOW, baseUrl: `${BASE}/` });
	expect(stuck).toEqual([
		{
			id: '2',
			workflowId: 'w',
			status: 'running',
			since: NOW - 11 * MIN,
			overMs: 11 * MIN,
			limitMs: STUCK_MIN_MS,
			link: `${BASE}/workflow/w/executions/2`,
		},
	]);
});

test('a workflow that always takes long gets a longer limit: 3 × its own p95', () => {
	const slow = [1, 2, 3].map((i) =>
		fact({ id: `s${i}`, workflowId: 'slow', durationMs: 20 * MIN, stoppedAt: NOW - 30 * MIN }),
	);
	const running = fact({
		id: 'r',
		workflowId: 'slow',
		status: 'running',
		startedAt: NOW - 50 * MIN,
		stoppedAt: null,
		durationMs: null,
	});
	const facts = [...slow, running];
	expect(stuckExecutions(facts, figures(facts), { now: NOW, baseUrl: BASE })).toEqual([]);
	// The node's Stuck After overrides it.
	expect(
		stuckExecutions(facts, figures(facts), { now: NOW, baseUrl: BASE, limitMs: 30 * MIN }).map(
			(s) => s.id,
		),
	).toEqual(['r']);
});

test('waiting: judged from its resume time; without one (a webhook or form wait) never', () => {
	const facts = [
		fact({ id: 'late', status: 'waiting', stoppedAt: null, waitTill: NOW - 15 * MIN }),
		fact({ id: 'soon', status: 'waiting', stoppedAt: null, waitTill: NOW + 60 * MIN }),
		fact({ id: 'form', status: 'waiting', stoppedAt: null, waitTill: null }),
		// queued without a start time: nothing to judge from yet
		fact({ id: 'queued', status: 'new', startedAt: null, stoppedAt: null }),
		// finished ones are never stuck, however long they took
		fact({
			id: 'done',
			workflowId: 'other',
			status: 'success',
			startedAt: NOW - 300 * MIN,
			durationMs: 200 * MIN,
		}),
	];
	expect(
		stuckExecutions(facts, figures(facts), { now: NOW, baseUrl: BASE }).map((s) => s.id),
	).toEqual(['late']);
});
