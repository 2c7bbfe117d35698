import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { MonitoringStore, type StoreConfig } from '../../core/store';
import {
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';
import fixture from './fixtures/host-collect.json';

/**
 * The Container resource inside a workflow run by n8n-core's WorkflowExecute: a relative Socket
 * Path is bad input (NodeOperationError saying what to enter), and a socket that is not there is
 * data, not a failure: a stored, successful collection whose snapshot says "no container engine
 * found", read back from the real SQLite store. (The real engine is test/integration/containers-docker.)
 */
let tmp: string;
let counter = 0;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-ctr-'));
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	fs.rmSync(tmp, { recursive: true, force: true });
});

function workflow(parameters: Record<string, unknown>) {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	const monitoring = wf.nodes.find((n) => n.name === 'Monitoring')!;
	monitoring.parameters = {
		resource: 'container',
		operation: 'collect',
		hostName: 'wf-docker',
		options: { store: true },
		...parameters,
	};
	return wf;
}

function storeFile() {
	return path.join(tmp, `store-${++counter}.sqlite`);
}

test('a relative Socket Path is a NodeOperationError that says what to enter', async () => {
	const result = await runWorkflow(workflow({ socketPath: 'var/run/docker.sock' }), {
		env: { N8N_MONITORING_SQLITE_PATH: storeFile() },
	});
	expect(isNodeOperationError(result.error)).toBe(true);
	expect(result.error?.message).toBe(
		'Socket Path must be an absolute path, not "var/run/docker.sock"',
	);
	expect(result.error?.description).toContain('/var/run/docker.sock');
});

test('a missing socket stores a successful collection saying "no container engine found"', async () => {
	const file = storeFile();
	const socketPath = path.join(tmp, 'no-such', 'docker.sock');
	const result = await runWorkflow(workflow({ socketPath }), {
		env: { N8N_MONITORING_SQLITE_PATH: file },
	});
	expect(result.error).toBeUndefined();
	const [item] = result.items.Monitoring;
	expect(item).toMatchObject({ collector: 'containers', ok: true, stored: true });
	const message = `no container engine found: ${socketPath} does not exist`;
	expect(item.snapshot).toMatchObject({ engine: null, containers: [], message });

	// What the dashboard will read: the run, ok, with the snapshot that carries the message.
	const config: StoreConfig = { type: 'sqlite', filename: file };
	const store = await MonitoringStore.open(config);
	try {
		const [run] = await store.runs.latest(Date.now(), {
			host: 'wf-docker',
			collector: 'containers',
		});
		expect(run).toMatchObject({ host: 'wf-docker', collector: 'containers', ok: true });
		const snap = await store.runs.snapshot('wf-docker', 'containers');
		expect(JSON.parse(String(snap?.snapshot))).toMatchObject({ message });
		// No engine, no container series (the run's own collector_up is all there is).
		await expect(store.samples.ofHost('wf-docker', 'docker_container_up', 10)).resolves.toEqual([]);
	} finally {
		await store.close();
	}
});
