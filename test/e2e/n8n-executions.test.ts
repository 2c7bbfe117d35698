// The n8n executions collector against a real n8n 2.40.7: workflows that succeed, fail and wait,
// triggered over HTTP (more than one page of 250), synced twice into a SQLite store, with counts
// compared to exactly what the test ran; then a wrong API key and a base URL that is not n8n.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { collectN8n, N8nClient, syncExecutions } from '../../core/n8n';
import { MonitoringStore } from '../../core/store';
import {
	makeTempDir,
	n8nOptions,
	querySqlite,
	REPO_ROOT,
	removeTempDir,
	runtime,
	stopServer,
	storePath,
	waitFor,
	withServerLog,
} from './helpers';
import { tables } from '../helpers/tables';

/** A webhook workflow (answers at once, then runs `next`) that keeps every execution. */
function webhookWorkflow(name: string, hookPath: string, next: Record<string, unknown>) {
	return {
		name,
		nodes: [
			{
				id: `${hookPath}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${hookPath}-0000-4000-8000-000000000000`.slice(0, 36),
				parameters: { httpMethod: 'GET', path: hookPath, responseMode: 'onReceived', options: {} },
			},
			{ id: `${hookPath}-next`, position: [220, 0], ...next },
		],
		connections: {
			Webhook: { main: [[{ node: next.name as string, type: 'main', index: 0 }]] },
		},
		settings: {
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
			saveManualExecutions: true,
			executionOrder: 'v1',
		},
	};
}

const WORKFLOWS = {
	ok: webhookWorkflow('E2E succeeds', 'mon-ok', {
		name: 'Done',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		parameters: {},
	}),
	fail: webhookWorkflow('E2E fails', 'mon-fail', {
		name: 'Fail',
		type: 'n8n-nodes-base.stopAndError',
		typeVersion: 1,
		parameters: { errorMessage: 'failing on purpose' },
	}),
	// Longer than 65 s, so n8n parks the execution in the database as "waiting".
	wait: webhookWorkflow('E2E waits', 'mon-wait', {
		name: 'Wait',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		parameters: { resume: 'timeInterval', amount: 2, unit: 'hours' },
	}),
};
type Kind = keyof typeof WORKFLOWS;
const PATHS: Record<Kind, string> = { ok: 'mon-ok', fail: 'mon-fail', wait: 'mon-wait' };

