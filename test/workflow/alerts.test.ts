import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { closeAllStores, MonitoringStore } from '../../core/store';
import { makeCollection } from '../helpers/collections';
import {
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';
import fixture from './fixtures/host-collect.json';

/**
 * The Monitoring Trigger (its poll, as the editor's "fetch test event" runs it) and the Alert
 * resource inside workflows run by n8n-core's WorkflowExecute, over a real SQLite store.
 */
let tmp: string;
let db: string;
const MIN = 60_000;

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-alerts-'));
	db = path.join(tmp, 'store.sqlite');
	const store = await MonitoringStore.open({ type: 'sqlite', filename: db });
	const now = Date.now();
	for (let i = 5; i >= 0; i--) {
		for (const [host, value] of [
			['web-1', 20],
			['<b>hot</b>', 97],
		] as const) {
			const c = makeCollection(now - i * MIN, 1, {
				host,
				collector: 'host',
				metric: 'cpu_usage_percent',
				value: () => value,
			});
			c.samples[0].labels = { cpu: 'total' };
			await store.writeCollection(c);
		}
	}
	await store.close();
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

const env = () => ({ N8N_MONITORING_SQLITE_PATH: db });

function triggerWorkflow(
	rule: Record<string, unknown>,
	extra: Record<string, unknown> = {},
	typeVersion = 1,
) {
	return {
		id: 'wfTestTrigger',
		name: 'Trigger (workflow test)',
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'Monitoring Trigger',
				type: 'n8n-nodes-monitoring.monitoringTrigger',
				typeVersion,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					rules: { rule: [rule] },
					options: { dashboardUrl: 'https://n8n.example.com/webhook/monitoring/' },
					...extra,
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
	} as unknown as WorkflowJson;
}

const runTrigger = (
	rule: Record<string, unknown>,
	extra?: Record<string, unknown>,
	typeVersion?: number,
) =>
	runWorkflow(triggerWorkflow(rule, extra, typeVersion), {
		env: env(),
		startNode: 'Monitoring Trigger',
	});

describe("version 2 keeps overrides in each rule's options; version 1 beside the preset", () => {
	const firing = async (rule: Record<string, unknown>, typeVersion: number) => {
		const result = await runTrigger(rule, {}, typeVersion);
		expect(result.error).toBeUndefined();
		return result.items['Monitoring Trigger'].map((i) => `${i.host} ${i.rule}`).sort();
	};

	test('a threshold in the options moves the preset (20 % fires on both hosts)', async () => {
		expect(await firing({ preset: 'cpuHigh' }, 2)).toEqual(['<b>hot</b> CPU busy']);
		expect(
			await firing({ preset: 'cpuHigh', options: { threshold: '10', name: 'Any CPU' } }, 2),
		).toEqual(['<b>hot</b> Any CPU', 'web-1 Any CPU']);
	});

	test('a version 1 rule keeps its overrides where it saved them', async () => {
		expect(await firing({ preset: 'cpuHigh', threshold: '10', name: 'Any CPU' }, 1)).toEqual([
			'<b>hot</b> Any CPU',
			'web-1 Any CPU',
		]);
	});

	test('in version 2, a field version 1 kept beside the preset is not read', async () => {
		// n8n drops parameters a node version does not describe, so this stays the preset's 90 %.
		expect(await firing({ preset: 'cpuHigh', threshold: '10' }, 2)).toEqual([
			'<b>hot</b> CPU busy',
		]);
	});

	test('a custom rule in version 2: its threshold beside it, the rest in options', async () => {
		expect(
			await firing(
				{
					preset: 'custom',
					metric: 'cpu_usage_percent',
					threshold: '50',
					options: { name: 'Custom CPU', labels: 'cpu=total' },
				},
				2,
			),
		).toEqual(['<b>hot</b> Custom CPU']);
	});
});

test('a test poll shows what fires now, with a message and an escaped deep link', async () => {
	const result = await runTrigger({ preset: 'cpuHigh', windowMinutes: '5' });
	expect(result.error).toBeUndefined();
	const items = result.items['Monitoring Trigger'];
	expect(items.map((i) => [i.status, i.host, i.preview])).toEqual([['firing', '<b>hot</b>', true]]);
	expect(items[0].link).toBe(
		'https://n8n.example.com/webhook/monitoring/#/host/%3Cb%3Ehot%3C%2Fb%3E',
	);
	expect(items[0].message).toMatch(/^Firing: CPU busy on <b>hot<\/b>: 97 % \(average\) > 90 %/);
});

test.each([
	[
		{ preset: 'custom', metric: 'cpu_usage_percent', threshold: 'ninety' },
		/Rule 1: Threshold must be a number, not "ninety"/,
		/plain number/,
	],
	[
		{ preset: 'cpuHigh', threshold: '90', resolveThreshold: '95' },
		/wrong side of its threshold 90/,
		/at or below 90/,
	],
	[
		{ preset: 'custom', metric: 'cpu_usage_percnt', threshold: '5' },
		/"cpu_usage_percnt" of rule .* is not in the store/,
		/Did you mean "cpu_usage_percent"/,
	],
	[
		{ preset: 'custom', metric: 'cpu_usage_percent', threshold: '5', windowMinutes: '0.5' },
		/Window must be from 1 to 10080 minutes, not 0.5/,
		/between 1 and 10080/,
	],
	[{ preset: 'custom', metric: '', threshold: '5' }, /needs a metric/, /cpu_usage_percent/],
])('bad rule %j: a NodeOperationError that says what to change', async (rule, message, hint) => {
	const result = await runTrigger(rule);
	expect(isNodeOperationError(result.error)).toBe(true);
	expect(result.error!.message).toMatch(message);
	expect(result.error!.description).toMatch(hint);
});

test('bad quiet hours and maintenance windows are refused', async () => {
	const quiet = await runTrigger(
		{ preset: 'cpuHigh' },
		{
			quietHours: { window: [{ days: [], start: '25:00', end: '07:00' }] },
		},
	);
	expect(result(quiet)).toMatch(/start of quiet hours must be a time like 22:00, not "25:00"/);
	const maintenance = await runTrigger(
		{ preset: 'cpuHigh' },
		{
			maintenance: {
				window: [{ from: '2026-11-27T10:00:00Z', to: '2026-11-27T09:00:00Z', host: '' }],
			},
		},
	);
	expect(result(maintenance)).toMatch(/ends .* before it starts/);
	const zone = await runTrigger({ preset: 'cpuHigh' }, { options: { timeZone: 'Mars/Olympus' } });
	expect(result(zone)).toMatch(/time zone "Mars\/Olympus" is not known/);
});

function result(r: Awaited<ReturnType<typeof runWorkflow>>): string {
	expect(isNodeOperationError(r.error)).toBe(true);
	return r.error!.message;
}

function alertWorkflow(parameters: Record<string, unknown>) {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	wf.nodes.find((n) => n.name === 'Monitoring')!.parameters = { resource: 'alert', ...parameters };
	return wf;
}

test('Alert resource: raise twice is one alert; resolve closes it; resolving again says so', async () => {
	const raise = (message: string) =>
		runWorkflow(
			alertWorkflow({
				operation: 'raise',
				key: 'import',
				severity: 'critical',
				message,
				alertOptions: { host: 'etl-1' },
			}),
			{ env: env() },
		);
	const first = await raise('import failed');
	const second = await raise('import failed again');
	expect(first.items.Monitoring.map((i) => [i.created, i.status])).toEqual([[true, 'firing']]);
	expect(second.items.Monitoring.map((i) => [i.created, i.alertId])).toEqual([
		[false, first.items.Monitoring[0].alertId],
	]);
	const resolve = () =>
		runWorkflow(alertWorkflow({ operation: 'resolve', key: 'import' }), { env: env() });
	expect((await resolve()).items.Monitoring[0].status).toBe('resolved');
	expect((await resolve()).items.Monitoring[0].status).toBe('not open');
});

test.each([
	// An empty value typed in is refused by n8n itself ("Parameter is required"); one that an
	// expression produces reaches the node.
	[{ operation: 'raise', key: '={{ "" }}', message: 'm' }, /Key is empty/],
	[
		{ operation: 'raise', key: 'k'.repeat(201), message: 'm' },
		/Key is 201 characters long; at most 200/,
	],
	[{ operation: 'raise', key: 'k', message: '={{ "  " }}' }, /Message is empty/],
	[
		{ operation: 'raise', key: 'k', message: 'm', severity: 'urgent' },
		/Severity must be info, warning or critical, not "urgent"/,
	],
	[
		{ operation: 'raise', key: 'k', message: 'm', alertOptions: { resolveAfterMinutes: -5 } },
		/Resolve After \(Minutes\) must be a whole number from 0/,
	],
])('Alert resource bad input %j', async (parameters, message) => {
	const r = await runWorkflow(alertWorkflow(parameters), { env: env() });
	expect(isNodeOperationError(r.error)).toBe(true);
	expect(r.error!.message).toMatch(message);
});

test('Alert resource: Create Silence, List Silences, Delete (Expire) Silence', async () => {
	const made = await runWorkflow(
		alertWorkflow({
			operation: 'createSilence',
			silenceHost: 'web-*',
			silenceLabels: 'cpu=total',
			silenceReason: 'kernel upgrade',
			silenceMinutes: 45,
		}),
		{ env: env() },
	);
	expect(made.error).toBeUndefined();
	const [silence] = made.items.Monitoring;
	expect(silence).toEqual(
		expect.objectContaining({
			host: 'web-*',
			rule: null,
			labels: { cpu: 'total' },
			reason: 'kernel upgrade',
			active: true,
		}),
	);
	expect(Number(silence.endsAt) - Number(silence.startsAt)).toBe(45 * MIN);
	expect(String(silence.author)).toMatch(/^workflow /);
	const list = async () =>
		(await runWorkflow(alertWorkflow({ operation: 'listSilences' }), { env: env() })).items
			.Monitoring ?? [];
	expect((await list()).map((s) => s.id)).toContain(silence.id);
	const expire = () =>
		runWorkflow(alertWorkflow({ operation: 'deleteSilence', silenceId: silence.id }), {
			env: env(),
		});
	expect((await expire()).items.Monitoring[0]).toEqual(
		expect.objectContaining({ id: silence.id, status: 'expired', expired: true }),
	);
	expect((await expire()).items.Monitoring[0].status).toBe('not active');
	expect((await list()).map((s) => s.id)).not.toContain(silence.id);
});

test.each([
	[{ operation: 'createSilence', silenceReason: 'r' }, /at least one matcher/],
	[{ operation: 'createSilence', silenceHost: 'h', silenceReason: '={{ "" }}' }, /needs a reason/],
	[
		{ operation: 'createSilence', silenceHost: 'h', silenceReason: 'r', silenceLabels: 'oops' },
		/name=value pairs/,
	],
	[
		{
			operation: 'createSilence',
			silenceHost: 'h',
			silenceReason: 'r',
			silenceOptions: { endsAt: '2001-01-01T00:00:00Z' },
		},
		/end after it starts|already be over/,
	],
	[
		{ operation: 'deleteSilence', silenceId: '={{ "abc" }}' },
		/Silence ID must be the whole number/,
	],
])('Silence bad input %j', async (parameters, message) => {
	const r = await runWorkflow(alertWorkflow(parameters), { env: env() });
	expect(result(r)).toMatch(message);
});
