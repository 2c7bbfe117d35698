#!/usr/bin/env node
// @ts-check
/*
 * The public status page under load: CLIENTS concurrent keep-alive clients (200 by default) for
 * SECONDS, each asking for the page (70 %), status.json (10 %), the feed (5 %) and badges (15 %),
 * a third of them with the If-None-Match of their previous answer, as browsers and proxies send.
 * The store (SQLite) holds 90 days of one-minute up/down history for 12 items on 3 hosts (hosts,
 * endpoints, databases) with outages and alerts; the page's cache is 30 s, so the run crosses
 * several rebuilds of the model (stale while revalidating), which the figures include.
 *
 *   node bench/status-page-load.js [seconds] [clients] [standalone|n8n|n8n-proxy]
 *
 * standalone: the real handler (dashboard/server/status-page) in a child process on 127.0.0.1.
 * n8n: a real n8n 2.40.7 (scripts/n8n-runtime.js, as the e2e tests start it) with the package
 * linked and one workflow holding a Monitoring Status Page node, the store given through
 * N8N_MONITORING_SQLITE_PATH; requests go through n8n's webhook routing.
 * n8n-proxy: the same n8n behind nginx with the proxy_cache the README advises (Debian's nginx:
 * `apt-get install nginx-light`), so that readers are answered from nginx's cache and n8n sees one
 * request per path, language and encoding per Cache seconds.
 * Recorded: requests, errors (non-2xx/304, socket errors, timeouts), p50/p95/p99/max overall and
 * per kind as the clients see them, the server's CPU and RSS, the machine's load average at the
 * start, and (standalone) the server's own time per answer: on a shared 2-core machine the
 * clients' process waiting for a core is most of what they see. Needs
 * `npm run build` first (dist/).
 */
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DAYS = 90;
const HOSTS = ['web-01', 'web-02', 'db-01'];
const REQUEST_TIMEOUT_MS = 10_000;
const CACHE_SECONDS = 30;

/**
 * The page: per host, the host itself, two endpoints and a database; display names only.
 * @returns {import('../core/query/status-page').StatusPageConfig}
 */
function pageConfig() {
	return {
		title: 'Example status',
		description: 'Load test page',
		groups: HOSTS.map((host, h) => ({
			name: `Group ${h + 1}`,
			items: [
				{ kind: /** @type {const} */ ('host'), host, displayName: `Server ${h + 1}` },
				{
					kind: /** @type {const} */ ('endpoint'),
					host,
					name: `api-${h}`,
					displayName: `API ${h + 1}`,
				},
				{
					kind: /** @type {const} */ ('endpoint'),
					host,
					name: `web-${h}`,
					displayName: `Website ${h + 1}`,
				},
				{
					kind: /** @type {const} */ ('database'),
					host,
					name: `db-${h}`,
					displayName: `Database ${h + 1}`,
				},
			],
		})),
		maintenance: [],
	};
}

if (process.argv[2] === '--serve') {
	const { createStatusPageHandler } = require('../dist/dashboard/server/status-page/handler');
	const handler = createStatusPageHandler({
		store: JSON.parse(process.argv[3]),
		page: pageConfig(),
		basePath: '/status',
		language: 'auto',
		refreshSeconds: 60,
		cacheSeconds: CACHE_SECONDS,
	});
	// The server's own time per answer (request in to last byte handed to the socket), apart from
	// the time the clients' process takes to get to it on a shared machine.
	const durations = [];
	const server = http.createServer((req, res) => {
		const t = process.hrtime.bigint();
		res.on('finish', () => durations.push(Number(process.hrtime.bigint() - t) / 1e6));
		void handler(req, res);
	});
	server.keepAliveTimeout = 30_000;
	server.listen(0, '127.0.0.1', () =>
		process.send({ port: /** @type {import('node:net').AddressInfo} */ (server.address()).port }),
	);
	process.on('message', (m) => {
		if (m === 'reset') durations.length = 0;
		if (m === 'stats') {
			const l = durations.sort((a, b) => a - b);
			const q = (x) =>
				Math.round(l[Math.min(l.length - 1, Math.floor(x * l.length))] * 1000) / 1000;
			process.send({
				answers: l.length,
				p50Ms: q(0.5),
				p95Ms: q(0.95),
				p99Ms: q(0.99),
				maxMs: q(1),
			});
		}
		if (m === 'stop') server.close(() => process.exit(0));
	});
	// @ts-expect-error -- Node.js runs a CommonJS module as a function body, so return ends it here
	return;
}

