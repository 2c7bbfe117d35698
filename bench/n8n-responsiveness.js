#!/usr/bin/env node
// @ts-check
/*
 * Does n8n stay responsive while the monitoring collectors run inside it? A real n8n (the version
 * scripts/n8n-runtime.js pins) with this package linked, the starter workflows that need no
 * outside credentials, created through its public API (host-metrics, endpoint-checks pointed at this n8n's /healthz,
 * n8n-executions with an n8n API credential for this n8n) and their Schedule Triggers set to every
 * 10 seconds, six times the shipped one minute, so a short run sees many collections.
 *
 * Two conditions of the same length: a baseline with the workflows created but inactive, and the
 * same with all three active, measured off, on, off, on so that drift in the machine's other load
 * falls on both alike. In all phases, n8n's own endpoints are probed open-loop (a request every
 * 200 ms per endpoint, whether or not the previous one answered, so a stall shows as latency
 * instead of as fewer requests): GET /healthz, GET /rest/settings (what the editor loads) and
 * GET /api/v1/workflows (public API with an API key). Recorded per phase: p50/p95/p99/max and
 * errors per endpoint, n8n's event-loop delay (prom-client's monitorEventLoopDelay via
 * N8N_METRICS, reset at each scrape, so one scrape at each phase's start and end covers the
 * phase), its garbage collections (count, time, pauses over 100 ms), the CPU seconds of n8n's
 * process group, and the collections stored with their times beside the slowest probes.
 *
 *   node bench/n8n-responsiveness.js [seconds per condition, default 80] [schedule seconds, default 10]
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const runtime = require('../scripts/n8n-runtime');
const { setUpN8n } = require('./n8n-setup');
const { groupCpuSeconds } = require('./node-exporter');

const PHASE_SECONDS = Math.max(10, Math.min(150, Number(process.argv[2]) || 80));
const INTERVAL_SECONDS = Math.max(1, Math.min(60, Number(process.argv[3]) || 10));
const PROBE_EVERY_MS = 200;
const PROBE_TIMEOUT_MS = 10_000;
const WORKFLOWS = ['host-metrics.json', 'endpoint-checks.json', 'n8n-executions.json'];
const ROOT = path.join(__dirname, '..');

function everySeconds(workflow, seconds) {
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	trigger.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: seconds }] };
}

/** The starter workflows for this n8n: faster schedule, endpoint check on its port, no error workflow. */
function starterWorkflows(port) {
	return WORKFLOWS.map((name) => {
		const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows', name), 'utf8'));
		everySeconds(workflow, INTERVAL_SECONDS);
		for (const node of workflow.nodes)
			for (const check of node.parameters?.checks?.check ?? [])
				check.url = check.url.replace(/127\.0\.0\.1:5678/, `127.0.0.1:${port}`);
		// The error workflow (error-to-alert.json) is not part of this bench.
		delete workflow.settings.errorWorkflow;
		return workflow;
	});
}

function quantile(sorted, q) {
	if (sorted.length === 0) return null;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const round2 = (x) => Math.round(x * 100) / 100;
const round = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);

function get(agent, port, urlPath, headers) {
	return new Promise((resolve) => {
		const t = process.hrtime.bigint();
		const startedAt = Date.now();
		const ms = () => Number(process.hrtime.bigint() - t) / 1e6;
		let done = false;
		const finish = (status, body, error) => {
			if (done) return;
			done = true;
			resolve({ ms: ms(), startedAt, status, body, error });
		};
		const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent, headers }, (res) => {
			const chunks = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () => finish(res.statusCode, Buffer.concat(chunks).toString('utf8')));
			res.on('error', (e) =>
				finish(0, '', /** @type {NodeJS.ErrnoException} */ (e).code ?? e.message),
			);
		});
		req.setTimeout(PROBE_TIMEOUT_MS, () => {
			finish(0, '', 'timeout');
			req.destroy();
		});
		req.on('error', (e) =>
			finish(0, '', /** @type {NodeJS.ErrnoException} */ (e).code ?? e.message),
		);
	});
}

