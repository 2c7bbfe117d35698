// A Monitoring Trigger in a real, published n8n workflow: samples pushed past the threshold
// reach the next node (an HTTP Request to a recorder on 127.0.0.1) as exactly one "firing"
// item, nothing repeats after n8n restarts, and exactly one "resolved" item follows. n8n polls
// at most once a minute, so this test takes a few minutes by design.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { Sample } from '../../core/collectors/types';
import { MonitoringStore } from '../../core/store';
import {
	CLI_TIMEOUT_MS,
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

const WORKFLOW_ID = 'monAlertE2E0001';
const HOST = 'e2e-host';

interface Received {
	status: string;
	host: string;
	message: string;
	value: number | null;
	link: string | null;
}

describe('n8n server: Monitoring Trigger', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let recorder: http.Server;
	let store: MonitoringStore;
	const received: Received[] = [];
	let value = 10;
	let writer: ReturnType<typeof setInterval> | undefined;

	const write = async () => {
		const sample: Sample = { name: 'e2e_load_percent', value };
		await store.writeCollection({
			collector: 'e2e',
			host: HOST,
			time: Date.now(),
			durationMs: 1,
			ok: true,
			warnings: [],
			samples: [sample],
			snapshot: null,
		});
	};

	/** Poll times of the rule state: every poll of the trigger rewrites it. */
	const lastPoll = async () => {
		const rows = await querySqlite<{ updated_at: number }>(
			storePath(userFolder),
			'SELECT max(updated_at) AS updated_at FROM mon_alert_state',
		);
		return Number(rows[0]?.updated_at ?? 0);
	};
	const nextPoll = async (after: number, what: string) =>
		await withServerLog(server, () =>
			waitFor(async () => ((await lastPoll()) > after ? await lastPoll() : undefined), {
				timeoutMs: 150_000,
				intervalMs: 1_000,
				what,
			}),
		);

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('alerts');
		runtime.linkPackage(userFolder);
		recorder = http.createServer((req, res) => {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				received.push(JSON.parse(body) as Received);
				res.end('{}');
			});
		});
		await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
		const port = (recorder.address() as AddressInfo).port;

		fs.mkdirSync(path.dirname(storePath(userFolder)), { recursive: true });
		store = await MonitoringStore.open({ type: 'sqlite', filename: storePath(userFolder) });
		// The metric exists, every 10 s, before the trigger first looks for it.
		for (let i = 0; i < 3; i++) {
			await write();
			await new Promise((r) => setTimeout(r, 50));
		}
		writer = setInterval(() => void write().catch(() => undefined), 10_000);

		const workflow = {
			id: WORKFLOW_ID,
			name: 'Alert e2e',
			nodes: [
				{
					id: 'a0000000-0000-4000-8000-000000000001',
					name: 'Monitoring Trigger',
					type: 'n8n-nodes-monitoring.monitoringTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						pollTimes: { item: [{ mode: 'custom', cronExpression: '* * * * *' }] },
						rules: {
							rule: [
								{
									preset: 'custom',
									name: 'Load high',
									metric: 'e2e_load_percent',
									host: HOST,
									aggregation: 'last',
									windowMinutes: '2',
									comparison: '>',
									threshold: '90',
									resolveThreshold: '50',
								},
							],
						},
						options: { includeWorkflowAlerts: false },
					},
				},
				{
					id: 'a0000000-0000-4000-8000-000000000002',
					name: 'Record',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [260, 0],
					parameters: {
						method: 'POST',
						url: `http://127.0.0.1:${port}/alert`,
						sendBody: true,
						specifyBody: 'json',
						jsonBody: '={{ JSON.stringify($json) }}',
						options: {},
					},
				},
			],
			connections: {
				'Monitoring Trigger': { main: [[{ node: 'Record', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
			active: false,
		};
		const file = path.join(userFolder, 'alert-e2e.json');
		fs.writeFileSync(file, JSON.stringify(workflow));
		const options = n8nOptions(userFolder);
		await runtime.importWorkflow(file, options);
		await runtime.publishWorkflow(WORKFLOW_ID, options);
		server = await runtime.startN8n(options);
		await withServerLog(server, () =>
			runtime.setupOwner(server!.baseUrl, {
				email: 'owner@example.com',
				password: runtime.generatePassword(),
			}),
		);
	}, 3 * CLI_TIMEOUT_MS);

	afterAll(async () => {
		if (writer) clearInterval(writer);
		await stopServer(server);
		await store?.close();
		await new Promise((r) => recorder?.close(r));
		removeTempDir(userFolder);
	}, 30_000);

	it(
		'hands over one firing item, none after a restart, then one resolved item',
		async () => {
			const calm = await nextPoll(0, 'a first poll of the trigger');
			expect(received).toEqual([]);

			value = 97;
			await write();
			await withServerLog(server, () =>
				waitFor(async () => received.length > 0, {
					timeoutMs: 150_000,
					intervalMs: 1_000,
					what: 'the firing item at the recorder',
				}),
			);
			expect(received.map((r) => [r.status, r.host, r.value])).toEqual([['firing', HOST, 97]]);
			expect(received[0].message).toMatch(/^Firing: Load high on e2e-host: 97 \(latest\) > 90/);
			expect(received[0].link).toMatch(/\/webhook\/monitoring\/#\/host\/e2e-host$/);
			const fired = await lastPoll();
			expect(fired).toBeGreaterThan(calm);

			// Still above the threshold across a restart of n8n: nothing is handed over again.
			await stopServer(server);
			const restartedAt = Date.now();
			server = await runtime.startN8n(n8nOptions(userFolder));
			const first = await nextPoll(Math.max(fired, restartedAt), 'a poll after the restart');
			await nextPoll(first, 'a second poll after the restart');
			expect(received.map((r) => r.status)).toEqual(['firing']);

			value = 20;
			await write();
			await withServerLog(server, () =>
				waitFor(async () => received.length > 1, {
					timeoutMs: 150_000,
					intervalMs: 1_000,
					what: 'the resolved item at the recorder',
				}),
			);
			const resolvedAt = await lastPoll();
			await nextPoll(resolvedAt, 'one more poll');
			expect(received.map((r) => [r.status, r.value])).toEqual([
				['firing', 97],
				['resolved', 20],
			]);
		},
		12 * 60_000,
	);
});