const SECONDS = Math.max(1, Math.min(300, Number(process.argv[2]) || 60));
const CLIENTS = Math.max(1, Math.min(2000, Number(process.argv[3]) || 200));
const MODE = ['n8n', 'n8n-proxy'].includes(process.argv[4]) ? process.argv[4] : 'standalone';

/** 90 days of one-minute up/down samples per item, packed as maintenance leaves them. */
async function seed(config, now) {
	const { MonitoringStore } = require('../dist/core/store');
	const started = Date.now();
	const store = await MonitoringStore.open(config);
	const collection = (host, collector, time, samples) => ({
		collector,
		host,
		time,
		durationMs: 5,
		ok: true,
		warnings: [],
		samples,
		snapshot: null,
	});
	const samplesOf = (host, h, up) => ({
		host: [
			{ name: 'collector_up', value: 1, labels: { collector: 'host' } },
			{ name: 'cpu_usage_percent', value: 20, labels: { cpu: 'total' } },
		],
		endpoint: [
			{ name: 'endpoint_up', value: up, labels: { endpoint: `api-${h}` } },
			{ name: 'endpoint_up', value: 1, labels: { endpoint: `web-${h}` } },
		],
		database: [{ name: 'db_up', value: 1, labels: { db: `db-${h}`, engine: 'postgres' } }],
	});
	const recentFrom = now - 10 * MINUTE;
	// The series first, through the real write path.
	for (const [h, host] of HOSTS.entries())
		for (const [collector, samples] of Object.entries(samplesOf(host, h, 1)))
			await store.writeCollection(collection(host, collector, recentFrom - MINUTE, samples));
	// History: one outage of 20-60 minutes every 9 days per series, at a different hour each.
	let points = 0;
	for (const s of await store.samples.all()) {
		if (!['collector_up', 'endpoint_up', 'db_up'].includes(s.metric)) continue;
		/** @type {[number, number][]} */
		const history = [];
		for (let ts = now - DAYS * DAY; ts < recentFrom - 2 * MINUTE; ts += MINUTE) {
			const day = Math.floor((ts - (now - DAYS * DAY)) / DAY);
			const minuteOfDay = Math.floor((ts % DAY) / MINUTE);
			const outageAt = ((s.id * 97) % 1200) + 60;
			const down =
				day % 9 === s.id % 9 &&
				minuteOfDay >= outageAt &&
				minuteOfDay < outageAt + 20 + (s.id % 5) * 10;
			history.push([ts, down ? 0 : 1]);
		}
		points += history.length;
		await store.bulk.packedHistory(s.id, history);
	}
	// The last ten minutes through the real write path (runs, states: what "now" reads).
	for (let t = recentFrom; t <= now; t += MINUTE)
		for (const [h, host] of HOSTS.entries())
			for (const [collector, samples] of Object.entries(
				samplesOf(host, h, h === 1 && t > now - 5 * MINUTE ? 0 : 1),
			))
				await store.writeCollection(collection(host, collector, t, samples));
	// An alert per outage of the API endpoints, and one open now.
	for (let d = 0; d < DAYS; d += 9)
		for (const [h, host] of HOSTS.entries()) {
			const startedAt = now - DAYS * DAY + d * DAY + (h + 2) * HOUR;
			await store.alerts.open({
				source: 'rule',
				scope: 'bench',
				key: `api down|${host}|${d}`,
				rule: 'endpoint down',
				severity: 'critical',
				host,
				metric: 'endpoint_up',
				labels: { endpoint: `api-${h}` },
				value: 0,
				threshold: 1,
				message: `https://internal.example/${host} is down`,
				link: null,
				startedAt,
				now: startedAt,
			});
			await store.alerts.close(`api down|${host}|${d}`, startedAt + 30 * MINUTE);
		}
	await store.alerts.open({
		source: 'rule',
		scope: 'bench',
		key: 'api down now',
		rule: 'endpoint down',
		severity: 'critical',
		host: HOSTS[1],
		metric: 'endpoint_up',
		labels: { endpoint: 'api-1' },
		value: 0,
		threshold: 1,
		message: 'down',
		link: null,
		startedAt: now - 5 * MINUTE,
		now: now - 5 * MINUTE,
	});
	await store.bulk.analyze();
	await store.close();
	return {
		items: 12,
		days: DAYS,
		interval: '1m',
		samples: points,
		seedSeconds: (Date.now() - started) / 1000,
	};
}

