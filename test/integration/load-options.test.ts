import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { closeAllStores, MonitoringStore } from '../../core/store';
import { n8nWorkflows, storedMetrics } from '../../nodes/Monitoring/methods/loadOptions';
import { makeCollection } from '../helpers/collections';

/**
 * The lists the editor offers: History's Metric from a real SQLite store, Expected Intervals'
 * workflows from an HTTP server on 127.0.0.1 that answers as n8n's public API does.
 */
let tmp: string;
const saved = process.env.N8N_MONITORING_SQLITE_PATH;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-load-options-'));
});

afterAll(async () => {
	await closeAllStores();
	if (saved === undefined) delete process.env.N8N_MONITORING_SQLITE_PATH;
	else process.env.N8N_MONITORING_SQLITE_PATH = saved;
	fs.rmSync(tmp, { recursive: true, force: true });
});

/** The part of n8n's ILoadOptionsFunctions these methods use; no store credential selected. */
const context = (credentials: Record<string, unknown> = {}) =>
	({
		getNode: () => ({ name: 'Monitoring' }),
		getCredentials: async (type: string) => {
			if (!(type in credentials)) throw new Error(`no ${type} credential`);
			return credentials[type];
		},
	}) as unknown as ILoadOptionsFunctions;

test("History's Metric lists the store's metrics with the hosts that report them", async () => {
	const filename = path.join(tmp, 'store.sqlite');
	process.env.N8N_MONITORING_SQLITE_PATH = filename;
	const store = await MonitoringStore.open({ type: 'sqlite', filename });
	for (const [host, metric] of [
		['web-1', 'cpu_usage_percent'],
		['web-2', 'cpu_usage_percent'],
		['gpu-1', 'gpu_temperature_celsius'],
	])
		await store.writeCollection(makeCollection(Date.now(), 1, { host, metric, collector: 'host' }));
	await store.close();
	const options = await storedMetrics.call(context());
	expect(options).toEqual([
		{ name: 'cpu_usage_percent', value: 'cpu_usage_percent', description: 'On web-1, web-2' },
		{ name: 'gpu_temperature_celsius', value: 'gpu_temperature_celsius', description: 'On gpu-1' },
	]);
});

test('an empty store lists nothing (the field still takes an expression)', async () => {
	process.env.N8N_MONITORING_SQLITE_PATH = path.join(tmp, 'empty.sqlite');
	expect(await storedMetrics.call(context())).toEqual([]);
});

test("Expected Intervals lists the watched n8n's workflows by name, valued by ID", async () => {
	const keys: Array<string | undefined> = [];
	const server = http.createServer((req, res) => {
		keys.push(req.headers['x-n8n-api-key'] as string | undefined);
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(
			JSON.stringify({
				data: [
					{ id: 'b2', name: 'Nightly <import>', active: true },
					{ id: 'a1', name: 'Backup', active: false },
				],
				nextCursor: null,
			}),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		const options = await n8nWorkflows.call(context({ n8nApi: { baseUrl, apiKey: 'key-1' } }));
		expect(options).toEqual([
			{ name: 'Backup', value: 'a1', description: 'Inactive · ID a1' },
			{ name: 'Nightly <import>', value: 'b2', description: 'Active · ID b2' },
		]);
		expect(keys).toEqual(['key-1']);
	} finally {
		server.closeAllConnections(); // fetch keeps its connection alive
		await new Promise((resolve) => server.close(resolve));
	}
});

test('without an n8n API credential the list says what is missing', async () => {
	await expect(n8nWorkflows.call(context())).rejects.toThrow(/Select the n8n API credential/);
});
