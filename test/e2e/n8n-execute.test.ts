// The starter workflow, imported unchanged into a fresh n8n and run from the CLI, stores host
// samples in the default SQLite store of that user folder.
import * as os from 'node:os';

import {
	CLI_TIMEOUT_MS,
	HOST_WORKFLOW_FILE,
	HOST_WORKFLOW_ID,
	collections,
	expectSaneHostSamples,
	makeTempDir,
	n8nOptions,
	removeTempDir,
	requireBuild,
	runtime,
	samples,
} from './helpers';

const host = os.hostname();

describe('n8n execute: host-metrics.json', () => {
	let userFolder: string;
	let startedAt: number;

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('execute');
		runtime.linkPackage(userFolder);
		startedAt = Math.floor(Date.now() / 1000);
		await runtime.importWorkflow(HOST_WORKFLOW_FILE, n8nOptions(userFolder));
	}, CLI_TIMEOUT_MS + 300_000);

	afterAll(() => removeTempDir(userFolder));

	it(
		'stores a collection with CPU and memory samples, and another on the next run',
		async () => {
			const first = await runtime.executeWorkflow(HOST_WORKFLOW_ID, n8nOptions(userFolder));
			console.log(`n8n execute took ${first.durationMs} ms (CLI start to exit)`);

			const [item] = runtime.nodeOutput(first.run, 'Collect host metrics');
			expect(item).toMatchObject({ collector: 'host', host, ok: true, stored: true });
			expect(item.sampleCount).toBeGreaterThan(0);

			const afterFirst = await collections(userFolder, host);
			expect(afterFirst).toHaveLength(1);
			expect(afterFirst[0]).toMatchObject({ ok: 1, collector: 'host', host });
			expect(afterFirst[0].sample_count).toBeGreaterThan(0);
			const cpu1 = await samples(userFolder, 'cpu_usage_percent', host);
			const mem1 = await samples(userFolder, 'memory_used_bytes', host);
			expectSaneHostSamples(cpu1, mem1, startedAt);
			const up = await samples(userFolder, 'collector_up', host);
			expect(up.map((s) => s.value)).toContain(1);

			const second = await runtime.executeWorkflow(HOST_WORKFLOW_ID, n8nOptions(userFolder));
			console.log(`second n8n execute took ${second.durationMs} ms`);

			const afterSecond = await collections(userFolder, host);
			expect(afterSecond).toHaveLength(2);
			expect(afterSecond[1].ok).toBe(1);
			expect(afterSecond[1].id).toBeGreaterThan(afterSecond[0].id);
			const cpu2 = await samples(userFolder, 'cpu_usage_percent', host);
			const mem2 = await samples(userFolder, 'memory_used_bytes', host);
			expect(cpu2.length).toBeGreaterThan(cpu1.length);
			expect(mem2.length).toBeGreaterThan(mem1.length);
			expectSaneHostSamples(cpu2, mem2, startedAt);
		},
		2 * CLI_TIMEOUT_MS,
	);
});