function quantile(sorted, q) {
	if (sorted.length === 0) return null;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const round = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);

function stats(entry, seconds) {
	const l = entry.latencies.sort((a, b) => a - b);
	return {
		requests: entry.requests,
		errors: entry.errors,
		errorKinds: entry.kinds,
		notModified: entry.notModified,
		requestsPerSecond: Math.round((entry.requests / seconds) * 10) / 10,
		p50Ms: round(quantile(l, 0.5)),
		p95Ms: round(quantile(l, 0.95)),
		p99Ms: round(quantile(l, 0.99)),
		maxMs: round(l[l.length - 1]),
		avgResponseBytes: Math.round(entry.bytes / Math.max(1, entry.requests)),
	};
}

function requestMix(base) {
	const badges = ['status', '24h', '7d', '30d', '90d'];
	const slugs = ['server-1', 'api-1', 'api-2', 'website-3', 'database-2'];
	const pick = (list) => list[Math.floor(Math.random() * list.length)];
	/** @type {Array<[number, () => [string, string]]>} */
	const mix = [
		[70, () => ['page', base]],
		[10, () => ['json', `${base}/status.json`]],
		[5, () => ['feed', `${base}/feed.atom`]],
		[15, () => ['badge', `${base}/badge.svg?item=${pick(slugs)}&show=${pick(badges)}`]],
	];
	return () => {
		let r = Math.random() * 100;
		for (const [w, make] of mix) if ((r -= w) < 0) return make();
		return mix[0][1]();
	};
}

function procStat(pid) {
	try {
		const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { cpuSeconds: (Number(f[11]) + Number(f[12])) / 100, rssBytes: Number(f[21]) * 4096 };
	} catch {
		return { cpuSeconds: 0, rssBytes: 0 };
	}
}

function get(port, p, headers = {}, agent = undefined) {
	return new Promise((resolve, reject) => {
		const req = http.get({ host: '127.0.0.1', port, path: p, agent, headers }, (res) => {
			let size = 0;
			let text = '';
			res.on('data', (d) => {
				size += d.length;
				if (res.statusCode >= 400 && text.length < 500) text += d;
			});
			res.on('end', () => resolve({ status: res.statusCode, size, etag: res.headers.etag, text }));
			res.on('error', reject);
		});
		req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
}

async function load(port, nextRequest, serverPid) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
	const byKind = new Map();
	const fresh = () => ({
		requests: 0,
		errors: 0,
		kinds: {},
		latencies: [],
		bytes: 0,
		notModified: 0,
	});
	const all = fresh();
	const record = (kind, ms, bytes, error, notModified) => {
		if (!byKind.has(kind)) byKind.set(kind, fresh());
		for (const e of [byKind.get(kind), all]) {
			e.requests++;
			e.bytes += bytes;
			e.latencies.push(ms);
			if (notModified) e.notModified++;
			if (error) {
				e.errors++;
				e.kinds[error] = (e.kinds[error] ?? 0) + 1;
			}
		}
	};
	let firstError = '';
	const before = procStat(serverPid);
	const rss = [];
	const sampler = setInterval(() => rss.push(procStat(serverPid).rssBytes), 1000);
	const started = Date.now();
	const deadline = started + SECONDS * 1000;
	await Promise.all(
		Array.from({ length: CLIENTS }, async (_, client) => {
			const etags = new Map();
			while (Date.now() < deadline) {
				const [kind, p] = nextRequest();
				// A third of the clients revalidate, as a browser or proxy with a cached copy does.
				/** @type {Record<string, string>} */
				const headers = { 'Accept-Encoding': 'gzip, deflate, br' };
				if (client % 3 === 0 && etags.has(p)) headers['If-None-Match'] = etags.get(p);
				const t = process.hrtime.bigint();
				try {
					const r = await get(port, p, headers, agent);
					const ok = r.status === 200 || r.status === 304;
					if (!ok && !firstError) firstError = `${r.status} ${r.text}`.slice(0, 500);
					if (r.etag) etags.set(p, r.etag);
					record(
						kind,
						Number(process.hrtime.bigint() - t) / 1e6,
						r.size,
						ok ? null : `http ${r.status}`,
						r.status === 304,
					);
				} catch (e) {
					record(kind, Number(process.hrtime.bigint() - t) / 1e6, 0, e.code ?? e.message, false);
				}
			}
		}),
	);
	const seconds = (Date.now() - started) / 1000;
	clearInterval(sampler);
	const after = procStat(serverPid);
	agent.destroy();
	const kinds = {};
	for (const [k, e] of [...byKind].sort()) kinds[k] = stats(e, seconds);
	return {
		seconds,
		...(firstError ? { firstError } : {}),
		overall: stats(all, seconds),
		kinds,
		server: !serverPid
			? 'not measured: n8n runs as a process group of its own'
			: {
					cpuSeconds: round(after.cpuSeconds - before.cpuSeconds),
					cpuPercentOfOneCore: Math.round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 100),
					rssMaxMB: Math.round(Math.max(after.rssBytes, ...rss) / 2 ** 20),
				},
	};
}

