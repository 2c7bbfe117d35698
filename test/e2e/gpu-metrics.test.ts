// The GPU starter workflow in a real n8n, run from the CLI. This machine has no GPU, so a fake
// nvidia-smi (test/fixtures/gpu/fake-nvidia-smi, answering in the real tool's exact format from
// recorded fixtures: 8 GPUs, 50 processes) sits first on n8n's PATH; that is all that is faked.
// The model server is a local HTTP server replaying Ollama's documented responses.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import {
	CLI_TIMEOUT_MS,
	makeTempDir,
	n8nOptions,
	querySqlite,
	REPO_ROOT,
	removeTempDir,
	requireBuild,
	runtime,
	storePath,
	writeWorkflowCopy,
} from './helpers';

const host = os.hostname();
const WORKFLOW = path.join(REPO_ROOT, 'workflows', 'gpu-metrics.json');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

describe('n8n execute: gpu-metrics.json', () => {
	let userFolder: string;
	let binDir: string;
	let ollama: http.Server;
	let workflowId: string;

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('gpu');
		binDir = makeTempDir('gpu-bin');
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
		const { port } = ollama.address() as { port: number };
		// The copy differs only in where the model server listens.
		const copy = writeWorkflowCopy(WORKFLOW, userFolder, (wf) => {
			const node = wf.nodes.find((n: { name: string }) => n.name === 'Check model servers');
			node.parameters.endpoints.endpoint[0].url = `http://127.0.0.1:${port}`;
		});
		workflowId = JSON.parse(fs.readFileSync(copy, 'utf8')).id;
		runtime.linkPackage(userFolder);
		await runtime.importWorkflow(copy, n8nOptions(userFolder));
	}, CLI_TIMEOUT_MS + 300_000);

	afterAll(async () => {
		await new Promise((resolve) => ollama?.close(resolve));
		removeTempDir(userFolder);
		removeTempDir(binDir);
	});

	it(
		'stores GPU, per-GPU process and model server samples',
		async () => {
			const options = n8nOptions(userFolder);
			options.env = {
				...options.env,
				PATH: `${binDir}:${process.env.PATH}`,
				FAKE_NVIDIA_SMI_SCENARIO: 'eight',
			};
			const result = await runtime.executeWorkflow(workflowId, options);

			const [gpu] = runtime.nodeOutput(result.run, 'Collect GPU metrics');
			expect(gpu).toMatchObject({ collector: 'gpu', host, ok: true, stored: true });
			const [models] = runtime.nodeOutput(result.run, 'Check model servers');
			expect(models).toMatchObject({ collector: 'model_server', host, ok: true, stored: true });

			const rows = (metric: string) =>
				querySqlite<{ value: number; labels: string }>(
					storePath(userFolder),
					`SELECT s.value, r.labels FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
					 WHERE r.metric = ? AND r.host = ?`,
					[metric, host],
				);
			const util = await rows('gpu_utilization_percent');
			expect(util).toHaveLength(8);
			expect(new Set(util.map((r) => JSON.parse(r.labels).gpu))).toEqual(
				new Set(['0', '1', '2', '3', '4', '5', '6', '7']),
			);
			for (const r of util) expect(r.value).toBeGreaterThanOrEqual(0);
			const memory = await rows('gpu_memory_used_bytes');
			expect(memory).toHaveLength(8);
			const processes = await rows('gpu_process_count');
			expect(processes.reduce((sum, r) => sum + r.value, 0)).toBe(
				fs
					.readFileSync(path.join(FIXTURES, 'gpu', 'nvidia', 'eight.apps.csv'), 'utf8')
					.trim()
					.split('\n').length,
			);
			expect(await rows('gpu_processes_memory_bytes')).toHaveLength(8);

			// The per-process table is kept in the latest snapshot for the dashboard.
			const [state] = await querySqlite<{ snapshot: string }>(
				storePath(userFolder),
				`SELECT snapshot FROM mon_collector_state WHERE host = ? AND collector = 'gpu'`,
				[host],
			);
			expect(JSON.stringify(JSON.parse(state.snapshot))).toContain('"pid"');

			const up = await rows('model_server_up');
			expect(up).toHaveLength(1);
			expect(up[0].value).toBe(1);
			expect(JSON.parse(up[0].labels)).toMatchObject({ server: 'ollama', type: 'ollama' });
			expect((await rows('model_server_models_loaded'))[0]?.value).toBeGreaterThan(0);
		},
		2 * CLI_TIMEOUT_MS,
	);
});
