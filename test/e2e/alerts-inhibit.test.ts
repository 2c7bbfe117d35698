// A grouping Monitoring Trigger (version 3, down-host inhibition on by default) in a real,
// published n8n workflow: an endpoint that is down on a host whose host collector fails fires in
// the store, marked as held back, and reaches nobody; when the host collector succeeds again while
// the endpoint is still down, one group item with that alert (released) reaches the next node,
// and no more. n8n polls at most once a minute, so this test takes a few minutes by design.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

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

const WORKFLOW_ID = 'monInhibitE2E01';
const HOST = 'e2e-edge';

interface Received {
	status: string;
	groupKey: string;
	counts: { firing: number; resolved: number };
	alerts: Array<{
		status: string;
		host: string;
		rule: string;
		released?: boolean;
		releasedFrom?: string;
	}>;
}

describe('n8n server: Monitoring Trigger holds back the alerts of a down host', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let recorder: http.Server;
	let store: MonitoringStore;
	const received: Received[] = [];
	let hostUp = false;
	let writer: ReturnType<typeof setInterval> | undefined;

	const write = async () => {
		const time = Date.now();
		await store.writeCollection({
			collector: 'host',
			host: HOST,
			time,
			durationMs: 1,
			ok: hostUp,
			...(hostUp ? {} : { error: 'connect ECONNREFUSED 10.0.0.9:9100' }),
			warnings: [],
			samples: hostUp ? [{ name: 'cpu_usage_percent', value: 5, labels: { cpu: 'total' } }] : [],
			snapshot: null,
		});
		await store.writeCollection({
			collector: 'endpoint',
			host: HOST,
			time,
			durationMs: 1,
			ok: true,
			warnings: [],
			samples: [{ name: 'endpoint_up', value: 0, labels: { endpoint: 'shop' } }],
			snapshot: null,
		});
	};

	const alertRows = async () =>
		await querySqlite<{ status: string; inhibited_by: string | null }>(
			storePath(userFolder),
			'SELECT status, inhibited_by FROM mon_alerts WHERE host = ?',
			[HOST],
		);
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
		userFolder = makeTempDir('inhibit');
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
		// Three failed checks before the trigger first looks: the endpoint alert fires at once.
		for (let i = 0; i < 3; i++) {
			await write();
			await new Promise((r) => setTimeout(r, 50));
		}
		writer = setInterval(() => void write().catch(() => undefined), 10_000);

		const workflow = {
			id: WORKFLOW_ID,
			name: 'Inhibit e2e',
			nodes: [
				{
					id: 'd0000000-0000-4000-8000-000000000001',
					name: 'Monitoring Trigger',
					type: 'n8n-nodes-monitoring.monitoringTrigger',
					typeVersion: 3,
					position: [0, 0],
					parameters: {
						pollTimes: { item: [{ mode: 'custom', cronExpression: '* * * * *' }] },
						rules: { rule: [{ preset: 'endpointDown', options: { host: HOST } }] },
						options: {
							includeWorkflowAlerts: false,
							groupEvents: { settings: { groupBy: ['host'], waitSeconds: 0 } },
						},
					},
				},
				{
					id: 'd0000000-0000-4000-8000-000000000002',
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
		const file = path.join(userFolder, 'inhibit-e2e.json');
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
		'holds the endpoint alert while the host is down, then hands it over once, grouped',
		async () => {
			const first = await nextPoll(0, 'a first poll of the trigger');
			await nextPoll(first, 'a second poll of the trigger');
			// Fires in the store, marked as held back; nothing reached the workflow's next node.
			expect(await alertRows()).toEqual([
				{ status: 'firing', inhibited_by: `${HOST} down (host collector failing)` },
			]);
			expect(received).toEqual([]);

			hostUp = true;
			await write();
			await withServerLog(server, () =>
				waitFor(async () => received.length > 0, {
					timeoutMs: 150_000,
					intervalMs: 1_000,
					what: 'the released group item at the recorder',
				}),
			);
			expect(received.map((r) => [r.status, r.groupKey, r.counts])).toEqual([
				['firing', `host=${HOST}`, { firing: 1, resolved: 0 }],
			]);
			expect(
				received[0].alerts.map((a) => [a.status, a.rule, a.host, a.released, a.releasedFrom]),
			).toEqual([['firing', 'Endpoint down', HOST, true, `${HOST} down (host collector failing)`]]);
			expect(await alertRows()).toEqual([{ status: 'firing', inhibited_by: null }]);

			// Once: the endpoint is still down, and the next poll sends nothing more.
			const released = await lastPoll();
			await nextPoll(released, 'one more poll');
			expect(received).toHaveLength(1);
		},
		10 * 60_000,
	);
});
