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
 * The GPU and Model Server resources inside workflows run by n8n-core's WorkflowExecute. This
 * machine has no GPU: a fake nvidia-smi answering in the real tool's format from recorded
 * fixtures is put on PATH (that alone is faked). Model servers are local HTTP servers.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures');
let tmp: string;
let binDir: string;
let ollama: http.Server;
let ollamaUrl: string;
let counter = 0;

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-gpu-'));
	binDir = path.join(tmp, 'bin');
	fs.mkdirSync(binDir);
	fs.symlinkSync(path.join(FIXTURES, 'gpu', 'fake-nvidia-smi'), path.join(binDir, 'nvidia-smi'));
	ollama = http.createServer((req, res) => {
		const file = { '/api/ps': 'ollama-api-ps.json', '/api/version': 'ollama-api-version.json' }[
			req.url ?? ''
		];
		if (!file) return res.writeHead(404).end('404 page not found');
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(fs.readFileSync(path.join(FIXTURES, 'model-servers', file)));
	});
	await new Promise<void>((resolve) => ollama.listen(0, '127.0.0.1', resolve));
	ollamaUrl = `http://127.0.0.1:${(ollama.address() as { port: number }).port}`;
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await new Promise((resolve) => ollama.close(resolve));
	fs.rmSync(tmp, { recursive: true, force: true });
});

function workflow(parameters: Record<string, unknown>, node: Record<string, unknown> = {}) {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	const monitoring = wf.nodes.find((n) => n.name === 'Monitoring')!;
	monitoring.parameters = { hostName: '', options: { store: true }, ...parameters };
	Object.assign(monitoring, node);
	return wf;
}

const env = (extra: Record<string, string> = {}) => ({
	N8N_MONITORING_SQLITE_PATH: path.join(tmp, `store-${++counter}.sqlite`),
	PATH: `${binDir}:${process.env.PATH}`,
	...extra,
});