async function eventLoop(port) {
	const { body } = await get(undefined, port, '/metrics', {});
	const value = (name) => {
		const m = body.match(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm'));
		return m ? round(Number(m[1]) * 1000) : null;
	};
	return {
		p50Ms:
			value('n8n_nodejs_eventloop_lag_p50_seconds') ?? value('nodejs_eventloop_lag_p50_seconds'),
		p99Ms:
			value('n8n_nodejs_eventloop_lag_p99_seconds') ?? value('nodejs_eventloop_lag_p99_seconds'),
		maxMs:
			value('n8n_nodejs_eventloop_lag_max_seconds') ?? value('nodejs_eventloop_lag_max_seconds'),
		meanMs:
			value('n8n_nodejs_eventloop_lag_mean_seconds') ?? value('nodejs_eventloop_lag_mean_seconds'),
		gc: garbageCollection(body),
	};
}

/** prom-client's GC histogram, cumulative since n8n started: count, time and pauses over 100 ms. */
function garbageCollection(body) {
	const kinds = {};
	const kind = (k) => (kinds[k] ??= { count: 0, ms: 0, over100ms: 0 });
	for (const line of body.split('\n')) {
		const m = line.match(
			/^(?:n8n_)?nodejs_gc_duration_seconds_(bucket|sum|count)\{([^}]*)\} ([0-9.e+-]+)$/,
		);
		if (!m) continue;
		const labels = Object.fromEntries(
			[...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]),
		);
		const entry = kind(labels.kind);
		const value = Number(m[3]);
		if (m[1] === 'count') entry.count = value;
		else if (m[1] === 'sum') entry.ms = value * 1000;
		else if (labels.le === '0.1') entry.over100ms -= value;
	}
	for (const entry of Object.values(kinds)) entry.over100ms += entry.count;
	return kinds;
}

/** What changed between two GC readings. */
function gcDuring(before, after) {
	return Object.fromEntries(
		Object.entries(after).map(([k, a]) => {
			const b = before[k] ?? { count: 0, ms: 0, over100ms: 0 };
			return [
				k,
				{ count: a.count - b.count, ms: round(a.ms - b.ms), over100ms: a.over100ms - b.over100ms },
			];
		}),
	);
}

/**
 * The phase's run records, read through the store (the n8n under test keeps writing to it):
 * runs, successes and samples per collector, and when each run began and how long it took.
 */
async function phaseRuns(storeFile, from, to) {
	if (!fs.existsSync(storeFile)) return { collections: {}, runs: [] };
	const { MonitoringStore } = require('../dist/core/store');
	const store = await MonitoringStore.open({ type: 'sqlite', filename: storeFile });
	try {
		const records = await store.runs.between(from, to);
		const collections = {};
		for (const r of records) {
			const c = (collections[r.collector] ??= { runs: 0, ok: 0, samples: 0 });
			c.runs++;
			c.ok += r.ok ? 1 : 0;
			c.samples += r.sampleCount;
		}
		return { collections, runs: records.map((r) => [r.collector, r.ts - from, r.durationMs]) };
	} finally {
		await store.close();
	}
}

