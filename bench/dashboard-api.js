#!/usr/bin/env node
// @ts-check
/*
 * Latency of the dashboard API under load: p50/p95/p99 of /api/overview and of /api/series over
 * a 30-day range, with 50 concurrent keep-alive clients for 10 s each, on an SQLite store holding
 * 30 days of hourly collections for 10 hosts (written through MonitoringStore's real write path
 * and maintenance, so packed raw samples and both rollups exist). The server runs in a child process, the clients here;
 * both on loopback. Needs `npm run build` first (dist/dashboard/server).
 *
 *   node bench/dashboard-api.js [seconds per endpoint] [clients]
 */
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 0, 31);
const HOSTS = 10;
const DAYS = 30;

if (process.argv[2] === '--serve') {
	// The server side: the real handler on 127.0.0.1, port 0; tells the parent its port.
	const { createDashboardHandler } = require('../dist/dashboard/server/handler');
	const handler = createDashboardHandler({
		store: { type: 'sqlite', filename: process.argv[3] },
		auth: { type: 'token', token: 'bench-token' },
		now: () => NOW,
	});
	const server = http.createServer((req, res) => void handler(req, res));
	server.keepAliveTimeout = 30_000;
	server.listen(0, '127.0.0.1', () =>
		process.send({ port: /** @type {import('node:net').AddressInfo} */ (server.address()).port }),
	);
	process.on('message', (m) => m === 'stop' && server.close(() => process.exit(0)));
	// @ts-expect-error -- Node.js runs a CommonJS module as a function body, so return ends it here
	return;
}

const SECONDS = Math.max(1, Math.min(120, Number(process.argv[2]) || 10));
const CLIENTS = Math.max(1, Math.min(500, Number(process.argv[3]) || 50));

async function seed(file) {
	const { MonitoringStore } = require('../dist/core/store');
	const store = await MonitoringStore.open({ type: 'sqlite', filename: file });
	const started = Date.now();
	let samples = 0;
	for (let j = DAYS * 24 - 1; j >= 0; j--) {
		const time = NOW - 60_000 - j * HOUR;
		for (let h = 0; h < HOSTS; h++) {
			const wave = Math.sin(j / 12 + h) * 30 + 40;
			const list = [
				{ name: 'cpu_usage_percent', value: wave, labels: { cpu: 'total' } },
				{ name: 'memory_used_percent', value: 50 + h },
				{ name: 'filesystem_used_percent', value: 60 + h, labels: { mount: '/' } },
				{ name: 'filesystem_used_percent', value: 30, labels: { mount: '/data' } },
			];
			for (let c = 0; c < 4; c++)
				list.push({ name: 'cpu_usage_percent', value: wave + c, labels: { cpu: String(c) } });
			samples += list.length;
			await store.writeCollection({
				collector: 'host',
				host: `host-${h}`,
				time,
				durationMs: 5,
				ok: true,
				warnings: [],
				samples: list,
				snapshot: null,
			});
		}
	}
	// What collections do a few minutes at a time in real life: pack the hours and roll them up.
	await store.maintain({ now: NOW, budgetMs: 600_000 });
	await store.close();
	return { collections: DAYS * 24 * HOSTS, samples, seedSeconds: (Date.now() - started) / 1000 };
}

function quantile(sorted, q) {
	if (sorted.length === 0) return null;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** CLIENTS loops, each sending its next request when the previous answer is read, until the deadline. */
async function load(port, makePath) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
	const latencies = [];
	let errors = 0;
	let bytes = 0;
	const deadline = Date.now() + SECONDS * 1000;
	const one = (p) =>
		new Promise((resolve) => {
			const t = process.hrtime.bigint();
			const req = http.get(
				{
					host: '127.0.0.1',
					port,
					path: p,
					agent,
					headers: { Authorization: 'Bearer bench-token' },
				},
				(res) => {
					let size = 0;
					res.on('data', (d) => (size += d.length));
					res.on('end', () => {
						latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
						bytes += size;
						if (res.statusCode !== 200) errors++;
						resolve();
					});
				},
			);
			req.on('error', () => {
				errors++;
				resolve();
			});
		});
	const started = Date.now();
	await Promise.all(
		Array.from({ length: CLIENTS }, async (_, c) => {
			for (let i = 0; Date.now() < deadline; i++) await one(makePath(c, i));
		}),
	);
	const seconds = (Date.now() - started) / 1000;
	agent.destroy();
	latencies.sort((a, b) => a - b);
	const round = (x) => (x === null ? null : Math.round(x * 100) / 100);
	return {
		requests: latencies.length,
		errors,
		requestsPerSecond: Math.round(latencies.length / seconds),
		p50Ms: round(quantile(latencies, 0.5)),
		p95Ms: round(quantile(latencies, 0.95)),
		p99Ms: round(quantile(latencies, 0.99)),
		maxMs: round(latencies[latencies.length - 1]),
		avgResponseBytes: Math.round(bytes / Math.max(1, latencies.length)),
	};
}

async function main() {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-dash-'));
	const file = path.join(tmp, 'store.sqlite');
	try {
		const seeded = await seed(file);
		const size =
			fs.statSync(file).size + (fs.existsSync(file + '-wal') ? fs.statSync(file + '-wal').size : 0);
		console.log(
			`seeded ${seeded.collections} collections (${seeded.samples} samples) in ${seeded.seedSeconds} s`,
		);
		const server = fork(__filename, ['--serve', file]);
		const port = await new Promise((resolve) =>
			server.once('message', (m) => resolve(/** @type {{ port: number }} */ (m).port)),
		);
		// One warm-up request: the first one opens the store and checks its migrations.
		await new Promise((resolve) =>
			http.get(
				{
					host: '127.0.0.1',
					port,
					path: '/api/overview',
					headers: { Authorization: 'Bearer bench-token' },
				},
				(res) => res.resume().on('end', resolve),
			),
		);
		const overview = await load(port, () => '/api/overview');
		console.log('/api/overview', overview);
		const from = NOW - 30 * DAY;
		const series = await load(
			port,
			(c, i) =>
				`/api/series?host=host-${(c + i) % HOSTS}&metric=cpu_usage_percent&labels=${encodeURIComponent('{"cpu":"total"}')}&from=${from}&to=${NOW}`,
		);
		console.log('/api/series (30 days)', series);
		server.send('stop');
		await new Promise((resolve) => server.once('exit', resolve));
		const result = {
			date: new Date().toISOString(),
			node: process.version,
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
			store: { type: 'sqlite', hosts: HOSTS, days: DAYS, interval: '1h', ...seeded, bytes: size },
			load: { clients: CLIENTS, secondsPerEndpoint: SECONDS, transport: 'loopback, keep-alive' },
			overview,
			series30d: series,
		};
		fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
		fs.writeFileSync(
			path.join(__dirname, 'results', 'dashboard-api.json'),
			JSON.stringify(result, null, '\t') + '\n',
		);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
