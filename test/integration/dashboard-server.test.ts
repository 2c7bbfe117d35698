import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

import type { Sample } from '../../core/collectors/types';
import { closeAllStores, MonitoringStore, type StoreConfig } from '../../core/store';
import {
	createDashboardHandler,
	type DashboardAuth,
	type DashboardOptions,
} from '../../dashboard/server/handler';
import { GZIP_FROM_BYTES } from '../../dashboard/server/answer-cache';
import { tables } from '../helpers/tables';

/**
 * The dashboard handler over real HTTP on 127.0.0.1 and a real SQLite store seeded through
 * MonitoringStore: authentication of every kind, the page's headers, the API's answers, bad input,
 * escaping of hostile names, and that the token never shows up in a body.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 0, 31);
const XSS_HOST = '<script>alert(1)</script>';
const XSS_WORKFLOW = '<img src=x onerror=alert(1)>';
const TOKEN = 's3cret-token-4f9a';

let tmp: string;
let config: StoreConfig;
let assetsDir: string;
const servers: http.Server[] = [];
const bodies: string[] = [];

async function serve(
	options: Partial<DashboardOptions> & { auth: DashboardAuth },
): Promise<string> {
	const handler = createDashboardHandler({ store: config, assetsDir, now: () => NOW, ...options });
	const server = http.createServer((req, res) => void handler(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	servers.push(server);
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function get(url: string, init: RequestInit = {}) {
	const res = await fetch(url, { redirect: 'manual', ...init });
	const body = await res.text();
	bodies.push(body);
	return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body) };
}

async function write(
	store: MonitoringStore,
	host: string,
	collector: string,
	time: number,
	samples: Array<[string, number, Record<string, string>?]>,
	snapshot: unknown = null,
) {
	await store.writeCollection({
		collector,
		host,
		time,
		durationMs: 2,
		ok: true,
		warnings: [],
		samples: samples.map(([name, value, labels]): Sample => ({ name, value, labels })),
		snapshot,
	});
}

let open: string;
let token: string;
let basic: string;
let header: string;
let based: string;

/** 0, 10 … 70, then 90 and 92: in the CPU's warning band for the last two minutes. */
const xssCpu = (i: number) => (i < 8 ? 10 * i : 90 + 2 * (i - 8));

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-dash-'));
	assetsDir = path.join(tmp, 'web');
	fs.mkdirSync(assetsDir);
	fs.writeFileSync(path.join(assetsDir, 'app.js'), 'console.log("app");\n');
	config = { type: 'sqlite', filename: path.join(tmp, 'store.sqlite') };
	const store = await MonitoringStore.open(config);
	for (let i = 0; i < 10; i++) {
		await write(store, XSS_HOST, 'host', NOW - (10 - i) * MIN, [
			['cpu_usage_percent', xssCpu(i), { cpu: 'total' }],
			['memory_used_percent', 40],
		]);
	}
	await write(
		store,
		'web-1',
		'host',
		NOW - MIN,
		[
			['cpu_usage_percent', 50, { cpu: 'total' }],
			['odd', 1, { path: 'say "hi"\nbye' }],
		],
		{ top: [{ pid: 7, name: XSS_WORKFLOW }] },
	);
	await tables(store)('mon_executions').insert({
		instance: 'n8n.local',
		id: '1',
		workflow_id: 'wf1',
		workflow_name: XSS_WORKFLOW,
		status: 'error',
		mode: 'trigger',
		started_at: NOW - HOUR,
		stopped_at: NOW - HOUR + 500,
		duration_ms: 500,
		waited_ms: 0,
		synced_at: NOW,
	});
	await store.close();
	open = await serve({ auth: { type: 'none' } });
	token = await serve({ auth: { type: 'token', token: TOKEN } });
	basic = await serve({ auth: { type: 'basic', user: 'ann', password: 'pw:with:colons' } });
	header = await serve({ auth: { type: 'header', name: 'X-Monitoring-Key', value: 'k-123' } });
	based = await serve({
		auth: { type: 'none' },
		basePath: '/mon"><script>x</script>',
		refreshSeconds: 15,
	});
});