/** Latency figures per endpoint over the phases of one condition, pooled. */
function summarise(phases) {
	const probes = {};
	for (const name of Object.keys(phases[0].results)) {
		const all = phases.map((p) => p.results[name]);
		const l = all.flatMap((e) => e.latencies).sort((a, b) => a - b);
		probes[name] = {
			requests: l.length,
			errors: all.reduce((sum, e) => sum + e.errors, 0),
			errorKinds: Object.assign({}, ...all.map((e) => e.kinds)),
			p50Ms: round(quantile(l, 0.5)),
			p95Ms: round(quantile(l, 0.95)),
			p99Ms: round(quantile(l, 0.99)),
			maxMs: round(l[l.length - 1]),
		};
	}
	const seconds = phases.reduce((sum, p) => sum + p.seconds, 0);
	const cpu = phases.reduce((sum, p) => sum + p.n8nCpuSeconds, 0);
	return {
		seconds,
		probes,
		n8nCpuSeconds: round(cpu),
		n8nCpuPercentOfOneCore: Math.round((cpu / seconds) * 100),
		phases: phases.map(({ results, ...p }) => ({
			...p,
			// The five slowest probes, as [endpoint, ms after the phase began, latency ms], to set
			// beside the collector runs.
			slowest: Object.entries(results)
				.flatMap(([name, e]) => e.timed.map(([at, ms]) => [name, at, round(ms)]))
				.sort((a, b) => b[2] - a[2])
				.slice(0, 5),
		})),
	};
}

/** Probes each endpoint every PROBE_EVERY_MS for `seconds`, open-loop. */
async function phase(server, apiKey, pgid, storeFile, seconds) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
	const endpoints = {
		healthz: ['/healthz', {}],
		restSettings: ['/rest/settings', {}],
		publicApiWorkflows: ['/api/v1/workflows?limit=20', { 'X-N8N-API-KEY': apiKey }],
	};
	const results = Object.fromEntries(
		Object.keys(endpoints).map((k) => [k, { latencies: [], timed: [], errors: 0, kinds: {} }]),
	);
	const { gc: gcBefore } = await eventLoop(server.port); // resets the delay histogram
	const cpuBefore = groupCpuSeconds(pgid);
	const from = Date.now();
	const pending = [];
	const timers = Object.entries(endpoints).map(([name, [urlPath, headers]], i) => {
		const fire = () =>
			pending.push(
				get(agent, server.port, urlPath, headers).then((r) => {
					const e = results[name];
					e.latencies.push(r.ms);
					e.timed.push([r.startedAt - from, r.ms]);
					const bad = r.error ?? (r.status >= 200 && r.status < 300 ? null : `http ${r.status}`);
					if (bad) {
						e.errors++;
						e.kinds[bad] = (e.kinds[bad] ?? 0) + 1;
					}
				}),
			);
		// Staggered so the three endpoints do not always arrive together.
		return setTimeout(
			() => {
				fire();
				timers[i] = setInterval(fire, PROBE_EVERY_MS);
			},
			(PROBE_EVERY_MS / 3) * i,
		);
	});
	await runtime.sleep(seconds * 1000);
	for (const t of timers) clearInterval(t);
	await Promise.all(pending);
	const to = Date.now();
	const { gc: gcAfter, ...loop } = await eventLoop(server.port);
	const cpu = groupCpuSeconds(pgid) - cpuBefore;
	agent.destroy();
	const { collections, runs } = await phaseRuns(storeFile, from, to);
	return {
		startedAt: new Date(from).toISOString(),
		seconds: (to - from) / 1000,
		results,
		eventLoopDelay: loop,
		garbageCollection: gcDuring(gcBefore, gcAfter),
		n8nCpuSeconds: round(cpu),
		n8nCpuPercentOfOneCore: Math.round((cpu / ((to - from) / 1000)) * 100),
		collections,
		// When each run began and how long it took, in ms after the phase began.
		runs,
	};
}