describe('n8n executions: sync from a real n8n', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let apiKey: string;
	let store: MonitoringStore;
	let client: N8nClient;
	let instance: string;
	const ids = {} as Record<Kind, string>;
	let scheduledId: string;
	const ran: Record<Kind, number> = { ok: 0, fail: 0, wait: 0 };

	beforeAll(async () => {
		runtime.ensureRuntime();
		userFolder = makeTempDir('executions');
		// With its /metrics (no queue mode): the collector's Process Health reads it.
		server = await runtime.startN8n({
			...n8nOptions(userFolder),
			env: { N8N_METRICS: 'true', N8N_METRICS_INCLUDE_API_ENDPOINTS: 'true' },
		});
		console.log(`n8n start to healthy: ${server.startupMs} ms`);
		// On a fresh database n8n runs its migrations after /healthz and /rest/settings already
		// answer 200 with the text "n8n is starting up": wait for real JSON before the owner setup.
		await waitFor(
			async () => {
				const res = await fetch(`${server!.baseUrl}/rest/settings`);
				const text = await res.text();
				return res.ok && text.trimStart().startsWith('{');
			},
			{ timeoutMs: 120_000, intervalMs: 250, what: 'n8n to finish starting' },
		);
		apiKey = await withServerLog(server, async () => {
			const owner = await runtime.setupOwner(server!.baseUrl, {
				email: 'owner@example.com',
				password: runtime.generatePassword(),
			});
			return await runtime.createApiKey(owner);
		});
		for (const kind of Object.keys(WORKFLOWS) as Kind[]) {
			const created = await runtime.publicApi(
				server.baseUrl,
				apiKey,
				'POST',
				'/workflows',
				WORKFLOWS[kind],
			);
			ids[kind] = created.id;
			await runtime.activateWorkflow(server.baseUrl, apiKey, created.id);
		}
		// An hourly schedule that will not fire during the test: judged from its schedule, not stalled.
		const scheduled = await runtime.publicApi(server.baseUrl, apiKey, 'POST', '/workflows', {
			name: 'E2E hourly',
			nodes: [
				{
					id: 'hourly-trigger',
					name: 'Schedule Trigger',
					type: 'n8n-nodes-base.scheduleTrigger',
					typeVersion: 1.2,
					position: [0, 0],
					parameters: { rule: { interval: [{ field: 'hours', hoursInterval: 1 }] } },
				},
				{
					id: 'hourly-noop',
					name: 'Done',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [220, 0],
					parameters: {},
				},
			],
			connections: {
				'Schedule Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		scheduledId = scheduled.id;
		await runtime.activateWorkflow(server.baseUrl, apiKey, scheduledId);
		store = await MonitoringStore.open({
			type: 'sqlite',
			filename: path.join(userFolder, 'monitoring.sqlite'),
		});
		client = new N8nClient({ baseUrl: server.baseUrl, apiKey });
		instance = client.defaultInstance;
	}, 240_000);

	afterAll(async () => {
		await store?.close();
		await stopServer(server);
		removeTempDir(userFolder);
	}, 60_000);

	/** Calls the webhooks, a few at a time (n8n on SQLite and 2 cores), and counts what ran. */
	async function trigger(counts: Record<Kind, number>) {
		const calls: Kind[] = [];
		for (const kind of Object.keys(counts) as Kind[])
			for (let i = 0; i < counts[kind]; i++) calls.push(kind);
		const started = Date.now();
		let next = 0;
		const worker = async () => {
			while (next < calls.length) {
				const kind = calls[next++];
				const res = await fetch(`${server!.baseUrl}/webhook/${PATHS[kind]}`, {
					signal: AbortSignal.timeout(30_000),
				});
				await res.text();
				if (!res.ok) throw new Error(`webhook ${kind} answered ${res.status}`);
				ran[kind]++;
			}
		};
		await Promise.all(Array.from({ length: 6 }, worker));
		console.log(`${calls.length} webhook calls in ${Date.now() - started} ms`);
		// The webhooks answer before the executions end: wait until n8n lists them all as done.
		const expected = ran.ok + ran.fail + ran.wait;
		await withServerLog(server, () =>
			waitFor(
				async () => {
					let total = 0;
					let cursor: string | null = null;
					do {
						const page = await client.listExecutions({ cursor });
						total += page.data.filter((e) => e.status !== 'running' && e.status !== 'new').length;
						cursor = page.nextCursor;
					} while (cursor);
					return total >= expected;
				},
				{ timeoutMs: 60_000, intervalMs: 500, what: `${expected} executions listed as done` },
			),
		);
	}

	async function storedCounts(): Promise<Record<string, number>> {
		const rows: Array<{ workflow_id: string; status: string; n: unknown }> = await tables(store)(
			'mon_executions',
		)
			.where({ instance })
			.groupBy('workflow_id', 'status')
			.select('workflow_id', 'status')
			.count({ n: '*' });
		const out: Record<string, number> = {};
		for (const r of rows) out[`${r.workflow_id}:${r.status}`] = Number(r.n);
		return out;
	}

	function expectedCounts(): Record<string, number> {
		return {
			[`${ids.ok}:success`]: ran.ok,
			[`${ids.fail}:error`]: ran.fail,
			[`${ids.wait}:waiting`]: ran.wait,
		};
	}

	it('syncs more than a page of executions, then only what is new', async () => {
		await trigger({ ok: 240, fail: 20, wait: 2 });
		const first = await syncExecutions(store.executions, client, { instance });
		expect(first.error).toBeUndefined();
		expect(first).toMatchObject({ complete: true, inserted: 262, updated: 0 });
		expect(first.pages).toBeGreaterThanOrEqual(2 + 2); // two list pages, the running and waiting lists
		expect(await storedCounts()).toEqual(expectedCounts());

		await trigger({ ok: 25, fail: 5, wait: 1 });
		const requestsBefore = client.requests;
		const second = await syncExecutions(store.executions, client, { instance });
		expect(second).toMatchObject({ complete: true, inserted: 31, updated: 0 });
		// Incremental, not the whole list: a first page of 20, one of 250 down to the mark (with the
		// overlap), the running and waiting lists; the workflow list is the one read a moment ago.
		expect(second.pages).toBe(2 + 2);
		expect(client.requests - requestsBefore).toBeLessThanOrEqual(2 + 2);
		expect(await storedCounts()).toEqual(expectedCounts());

		const row = await tables(store)('mon_executions')
			.where({ instance, workflow_id: ids.wait })
			.first();
		expect(row.workflow_name).toBe('E2E waits');
		expect(row.wait_till).not.toBeNull();
		expect(Number(row.waited_ms)).toBeGreaterThanOrEqual(0);
		const fail = await tables(store)('mon_executions')
			.where({ instance, workflow_id: ids.fail })
			.first();
		expect(fail).toMatchObject({ status: 'error', mode: 'webhook' });
		expect(Number(fail.duration_ms)).toBeGreaterThanOrEqual(0);
	});

	it('collects figures and stores them as a collection', async () => {
		const { collection, sync } = await collectN8n(store, client, { instance, queueMetrics: true });
		expect(sync).toMatchObject({ complete: true, inserted: 0, updated: 0 });
		// This n8n runs without queue mode: a warning naming the switch, not a failure.
		expect(collection.warnings.join('\n')).toMatch(/N8N_METRICS_INCLUDE_QUEUE_METRICS/);
		expect(collection).toMatchObject({ collector: 'n8n', host: instance, ok: true });
		const value = (name: string, labels: Record<string, string> = {}) =>
			collection.samples.find(
				(s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
			)?.value;
		expect(value('n8n_api_up')).toBe(1);
		expect(
			value('n8n_executions_total', { workflow: ids.ok, status: 'success', kind: 'production' }),
		).toBe(ran.ok);
		expect(
			value('n8n_executions_total', { workflow: ids.fail, status: 'error', kind: 'production' }),
		).toBe(ran.fail);
		expect(value('n8n_execution_failure_rate', { workflow: ids.fail })).toBe(1);
		expect(value('n8n_execution_failure_rate', { workflow: ids.ok })).toBe(0);
		expect(
			value('n8n_executions_total', { workflow: ids.ok, status: 'error', kind: 'production' }),
		).toBe(0);
		// Webhook workflows are not judged; the hourly schedule is, from its Schedule Trigger, and
		// was published a moment ago, so it is not stalled.
		const stalled = collection.snapshot!.stalled;
		expect(stalled.map((s) => s.workflowId).sort()).toEqual(
			[ids.ok, ids.fail, ids.wait, scheduledId].sort(),
		);
		expect(
			stalled.filter((s) => s.workflowId !== scheduledId).every((s) => s.stalled === null),
		).toBe(true);
		expect(stalled.find((s) => s.workflowId === scheduledId)).toMatchObject({
			source: 'schedule',
			expectedIntervalMs: 3_600_000,
			lastSuccessAt: null,
			stalled: false,
		});
		expect(value('n8n_workflow_stalled', { workflow: scheduledId })).toBe(0);
		// An id n8n does not have is null, not an error.
		expect(await client.getExecution('987654321')).toBeNull();
		expect(value('n8n_executions_waiting')).toBe(ran.wait);
		expect(
			value('n8n_execution_duration_seconds', { workflow: ids.ok, quantile: 'p95' }),
		).toBeGreaterThanOrEqual(0);
		expect(collection.snapshot!.workflows.find((w) => w.id === ids.ok)?.name).toBe('E2E succeeds');
		const written = await store.writeCollection(collection);
		expect(written.samples).toBeGreaterThan(5);
	});

	it("reads n8n's own process health from its /metrics, as rates between two collections", async () => {
		const first = await collectN8n(store, client, { instance, processHealth: true });
		expect(first.collection.warnings).toEqual([]);
		const p1 = first.collection.snapshot!.process!;
		expect(p1).toMatchObject({ version: 'v2.40.7', leader: true, cpuPercent: null });
		// A running n8n 2.40 holds a few hundred MB; its heap is part of that.
		expect(p1.residentMemoryBytes!).toBeGreaterThan(100e6);
		expect(p1.heapUsedBytes!).toBeGreaterThan(10e6);
		expect(p1.heapUsedBytes!).toBeLessThan(p1.residentMemoryBytes!);
		expect(p1.eventLoopLagP99Seconds!).toBeGreaterThanOrEqual(0);
		expect(p1.startedAt!).toBeLessThan(Date.now());
		await store.writeCollection(first.collection);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const second = await collectN8n(store, client, { instance, processHealth: true });
		const p2 = second.collection.snapshot!.process!;
		expect(p2.startedAt).toBe(p1.startedAt);
		// The sync between the two reads cost n8n CPU and answered API requests over HTTP.
		expect(p2.cpuPercent!).toBeGreaterThan(0);
		expect(p2.httpRequests!).toBeGreaterThan(p1.httpRequests!);
		expect(p2.httpMeanSeconds!).toBeGreaterThan(0);
		const names = second.collection.samples.map((s) => s.name);
		for (const name of [
			'n8n_process_cpu_percent',
			'n8n_process_memory_bytes',
			'n8n_heap_used_bytes',
			'n8n_event_loop_lag_seconds',
			'n8n_http_request_mean_seconds',
			'n8n_uptime_seconds',
		])
			expect(names).toContain(name);
		await store.writeCollection(second.collection);
	});

	it('lists an execution running past its limit as stuck, with its link, and clears it when it ends', async () => {
		// A Wait of 25 s: n8n waits under 65 s in process, so the execution stays "running".
		const hang = await runtime.publicApi(
			server!.baseUrl,
			apiKey,
			'POST',
			'/workflows',
			webhookWorkflow('E2E hangs', 'mon-hang', {
				name: 'Hang',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				parameters: { resume: 'timeInterval', amount: 25, unit: 'seconds' },
			}),
		);
		await runtime.activateWorkflow(server!.baseUrl, apiKey, hang.id);
		// The webhook answers 404 until n8n has registered it, a moment after activation.
		await waitFor(
			async () => {
				const res = await fetch(`${server!.baseUrl}/webhook/mon-hang`);
				await res.text();
				return res.ok;
			},
			{ timeoutMs: 30_000, intervalMs: 500, what: 'the webhook of the hanging workflow' },
		);
		const stuckOf = async () => {
			const { collection } = await collectN8n(store, client, { instance, stuckAfterMs: 2000 });
			const count = collection.samples.find(
				(s) => s.name === 'n8n_executions_stuck' && s.labels?.workflow === hang.id,
			)?.value;
			return { list: collection.snapshot!.stuck.filter((s) => s.workflowId === hang.id), count };
		};
		const stuck = await waitFor(async () => ((await stuckOf()).list.length ? stuckOf() : false), {
			timeoutMs: 20_000,
			what: 'the hanging execution to be listed as stuck',
		});
		expect(stuck.count).toBe(1);
		expect(stuck.list[0]).toMatchObject({ status: 'running', limitMs: 2000 });
		expect(stuck.list[0].link).toBe(
			`${server!.baseUrl}/workflow/${hang.id}/executions/${stuck.list[0].id}`,
		);
		await waitFor(async () => (await stuckOf()).count === 0, {
			timeoutMs: 90_000,
			intervalMs: 2000,
			what: 'the execution to finish and the stuck count to go back to 0',
		});
	}, 180_000);

	it('reports a wrong API key as 401 and keeps the stored rows', async () => {
		const before = await storedCounts();
		const wrong = new N8nClient({ baseUrl: server!.baseUrl, apiKey: 'not-a-valid-key-1234' });
		const { collection, sync } = await collectN8n(store, wrong, { instance });
		expect(sync.complete).toBe(false);
		expect(collection.ok).toBe(false);
		expect(collection.error).toMatch(/API key rejected \(401\).*Settings > n8n API/);
		expect(collection.error).not.toContain('not-a-valid-key-1234');
		expect(collection.samples.find((s) => s.name === 'n8n_api_up')?.value).toBe(0);
		expect(await storedCounts()).toEqual(before);
	});

	it('says that a web server that is not n8n is not n8n', async () => {
		const web = http.createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>');
		});
		await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
		try {
			const port = (web.address() as AddressInfo).port;
			const notN8n = new N8nClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k' });
			const { collection } = await collectN8n(store, notN8n, {});
			expect(collection.ok).toBe(false);
			expect(collection.error).toMatch(/does not answer like n8n's public API/);
			expect(collection.host).toBe(`127.0.0.1:${port}`);
		} finally {
			await new Promise((resolve) => web.close(resolve));
		}
	});

	it('runs the starter workflow n8n-executions.json through the Monitoring node', async () => {
		// The node in a separate `n8n execute` process, calling this server's public API through an
		// n8n API credential (n8n's own type) imported with plain data (n8n encrypts it).
		runtime.linkPackage(userFolder);
		const file = path.join(REPO_ROOT, 'workflows', 'n8n-executions.json');
		const starter = JSON.parse(fs.readFileSync(file, 'utf8'));
		const ref = starter.nodes.find((n: { name: string }) => n.name === 'Collect n8n executions')
			.credentials.n8nApi;
		const credentials = path.join(userFolder, 'n8n-api-credential.json');
		fs.writeFileSync(
			credentials,
			JSON.stringify([
				{
					id: ref.id,
					name: ref.name,
					type: 'n8nApi',
					data: { apiKey, baseUrl: `${server!.baseUrl}/api/v1` },
				},
			]),
		);
		await runtime.runCli(['import:credentials', `--input=${credentials}`], n8nOptions(userFolder));
		fs.rmSync(credentials);
		await runtime.importWorkflow(file, n8nOptions(userFolder));
		const result = await runtime.executeWorkflow(starter.id, n8nOptions(userFolder));
		const [item] = runtime.nodeOutput(result.run, 'Collect n8n executions');
		expect(item).toMatchObject({ collector: 'n8n', ok: true, stored: true });
		const snapshot = item.snapshot as { apiUp: boolean; overall: { production: { runs: number } } };
		expect(snapshot.apiUp).toBe(true);
		// The starter reads n8n's own health too; this n8n serves /metrics.
		expect(item.snapshot.process).toMatchObject({ version: 'v2.40.7' });
		expect(item.warnings).toBeUndefined();
		expect(snapshot.overall.production.runs).toBeGreaterThanOrEqual(ran.ok + ran.fail);
		expect(result.stdout).not.toContain(apiKey);
		const rows = await querySqlite<{ n: number }>(
			storePath(userFolder),
			'SELECT count(*) AS n FROM mon_executions',
		);
		expect(rows[0].n).toBeGreaterThanOrEqual(ran.ok + ran.fail + ran.wait);
	}, 240_000);
});
