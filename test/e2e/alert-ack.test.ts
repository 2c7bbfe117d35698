// Acknowledge by link in a real, published n8n: a Monitoring Trigger hands over a firing item
// whose ackLink points at the Monitoring Dashboard served by the same n8n; opening the link shows
// a confirm page (acknowledging nothing), its button (a POST to the dashboard's webhook)
// acknowledges; the trigger then hands over one "acknowledged" item, repeats no more although
// Repeat Every is one minute, and hands over one "resolved" item. A forged link is refused.
// n8n polls at most once a minute, so this test takes a few minutes by design.
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
	REPO_ROOT,
	removeTempDir,
	requireBuild,
	runtime,
	stopServer,
	storePath,
	waitFor,
	withServerLog,
} from './helpers';

const TRIGGER_ID = 'monAckE2E000001';
const DASHBOARD_ID = 'monAckE2EDash01';
const HOST = 'e2e-ack-host';

interface Received {
	status: string;
	alertId: number;
	ackLink?: string;
	acknowledgedBy?: string;
	repeat: boolean;
}

describe('n8n server: acknowledge by link', () => {
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
	const receivedCount = async (n: number, what: string) =>
		await withServerLog(server, () =>
			waitFor(async () => received.length >= n, { timeoutMs: 150_000, intervalMs: 1_000, what }),
		);

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('alert-ack');
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
		for (let i = 0; i < 3; i++) {
			await write();
			await new Promise((r) => setTimeout(r, 50));
		}
		writer = setInterval(() => void write().catch(() => undefined), 10_000);

		const trigger = {
			id: TRIGGER_ID,
			name: 'Ack e2e',
			nodes: [
				{
					id: 'a0000000-0000-4000-8000-0000000000a1',
					name: 'Monitoring Trigger',
					type: 'n8n-nodes-monitoring.monitoringTrigger',
					typeVersion: 2,
					position: [0, 0],
					parameters: {
						pollTimes: { item: [{ mode: 'custom', cronExpression: '* * * * *' }] },
						rules: {
							rule: [
								{
									preset: 'custom',
									name: 'Load high',
									metric: 'e2e_load_percent',
									threshold: '90',
									aggregation: 'last',
									comparison: '>',
									options: {
										host: HOST,
										windowMinutes: '2',
										resolveThreshold: '50',
										repeatMinutes: '1',
									},
								},
							],
						},
						options: { includeWorkflowAlerts: false },
					},
				},
				{
					id: 'a0000000-0000-4000-8000-0000000000a2',
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
		// The starter dashboard, open (no login): the link needs none, and no credential is set up.
		const dashboard = JSON.parse(
			fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'dashboard.json'), 'utf8'),
		);
		Object.assign(dashboard, { id: DASHBOARD_ID });
		dashboard.nodes[0].parameters.authentication = 'none';
		delete dashboard.nodes[0].credentials;
		const options = n8nOptions(userFolder);
		for (const [name, wf] of [
			['trigger.json', trigger],
			['dashboard.json', dashboard],
		] as const) {
			const file = path.join(userFolder, name);
			fs.writeFileSync(file, JSON.stringify(wf));
			await runtime.importWorkflow(file, options);
			await runtime.publishWorkflow(wf.id, options);
		}
		server = await runtime.startN8n(options);
		await withServerLog(server, () =>
			runtime.setupOwner(server!.baseUrl, {
				email: 'owner@example.com',
				password: runtime.generatePassword(),
			}),
		);
	}, 4 * CLI_TIMEOUT_MS);

	afterAll(async () => {
		if (writer) clearInterval(writer);
		await stopServer(server);
		await store?.close();
		await new Promise((r) => recorder?.close(r));
		removeTempDir(userFolder);
	}, 30_000);

	/** The link as n8n serves it here (its origin is what n8n believes its address is). */
	const local = (link: string) => {
		const u = new URL(link);
		return `${server!.baseUrl}${u.pathname}${u.search}`;
	};

	/** n8n answers "not registered" for moments while it activates published workflows. */
	async function call(url: string, init: RequestInit = {}) {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const res = await fetch(url, { redirect: 'manual', ...init });
			const body = await res.text();
			if (res.status !== 404 || !body.includes('is not registered') || Date.now() > deadline)
				return { status: res.status, body };
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	it(
		'fire → ack by link (confirm page, then its button) → acknowledged once, no repeat → resolved once',
		async () => {
			await nextPoll(0, 'a first poll of the trigger');
			value = 97;
			await write();
			await receivedCount(1, 'the firing item at the recorder');
			const [fired] = received;
			expect(fired.status).toBe('firing');
			expect(fired.ackLink).toMatch(/\/webhook\/monitoring\/ack\?alert=\d+&exp=\d+&sig=[\w-]{43}$/);
			const link = local(fired.ackLink!);

			const forged = await call(link.replace(/sig=[\w-]+/, 'sig=' + 'A'.repeat(43)));
			expect(forged.status).toBe(403);
			expect(forged.body).toContain('This link is not valid');

			const page = await call(link);
			expect(page.status).toBe(200);
			expect(page.body).toContain('Acknowledge this alert?');
			const unacked = await querySqlite<{ acked_by: string | null }>(
				storePath(userFolder),
				`SELECT acked_by FROM mon_alerts WHERE id = ${Number(fired.alertId)}`,
			);
			expect(unacked).toEqual([{ acked_by: null }]);

			const done = await call(link, { method: 'POST' });
			expect(done.status).toBe(200);
			expect(done.body).toContain('<h1>Acknowledged</h1>');

			await withServerLog(server, () =>
				waitFor(async () => received.some((r) => r.status === 'acknowledged'), {
					timeoutMs: 150_000,
					intervalMs: 1_000,
					what: 'the acknowledged item',
				}),
			);
			const after = received.slice(received.findIndex((r) => r.status === 'acknowledged'));
			expect(after[0]).toEqual(
				expect.objectContaining({ alertId: fired.alertId, acknowledgedBy: 'link' }),
			);
			// Two more polls while it still fires (Repeat Every is 1 minute): no repeat.
			const p1 = await nextPoll(await lastPoll(), 'a poll after the acknowledgement');
			await nextPoll(p1, 'a second poll after the acknowledgement');
			expect(received.slice(received.indexOf(after[0]) + 1)).toEqual([]);

			value = 20;
			await write();
			await receivedCount(received.length + 1, 'the resolved item');
			const resolvedAt = await lastPoll();
			await nextPoll(resolvedAt, 'one more poll');
			const tail = received.slice(received.indexOf(after[0]));
			expect(tail.map((r) => r.status)).toEqual(['acknowledged', 'resolved']);
			// Before the acknowledgement at most the repeats of one minute went out.
			const before = received.slice(0, received.indexOf(after[0]));
			expect(before.map((r) => r.status)).toEqual(before.map(() => 'firing'));
		},
		12 * 60_000,
	);
});