afterAll(async () => {
	for (const s of servers) await new Promise((resolve) => s.close(resolve));
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

describe('authentication', () => {
	const b64 = (s: string) => Buffer.from(s).toString('base64');

	it('token: 401 without or with a wrong token, 200 with a bearer, a query token or its cookie', async () => {
		for (const init of <RequestInit[]>[
			{},
			{ headers: { Authorization: 'Bearer nope' } },
			{ headers: { Authorization: `Bearer ${TOKEN}x` } },
			{ headers: { Cookie: 'mon_dashboard_token=nope' } },
		]) {
			const r = await get(`${token}/api/hosts`, init);
			expect(r.status).toBe(401);
			expect(r.json()).toEqual({ error: 'authentication required' });
		}
		expect((await get(`${token}/api/hosts?token=wrong`)).status).toBe(401);
		expect((await get(`${token}/`)).status).toBe(401); // the page too
		expect(
			(await get(`${token}/api/hosts`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status,
		).toBe(200);

		const page = await get(`${token}/?token=${TOKEN}`);
		expect(page.status).toBe(200);
		const cookie = page.headers.get('set-cookie')!;
		expect(cookie).toMatch(/^mon_dashboard_token=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
		const jar = cookie.split(';')[0];
		const api = await get(`${token}/api/overview`, { headers: { Cookie: `other=1; ${jar}` } });
		expect(api.status).toBe(200);
		expect(api.headers.get('set-cookie')).toBeNull();
		expect((await get(`${token}/app.js`, { headers: { Cookie: jar } })).status).toBe(200);
	});

	it('basic: 401 with WWW-Authenticate, 200 with the right user and password', async () => {
		const none = await get(`${basic}/api/hosts`);
		expect(none.status).toBe(401);
		expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm="Monitoring"/);
		for (const pair of ['ann:wrong', 'bob:pw:with:colons', 'ann', '']) {
			const r = await get(`${basic}/api/hosts`, {
				headers: { Authorization: `Basic ${b64(pair)}` },
			});
			expect(r.status).toBe(401);
		}
		const ok = await get(`${basic}/`, {
			headers: { Authorization: `Basic ${b64('ann:pw:with:colons')}` },
		});
		expect(ok.status).toBe(200);
	});

	it('header: exact match of the named header', async () => {
		expect((await get(`${header}/api/hosts`)).status).toBe(401);
		expect(
			(await get(`${header}/api/hosts`, { headers: { 'X-Monitoring-Key': 'k-1234' } })).status,
		).toBe(401);
		expect(
			(await get(`${header}/api/hosts`, { headers: { 'X-Monitoring-Key': 'K-123' } })).status,
		).toBe(401);
		expect(
			(await get(`${header}/api/hosts`, { headers: { 'x-monitoring-key': 'k-123' } })).status,
		).toBe(200);
	});
});

describe('page and assets', () => {
	it('serves the page with a strict CSP and the custom element', async () => {
		const r = await get(`${open}/`);
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
		const csp = r.headers.get('content-security-policy')!;
		expect(csp).toContain("script-src 'self'");
		expect(csp).toContain("default-src 'none'");
		expect(csp).not.toMatch(/script-src[^;]*unsafe/);
		expect(r.headers.get('x-content-type-options')).toBe('nosniff');
		expect(r.headers.get('referrer-policy')).toBe('no-referrer');
		expect(r.body.startsWith('<!doctype html>')).toBe(true);
		expect(r.body).toContain(
			'<meta name="viewport" content="width=device-width, initial-scale=1">',
		);
		expect(r.body).toContain('<mon-app base="" refresh="30"></mon-app>');
		expect(r.body).toContain('<script type="module" src="/app.js"></script>');
		expect(r.body.match(/<script/g)).toHaveLength(1); // no inline script
	});

	it('escapes the base path in the page', async () => {
		const r = await get(`${based}/mon%22%3E%3Cscript%3Ex%3C/script%3E/`);
		expect(r.status).toBe(200);
		expect(r.body).toContain(
			'<mon-app base="/mon&quot;&gt;&lt;script&gt;x&lt;/script&gt;" refresh="15"></mon-app>',
		);
		expect(r.body).not.toContain('<script>x');
		expect((await get(`${based}/api/hosts`)).status).toBe(404); // outside the base path
	});

	it('serves app.js with cache headers, and says when the bundle was not built', async () => {
		const r = await get(`${open}/app.js`);
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
		expect(r.headers.get('cache-control')).toBe('private, max-age=300');
		expect(r.body).toBe('console.log("app");\n');
		expect((await get(`${open}/app.js.map`)).status).toBe(404);
		const bare = await serve({ auth: { type: 'none' }, assetsDir: path.join(tmp, 'missing') });
		const missing = await get(`${bare}/app.js`);
		expect(missing.status).toBe(404);
		expect(missing.json().error).toMatch(/not built.*npm run build/);
	});
});

describe('API', () => {
	it('lists hosts and metrics, with hostile names JSON-escaped', async () => {
		const r = await get(`${open}/api/hosts`);
		expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(r.json()).toEqual({
			hosts: [
				{ host: XSS_HOST, metrics: ['cpu_usage_percent', 'memory_used_percent'] },
				{ host: 'web-1', metrics: ['cpu_usage_percent', 'odd'] },
			],
		});
		expect(r.body).not.toContain('<script>');
		expect(r.body).toContain('\\u003cscript\\u003e');
	});

	it('answers series with the seeded points', async () => {
		const q = new URLSearchParams({
			host: XSS_HOST,
			metric: 'cpu_usage_percent',
			labels: '{"cpu":"total"}',
			from: String(NOW - HOUR),
			to: new Date(NOW).toISOString(),
		});
		const r = await get(`${open}/api/series?${q}`);
		expect(r.status).toBe(200);
		expect(r.json()).toEqual({
			resolution: 'raw',
			stepMs: MIN,
			series: [
				{
					labels: { cpu: 'total' },
					points: Array.from({ length: 10 }, (_, i) => [NOW - (10 - i) * MIN, xssCpu(i)]),
				},
			],
		});
		const thirty = await get(
			`${open}/api/series?host=web-1&metric=cpu_usage_percent&from=${NOW - 30 * DAY}&to=${NOW}&points=500`,
		);
		expect(thirty.json()).toMatchObject({
			resolution: '1h',
			stepMs: 2 * HOUR,
			series: [
				{
					points: [[NOW - 2 * HOUR, 50]],
					min: [[NOW - 2 * HOUR, 50]],
					max: [[NOW - 2 * HOUR, 50]],
				},
			],
		});
	});

	it('answers overview, snapshot and executions', async () => {
		const o = (await get(`${open}/api/overview`)).json();
		expect(o.now).toBe(NOW);
		expect(o.hosts.map((h: { host: string }) => h.host)).toEqual([XSS_HOST, 'web-1']);
		expect(o.hosts[0].gauges.cpu).toEqual({
			value: 92,
			ts: NOW - MIN,
			status: 'warning',
			// 90 at NOW - 2 min began the warning streak; the latest sample's time would move.
			since: NOW - 2 * MIN,
			stale: false,
		});
		expect(o.hosts[0].sparkline).toHaveLength(10);

		const snap = await get(`${open}/api/snapshot?host=web-1&collector=host`);
		expect(snap.json()).toEqual({
			host: 'web-1',
			collector: 'host',
			ts: NOW - MIN,
			snapshot: { top: [{ pid: 7, name: XSS_WORKFLOW }] },
		});
		expect(snap.body).not.toContain('<img');
		expect((await get(`${open}/api/snapshot?host=web-1&collector=gpu`)).status).toBe(404);

		const ex = await get(
			`${open}/api/executions?instance=n8n.local&workflow=wf1&status=error&from=${NOW - DAY}&to=${NOW}&limit=10`,
		);
		expect(ex.json()).toEqual({
			total: 1,
			limit: 10,
			offset: 0,
			executions: [
				{
					instance: 'n8n.local',
					id: '1',
					workflowId: 'wf1',
					workflowName: XSS_WORKFLOW,
					status: 'error',
					mode: 'trigger',
					startedAt: NOW - HOUR,
					stoppedAt: NOW - HOUR + 500,
					durationMs: 500,
					waitedMs: 0,
					retryOf: null,
				},
			],
		});
		expect(ex.body).not.toContain('<img');
		expect(ex.body).toContain('\\u003cimg src=x onerror=alert(1)\\u003e');
	});

	it('answers concurrent identical requests alike (they share one computation)', async () => {
		const answers = await Promise.all(
			Array.from({ length: 20 }, () => get(`${open}/api/overview`)),
		);
		expect(answers.every((a) => a.status === 200)).toBe(true);
		expect(new Set(answers.map((a) => a.body)).size).toBe(1);
	});

	it('shares an answer for a few seconds, with an ETag that turns a repeat into a bodiless 304', async () => {
		const own = { type: 'sqlite' as const, filename: path.join(tmp, 'cache.sqlite') };
		const store = await MonitoringStore.open(own);
		await write(store, 'first', 'host', NOW, [['cpu_usage_percent', 5, { cpu: 'total' }]]);
		const shared = await serve({ auth: { type: 'none' }, store: own, cacheSeconds: 60 });
		const fresh = await serve({ auth: { type: 'none' }, store: own, cacheSeconds: 0 });
		const a = await get(`${shared}/api/hosts`);
		const etag = a.headers.get('etag')!;
		expect(etag).toMatch(/^"[\w-]{22}"$/);
		expect(a.headers.get('cache-control')).toBe('private, no-cache');
		const again = await get(`${shared}/api/hosts`, { headers: { 'If-None-Match': etag } });
		expect(again.status).toBe(304);
		expect(again.body).toBe('');
		expect(again.headers.get('etag')).toBe(etag);
		// A new host lands: the shared answer stays (60 s, clamped to the 30 s poll interval: fresh for
		// 15 s); without sharing the new host shows at once.
		await write(store, 'second', 'host', NOW, [['cpu_usage_percent', 6, { cpu: 'total' }]]);
		expect((await get(`${shared}/api/hosts`)).body).toBe(a.body);
		const now = await get(`${fresh}/api/hosts`, { headers: { 'If-None-Match': etag } });
		expect(now.status).toBe(200);
		expect(now.json().hosts.map((h: { host: string }) => h.host)).toEqual(['first', 'second']);
		expect(now.headers.get('etag')).not.toBe(etag);
		await store.close();
	});

	it('sends a large answer gzipped to a client that takes gzip, as text to one that does not', async () => {
		const raw = (encoding?: string) =>
			new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
				const req = http.get(
					`${open}/api/overview`,
					{ headers: encoding ? { 'Accept-Encoding': encoding } : {} },
					(res) => {
						const parts: Buffer[] = [];
						res.on('data', (d: Buffer) => parts.push(d));
						res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
					},
				);
				req.on('error', reject);
			});
		const plain = await raw();
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(plain.body.length).toBeGreaterThan(GZIP_FROM_BYTES);
		const packed = await raw('gzip, deflate, br');
		expect(packed.headers['content-encoding']).toBe('gzip');
		expect(packed.headers.vary).toBe('Accept-Encoding');
		expect(packed.headers.etag).toBe(plain.headers.etag);
		expect(packed.body.length).toBeLessThan(plain.body.length);
		expect(gunzipSync(packed.body).toString('utf8')).toBe(plain.body.toString('utf8'));
		expect((await raw('gzip;q=0')).headers['content-encoding']).toBeUndefined();
	});

	it('exports /metrics with escaped label values', async () => {
		const r = await get(`${open}/metrics`);
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
		expect(r.body).toContain(
			`monitoring_odd{host="web-1",path="say \\"hi\\"\\nbye"} 1 ${NOW - MIN}\n`,
		);
		expect(r.body).toContain(
			`monitoring_cpu_usage_percent{host="<script>alert(1)</script>",cpu="total"} 92 ${NOW - MIN}\n`,
		);
	});

	it('answers "unusual now": the watched series, and those too young to judge', async () => {
		const r = await get(`${open}/api/unusual?limit=5`);
		expect(r.status).toBe(200);
		const body = JSON.parse(r.body);
		// Minutes of CPU history only: every watched series is still learning, none is unusual.
		expect(body.unusual).toEqual([]);
		expect(body.watched).toBeGreaterThan(0);
		expect(body.waiting).toBe(body.watched);
		expect(body.minHistoryHours).toBe(72);
	});

	const bad: Array<[string, string, number, RegExp]> = [
		[
			'reversed range',
			`/api/series?host=web-1&metric=odd&from=${NOW}&to=${NOW - HOUR}`,
			400,
			/from must be before to/,
		],
		[
			'range of 100 years',
			`/api/series?host=web-1&metric=odd&from=0&to=${100 * 366 * DAY}`,
			400,
			/5 years/,
		],
		[
			'expected band over a reversed range',
			`/api/expected?host=web-1&metric=cpu_usage_percent&from=${NOW}&to=${NOW - HOUR}`,
			400,
			/to must be after from/,
		],
		[
			'expected band over a year',
			`/api/expected?host=web-1&metric=cpu_usage_percent&from=${NOW - 365 * DAY}&to=${NOW}`,
			400,
			/longer than 62 days/,
		],
		['unusual limit 0', '/api/unusual?limit=0', 400, /limit must be a whole number from 1 to 200/],
		['unusual limit not a number', '/api/unusual?limit=ten', 400, /limit must be a whole number/],
		[
			'from is not a date',
			'/api/series?host=web-1&metric=odd&from=not-a-date',
			400,
			/from must be Unix milliseconds or an ISO date/,
		],
		[
			'to is a huge number',
			'/api/series?host=web-1&metric=odd&to=99999999999999999999',
			400,
			/to must be/,
		],
		[
			'points=1000000',
			'/api/series?host=web-1&metric=odd&points=1000000',
			400,
			/points must be a whole number from 10 to 5000/,
		],
		[
			'points=-1',
			'/api/series?host=web-1&metric=odd&points=-1',
			400,
			/points must be a whole number/,
		],
		['labels not JSON', '/api/series?host=web-1&metric=odd&labels={', 400, /labels must be JSON/],
		[
			'labels not an object',
			'/api/series?host=web-1&metric=odd&labels=[1]',
			400,
			/labels must be an object/,
		],
		['no host', '/api/series?metric=odd', 400, /host is required/],
		[
			'host too long',
			`/api/series?metric=odd&host=${'h'.repeat(300)}`,
			400,
			/host is longer than 255/,
		],
		[
			'limit=1000000',
			`/api/executions?limit=1000000`,
			400,
			/limit must be a whole number from 1 to 500/,
		],
		['limit=0', `/api/executions?limit=0`, 400, /limit must be/],
		['offset not a number', `/api/executions?offset=abc`, 400, /offset must be a whole number/],
		[
			'executions reversed',
			`/api/executions?from=${NOW}&to=${NOW - 1}`,
			400,
			/from must be before to/,
		],
		[
			'snapshot without collector',
			'/api/snapshot?host=web-1',
			400,
			/host and collector are required/,
		],
		['unknown API route', '/api/nope', 404, /not found/],
		['unknown route', '/etc/passwd', 404, /not found/],
	];
	it.each(bad)(
		'%s: an error with a message and no stack trace',
		async (_name, route, status, message) => {
			const r = await get(`${open}${route}`);
			expect(r.status).toBe(status);
			expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
			expect(r.json().error).toMatch(message);
			expect(r.body).not.toMatch(/\bat \S+ \(|\bat .*:\d+:\d+/);
		},
	);

	it('answers 405 to other methods', async () => {
		for (const method of ['POST', 'PUT', 'DELETE']) {
			const r = await get(`${open}/api/overview`, { method });
			expect(r.status).toBe(405);
			expect(r.headers.get('allow')).toBe('GET, HEAD');
			expect(r.json()).toEqual({ error: 'method not allowed' });
		}
	});

	it('answers 503 with a message when the store cannot be opened', async () => {
		const broken = await serve({
			auth: { type: 'none' },
			store: { type: 'sqlite', filename: path.join(tmp, 'no', 'such', 'dir', 'x.sqlite') },
		});
		for (const route of ['/api/overview', '/api/hosts', '/metrics']) {
			const r = await get(`${broken}${route}`);
			expect(r.status).toBe(503);
			expect(r.json().error).toMatch(/folder of the monitoring store does not exist/);
			expect(r.body).not.toMatch(/\bat .*:\d+:\d+/);
		}
		expect((await get(`${broken}/`)).status).toBe(200); // the page itself needs no store
	});
});

afterAll(() => {
	// Runs after every test above: the secret must never have been echoed in any body.
	expect(bodies.length).toBeGreaterThan(20);
	for (const body of bodies) expect(body).not.toContain(TOKEN);
});
