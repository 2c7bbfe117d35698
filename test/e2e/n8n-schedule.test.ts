// The starter workflow, published in a running n8n, collects on its Schedule Trigger without
// anyone pressing a button, and its successful runs stay out of n8n's execution list.
import * as os from 'node:os';

import {
	CLI_TIMEOUT_MS,
	HOST_WORKFLOW_FILE,
	HOST_WORKFLOW_ID,
	collections,
	everySeconds,
	expectSaneHostSamples,
	makeTempDir,
	n8nOptions,
	removeTempDir,
	requireBuild,
	runtime,
	samples,
	stopServer,
	waitFor,
	withServerLog,
	writeWorkflowCopy,
} from './helpers';

const host = os.hostname();
const INTERVAL_SECONDS = 5;

describe('n8n server: scheduled host-metrics.json', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let apiKey: string;
	let startedAt: number;

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('schedule');
		runtime.linkPackage(userFolder);
		const options = n8nOptions(userFolder);
		const copy = writeWorkflowCopy(HOST_WORKFLOW_FILE, userFolder, everySeconds(INTERVAL_SECONDS));
		await runtime.importWorkflow(copy, options);
		// Published before start: a running n8n only picks up CLI publishing after a restart.
		await runtime.publishWorkflow(HOST_WORKFLOW_ID, options);
		startedAt = Math.floor(Date.now() / 1000);
		server = await runtime.startN8n(options);
		console.log(`n8n start to healthy: ${server.startupMs} ms`);
		apiKey = await withServerLog(server, async () => {
			const client = await runtime.setupOwner(server!.baseUrl, {
				email: 'owner@example.com',
				password: runtime.generatePassword(),
			});
			return await runtime.createApiKey(client);
		});
	}, 3 * CLI_TIMEOUT_MS);

	afterAll(async () => {
		await stopServer(server);
		removeTempDir(userFolder);
	}, 30_000);

	it('is active after start', async () => {
		const workflow = await runtime.publicApi(
			server!.baseUrl,
			apiKey,
			'GET',
			`/workflows/${HOST_WORKFLOW_ID}`,
		);
		expect(workflow.active).toBe(true);
	});

	it('stores at least two scheduled collections with samples', async () => {
		const rows = await withServerLog(server, () =>
			waitFor(
				async () => {
					const found = await collections(userFolder, host);
					return found.length >= 2 ? found : undefined;
				},
				{ timeoutMs: 60_000, intervalMs: 1_000, what: 'two scheduled host collections' },
			),
		);
		expect(rows.every((row) => row.ok === 1)).toBe(true);
		const cpu = await samples(userFolder, 'cpu_usage_percent', host);
		const memory = await samples(userFolder, 'memory_used_bytes', host);
		expect(cpu.length).toBeGreaterThanOrEqual(2);
		expectSaneHostSamples(cpu, memory, startedAt);
	}, 70_000);

	it('does not save successful executions', async () => {
		const { data } = await runtime.publicApi(
			server!.baseUrl,
			apiKey,
			'GET',
			`/executions?workflowId=${HOST_WORKFLOW_ID}&limit=250`,
		);
		// Failed runs are kept on purpose; none is expected, but they are not what this checks.
		const saved = (data as Array<{ status: string; mode: string }>).filter(
			(execution) => execution.status !== 'error' && execution.status !== 'crashed',
		);
		expect(saved).toEqual([]);
	});
});
