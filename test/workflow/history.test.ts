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
 * The History resource inside workflows run by n8n-core's WorkflowExecute, over a real SQLite
 * store seeded here through the store's own write path (samples and their rollups).
 */
let tmp: string;
let db: string;
const HOUR = 3_600_000;

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-history-'));
	db = path.join(tmp, 'store.sqlite');
	const store = await MonitoringStore.open({ type: 'sqlite', filename: db });
	const now = Date.now();
	// Two hosts, one sample an hour for the last 6 hours: web-1 at 10..60 %, <b>db</b> at 90 %.
	for (let i = 6; i >= 1; i--) {
		const t = now - i * HOUR;
		for (const [host, value] of [
			['web-1', (7 - i) * 10],
			['<b>db</b>', 90],
		] as const) {
			const c = makeCollection(t, 1, {
				host,
				collector: 'host',
				metric: 'cpu_usage_percent',
				value: () => value,
			});
			c.samples[0].labels = { cpu: 'total' };
			await store.writeCollection(c);
		}
		const e = makeCollection(t, 1, {
			host: 'web-1',
			collector: 'endpoint',
			metric: 'endpoint_up',
			value: () => (i === 3 ? 0 : 1),
		});
		e.samples[0].labels = { endpoint: 'api' };
		await store.writeCollection(e);
	}
	await store.close();
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

function workflow(parameters: Record<string, unknown>) {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	wf.nodes.find((n) => n.name === 'Monitoring')!.parameters = {
		resource: 'history',
		...parameters,
	};
	return wf;
}

const env = () => ({ N8N_MONITORING_SQLITE_PATH: db });

test('Query: one item per series with its points, at raw resolution for 24 hours', async () => {
	const result = await runWorkflow(
		workflow({
			operation: 'query',
			metric: 'cpu_usage_percent',
			hostName: 'web-1',
			labels: '{"cpu":"total"}',
			range: '24h',
			maxPoints: 1500,
		}),
		{ env: env() },
	);
	expect(result.error).toBeUndefined();
	const items = result.items.Monitoring;
	expect(items).toHaveLength(1);
	expect(items[0]).toMatchObject({ host: 'web-1', metric: 'cpu_usage_percent', resolution: 'raw' });
	const values = (items[0].points as Array<[number, number | null]>)
		.map((p) => p[1])
		.filter((v) => v !== null);
	expect(values).toEqual([10, 20, 30, 40, 50, 60]);
});

test('Query: labels that are not JSON are a NodeOperationError that says how to write them', async () => {
	const result = await runWorkflow(
		workflow({
			operation: 'query',
			metric: 'cpu_usage_percent',
			hostName: 'web-1',
			labels: '{cpu',
			range: '24h',
		}),
		{ env: env() },
	);
	expect(result.status).toBe('error');
	expect(isNodeOperationError(result.error)).toBe(true);
	expect(result.error?.description).toMatch(/\{"cpu": "total"\}/);
});

test('Summary: averages, peaks, availability and the worst offenders of the day', async () => {
	const result = await runWorkflow(workflow({ operation: 'summary', period: 'day' }), {
		env: env(),
	});
	expect(result.error).toBeUndefined();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- item JSON, read field by field
	const [digest] = result.items.Monitoring as Array<Record<string, any>>;
	const web = digest.hosts.find((h: { host: string }) => h.host === 'web-1');
	expect(web.cpu.avg).toBeCloseTo(35, 6);
	expect(web.cpu.max).toBe(60);
	expect(digest.worst.cpu[0]).toEqual({ host: '<b>db</b>', max: 90 });
	expect(digest.endpoints).toEqual([
		expect.objectContaining({ host: 'web-1', endpoint: 'api', availability: 5 / 6 }),
	]);
	expect(digest.text).toContain('- <b>db</b>: CPU 90.0 %');
	expect(digest.text).toContain('- api: 83.3 %');
});