describe('GPU: Collect', () => {
	test('one GPU: one item with the GPU and its processes, stored', async () => {
		const result = await runWorkflow(workflow({ resource: 'gpu', operation: 'collect' }), {
			env: env({ FAKE_NVIDIA_SMI_SCENARIO: 'single' }),
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items.Monitoring;
		expect(item).toMatchObject({ collector: 'gpu', ok: true, stored: true });
		expect(JSON.stringify(item.snapshot)).toContain('H100');
		expect(item.sampleCount as number).toBeGreaterThan(10);
	});

	test('a hung driver is a failed collection with its reason, not a failed workflow', async () => {
		const started = Date.now();
		const result = await runWorkflow(
			workflow({ resource: 'gpu', operation: 'collect', options: { store: true, toolTimeout: 1 } }),
			{ env: env({ FAKE_NVIDIA_SMI_SCENARIO: 'hang' }) },
		);
		expect(result.error).toBeUndefined();
		const [item] = result.items.Monitoring;
		expect(item).toMatchObject({ collector: 'gpu', ok: false, stored: true });
		expect(item.error).toMatch(/did not answer|timed out/);
		expect(Date.now() - started).toBeLessThan(20_000);
	});

	test('no nvidia-smi: "no GPU found", not a failure', async () => {
		const result = await runWorkflow(
			workflow({
				resource: 'gpu',
				operation: 'collect',
				options: { store: false, vendor: 'nvidia', nvidiaSmiPath: path.join(tmp, 'missing-smi') },
			}),
			{ env: env() },
		);
		expect(result.error).toBeUndefined();
		const [item] = result.items.Monitoring;
		expect(item).toMatchObject({ collector: 'gpu', ok: true, stored: false });
		expect(JSON.stringify(item.snapshot)).toMatch(/no (NVIDIA )?GPU found/i);
	});
});

describe('Model Server: Collect', () => {
	const endpoints = (list: Array<Record<string, unknown>>) => ({ endpoint: list });

	test('a good endpoint is up; a URL that is not a URL is down with the reason; both stored', async () => {
		const result = await runWorkflow(
			workflow({
				resource: 'modelServer',
				operation: 'collect',
				endpoints: endpoints([
					{ type: 'ollama', url: ollamaUrl, name: 'good' },
					{ type: 'vllm', url: 'not a url', name: 'broken' },
				]),
			}),
			{ env: env() },
		);
		expect(result.error).toBeUndefined();
		const [item] = result.items.Monitoring;
		expect(item).toMatchObject({ collector: 'model_server', ok: true, stored: true });
		const status = (
			item.snapshot as { endpoints: Array<{ server: string; up: boolean; reason?: string }> }
		).endpoints;
		expect(status.find((e) => e.server === 'good')).toMatchObject({ up: true });
		const broken = status.find((e) => e.server === 'broken');
		expect(broken).toMatchObject({ up: false });
		expect(broken?.reason).toMatch(/not a URL/);
	});

	test('an unknown server type is a NodeOperationError naming the types that exist', async () => {
		const result = await runWorkflow(
			workflow({
				resource: 'modelServer',
				operation: 'collect',
				endpoints: endpoints([{ type: 'triton', url: ollamaUrl }]),
			}),
			{ env: env() },
		);
		expect(result.status).toBe('error');
		expect(isNodeOperationError(result.error)).toBe(true);
		expect(result.error?.message).toContain('"triton"');
		expect(result.error?.description).toMatch(/ollama, vllm, tgi, llamacpp/);
	});

	test.each([
		['version 1: Authenticate on the server', 1, {}, { authenticate: true }, true],
		['version 2: Header Auth on the node', 2, { authentication: 'headerAuth' }, {}, true],
		[
			'version 2: Header Auth on the node, Authenticate off on the server',
			2,
			{ authentication: 'headerAuth' },
			{ authenticate: false },
			false,
		],
		['version 2: no Authentication on the node', 2, {}, { authenticate: true }, false],
	])(
		'%s: the Header Auth credential is sent where asked, its value in no output',
		async (_name, typeVersion, nodeParameters, server, sent) => {
			const secret = 'Bearer sk-test-' + Math.random().toString(36).slice(2);
			let seen: string | undefined;
			const guarded = http.createServer((req, res) => {
				seen = req.headers.authorization;
				if (req.headers.authorization !== secret) return res.writeHead(401).end('unauthorized');
				const file = { '/api/ps': 'ollama-api-ps.json', '/api/version': 'ollama-api-version.json' }[
					req.url ?? ''
				];
				res.writeHead(file ? 200 : 404, { 'content-type': 'application/json' });
				res.end(file ? fs.readFileSync(path.join(FIXTURES, 'model-servers', file)) : '{}');
			});
			await new Promise<void>((resolve) => guarded.listen(0, '127.0.0.1', resolve));
			try {
				const url = `http://127.0.0.1:${(guarded.address() as { port: number }).port}`;
				const result = await runWorkflow(
					workflow(
						{
							resource: 'modelServer',
							operation: 'collect',
							...nodeParameters,
							endpoints: endpoints([{ type: 'ollama', url, name: 'guarded', ...server }]),
						},
						{ typeVersion, credentials: { httpHeaderAuth: { id: 'h1', name: 'Ollama token' } } },
					),
					{ env: env(), credentials: { httpHeaderAuth: { name: 'Authorization', value: secret } } },
				);
				expect(result.error).toBeUndefined();
				expect(seen).toBe(sent ? secret : undefined);
				const [item] = result.items.Monitoring;
				expect((item.snapshot as { endpoints: Array<{ up: boolean }> }).endpoints[0].up).toBe(sent);
				expect(JSON.stringify(result.run)).not.toContain(secret.slice(7));
			} finally {
				await new Promise((resolve) => guarded.close(resolve));
			}
		},
	);
});
