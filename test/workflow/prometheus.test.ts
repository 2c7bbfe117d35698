import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { closeAllStores, openStore } from '../../core/store';
import {
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';
import fixture from './fixtures/host-collect.json';

/**
 * The Prometheus resource inside workflows run by n8n-core's WorkflowExecute, against exporter
 * pages served on 127.0.0.1 (the real node_exporter output captured in test/fixtures/prometheus),
 * storing into real SQLite files.
 */
const FIXTURES = path.join(__dirname, '../fixtures/prometheus');
const page = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

let tmp: string;
let server: http.Server;
let base: string;
let counter = 0;
const phase = { node: page('node-exporter-1.5.0-a.txt') };
const seen: Array<string | undefined> = [];

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-prometheus-'));
	const dcgm = page('dcgm-exporter-3.3.txt');
	server = http.createServer((req, res) => {
		seen.push(req.headers.authorization);
		const type = { 'content-type': 'text/plain; version=0.0.4' };
		if (req.url === '/node/metrics') return res.writeHead(200, type).end(phase.node);
		if (req.url === '/dcgm/metrics') return res.writeHead(200, type).end(dcgm);
		if (req.url === '/app/metrics') {
			return res.writeHead(200, type).end('app_requests_total 7\napp_up 1\nother_x 3\n');
		}
		res.writeHead(404).end('not found');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await closeAllStores();
	await new Promise((resolve) => server.close(resolve));
	fs.rmSync(tmp, { recursive: true, force: true });
});

function workflow(parameters: Record<string, unknown>, node: Record<string, unknown> = {}) {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	const monitoring = wf.nodes.find((n) => n.name === 'Monitoring')!;
	monitoring.parameters = {
		resource: 'prometheus',
		operation: 'scrape',
		exporter: 'node_exporter',
		hostName: '',
		options: { store: true },
		...parameters,
	} as never;
	Object.assign(monitoring, node);
	return wf;
}

const newDb = () => path.join(tmp, `store-${++counter}.sqlite`);

test('node_exporter scraped twice: host metrics under the URL host name, CPU from the second run on', async () => {
	const db = newDb();
	const env = { N8N_MONITORING_SQLITE_PATH: db };
	phase.node = page('node-exporter-1.5.0-a.txt');
	const url = `${base}/node/metrics`;
	const first = await runWorkflow(workflow({ url }), { env });
	expect(first.error).toBeUndefined();
	expect(first.items.Monitoring[0]).toMatchObject({
		collector: 'host',
		host: '127.0.0.1',
		ok: true,
		stored: true,
	});
	phase.node = page('node-exporter-1.5.0-b.txt');
	const second = await runWorkflow(workflow({ url }), { env });
	const item = second.items.Monitoring[0] as {
		ok: boolean;
		snapshot: { cpu: { usagePercent: number }; mode: string; target: string };
	};
	expect(item.ok).toBe(true);
	expect(item.snapshot.mode).toBe('node_exporter');
	expect(item.snapshot.target).toBe(url);
	expect(item.snapshot.cpu.usagePercent).toBeGreaterThanOrEqual(0);
	expect(item.snapshot.cpu.usagePercent).toBeLessThanOrEqual(100);

	const store = await openStore({ type: 'sqlite', filename: db });
	const values = await store.samples.latest(0, Date.now() + 1000);
	const cpu = values.filter((v) => v.metric === 'cpu_usage_percent' && v.labels.cpu === 'total');
	expect(cpu.map((v) => v.host)).toEqual(['127.0.0.1']);
	expect(cpu[0].value).toBe(item.snapshot.cpu.usagePercent);
	expect(
		values.find((v) => v.metric === 'filesystem_used_percent' && v.labels.mount === '/')?.labels,
	).toEqual({ mount: '/', device: '/dev/vda', fstype: 'ext4' });
});

test('dcgm-exporter under a given host name is stored as the gpu collector', async () => {
	const result = await runWorkflow(
		workflow({ url: `${base}/dcgm/metrics`, exporter: 'dcgm', hostName: 'gpu-box' }),
		{ env: { N8N_MONITORING_SQLITE_PATH: newDb() } },
	);
	expect(result.error).toBeUndefined();
	const item = result.items.Monitoring[0] as {
		collector: string;
		host: string;
		snapshot: { gpus: Array<{ index: string; utilizationPercent: number }> };
	};
	expect(item).toMatchObject({ collector: 'gpu', host: 'gpu-box', ok: true });
	expect(item.snapshot.gpus.map((g) => [g.index, g.utilizationPercent])).toEqual([
		['0', 97],
		['1', 0],
	]);
});

test('any page with a metric filter stores only the matching series', async () => {
	const db = newDb();
	const result = await runWorkflow(
		workflow({
			url: `${base}/app/metrics`,
			exporter: 'generic',
			hostName: 'app-1',
			options: { store: true, prefixes: 'app_, nothing_', include: '_(total|up)$' },
		}),
		{ env: { N8N_MONITORING_SQLITE_PATH: db } },
	);
	expect(result.items.Monitoring[0]).toMatchObject({ collector: 'prometheus', ok: true });
	const store = await openStore({ type: 'sqlite', filename: db });
	const metrics = (await store.samples.latest(0, Date.now() + 1000))
		.filter((v) => !v.metric.startsWith('collector_'))
		.map((v) => [v.metric, v.value])
		.sort();
	expect(metrics).toEqual([
		['app_requests_total', 7],
		['app_up', 1],
	]);
});

test('an unreachable target is a failed collection, and the workflow goes on', async () => {
	const closed = http.createServer();
	await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
	const { port } = closed.address() as AddressInfo;
	await new Promise((resolve) => closed.close(resolve));
	const result = await runWorkflow(
		workflow({ url: `http://127.0.0.1:${port}/metrics`, hostName: 'gone' }),
		{ env: { N8N_MONITORING_SQLITE_PATH: newDb() } },
	);
	expect(result.error).toBeUndefined();
	expect(result.items.Monitoring[0]).toMatchObject({ host: 'gone', ok: false, stored: true });
	expect(result.items.Monitoring[0].error).toMatch(/connection refused/);
	expect(result.items.Next).toHaveLength(1);
});

test.each<[string, Record<string, unknown>, RegExp]>([
	['an ftp URL', { url: 'ftp://gpu01/metrics' }, /use http:\/\/ or https:\/\//],
	[
		'a URL expression that comes out empty',
		{ url: '={{ "" }}' },
		/URL is empty Enter the metrics page's address/,
	],
	[
		'Max Series 0',
		{ options: { maxSeries: 0 } },
		/Max Series must be a whole number from 1 to 50000/,
	],
	[
		'Max Series above the hard maximum',
		{ options: { maxSeries: 200_000 } },
		/Max Series must be a whole number from 1 to 50000/,
	],
	[
		'a bad regular expression',
		{ exporter: 'generic', options: { include: 'app_(' } },
		/not a valid regular expression/,
	],
])(
	'%s stops the node with a NodeOperationError saying what to change',
	async (_, change, message) => {
		const result = await runWorkflow(workflow({ url: `${base}/node/metrics`, ...change }), {
			env: { N8N_MONITORING_SQLITE_PATH: newDb() },
		});
		expect(result.status).toBe('error');
		expect(isNodeOperationError(result.error)).toBe(true);
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(message);
	},
);

test('the Basic Auth credential is sent and its password is in no output', async () => {
	const password = 'pw-' + Math.random().toString(36).slice(2);
	seen.length = 0;
	const result = await runWorkflow(
		workflow(
			{ url: `${base}/app/metrics`, exporter: 'generic', authentication: 'basicAuth' },
			{ credentials: { httpBasicAuth: { id: 'b1', name: 'Exporter login' } } },
		),
		{
			env: { N8N_MONITORING_SQLITE_PATH: newDb() },
			credentials: { httpBasicAuth: { user: 'scraper', password } },
		},
	);
	expect(result.error).toBeUndefined();
	expect(seen).toEqual([`Basic ${Buffer.from(`scraper:${password}`).toString('base64')}`]);
	expect(JSON.stringify(result.run)).not.toContain(password);
});