/** A real n8n with the package linked and one status page workflow; returns its port and pid. */
async function startN8nWithPage(storeFile, tmp) {
	const runtime = require('../scripts/n8n-runtime');
	runtime.ensureRuntime();
	const userFolder = path.join(tmp, 'n8n');
	fs.mkdirSync(userFolder, { recursive: true });
	runtime.linkPackage(userFolder);
	const page = pageConfig();
	const workflow = {
		id: 'benchStatusPage1',
		name: 'Status page (bench)',
		nodes: [
			{
				id: '3f0c3b9e-8a55-4a53-9d59-1a2b3c4d5e6f',
				name: 'Monitoring Status Page',
				type: 'n8n-nodes-monitoring.monitoringStatusPage',
				typeVersion: 1,
				position: [0, 0],
				webhookId: '6b1f7c0e-2d3a-4e5f-8a9b-0c1d2e3f4a5b',
				parameters: {
					path: 'status',
					title: page.title,
					pageDescription: page.description,
					cache: CACHE_SECONDS,
					groups: {
						group: page.groups.map((g) => ({
							name: g.name,
							items: {
								item: g.items.map((i) => ({
									kind: i.kind,
									host: i.host,
									name: i.name ?? '',
									displayName: i.displayName,
								})),
							},
						})),
					},
				},
			},
		],
		connections: {},
		settings: {},
		active: false,
	};
	const file = path.join(tmp, 'status-page.json');
	fs.writeFileSync(file, JSON.stringify(workflow));
	const env = { N8N_MONITORING_SQLITE_PATH: storeFile, N8N_LOG_LEVEL: 'warn' };
	await runtime.importMissingWorkflows([file], { userFolder, env, publish: true });
	const server = await runtime.startN8n({ userFolder, env });
	// n8n registers published webhooks a moment after it is healthy.
	for (let i = 0; ; i++) {
		const r = await get(server.port, '/webhook/status').catch(() => ({ status: 0 }));
		if (r.status === 200) break;
		if (i > 120)
			throw new Error(
				`the status page never answered 200 (last ${r.status})\n${server.output().slice(-3000)}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return {
		port: server.port,
		pid: undefined,
		stop: () => server.stop(),
		base: '/webhook/status',
		reset: undefined,
		serverTimes: undefined,
	};
}

/** nginx (Debian's) in front of `upstreamPort`, with the README's cache settings; a free port. */
async function startCachingProxy(upstreamPort, tmp) {
	const { spawn } = require('node:child_process');
	const runtime = require('../scripts/n8n-runtime');
	const port = await runtime.findFreePort(18480);
	const dir = path.join(tmp, 'nginx');
	fs.mkdirSync(path.join(dir, 'cache'), { recursive: true });
	const conf = path.join(dir, 'nginx.conf');
	fs.writeFileSync(
		conf,
		`daemon off;
${process.getuid?.() === 0 ? 'user root; # the workers write the cache under a private temp dir\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	proxy_cache_path ${dir}/cache levels=1:2 keys_zone=status:10m max_size=100m;
	upstream n8n { server 127.0.0.1:${upstreamPort}; keepalive 16; }
	server {
		listen 127.0.0.1:${port};
		location /webhook/status {
			proxy_pass http://n8n;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_cache status;
			proxy_cache_valid 200 30s;
			proxy_cache_use_stale updating error timeout;
			proxy_cache_background_update on;
			proxy_cache_lock on;
			proxy_cache_lock_timeout 60s;
		}
	}
}
`,
	);
	const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
	let err = '';
	child.stderr.on('data', (d) => (err += d));
	child.on('error', (e) => (err += `${e.message} (install it: apt-get install nginx-light)`));
	for (let i = 0; ; i++) {
		const r = await get(port, '/webhook/status').catch(() => ({ status: 0 }));
		if (r.status === 200) break;
		if (i > 40) {
			const log = fs.existsSync(path.join(dir, 'error.log'))
				? fs.readFileSync(path.join(dir, 'error.log'), 'utf8').slice(-2000)
				: '';
			throw new Error(`nginx did not answer 200 on ${port} (last ${r.status}): ${err}${log}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return {
		port,
		pid: child.pid,
		stop: async () => {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}

async function main() {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-status-'));
	const file = path.join(tmp, 'store.sqlite');
	let server;
	try {
		const now = Math.floor(Date.now() / MINUTE) * MINUTE;
		const seeded = await seed({ type: 'sqlite', filename: file }, now);
		console.log(`seeded ${seeded.samples} samples in ${seeded.seedSeconds} s`);
		if (MODE === 'n8n') server = await startN8nWithPage(file, tmp);
		else if (MODE === 'n8n-proxy') {
			const n8n = await startN8nWithPage(file, tmp);
			const proxy = await startCachingProxy(n8n.port, tmp).catch(async (error) => {
				await n8n.stop();
				throw error;
			});
			server = {
				...n8n,
				port: proxy.port,
				stop: async () => {
					await proxy.stop();
					await n8n.stop();
				},
			};
		} else {
			const child = fork(__filename, [
				'--serve',
				JSON.stringify({ type: 'sqlite', filename: file }),
			]);
			const { port } = await new Promise((resolve) => child.once('message', resolve));
			server = {
				port,
				pid: child.pid,
				base: '/status',
				reset: () => child.send('reset'),
				serverTimes: async () => {
					child.send('stats');
					return await new Promise((resolve) => child.once('message', resolve));
				},
				stop: async () => {
					child.send('stop');
					await new Promise((resolve) => child.once('exit', resolve));
				},
			};
		}
		// The first request builds the model (a cold start, timed apart from the load).
		const t = Date.now();
		const first = await get(server.port, server.base);
		const coldMs = Date.now() - t;
		if (first.status !== 200) throw new Error(`the page answered ${first.status}`);
		const loadAverageAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
		console.log(
			`cold page ${coldMs} ms; load: ${CLIENTS} clients for ${SECONDS} s (${MODE}, load average ${loadAverageAtStart.join(' ')})`,
		);
		server.reset?.();
		const result = await load(server.port, requestMix(server.base), server.pid);
		const serverTimes = server.serverTimes ? await server.serverTimes() : undefined;
		if (serverTimes) console.log('server time per answer', serverTimes);
		await server.stop();
		server = undefined;
		console.log('overall', result.overall);
		for (const [kind, s] of Object.entries(result.kinds))
			console.log(
				`${kind.padEnd(6)} ${String(s.requests).padStart(7)} req ${s.errors} err  p50 ${s.p50Ms} p95 ${s.p95Ms} p99 ${s.p99Ms} max ${s.maxMs} ms`,
			);
		console.log('server', result.server);
		const output = {
			date: new Date().toISOString(),
			node: process.version,
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, shared with other work`,
			loadAverageAtStart,
			server:
				MODE === 'n8n'
					? 'a real n8n 2.40.7 (webhook routing), Monitoring Status Page node'
					: MODE === 'n8n-proxy'
						? "the same n8n behind nginx's proxy_cache as the README advises (valid 30 s, use_stale updating, lock)"
						: 'the standalone handler (dashboard/server/status-page) in a child process',
			store: { type: 'sqlite', ...seeded },
			load: {
				clients: CLIENTS,
				seconds: SECONDS,
				transport: 'loopback, keep-alive, no login, Accept-Encoding gzip (as browsers send)',
				mix: 'page 70 %, badges 15 %, status.json 10 %, feed.atom 5 %; a third of the clients send If-None-Match',
				cacheSeconds: CACHE_SECONDS,
				requestTimeoutMs: REQUEST_TIMEOUT_MS,
			},
			coldPageMs: coldMs,
			...result,
			...(serverTimes ? { serverTimePerAnswer: serverTimes } : {}),
		};
		fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
		fs.writeFileSync(
			path.join(
				__dirname,
				'results',
				MODE === 'standalone' ? 'status-page-load.json' : `status-page-load-${MODE}.json`,
			),
			JSON.stringify(output, null, '\t') + '\n',
		);
	} finally {
		if (server) await server.stop();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
