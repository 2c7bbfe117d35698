#!/usr/bin/env node
// @ts-check
/*
 * What one endpoint check costs in CPU (user + system) and wall time, over loopback, for plain
 * HTTP, HTTPS (self-signed certificate, ignoreTlsErrors) and HTTPS whose certificate fails
 * verification (down, no request sent). The servers run in a child process (this file with
 * --serve), so the figures are the collector's own process only: a fresh TCP connection, a full TLS
 * handshake (RSA 2048) per check, the request, the body and the verdict. A raw Node baseline
 * (https.get with no agent, same servers) shows what Node's own HTTP/TLS stack costs for the same.
 * Also one collection of 20 checks at concurrency 8 through runCollector.
 * Needs `npx tsc -p tsconfig.build.json` first and openssl on PATH. Loopback only, bounded loops.
 *
 *   node bench/endpoint-cost.js [N]
 */
'use strict';
const { execFileSync, fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const N = Math.max(10, Math.min(2000, Number(process.argv[2]) || 200));

if (process.argv[2] === '--serve') {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'endpoint-bench-'));
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			'30',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1',
			'-keyout',
			path.join(dir, 'key.pem'),
			'-out',
			path.join(dir, 'cert.pem'),
		],
		{ stdio: 'pipe' },
	);
	const tlsOptions = {
		key: fs.readFileSync(path.join(dir, 'key.pem')),
		cert: fs.readFileSync(path.join(dir, 'cert.pem')),
	};
	fs.rmSync(dir, { recursive: true, force: true });
	const body = JSON.stringify({ status: 'ok', data: { items: [{ state: 'ready' }] } });
	const handler = (req, res) => {
		req.resume();
		req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
	};
	const a = http.createServer(handler);
	const b = https.createServer(tlsOptions, handler);
	a.listen(0, '127.0.0.1', () =>
		b.listen(0, '127.0.0.1', () =>
			process.send({
				http: /** @type {import('node:net').AddressInfo} */ (a.address()).port,
				https: /** @type {import('node:net').AddressInfo} */ (b.address()).port,
			}),
		),
	);
	process.on('message', (m) => {
		if (m === 'cpu') process.send({ cpu: process.cpuUsage() });
		if (m === 'exit') process.exit(0);
	});
	// @ts-expect-error -- Node.js runs a CommonJS module as a function body, so return ends it here
	return;
}

const { runCheck, endpointCollector } = require('../dist/core/collectors/endpoints');
const { runCollector } = require('../dist/core/collectors/run');

function stats(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
	const r = (x) => Math.round(x * 1000) / 1000;
	return {
		mean: r(s.reduce((a, b) => a + b, 0) / s.length),
		p50: r(at(0.5)),
		p95: r(at(0.95)),
		max: r(s[s.length - 1]),
	};
}

async function measure(n, once) {
	for (let i = 0; i < 10; i++) await once(); // warm-up (JIT)
	const wall = [];
	const cpu = [];
	for (let i = 0; i < n; i++) {
		const c0 = process.cpuUsage();
		const t0 = process.hrtime.bigint();
		await once();
		wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
		const d = process.cpuUsage(c0);
		cpu.push((d.user + d.system) / 1000);
	}
	return { runs: n, cpuMs: stats(cpu), wallMs: stats(wall) };
}

function raw(url) {
	return new Promise((resolve, reject) => {
		const req = (url.startsWith('https') ? https : http).get(
			url,
			{ agent: false, rejectUnauthorized: false },
			(res) => {
				res.resume();
				res.on('end', resolve);
			},
		);
		req.on('error', reject);
	});
}

async function main() {
	const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const ports = await new Promise((resolve) => child.once('message', resolve));
	const httpUrl = `http://127.0.0.1:${ports.http}/health`;
	const httpsUrl = `https://127.0.0.1:${ports.https}/health`;
	const signal = new AbortController().signal;
	const check = (c, wantUp) => async () => {
		const r = await runCheck(c, [], signal);
		if (r.up !== wantUp) throw new Error(`unexpected result: ${JSON.stringify(r)}`);
	};
	const json = { jsonPath: 'data.items.0.state', jsonEquals: 'ready' };
	const results = {
		http: await measure(N, check({ url: httpUrl, ...json }, true)),
		https: await measure(N, check({ url: httpsUrl, ignoreTlsErrors: true, ...json }, true)),
		httpsCertificateRejected: await measure(N, check({ url: httpsUrl }, false)),
		rawNodeHttp: await measure(N, () => raw(httpUrl)),
		rawNodeHttps: await measure(N, () => raw(httpsUrl)),
	};
	const checks = Array.from({ length: 20 }, (_, i) => ({
		name: `e${i}`,
		url: i % 2 ? httpUrl : httpsUrl,
		ignoreTlsErrors: true,
		headers: { authorization: 'Bearer bench' },
		...json,
	}));
	const runs = Math.max(5, Math.floor(N / 20));
	const collection = await measure(runs, async () => {
		const c = await runCollector(endpointCollector, { checks, concurrency: 8 }, { host: 'bench' });
		if (!c.ok || c.snapshot.up !== checks.length) throw new Error('collection failed');
	});
	child.send('cpu');
	const serverCpu = await new Promise((resolve) =>
		child.once('message', (m) => resolve(/** @type {{ cpu: NodeJS.CpuUsage }} */ (m).cpu)),
	);
	child.send('exit');
	const result = {
		date: new Date().toISOString(),
		node: process.version,
		cpus: os.cpus()[0]?.model,
		runsPerCase: N,
		perCheck: results,
		collectionOf20Concurrency8: { checks: checks.length, ...collection },
		serverProcessCpuMsTotal: Math.round((serverCpu.user + serverCpu.system) / 1000),
		note:
			'CPU is the collector process only; the loopback servers run in a child process (its total ' +
			'is serverProcessCpuMsTotal, not counted above). Each check opens a fresh connection ' +
			'(and a full TLS handshake for https). rawNode* is https.get with no agent on the same ' +
			'servers: the floor set by Node itself.',
	};
	fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
	fs.writeFileSync(
		path.join(__dirname, 'results/endpoint-cost.json'),
		JSON.stringify(result, null, '\t') + '\n',
	);
	console.log(JSON.stringify(result, null, 2));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
