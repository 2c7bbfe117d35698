import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import {
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';
import fixture from './fixtures/host-collect.json';

/**
 * The Endpoint resource inside workflows run by n8n-core's WorkflowExecute, against local HTTP
 * servers on 127.0.0.1, storing into real SQLite files.
 */
let tmp: string;
let server: http.Server;
let base: string;
let counter = 0;
const seen: Array<{ url?: string; authorization?: string }> = [];

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-endpoint-'));
	server = http.createServer((req, res) => {
		seen.push({ url: req.url, authorization: req.headers.authorization });
		if (req.url === '/health') return res.writeHead(200).end('{"status":"ok"}');
		res.writeHead(503).end('maintenance');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await new Promise((resolve) => server.close(resolve));
	fs.rmSync(tmp, { recursive: true, force: true });
});

function workflow(checks: Array<Record<string, unknown>>, node: Record<string, unknown> = {}) {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	const monitoring = wf.nodes.find((n) => n.name === 'Monitoring')!;
	monitoring.parameters = {
		resource: 'endpoint',
		operation: 'collect',
		checks: { check: checks } as never,
		hostName: '',
		options: { store: true },
	};
	Object.assign(monitoring, node);
	return wf;
}

const env = () => ({ N8N_MONITORING_SQLITE_PATH: path.join(tmp, `store-${++counter}.sqlite`) });

test('an endpoint that is up and one that is down are both stored as data', async () => {
	const result = await runWorkflow(
		workflow([
			{ url: `${base}/health`, name: 'api', jsonPath: 'status', jsonEquals: 'ok' },
			{ url: `${base}/other`, name: 'web' },
		]),
		{ env: env() },
	);
	expect(result.error).toBeUndefined();
	const [item] = result.items.Monitoring;
	expect(item).toMatchObject({ collector: 'endpoint', ok: true, stored: true });
	const checks = (
		item.snapshot as { checks: Array<{ endpoint: string; up: boolean; reason?: string }> }
	).checks;
	expect(checks.find((c) => c.endpoint === 'api')).toMatchObject({ up: true });
	const web = checks.find((c) => c.endpoint === 'web');
	expect(web).toMatchObject({ up: false });
	expect(web?.reason).toMatch(/503/);
});

test.each([['not a url'], ['ftp://example.com/file'], ['file:///etc/passwd']])(
	'the URL %s is a NodeOperationError that says what to fix',
	async (url) => {
		const result = await runWorkflow(workflow([{ url }]), { env: env() });
		expect(result.status).toBe('error');
		expect(isNodeOperationError(result.error)).toBe(true);
		expect(result.error?.description).toMatch(/http:\/\/ or https:\/\//);
	},
);

test('Basic Auth credential is sent and its password is in no output', async () => {
	const password = 'pw-' + Math.random().toString(36).slice(2);
	seen.length = 0;
	const result = await runWorkflow(
		workflow([{ url: `${base}/health`, authentication: 'basicAuth' }], {
			credentials: { httpBasicAuth: { id: 'b1', name: 'API login' } },
		}),
		{ env: env(), credentials: { httpBasicAuth: { user: 'monitor', password } } },
	);
	expect(result.error).toBeUndefined();
	expect(seen[0].authorization).toBe(
		`Basic ${Buffer.from(`monitor:${password}`).toString('base64')}`,
	);
	expect(JSON.stringify(result.run)).not.toContain(password);
	expect(JSON.stringify(result.run)).not.toContain(
		Buffer.from(`monitor:${password}`).toString('base64'),
	);
});

describe("version 2: one credential choice for the node, request settings in each check's Options", () => {
	const v2 = (
		checks: Array<Record<string, unknown>>,
		{ parameters, ...node }: Record<string, unknown> = {},
	) => {
		const wf = workflow(checks, node);
		const monitoring = wf.nodes.find((n) => n.name === 'Monitoring')!;
		monitoring.typeVersion = 2;
		Object.assign(monitoring.parameters, parameters ?? {});
		return wf;
	};
	const byName = (item: Record<string, unknown>) =>
		Object.fromEntries(
			(
				item.snapshot as { checks: Array<{ endpoint: string; up: boolean; reason?: string }> }
			).checks.map((c) => [c.endpoint, c]),
		);

	test("a check's Options judge its answer", async () => {
		const result = await runWorkflow(
			v2([
				{
					url: `${base}/health`,
					name: 'json-ok',
					options: { jsonPath: 'status', jsonEquals: 'ok' },
				},
				{
					url: `${base}/health`,
					name: 'json-no',
					options: { jsonPath: 'status', jsonEquals: 'down' },
				},
				{ url: `${base}/other`, name: 'maint', options: { expectedStatus: '503' } },
			]),
			{ env: env() },
		);
		expect(result.error).toBeUndefined();
		const checks = byName(result.items.Monitoring[0]);
		expect(checks['json-ok']).toMatchObject({ up: true });
		expect(checks['json-no']).toMatchObject({ up: false });
		expect(checks.maint).toMatchObject({ up: true });
	});

	test('the credential goes to the checks that authenticate, and to no other', async () => {
		seen.length = 0;
		const result = await runWorkflow(
			v2(
				[
					{ url: `${base}/health?with`, name: 'with' },
					{ url: `${base}/health?without`, name: 'without', authenticate: false },
				],
				{
					parameters: { authentication: 'basicAuth' },
					credentials: { httpBasicAuth: { id: 'b1', name: 'API login' } },
				},
			),
			{ env: env(), credentials: { httpBasicAuth: { user: 'monitor', password: 'pw' } } },
		);
		expect(result.error).toBeUndefined();
		const sent = Object.fromEntries(seen.map((s) => [s.url, s.authorization]));
		expect(sent['/health?with']).toBe(`Basic ${Buffer.from('monitor:pw').toString('base64')}`);
		expect(sent['/health?without']).toBeUndefined();
	});

	test('without Authentication on the node, a check sends nothing, whatever it says', async () => {
		seen.length = 0;
		const result = await runWorkflow(
			v2([{ url: `${base}/health`, authenticate: true, authentication: 'basicAuth' }], {
				credentials: { httpBasicAuth: { id: 'b1', name: 'API login' } },
			}),
			{ env: env(), credentials: { httpBasicAuth: { user: 'monitor', password: 'pw' } } },
		);
		expect(result.error).toBeUndefined();
		expect(seen.map((s) => s.authorization)).toEqual([undefined]);
	});
});