async function main() {
	runtime.killChildrenOnSignals();
	runtime.ensureRuntime();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-n8n-'));
	const storeFile = path.join(userFolder, '.n8n', 'monitoring.sqlite');
	let server;
	try {
		runtime.linkPackage(userFolder);
		const port = await runtime.findFreePort();
		/** @type {import('../scripts/n8n-runtime').StartOptions} */
		const options = {
			userFolder,
			port,
			customExtensions: false,
			env: { N8N_MONITORING_SQLITE_PATH: undefined, N8N_METRICS: 'true', N8N_LOG_LEVEL: 'warn' },
		};
		server = await runtime.startN8n(options);
		console.log(`n8n ${runtime.N8N_VERSION} healthy after ${server.startupMs} ms on port ${port}`);
		const { apiKey, api, create } = await setUpN8n(server);
		const ids = [];
		for (const workflow of starterWorkflows(port)) ids.push(await create(workflow));

		const pgid = server.pid;
		const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, shared with other work`;
		// Off, on, off, on: a change in the machine's other load during the run then falls on both
		// conditions alike instead of on one of them.
		const half = PHASE_SECONDS / 2;
		const off = [];
		const on = [];
		for (let pass = 0; pass < 2; pass++) {
			const loadOff = os.loadavg().map(round2);
			console.log(`collectors inactive: ${half} s (load average ${loadOff.join(' ')})`);
			off.push({
				loadAverageAtStart: loadOff,
				...(await phase(server, apiKey, pgid, storeFile, half)),
			});
			for (const id of ids) await runtime.activateWorkflow(server.baseUrl, apiKey, id);
			// One interval to let the schedules start before measuring.
			await runtime.sleep(INTERVAL_SECONDS * 1000);
			const loadOn = os.loadavg().map(round2);
			console.log(
				`collectors active every ${INTERVAL_SECONDS} s: ${half} s (load average ${loadOn.join(' ')})`,
			);
			on.push({
				loadAverageAtStart: loadOn,
				...(await phase(server, apiKey, pgid, storeFile, half)),
			});
			for (const id of ids) await runtime.deactivateWorkflow(server.baseUrl, apiKey, id);
			// A run that began just before deactivation ends before the next baseline starts.
			await runtime.sleep(3000);
		}
		const baseline = summarise(off);
		const active = summarise(on);
		print('baseline (collectors inactive)', baseline);
		print('collectors active', active);
		const failed = await api('GET', '/executions?status=error&limit=250');

		const output = {
			date: new Date().toISOString(),
			node: process.version,
			n8n: runtime.N8N_VERSION,
			machine,
			n8nStartupMs: server.startupMs,
			setup: {
				workflows: WORKFLOWS,
				scheduleSeconds: INTERVAL_SECONDS,
				note: `Schedule Triggers rewritten from every minute to every ${INTERVAL_SECONDS} s`,
				probes: `open-loop, each endpoint every ${PROBE_EVERY_MS} ms, keep-alive, timeout ${PROBE_TIMEOUT_MS} ms`,
				secondsPerCondition: PHASE_SECONDS,
				phases: 'inactive, active, inactive, active; each half of secondsPerCondition',
			},
			baseline,
			collectorsActive: active,
			failedExecutions: failed.data.length,
		};
		fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
		fs.writeFileSync(
			path.join(__dirname, 'results', 'n8n-responsiveness.json'),
			JSON.stringify(output, null, '\t') + '\n',
		);
		const errors = [baseline, active]
			.flatMap((p) => Object.values(p.probes))
			.reduce((s, p) => s + p.errors, 0);
		if (output.failedExecutions > 0 || errors > 0)
			console.log(`note: ${errors} probe errors, ${output.failedExecutions} failed executions`);
	} finally {
		if (server) await server.stop();
		fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
	}
}

function print(title, p) {
	console.log(title);
	for (const [name, s] of Object.entries(p.probes))
		console.log(
			`  ${name.padEnd(19)} ${String(s.requests).padStart(4)} req ${s.errors} err  p50 ${s.p50Ms} p95 ${s.p95Ms} p99 ${s.p99Ms} max ${s.maxMs} ms`,
		);
	for (const phase of p.phases)
		console.log(
			`  event loop delay ${JSON.stringify(phase.eventLoopDelay)}, collections ${JSON.stringify(phase.collections)}`,
		);
	console.log(`  n8n CPU ${p.n8nCpuPercentOfOneCore} % of a core`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
