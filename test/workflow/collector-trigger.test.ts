import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { closeAllStores, MonitoringStore } from '../../core/store';
import { tables } from '../helpers/tables';
import {
	pollTrigger,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';

/**
 * The Monitoring Collector Trigger, polled the way n8n polls a published workflow (mode
 * `trigger`) and tested the way a user does ("Fetch Test Event"), on real SQLite files: it
 * stores every collection, and hands items over only as its Emit option says.
 */
const ROOT = path.join(__dirname, '..', '..');
const TYPE = 'n8n-nodes-monitoring.monitoringCollectorTrigger';
let tmp: string;
let n = 0;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-collector-trigger-'));
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

const newDb = () => path.join(tmp, `store-${++n}.sqlite`);

/** The rows of one SQL statement on a store file, read through a store of its own. */
async function query(file: string, sql: string): Promise<Array<Record<string, unknown>>> {
	const store = await MonitoringStore.open({ type: 'sqlite', filename: file });
	try {
		return (await tables(store).raw(sql)) as Array<Record<string, unknown>>;
	} finally {
		await store.close();
	}
}

/** The starter workflows/collectors.json as users import it. */
function starter(): WorkflowJson {
	return JSON.parse(
		fs.readFileSync(path.join(ROOT, 'workflows', 'collectors.json'), 'utf8'),
	) as WorkflowJson;
}

/** A workflow of one Collector Trigger with these parameters. */
function one(parameters: Record<string, unknown>): WorkflowJson {
	return {
		name: 'collector trigger test',
		nodes: [
			{
				id: 'c0ffee00-0000-4000-8000-000000000001',
				name: 'Collect',
				type: TYPE,
				typeVersion: 2,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
			},
		],
		connections: {},
	} as unknown as WorkflowJson;
}

/** A Prometheus scrape of a port nothing listens on: a failed collection (ok: false). */
const refused = {
	resource: 'prometheus',
	exporter: 'generic',
	url: 'http://127.0.0.1:1/metrics',
	hostName: 'gone',
};

describe('Monitoring Collector Trigger', () => {
	it('collectors.json: every trigger is a Collector Trigger that emits nothing', () => {
		const wf = starter();
		const triggers = wf.nodes.filter((node) => node.type === TYPE);
		expect(triggers.map((t) => t.parameters.resource).sort()).toEqual([
			'database',
			'endpoint',
			'gpu',
			'host',
			'modelServer',
			'n8n',
		]);
		for (const t of triggers) expect(t.parameters.emit).toBe('never');
		expect(wf.connections).toEqual({});
	});

	it("collectors.json's host trigger stores a collection and starts no execution", async () => {
		const db = newDb();
		const wf = starter();
		const host = wf.nodes.find((node) => node.type === TYPE && node.parameters.resource === 'host');
		const result = await pollTrigger(wf, {
			node: host!.name,
			env: { N8N_MONITORING_SQLITE_PATH: db },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toBeNull();
		expect(await query(db, 'SELECT collector, ok FROM mon_collections')).toEqual([
			{ collector: 'host', ok: 1 },
		]);
		const samples = await query(db, 'SELECT COUNT(*) AS n FROM mon_samples');
		expect(Number(samples[0].n)).toBeGreaterThan(20);
	});

	it('Emit "Every Collection" hands over the item the Monitoring node would', async () => {
		const db = newDb();
		const result = await pollTrigger(one({ resource: 'host', emit: 'always', hostName: 'web-1' }), {
			env: { N8N_MONITORING_SQLITE_PATH: db },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items![0]).toMatchObject({
			collector: 'host',
			host: 'web-1',
			ok: true,
			stored: true,
		});
	});

	it('Emit "When a Collection Fails" hands over failed collections only, both stored', async () => {
		const db = newDb();
		const env = { N8N_MONITORING_SQLITE_PATH: db };
		const failed = await pollTrigger(one({ ...refused, emit: 'failures' }), { env });
		expect(failed.error).toBeUndefined();
		expect(failed.items).toHaveLength(1);
		expect(failed.items![0]).toMatchObject({ collector: 'prometheus', ok: false, stored: true });
		expect(String(failed.items![0].error)).toMatch(/127\.0\.0\.1:1/);

		const fine = await pollTrigger(one({ resource: 'host', emit: 'failures' }), { env });
		expect(fine.error).toBeUndefined();
		expect(fine.items).toBeNull();
		expect(await query(db, 'SELECT collector, ok FROM mon_collections ORDER BY ts')).toEqual([
			{ collector: 'prometheus', ok: 0 },
			{ collector: 'host', ok: 1 },
		]);
	});

	it('Emit "Never" still stores a failed collection, silently', async () => {
		const db = newDb();
		const result = await pollTrigger(one({ ...refused, emit: 'never' }), {
			env: { N8N_MONITORING_SQLITE_PATH: db },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toBeNull();
		expect(await query(db, 'SELECT collector, ok FROM mon_collections')).toEqual([
			{ collector: 'prometheus', ok: 0 },
		]);
	});

	it('a store that cannot be written fails the poll with what to do (n8n records a failed execution)', async () => {
		const db = path.join(tmp, 'no-such-folder', 'store.sqlite');
		const result = await pollTrigger(one({ resource: 'host', emit: 'never' }), {
			env: { N8N_MONITORING_SQLITE_PATH: db },
		});
		expect(result.items).toBeNull();
		expect(result.error?.message).toMatch(/no-such-folder/);
		expect(result.error?.description).toBeTruthy();
		expect(fs.existsSync(path.dirname(db))).toBe(false);
	});

	it('a bad parameter fails the poll with a message that names it', async () => {
		const result = await pollTrigger(
			one({ resource: 'host', emit: 'never', options: { topProcesses: -3 } }),
			{
				env: { N8N_MONITORING_SQLITE_PATH: newDb() },
			},
		);
		expect(result.items).toBeNull();
		expect(result.error?.message).toMatch(/Top Processes/);
	});

	it('"Fetch Test Event" shows the collection even with Emit "Never", and stores it', async () => {
		const db = newDb();
		const result = await runWorkflow(one({ resource: 'host', emit: 'never' }), {
			env: { N8N_MONITORING_SQLITE_PATH: db },
			startNode: 'Collect',
		});
		expect(result.error).toBeUndefined();
		expect(result.items.Collect).toHaveLength(1);
		expect(result.items.Collect[0]).toMatchObject({ collector: 'host', ok: true, stored: true });
		expect(await query(db, 'SELECT COUNT(*) AS n FROM mon_collections')).toEqual([{ n: 1 }]);
	});
});
