#!/usr/bin/env node
// @ts-check
/*
 * What one Model Server collection costs: CPU time (user + system of this process, which also runs
 * the replica servers, so the figure is an upper bound) and wall time per collection over 10 local
 * endpoints of mixed types (3 vLLM, 3 TGI, 2 llama.cpp, 2 Ollama) serving the test fixtures.
 * Needs `npx tsc -p tsconfig.build.json` first. Loopback only, bounded loops.
 *
 *   node bench/model-server-cost.js [N]
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { createModelServerCollector } = require('../dist/core/collectors/model-servers');
const { runCollector } = require('../dist/core/collectors/run');

const N = Math.max(5, Math.min(1000, Number(process.argv[2]) || 100));
const FIX = path.join(__dirname, '../test/fixtures/model-servers');
const read = (f) => fs.readFileSync(path.join(FIX, f), 'utf8');

function serve(routes) {
	const server = http.createServer((req, res) => {
		const r = routes[req.url.split('?')[0]];
		if (!r) return res.writeHead(404).end();
		res.writeHead(200, { 'content-type': r.type }).end(r.body);
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({
				server,
				url: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
			}),
		),
	);
}

async function main() {
	const text = (body) => ({ body, type: 'text/plain; version=0.0.4' });
	const json = (body) => ({ body, type: 'application/json' });
	const kinds = {
		vllm: { '/health': text(''), '/metrics': text(read('vllm-metrics-2.txt')) },
		tgi: { '/health': text(''), '/metrics': text(read('tgi-metrics-2.txt')) },
		llamacpp: {
			'/health': json('{"status":"ok"}'),
			'/metrics': text(read('llamacpp-metrics-2.txt')),
		},
		ollama: {
			'/api/ps': json(read('ollama-api-ps.json')),
			'/api/version': json(read('ollama-api-version.json')),
		},
	};
	const mix = [
		'vllm',
		'vllm',
		'vllm',
		'tgi',
		'tgi',
		'tgi',
		'llamacpp',
		'llamacpp',
		'ollama',
		'ollama',
	];
	const servers = [];
	const endpoints = [];
	for (const [i, type] of mix.entries()) {
		const s = await serve(kinds[type]);
		servers.push(s.server);
		endpoints.push({
			name: `${type}-${i}`,
			url: s.url,
			type,
			headers: { authorization: 'Bearer bench' },
		});
	}
	const collector = createModelServerCollector();
	let previous;
	const once = async () => {
		const c = await runCollector(collector, { endpoints }, { host: 'bench', previous });
		if (!c.ok || c.snapshot.up !== endpoints.length)
			throw new Error(`collection failed: ${JSON.stringify(c.snapshot)}`);
		previous = c.state;
		return c;
	};
	for (let i = 0; i < 5; i++) await once(); // warm-up (JIT, keep-alive sockets)
	const wall = [];
	const cpu = [];
	let samples = 0;
	for (let i = 0; i < N; i++) {
		const c0 = process.cpuUsage();
		const t0 = process.hrtime.bigint();
		const c = await once();
		wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
		const d = process.cpuUsage(c0);
		cpu.push((d.user + d.system) / 1000);
		samples = c.samples.length;
	}
	for (const s of servers) {
		s.closeAllConnections();
		s.close();
	}
	const stats = (xs) => {
		const s = [...xs].sort((a, b) => a - b);
		const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
		const r = (x) => Math.round(x * 1000) / 1000;
		return {
			mean: r(s.reduce((a, b) => a + b, 0) / s.length),
			p50: r(at(0.5)),
			p95: r(at(0.95)),
			max: r(s[s.length - 1]),
		};
	};
	const result = {
		date: new Date().toISOString(),
		node: process.version,
		runs: N,
		endpoints: mix.length,
		mix: { vllm: 3, tgi: 3, llamacpp: 2, ollama: 2 },
		samplesPerCollection: samples,
		wallMs: stats(wall),
		cpuMsIncludingReplicaServers: stats(cpu),
		note: 'CPU is this whole process: the collector and the 10 loopback replica servers it reads.',
	};
	fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
	fs.writeFileSync(
		path.join(__dirname, 'results/model-server-cost.json'),
		JSON.stringify(result, null, '\t') + '\n',
	);
	console.log(JSON.stringify(result, null, 2));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
