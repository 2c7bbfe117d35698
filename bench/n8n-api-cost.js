// @ts-check
/*
 * What each request the n8n collector makes costs the n8n that answers it: n8n's process-group
 * CPU over N sequential requests of one kind, per request. The n8n collection asks its own n8n
 * (public API + /metrics) every minute, and n8n's side of that was most of a collection's cost.
 *
 *   node bench/n8n-api-cost.js [requests per kind]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runtime = require('../scripts/n8n-runtime');
const { groupCpuSeconds } = require('./node-exporter');
const { setUpN8n } = require('./n8n-setup');

const N = Math.max(5, Math.min(1000, Number(process.argv[2]) || 50));

async function main() {
	runtime.killChildrenOnSignals();
	runtime.ensureRuntime();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-api-'));
	let server;
	try {
		runtime.linkPackage(userFolder);
		const port = await runtime.findFreePort();
		server = await runtime.startN8n({
			userFolder,
			port,
			customExtensions: false,
			env: { N8N_METRICS: 'true', N8N_LOG_LEVEL: 'warn' },
		});
		const { apiKey, create } = await setUpN8n(server);
		for (const f of fs.readdirSync(path.join(__dirname, '..', 'workflows'))) {
			if (!f.endsWith('.json')) continue;
			const w = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'workflows', f), 'utf8'));
			await create(w).catch(() => undefined);
		}
		const base = server.baseUrl;
		// Executions to list: a webhook workflow called a few hundred times.
		const hook = await create({
			name: 'probe webhook',
			nodes: [
				{
					parameters: { path: 'probe', options: {} },
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: 'probe',
				},
			],
			connections: {},
			settings: {},
		});
		await runtime.activateWorkflow(base, apiKey, hook);
		for (let i = 0; i < 300; i++) await (await fetch(`${base}/webhook/probe`)).text();
		const headers = { 'X-N8N-API-KEY': apiKey, accept: 'application/json' };
		const kinds = {
			'GET /api/v1/workflows (all, limit 250)': `${base}/api/v1/workflows?limit=250&excludePinnedData=true`,
			'GET /api/v1/executions (limit 250)': `${base}/api/v1/executions?limit=250&includeData=false`,
			'GET /api/v1/executions (limit 10)': `${base}/api/v1/executions?limit=10&includeData=false`,
			'GET /api/v1/executions?status=running': `${base}/api/v1/executions?limit=250&includeData=false&status=running`,
			'GET /metrics': `${base}/metrics`,
			'GET /healthz': `${base}/healthz`,
		};
		const result = {};
		for (const [kind, url] of Object.entries(kinds)) {
			for (let i = 0; i < 3; i++) await (await fetch(url, { headers })).text();
			await runtime.sleep(1000);
			const c0 = groupCpuSeconds(server.pid);
			const t0 = Date.now();
			let bytes = 0;
			for (let i = 0; i < N; i++) bytes = (await (await fetch(url, { headers })).text()).length;
			const wall = Date.now() - t0;
			const cpu = groupCpuSeconds(server.pid) - c0;
			result[kind] = {
				cpuMsPerRequest: Math.round((cpu * 1000 * 10) / N) / 10,
				wallMsPerRequest: Math.round((wall * 10) / N) / 10,
				bytes,
			};
			console.log(kind.padEnd(44), JSON.stringify(result[kind]));
		}
		const out = {
			date: new Date().toISOString(),
			cpu: os.cpus()[0]?.model,
			n8n: runtime.N8N_VERSION,
			requestsPerKind: N,
			loadAverage: os.loadavg(),
			result,
		};
		fs.writeFileSync(
			path.join(__dirname, 'results', 'n8n-api-cost.json'),
			JSON.stringify(out, null, '\t') + '\n',
		);
	} finally {
		if (server) await server.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
