import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { closeAllStores, MonitoringStore } from '../../core/store';
import { makeCollection } from '../helpers/collections';
import { runWorkflow, shutdownWorkflowRunner, type WorkflowJson } from '../helpers/workflow-runner';

/**
 * The alert starters' Monitoring Trigger, tested the way a user does first ("Fetch Test Event"),
 * on a store that holds only host metrics: a machine without a GPU, endpoint checks, database or
 * n8n collection. Their presets for those wait with a notice; none of them fails the trigger.
 */
const ROOT = path.join(__dirname, '..', '..');
const STARTERS = [
	'alert-to-email.json',
	'alert-to-slack.json',
	'alert-to-telegram.json',
	'alert-escalation.json',
];
const MIN = 60_000;
let tmp: string;
let db: string;

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-starter-triggers-'));
	db = path.join(tmp, 'store.sqlite');
	const store = await MonitoringStore.open({ type: 'sqlite', filename: db });
	const now = Date.now();
	for (let i = 10; i >= 0; i--) {
		const c = makeCollection(now - i * MIN, 0, { host: 'web-1', collector: 'host' });
		c.samples = [
			{ name: 'cpu_usage_percent', value: 12, labels: { cpu: 'total' } },
			{ name: 'memory_used_percent', value: 40, labels: {} },
			{ name: 'filesystem_used_percent', value: 50, labels: { mount: '/' } },
		];
		await store.writeCollection(c);
	}
	await store.close();
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

/** The starter's trigger alone, as "Fetch Test Event" runs it (the nodes after it need credentials). */
function starterTrigger(file: string): WorkflowJson {
	const wf = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8'),
	) as WorkflowJson;
	const trigger = wf.nodes.filter((n) => n.type === 'n8n-nodes-monitoring.monitoringTrigger');
	expect(trigger).toHaveLength(1);
	return { ...wf, nodes: trigger, connections: {}, pinData: {} } as WorkflowJson;
}

test.each(STARTERS)(
	"%s: the trigger's test event on a host-only store is a notice, not an error",
	async (file) => {
		const wf = starterTrigger(file);
		const name = wf.nodes[0].name;
		const result = await runWorkflow(wf, {
			env: { N8N_MONITORING_SQLITE_PATH: db },
			startNode: name,
		});
		expect(result.error).toBeUndefined();
		const items = result.items[name];
		expect(items).toHaveLength(1);
		expect(items[0].notice).toMatch(
			/^Nothing fires right now\. .*GPU hot \(gpu_temperature_celsius\)/,
		);
		expect(items[0].message).toBe(items[0].notice);
		const waiting = (items[0].inactiveRules as Array<{ metric: string }>).map((r) => r.metric);
		expect(waiting).toEqual(expect.arrayContaining(['gpu_temperature_celsius', 'endpoint_up']));
		// Host presets are judged, not waiting.
		expect(waiting).not.toContain('cpu_usage_percent');
		expect(waiting).not.toContain('memory_used_percent');
	},
);
