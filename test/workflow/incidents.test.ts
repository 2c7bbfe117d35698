import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { buildRule, pollAlerts } from '../../core/alerts';
import type { AlertEvent } from '../../core/model';
import { listIncidents } from '../../core/query';
import { closeAllStores, MonitoringStore } from '../../core/store';
import { makeCollection } from '../helpers/collections';
import {
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';

/**
 * The Alert resource's incident operations inside workflows run by n8n-core's WorkflowExecute,
 * over a real SQLite store: a trigger's poll reports an endpoint down and a workflow posts an
 * update with the event's alertId; an incident opened by hand, updated and resolved; both
 * listed; bad input refused with what to do.
 */
const MIN = 60_000;
let tmp: string;
let db: string;

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-incidents-'));
	db = path.join(tmp, 'store.sqlite');
	const store = await MonitoringStore.open({ type: 'sqlite', filename: db });
	const now = Date.now();
	// The api endpoint on host shop-1 failed its last five checks.
	for (let i = 5; i >= 0; i--) {
		const c = makeCollection(now - i * MIN, 1, {
			host: 'shop-1',
			collector: 'endpoint',
			metric: 'endpoint_up',
			value: () => (i < 5 ? 0 : 1),
		});
		c.samples[0].labels = { endpoint: 'api' };
		await store.writeCollection(c);
	}
	await store.close();
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

const env = () => ({ N8N_MONITORING_SQLITE_PATH: db });

const node = (name: string, x: number, parameters: Record<string, unknown>) => ({
	id: `c0000000-0000-4000-8000-00000000000${x}`,
	name,
	type: 'n8n-nodes-monitoring.monitoring',
	typeVersion: 2,
	position: [x * 220, 0],
	parameters: { resource: 'alert', ...parameters },
});

/** Manual Trigger → one Monitoring node with these parameters. */
function alertWorkflow(parameters: Record<string, unknown>): WorkflowJson {
	return {
		id: 'wfTestIncidents',
		name: 'Incidents (workflow test)',
		nodes: [
			{
				id: 'c0000000-0000-4000-8000-000000000000',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			node('Monitoring', 1, parameters),
		],
		connections: { Start: { main: [[{ node: 'Monitoring', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowJson;
}

const run = async (parameters: Record<string, unknown>) => {
	const result = await runWorkflow(alertWorkflow(parameters), { env: env() });
	expect(result.error).toBeUndefined();
	return result.items.Monitoring;
};

test("a trigger's event hands its alertId to Post Incident Update, which returns the incident", async () => {
	// The poll a Monitoring Trigger runs (n8n calls it apart from the execution it then starts
	// with the events, which the in-process runner cannot do): the event is the one it hands over.
	const store = await MonitoringStore.open({ type: 'sqlite', filename: db });
	let event: AlertEvent;
	try {
		const poll = await pollAlerts(store, {
			scope: 'wfTestIncidentTrigger:trigger',
			rules: [buildRule({ preset: 'endpointDown' })],
			includeWorkflowAlerts: false,
			cursor: 0,
			now: Date.now(),
		});
		expect(poll.events.map((e) => [e.status, e.host, e.labels])).toEqual([
			['firing', 'shop-1', { endpoint: 'api' }],
		]);
		event = poll.events[0];
	} finally {
		await store.close();
	}
	const wf = {
		id: 'wfTestIncidentTrigger',
		name: 'Trigger event then update (workflow test)',
		nodes: [
			{
				id: 'c0000000-0000-4000-8000-000000000000',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'c0000000-0000-4000-8000-000000000008',
				name: 'Trigger Event',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify(event), options: {} },
			},
			node('Post Update', 2, {
				operation: 'postIncidentUpdate',
				incidentId: '={{ $json.alertId }}',
				incidentStatus: 'investigating',
				incidentMessage: '=Checkout API is failing for some customers ({{ $json.status }}).',
				updateOptions: { author: 'On-call' },
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Trigger Event', type: 'main', index: 0 }]] },
			'Trigger Event': { main: [[{ node: 'Post Update', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowJson;
	const result = await runWorkflow(wf, { env: env() });
	expect(result.error).toBeUndefined();
	const [incident] = result.items['Post Update'];
	expect(incident).toMatchObject({
		id: `a${event.alertId}`,
		source: 'alerts',
		open: true,
		severity: 'critical',
		targets: [{ kind: 'endpoint', host: 'shop-1', name: 'api' }],
		alertIds: [event.alertId],
		resolvedAt: null,
	});
	expect(
		(incident.timeline as Array<Record<string, unknown>>).map((e) => [
			e.kind,
			e.status ?? null,
			e.message ?? null,
			e.author ?? null,
		]),
	).toEqual([
		['down', null, null, null],
		['update', 'investigating', 'Checkout API is failing for some customers (firing).', 'On-call'],
	]);
	expect(Date.parse(String(incident.startedAt))).toBeGreaterThan(Date.now() - 60 * MIN);
});

test('Open Incident, Post Incident Update with its id, List Incidents', async () => {
	const [opened] = await run({
		operation: 'openIncident',
		incidentTitle: 'Payments delayed',
		targets: {
			target: [
				{ kind: 'endpoint', host: 'shop-1', name: 'api' },
				{ kind: 'host', host: 'pay-1', name: '' },
			],
		},
		severity: 'warning',
		incidentStatus: 'identified',
		incidentMessage: 'Our payment provider is slow.\nWe retry every payment.',
		incidentOptions: { author: 'Ops', startedAt: new Date(Date.now() - 30 * MIN).toISOString() },
	});
	expect(opened).toMatchObject({
		source: 'manual',
		title: 'Payments delayed',
		severity: 'warning',
		open: true,
		targets: [
			{ kind: 'endpoint', host: 'shop-1', name: 'api' },
			{ kind: 'host', host: 'pay-1', name: 'pay-1' },
		],
	});
	expect(opened.id).toMatch(/^m\d+$/);

	const [resolved] = await run({
		operation: 'postIncidentUpdate',
		incidentId: opened.id,
		incidentStatus: 'resolved',
		incidentMessage: 'Payments are on time again.',
	});
	expect([resolved.id, resolved.open, typeof resolved.resolvedAt]).toEqual([
		opened.id,
		false,
		'string',
	]);
	expect(
		(resolved.timeline as Array<Record<string, unknown>>).map((e) => [e.status, e.author]),
	).toEqual([
		['identified', 'Ops'],
		['resolved', null],
	]);

	const listed = await run({
		operation: 'listIncidents',
		targets: { target: [{ kind: 'endpoint', host: 'shop-1', name: 'api' }] },
		incidentPeriod: 'lastDays',
		incidentDays: 1,
	});
	// Newest first: the hand-opened one (30 minutes ago), then the trigger's (5 minutes ago)… by start.
	expect(listed.map((i) => [i.source, i.title])).toEqual(
		expect.arrayContaining([
			['manual', 'Payments delayed'],
			['alerts', null],
		]),
	);
	expect(listed).toHaveLength(2);
	const starts = listed.map((i) => Date.parse(String(i.startedAt)));
	expect(starts).toEqual([...starts].sort((a, b) => b - a));
	// Only the asked target is named.
	expect(listed.find((i) => i.source === 'manual')?.targets).toEqual([
		{ kind: 'endpoint', host: 'shop-1', name: 'api' },
	]);
	const open = await run({ operation: 'listIncidents', listOptions: { onlyOpen: true } });
	expect(open.map((i) => i.source)).toEqual(['alerts']);

	// What the workflows wrote is what the store's reader gives.
	const store = await MonitoringStore.open({ type: 'sqlite', filename: db });
	try {
		const now = Date.now();
		const read = await listIncidents(store, { from: now - 86_400_000, to: now, now, targets: [] });
		expect(read.find((i) => i.id === opened.id)?.timeline).toHaveLength(2);
	} finally {
		await store.close();
	}
});

test.each([
	[
		{ operation: 'postIncidentUpdate', incidentId: 'm424242', incidentMessage: 'x' },
		/No incident m424242 in the store/,
		/List Incidents/,
	],
	[
		{ operation: 'postIncidentUpdate', incidentId: 'INC-7', incidentMessage: 'x' },
		/"INC-7" is not an incident or alert id/,
		/m12, a34/,
	],
	[
		{ operation: 'postIncidentUpdate', incidentId: '={{ "" }}', incidentMessage: 'x' },
		/Incident ID is empty/,
		/alertId/,
	],
	[
		{ operation: 'postIncidentUpdate', incidentId: 'm1', incidentMessage: '={{ "  " }}' },
		/Message is empty/,
		/words readers/,
	],
	[
		{ operation: 'postIncidentUpdate', incidentId: 'm1', incidentMessage: 'x'.repeat(2001) },
		/Message is 2001 characters long; at most 2000 are allowed/,
		/Shorten Message/,
	],
	[
		{
			operation: 'postIncidentUpdate',
			incidentId: 'm1',
			incidentMessage: 'x',
			incidentStatus: 'fixed',
		},
		/Status must be investigating, identified, monitoring, update or resolved, not "fixed"/,
		/Pick Status/,
	],
	[
		{
			operation: 'openIncident',
			incidentTitle: 'T',
			incidentMessage: 'x',
			targets: { target: [] },
		},
		/An incident needs at least one target/,
		/Add Target/,
	],
	[
		{
			operation: 'openIncident',
			incidentTitle: 'T',
			incidentMessage: 'x',
			targets: { target: [{ kind: 'endpoint', host: 'shop-1', name: '' }] },
		},
		/Name of the endpoint target is empty/,
		/ID as stored/,
	],
	[
		{
			operation: 'openIncident',
			incidentTitle: 'T',
			incidentMessage: 'x',
			targets: { target: [{ kind: 'host', host: 'h' }] },
			incidentOptions: { startedAt: 'yesterday-ish' },
		},
		/Started At is not a date/,
		/ISO date/,
	],
	[
		{
			operation: 'listIncidents',
			incidentPeriod: 'custom',
			incidentFrom: '2026-03-02T00:00:00Z',
			incidentTo: '2026-03-01T00:00:00Z',
		},
		/To must be after From/,
		/Set To later/,
	],
])('bad input %#: a NodeOperationError that says what to do', async (parameters, message, hint) => {
	const r = await runWorkflow(alertWorkflow(parameters), { env: env() });
	expect(isNodeOperationError(r.error)).toBe(true);
	expect(r.error!.message).toMatch(message);
	expect(r.error!.description).toMatch(hint);
});
