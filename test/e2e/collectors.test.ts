// workflows/collectors.json published in a running n8n: its Collector Triggers store host, n8n,
// database and endpoint samples every minute on n8n's poll schedule, and n8n starts no execution
// for any of it (Emit: never), which is what makes it cheap.
import fs from 'node:fs';
import path from 'node:path';

import {
	CLI_TIMEOUT_MS,
	REPO_ROOT,
	makeTempDir,
	n8nOptions,
	querySqlite,
	removeTempDir,
	requireBuild,
	runtime,
	stopServer,
	storePath,
	waitFor,
	withServerLog,
} from './helpers';

const MINUTE = 60_000;
const WANTED = ['host', 'n8n', 'database', 'endpoint'];

describe('n8n server: published collectors.json', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let apiKey: string;
	let workflowId: string;

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('collectors');
		runtime.linkPackage(userFolder);
		const options = n8nOptions(userFolder);
		// n8n's own /metrics counts every execution it runs, saved or not.
		// As npm start runs n8n: its lean settings (expression isolates taken lazily) included.
		server = await runtime.startN8n({
			...options,
			env: { ...options.env, ...runtime.LEAN_N8N_ENV, N8N_METRICS: 'true' },
		});
		await withServerLog(server, async () => {
			const client = await runtime.setupOwner(server!.baseUrl, {
				email: 'owner@example.com',
				password: runtime.generatePassword(),
			});
			apiKey = await runtime.createApiKey(client);
			const api = (method: string, urlPath: string, body?: unknown) =>
				runtime.publicApi(server!.baseUrl, apiKey, method, urlPath, body);
			// The starter as npm start imports it: the endpoint check on this n8n's port, the n8n
			// trigger on an n8n API credential for this n8n.
			const text = fs
				.readFileSync(path.join(REPO_ROOT, 'workflows', 'collectors.json'), 'utf8')
				.split('127.0.0.1:5678')
				.join(`127.0.0.1:${server!.port}`);
			const wf = JSON.parse(text);
			const credential = await api('POST', '/credentials', {
				name: 'This n8n (API)',
				type: 'n8nApi',
				data: { apiKey, baseUrl: `${server!.baseUrl}/api/v1` },
			});
			for (const node of wf.nodes)
				if (node.credentials?.n8nApi)
					node.credentials.n8nApi = { id: credential.id, name: credential.name };
			delete wf.settings.errorWorkflow; // error-to-alert.json is not imported here
			const { name, nodes, connections, settings } = wf;
			workflowId = (await api('POST', '/workflows', { name, nodes, connections, settings })).id;
			await runtime.activateWorkflow(server!.baseUrl, apiKey, workflowId);
		});
	}, 3 * CLI_TIMEOUT_MS);

	afterAll(async () => {
		await stopServer(server);
		removeTempDir(userFolder);
	}, 30_000);

	it(
		'stores host, n8n, database and endpoint collections every minute, all ok',
		async () => {
			type Run = { collector: string; ts: number; ok: number; error: string | null };
			const runs = await withServerLog(server, () =>
				waitFor(
					async () => {
						if (!fs.existsSync(storePath(userFolder))) return undefined;
						const rows = await querySqlite<Run>(
							storePath(userFolder),
							'SELECT collector, ts, ok, error FROM mon_collections ORDER BY ts',
						);
						const count = (c: string) => rows.filter((r) => r.collector === c).length;
						return WANTED.every((c) => count(c) >= 3) ? rows : undefined;
					},
					{ timeoutMs: 4 * MINUTE, intervalMs: 2_000, what: 'three collections of each' },
				),
			);
			expect(runs.filter((r) => !r.ok)).toEqual([]);
			for (const collector of WANTED) {
				const times = runs.filter((r) => r.collector === collector).map((r) => r.ts);
				// The first poll runs at activation, then one a minute (at a second n8n picks).
				const gaps = times.slice(1).map((t, i) => t - times[i]);
				const scheduled = gaps.slice(1);
				for (const gap of scheduled) {
					expect([collector, gap > 50_000 && gap < 70_000]).toEqual([collector, true]);
				}
			}
			const samples = await querySqlite<{ n: number }>(
				storePath(userFolder),
				'SELECT COUNT(*) AS n FROM mon_samples',
			);
			expect(samples[0].n).toBeGreaterThan(100);
		},
		5 * MINUTE,
	);

	it('starts no n8n execution for any of it', async () => {
		const { data } = await runtime.publicApi(
			server!.baseUrl,
			apiKey,
			'GET',
			`/executions?workflowId=${workflowId}&limit=250&includeData=false`,
		);
		expect(data).toEqual([]);
		// Nor one that n8n would not save: its histogram of execution durations counts every run.
		const metrics = await (await fetch(`${server!.baseUrl}/metrics`)).text();
		expect(metrics).toContain('n8n_active_workflow_count 1');
		const counts = [
			...metrics.matchAll(/^n8n_workflow_execution_duration_seconds_count(?:\{[^}]*\})? (\d+)/gm),
		].map((m) => Number(m[1]));
		expect(counts.reduce((a, b) => a + b, 0)).toBe(0);
	});
});
