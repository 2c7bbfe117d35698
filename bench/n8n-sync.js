#!/usr/bin/env node
// @ts-check
/*
 * Time to sync n8n executions into the monitoring store (core/n8n/sync.ts).
 *
 * Creating 10,000 executions through webhooks takes minutes on two cores (about 30 per second
 * here), so the bench works in two parts, in one run:
 * 1. Real: starts n8n 2.40.7, runs REAL executions through webhooks (90 % succeed, 10 % fail),
 *    syncs them into a fresh SQLite store (first sync), runs 1 % more and syncs again
 *    (incremental), and captures n8n's real API pages (/executions, /workflows).
 * 2. Replay: a local HTTP server serves N executions made from those captured records (same
 *    fields and shapes, ids 1..N, times shifted), with n8n's paging (newest first, cursor =
 *    base64 {lastId, limit}, at most 250 per page, status filter, GET /executions/:id). The
 *    first sync of N and an incremental one (1 % new) are timed on SQLite (sqlite3 and
 *    node:sqlite) and PostgreSQL. This measures the sync and the store, not n8n's own database.
 * Needs `npm run build` first and Node.js 24 (scripts/node24.sh).
 *
 *   node bench/n8n-sync.js [N=10000] [REAL=1000]
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { N8nClient, syncExecutions, collectN8n } = require('../dist/core/n8n');
const { MonitoringStore } = require('../dist/core/store');
const runtime = require('../scripts/n8n-runtime');
const { startPostgres } = require('../scripts/pg-cluster');

const N = Math.max(1000, Number(process.argv[2]) || 10_000);
const REAL = Math.max(260, Number(process.argv[3]) || 1000);
const round = (x) => Math.round(x * 1000) / 1000;

function webhookWorkflow(name, hookPath, next) {
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
		connections: { Webhook: { main: [[{ node: next.name, type: 'main', index: 0 }]] } },
		settings: {
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
			executionOrder: 'v1',
		},
	};
}

async function trigger(baseUrl, count) {
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const i = next++;
			const hook = i % 10 === 9 ? 'bench-fail' : 'bench-ok';
			const res = await fetch(`${baseUrl}/webhook/${hook}`, {
				signal: AbortSignal.timeout(30_000),
			});
			await res.text();
			if (!res.ok) throw new Error(`webhook ${hook}: ${res.status}`);
		}
	};
	await Promise.all(Array.from({ length: 6 }, worker));
}

async function listedCount(client) {
	let total = 0;
	let cursor = null;
	do {
		const page = await client.listExecutions({ cursor });
		total += page.data.filter((e) => e.status !== 'running' && e.status !== 'new').length;
		cursor = page.nextCursor;
	} while (cursor);
	return total;
}

async function waitListed(client, expected) {
	const deadline = Date.now() + 120_000;
	while ((await listedCount(client)) < expected) {
		if (Date.now() > deadline) throw new Error(`n8n did not list ${expected} executions`);
		await runtime.sleep(500);
	}
}

async function timed(work) {
	const t0 = process.hrtime.bigint();
	const cpu0 = process.cpuUsage();
	const value = await work();
	const cpu = process.cpuUsage(cpu0);
	return {
		value,
		seconds: Number(process.hrtime.bigint() - t0) / 1e9,
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
	};
}

function syncFigures(label, count, t, client) {
	const r = t.value;
	if (!r.complete) throw new Error(`${label}: sync failed: ${r.error}`);
	return {
		sync: label,
		executions: count,
		seconds: round(t.seconds),
		executionsPerSecond: Math.round(count / t.seconds),
		clientCpuSeconds: round(t.cpuSeconds),
		fetched: r.fetched,
		inserted: r.inserted,
		updated: r.updated,
		pages: r.pages,
		requests: client.requests,
	};
}

/** Part 1: a real n8n. Returns timings and the captured raw records. */
async function realPart(tmp) {
	const userFolder = fs.mkdtempSync(path.join(tmp, 'n8n-'));
	const server = await runtime.startN8n({ userFolder, customExtensions: false });
	try {
		// A fresh database migrates after /rest/settings already answers 200 "n8n is starting up".
		for (let i = 0; i < 480; i++) {
			const res = await fetch(`${server.baseUrl}/rest/settings`);
			if ((await res.text()).trimStart().startsWith('{')) break;
			await runtime.sleep(250);
		}
		const owner = await runtime.setupOwner(server.baseUrl, {
			email: 'bench@example.com',
			password: runtime.generatePassword(),
		});
		const apiKey = await runtime.createApiKey(owner);
		for (const wf of [
			webhookWorkflow('Bench succeeds', 'bench-ok', {
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				parameters: {},
			}),
			webhookWorkflow('Bench fails', 'bench-fail', {
				name: 'Fail',
				type: 'n8n-nodes-base.stopAndError',
				typeVersion: 1,
				parameters: { errorMessage: 'failing on purpose' },
			}),
		]) {
			const created = await runtime.publicApi(server.baseUrl, apiKey, 'POST', '/workflows', wf);
			await runtime.activateWorkflow(server.baseUrl, apiKey, created.id);
		}
		const t0 = Date.now();
		await trigger(server.baseUrl, REAL);
		const probe = new N8nClient({ baseUrl: server.baseUrl, apiKey });
		await waitListed(probe, REAL);
		const webhookRate = REAL / ((Date.now() - t0) / 1000);
		console.log(`real n8n: ${REAL} executions through webhooks at ${Math.round(webhookRate)}/s`);

		const store = await MonitoringStore.open({
			type: 'sqlite',
			filename: path.join(tmp, 'real.sqlite'),
		});
		const results = [];
		try {
			let client = new N8nClient({ baseUrl: server.baseUrl, apiKey });
			const instance = client.defaultInstance;
			const first = await timed(() => syncExecutions(store.executions, client, { instance }));
			results.push(syncFigures('real n8n, first', REAL, first, client));
			const more = Math.max(10, Math.round(REAL / 100));
			await trigger(server.baseUrl, more);
			await waitListed(probe, REAL + more);
			client = new N8nClient({ baseUrl: server.baseUrl, apiKey });
			const incremental = await timed(() => syncExecutions(store.executions, client, { instance }));
			results.push(syncFigures('real n8n, incremental', more, incremental, client));
		} finally {
			await store.close();
		}

		// Capture the real pages: the records the replay is made of.
		const records = [];
		let cursor = null;
		do {
			const q = new URLSearchParams({ limit: '250', includeData: 'false' });
			if (cursor) q.set('cursor', cursor);
			const page = await runtime.publicApi(server.baseUrl, apiKey, 'GET', `/executions?${q}`);
			records.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		const workflows = await runtime.publicApi(
			server.baseUrl,
			apiKey,
			'GET',
			'/workflows?limit=250',
		);
		return { results, records, workflows, webhookRate };
	} finally {
		await server.stop(10_000);
	}
}

/** Part 2: n8n's paging over N records made from the captured ones. */
function replayServer(captured, workflowsPage) {
	const base = Date.parse(captured[captured.length - 1].startedAt);
	const byId = new Map();
	let newest = 0;
	const add = (count) => {
		for (let k = 0; k < count; k++) {
			const id = ++newest;
			const src = captured[id % captured.length];
			const shift = base + id * 500 - Date.parse(src.startedAt);
			const at = (v) => (v ? new Date(Date.parse(v) + shift).toISOString() : v);
			byId.set(id, {
				...src,
				id: String(id),
				startedAt: at(src.startedAt),
				stoppedAt: at(src.stoppedAt),
			});
		}
	};
	add(N);
	const server = http.createServer((req, res) => {
		const url = new URL(req.url, 'http://x');
		const send = (status, body) => {
			const text = JSON.stringify(body);
			res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
			res.end(text);
		};
		if (req.headers['x-n8n-api-key'] !== 'replay') return send(401, { message: 'unauthorized' });
		if (url.pathname === '/api/v1/workflows') return send(200, workflowsPage);
		const one = url.pathname.match(/^\/api\/v1\/executions\/(\d+)$/);
		if (one) {
			const e = byId.get(Number(one[1]));
			return e ? send(200, e) : send(404, { message: 'Not Found' });
		}
		if (url.pathname !== '/api/v1/executions') return send(404, { message: 'Not Found' });
		let limit = Math.min(250, Number(url.searchParams.get('limit') || 100));
		let lastId = newest + 1;
		const cursor = url.searchParams.get('cursor');
		if (cursor) {
			const c = JSON.parse(Buffer.from(cursor, 'base64').toString());
			lastId = Number(c.lastId);
			limit = c.limit;
		}
		const status = url.searchParams.get('status');
		const data = [];
		let id = lastId - 1;
		for (; id >= 1 && data.length < limit; id--) {
			const e = byId.get(id);
			if (e && (!status || e.status === status)) data.push(e);
		}
		let more = false;
		for (; id >= 1; id--) {
			const e = byId.get(id);
			if (e && (!status || e.status === status)) {
				more = true;
				break;
			}
		}
		const nextCursor = more
			? Buffer.from(JSON.stringify({ lastId: data[data.length - 1].id, limit })).toString('base64')
			: null;
		send(200, { data, nextCursor });
	});
	return { server, add };
}

async function replayPart(tmp, captured, workflowsPage, pg) {
	const { server, add } = replayServer(captured, workflowsPage);
	await /** @type {Promise<void>} */ (
		new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
	);
	const baseUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
	const results = [];
	let newTotal = 0;
	try {
		/** @type {Array<[string, import('../core/store/config').StoreConfig]>} */
		const stores = [
			[
				'SQLite (sqlite3)',
				{ type: 'sqlite', driver: 'sqlite3', filename: path.join(tmp, 'a.sqlite') },
			],
			[
				'SQLite (node:sqlite)',
				{ type: 'sqlite', driver: 'node:sqlite', filename: path.join(tmp, 'b.sqlite') },
			],
			[
				'PostgreSQL',
				{
					type: 'postgres',
					host: pg.host,
					port: pg.port,
					user: pg.user,
					password: pg.password,
					database: pg.database,
				},
			],
		];
		for (const [name, config] of stores) {
			const store = await MonitoringStore.open(config);
			try {
				const instance = 'replay';
				let client = new N8nClient({ baseUrl, apiKey: 'replay' });
				const first = await timed(() => syncExecutions(store.executions, client, { instance }));
				const firstFig = syncFigures('replay, first', N + newTotal, first, client);
				const more = Math.round(N / 100);
				add(more);
				newTotal += more;
				client = new N8nClient({ baseUrl, apiKey: 'replay' });
				const incremental = await timed(() =>
					syncExecutions(store.executions, client, { instance }),
				);
				const incFig = syncFigures('replay, incremental', more, incremental, client);
				client = new N8nClient({ baseUrl, apiKey: 'replay' });
				// collectN8n = an incremental sync with nothing new + figures over 30 days of rows.
				const collect = await timed(() =>
					collectN8n(store, client, { instance, windowMs: 3650 * 86_400_000 }),
				);
				const stored = await store.executions.count(instance);
				if (stored !== N + newTotal) {
					throw new Error(`${name}: ${stored} rows stored, expected ${N + newTotal}`);
				}
				for (const r of [firstFig, incFig])
					results.push({ store: name, driver: store.driver, ...r });
				results.push({
					store: name,
					driver: store.driver,
					sync: 'collectN8n (nothing new, figures over all rows)',
					executions: stored,
					seconds: round(collect.seconds),
					clientCpuSeconds: round(collect.cpuSeconds),
					samples: collect.value.collection.samples.length,
				});
			} finally {
				await store.close();
			}
		}
	} finally {
		await new Promise((resolve) => server.close(resolve));
	}
	return results;
}

async function main() {
	runtime.killChildrenOnSignals();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-n8n-sync-'));
	let pg;
	try {
		const real = await realPart(tmp);
		pg = await startPostgres();
		const replay = await replayPart(tmp, real.records, real.workflows, pg);
		/** @type {Array<Record<string, any>>} */
		const results = [...real.results, ...replay];
		console.log(
			`n8n execution sync: ${REAL} real executions, ${N} replayed from their captured pages`,
		);
		console.table(
			results.map((r) => ({
				store: r.store ?? 'SQLite (sqlite3)',
				sync: r.sync,
				executions: r.executions,
				seconds: r.seconds,
				'executions/s': r.executionsPerSecond ?? '',
				pages: r.pages ?? '',
			})),
		);
		const out = path.join(__dirname, 'results', 'n8n-sync.json');
		fs.mkdirSync(path.dirname(out), { recursive: true });
		fs.writeFileSync(
			out,
			JSON.stringify(
				{
					date: new Date().toISOString(),
					node: process.version,
					n8n: runtime.N8N_VERSION,
					cpu: os.cpus()[0]?.model,
					cores: os.cpus().length,
					method:
						`${REAL} executions created through webhooks in a real n8n (about ` +
						`${Math.round(real.webhookRate)}/s here, so 10,000 would take minutes) and synced from it; ` +
						`then ${N} executions served by a local HTTP server replaying the records captured from ` +
						'that n8n with its paging rules, synced into each store',
					capturedRecords: real.records.length,
					results,
				},
				null,
				2,
			) + '\n',
		);
		console.log(`written to ${path.relative(process.cwd(), out)}`);
	} finally {
		await pg?.stop();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
