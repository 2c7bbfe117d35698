import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { listAlerts } from '../../core/alerts';
import type { Collection, Sample } from '../../core/collectors/types';
import { closeAllStores, MonitoringStore } from '../../core/store';
import {
	isNodeOperationError,
	pollTrigger,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';

/**
 * The Monitoring Trigger's grouping and inhibition, polled in production mode through n8n-core's
 * own PollContext (its static data carried from poll to poll as n8n keeps it), over a real
 * SQLite store written the way collectors write.
 */
let tmp: string;
let db: string;
let store: MonitoringStore;
const MIN = 60_000;

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-dispatch-'));
	db = path.join(tmp, 'store.sqlite');
	store = await MonitoringStore.open({ type: 'sqlite', filename: db });
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await store.close();
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

const env = () => ({ N8N_MONITORING_SQLITE_PATH: db });

async function write(
	host: string,
	collector: string,
	time: number,
	samples: Sample[],
	ok = true,
): Promise<void> {
	const c: Collection = {
		collector,
		host,
		time,
		durationMs: 1,
		ok,
		warnings: [],
		samples,
		snapshot: null,
		...(ok ? {} : { error: 'connect ECONNREFUSED 10.0.0.9:9100' }),
	};
	await store.writeCollection(c);
}

let workflowCount = 0;
function trigger(parameters: Record<string, unknown>, typeVersion = 3): WorkflowJson {
	workflowCount++;
	return {
		id: `wfDispatch${workflowCount}`,
		name: `Dispatch ${workflowCount}`,
		nodes: [
			{
				id: `c0000000-0000-4000-8000-00000000000${workflowCount}`,
				name: 'Monitoring Trigger',
				type: 'n8n-nodes-monitoring.monitoringTrigger',
				typeVersion,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					...parameters,
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	} as unknown as WorkflowJson;
}

const endpointDown = (host: string, now: number) =>
	Promise.all(
		[2, 1, 0].map((m) =>
			write(host, 'endpoint', now - m * MIN, [
				{ name: 'endpoint_up', value: 0, labels: { endpoint: 'api' } },
			]),
		),
	);

test('a down host holds back its endpoint alert, and hands it over once when it is back while the endpoint is still down', async () => {
	const now = Date.now();
	await write('edge-1', 'host', now - 2 * MIN, [{ name: 'cpu_usage_percent', value: 5 }]);
	await write('edge-1', 'host', now, [], false);
	for (const m of [2, 1, 0])
		await write('edge-1', 'endpoint', now - m * MIN, [
			{ name: 'endpoint_up', value: 0, labels: { endpoint: 'api' } },
		]);
	const wf = trigger({ rules: { rule: [{ preset: 'endpointDown' }] } });

	const held = await pollTrigger(wf, { env: env() });
	expect(held.error).toBeUndefined();
	expect(held.items).toBeNull();
	// It fires in the store, marked as held back, for the dashboard.
	const during = await listAlerts(store, { from: now - 60 * MIN, to: Date.now() });
	expect(during.active.map((a) => [a.host, a.rule, a.inhibitedBy])).toEqual([
		['edge-1', 'Endpoint down', 'edge-1 down (host collector failing)'],
	]);

	// Still held on the next poll: nothing handed over.
	const again = await pollTrigger(wf, { env: env(), staticData: held.staticData });
	expect(again.items).toBeNull();

	// The host collector succeeds again; the endpoint is still down.
	await write('edge-1', 'host', Date.now(), [{ name: 'cpu_usage_percent', value: 5 }]);
	await write('edge-1', 'endpoint', Date.now(), [
		{ name: 'endpoint_up', value: 0, labels: { endpoint: 'api' } },
	]);
	const released = await pollTrigger(wf, { env: env(), staticData: again.staticData });
	expect(released.error).toBeUndefined();
	expect(
		released.items!.map((i) => [i.status, i.host, i.rule, i.released, i.releasedFrom]),
	).toEqual([['firing', 'edge-1', 'Endpoint down', true, 'edge-1 down (host collector failing)']]);
	expect(String(released.items![0].message)).toMatch(/^Firing: Endpoint down on edge-1 api/);
	// Rebuilt from the event log, it still carries its signed acknowledge link.
	expect(String(released.items![0].ackLink)).toMatch(
		new RegExp(`/ack\\?alert=${released.items![0].alertId}&exp=\\d+&sig=`),
	);
	const after = await listAlerts(store, { from: now - 60 * MIN, to: Date.now() });
	expect(after.active.map((a) => [a.host, a.inhibitedBy])).toEqual([['edge-1', null]]);

	// Once.
	const once = await pollTrigger(wf, { env: env(), staticData: released.staticData });
	expect(once.items).toBeNull();
});

test('version 2 triggers keep what they did: the same down host holds nothing back', async () => {
	const now = Date.now();
	await write('edge-2', 'host', now, [], false);
	await endpointDown('edge-2', now);
	const wf = trigger(
		{ rules: { rule: [{ preset: 'endpointDown', options: { host: 'edge-2' } }] } },
		2,
	);
	const r = await pollTrigger(wf, { env: env() });
	expect(r.error).toBeUndefined();
	expect(r.items!.map((i) => [i.status, i.host])).toEqual([['firing', 'edge-2']]);
});

test('an inhibit rule: while a source alert fires, targets with the same host wait', async () => {
	const now = Date.now();
	for (const m of [1, 0]) {
		await write('inh-1', 'host', now - m * MIN, [
			{ name: 'cpu_usage_percent', value: 97, labels: { cpu: 'total' } },
			{ name: 'memory_used_percent', value: 99 },
		]);
		await write('inh-2', 'host', now - m * MIN, [
			{ name: 'cpu_usage_percent', value: 97, labels: { cpu: 'total' } },
		]);
	}
	const wf = trigger({
		rules: {
			rule: [
				{ preset: 'memoryHigh', options: { forMinutes: '0', host: 'inh-*', windowMinutes: '2' } },
				{ preset: 'cpuHigh', options: { forMinutes: '0', host: 'inh-*', windowMinutes: '2' } },
			],
		},
		inhibitRules: {
			rule: [{ source: 'rule=Memory almost used up', target: 'rule=CPU busy', equal: 'host' }],
		},
	});
	const r = await pollTrigger(wf, { env: env() });
	expect(r.error).toBeUndefined();
	// inh-1's CPU alert waits for its memory alert; inh-2 has none, so its CPU alert goes.
	expect(r.items!.map((i) => `${i.rule} ${i.host}`).sort()).toEqual([
		'CPU busy inh-2',
		'Memory almost used up inh-1',
	]);
	const { active } = await listAlerts(store, { from: now - 60 * MIN, to: Date.now() });
	expect(
		active
			.filter((a) => a.host === 'inh-1')
			.map((a) => [a.rule, a.inhibitedBy])
			.sort(),
	).toEqual([
		['CPU busy', 'Memory almost used up on inh-1'],
		['Memory almost used up', null],
	]);
});

test('grouped: rules firing at once on two hosts are two items with their alerts inside; a crash before the execution repeats them', async () => {
	const wf = trigger({
		rules: {
			rule: [
				{ preset: 'cpuHigh', options: { forMinutes: '0', host: 'grp-*', windowMinutes: '2' } },
				{ preset: 'memoryHigh', options: { forMinutes: '0', host: 'grp-*', windowMinutes: '2' } },
			],
		},
		options: { groupEvents: { settings: { groupBy: ['host'], waitSeconds: 0 } } },
	});
	// A first poll before anything fires: the trigger's cursor starts at the end of the log.
	const calm = await pollTrigger(wf, { env: env() });
	expect(calm.items).toBeNull();

	const now = Date.now();
	for (const m of [1, 0]) {
		await write('grp-1', 'host', now - m * MIN, [
			{ name: 'cpu_usage_percent', value: 97, labels: { cpu: 'total' } },
			{ name: 'memory_used_percent', value: 99 },
		]);
		await write('grp-2', 'host', now - m * MIN, [
			{ name: 'cpu_usage_percent', value: 96, labels: { cpu: 'total' } },
		]);
	}
	const fired = await pollTrigger(wf, { env: env(), staticData: calm.staticData });
	expect(fired.error).toBeUndefined();
	const summary = (items: IDataObject[] | null) =>
		(items ?? [])
			.map((g) => ({
				groupKey: g.groupKey,
				status: g.status,
				counts: g.counts,
				alerts: (g.alerts as IDataObject[]).map((a) => `${a.status} ${a.rule}`).sort(),
			}))
			.sort((a, b) => String(a.groupKey).localeCompare(String(b.groupKey)));
	expect(summary(fired.items)).toEqual([
		{
			groupKey: 'host=grp-1',
			status: 'firing',
			counts: { firing: 2, resolved: 0 },
			alerts: ['firing CPU busy', 'firing Memory almost used up'],
		},
		{
			groupKey: 'host=grp-2',
			status: 'firing',
			counts: { firing: 1, resolved: 0 },
			alerts: ['firing CPU busy'],
		},
	]);
	const grp1 = fired.items!.find((g) => g.groupKey === 'host=grp-1')!;
	expect(grp1.message).toMatch(
		/^2 firing \(host=grp-1\): Firing: (CPU busy|Memory almost used up) on grp-1/,
	);

	// n8n never committed that execution (a crash): the next poll starts from the static data
	// before it and hands the same groups over again.
	const repeated = await pollTrigger(wf, { env: env(), staticData: calm.staticData });
	expect(summary(repeated.items)).toEqual(summary(fired.items));

	// Committed: nothing new, nothing sent.
	const quiet = await pollTrigger(wf, { env: env(), staticData: fired.staticData });
	expect(quiet.items).toBeNull();
});

test('a manual test of a grouping trigger shows a group item', async () => {
	const wf = trigger({
		rules: {
			rule: [
				{ preset: 'cpuHigh', options: { forMinutes: '0', host: 'grp-1', windowMinutes: '2' } },
			],
		},
		options: { groupEvents: { settings: { groupBy: ['host', 'rule'] } } },
	});
	const r = await runWorkflow(wf, { env: env(), startNode: 'Monitoring Trigger' });
	expect(r.error).toBeUndefined();
	expect(r.items['Monitoring Trigger'].map((i) => [i.groupKey, i.preview, i.counts])).toEqual([
		['host=grp-1, rule=CPU busy', true, { firing: 1, resolved: 0 }],
	]);
});

test.each([
	[
		{ options: { groupEvents: { settings: { groupBy: ['host'], waitSeconds: -5 } } } },
		/Wait \(Seconds\) must be a number/,
	],
	[
		{ inhibitRules: { rule: [{ source: 'rule', target: 'severity=warning' }] } },
		/Inhibit rule 1: Source "rule" is not a list of name=value tests/,
	],
	[
		{ options: { groupEvents: { settings: { labels: 'mount point' } } } },
		/"mount point" in Group By Labels is not a label name/,
	],
])('bad settings %j: a NodeOperationError that says what to change', async (extra, message) => {
	const wf = trigger({ rules: { rule: [{ preset: 'cpuHigh' }] }, ...extra });
	const r = await pollTrigger(wf, { env: env() });
	expect(isNodeOperationError(r.error)).toBe(true);
	expect(r.error!.message).toMatch(message);
	expect(r.error!.description).toBeTruthy();
});
