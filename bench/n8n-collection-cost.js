#!/usr/bin/env node
// @ts-check
/*
 * What the default collections really cost inside n8n: the CPU of n8n's whole process group
 * (n8n and its task runner) while the collecting starters run, against the same n8n idle, per
 * collection and per minute of the shipped schedule, beside one node_exporter scrape measured in
 * the same run.
 *
 * A real n8n (the version scripts/n8n-runtime.js pins, with N8N_METRICS as npm start sets it) with
 * this package linked, and two ways of running the same six collections (host, n8n executions,
 * n8n's own database, the endpoint check of this n8n, GPU, model servers) every INTERVAL seconds
 * (10 by default, six times the shipped minute, so a short run sees many collections):
 *   - schedule: the five starter workflows as shipped before the Collector Trigger (Schedule
 *     Trigger -> Monitoring node; gpu-metrics.json runs GPU and model servers in one execution);
 *   - collector: workflows/collectors.json, one workflow of Monitoring Collector Triggers with
 *     Emit "never" (a poll that stores and starts no execution). n8n polls at most once a minute
 *     per poll time, so the bench gives each trigger one poll time per INTERVAL (fixed seconds).
 * Phases of PHASE seconds, interleaved idle, schedule, idle, collector, ... so that a change in
 * the machine's other load falls on all alike. Each phase's collections are counted from the store.
 *
 *   node bench/n8n-collection-cost.js [seconds per phase, default 60] [passes, default 2] [interval s, default 10]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runtime = require('../scripts/n8n-runtime');
const { setUpN8n } = require('./n8n-setup');
const { groupCpuSeconds, startExporter } = require('./node-exporter');

const PHASE_SECONDS = Math.max(20, Math.min(300, Number(process.argv[2]) || 60));
const PASSES = Math.max(1, Math.min(5, Number(process.argv[3]) || 2));
const INTERVAL_SECONDS = Math.max(5, Math.min(60, Number(process.argv[4]) || 10));
const ROOT = path.join(__dirname, '..');
const SCHEDULED = [
	'host-metrics.json',
	'n8n-executions.json',
	'database-metrics.json',
	'endpoint-checks.json',
	'gpu-metrics.json',
];
const SETTLE_SECONDS = 60;
const round = (x) => Math.round(x * 1000) / 1000;

function readWorkflow(name, port) {
	const text = fs
		.readFileSync(path.join(ROOT, 'workflows', name), 'utf8')
		.split('127.0.0.1:5678')
		.join(`127.0.0.1:${port}`);
	const workflow = JSON.parse(text);
	delete workflow.settings.errorWorkflow; // error-to-alert.json is not part of this bench
	return workflow;
}

/** The shipped schedule every INTERVAL_SECONDS: Schedule Triggers directly, poll times one per slot. */
function faster(workflow) {
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger')
			node.parameters.rule = {
				interval: [{ field: 'seconds', secondsInterval: INTERVAL_SECONDS }],
			};
		if (node.type.endsWith('.monitoringCollectorTrigger')) {
			const item = [];
			for (let s = 0; s < 60; s += INTERVAL_SECONDS)
				item.push({ mode: 'custom', cronExpression: `${s} * * * * *` });
			node.parameters.pollTimes = { item };
		}
	}
	return workflow;
}

async function collectionsBetween(storeFile, from, to) {
	if (!fs.existsSync(storeFile)) return {};
	const { MonitoringStore } = require('../dist/core/store');
	const store = await MonitoringStore.open({ type: 'sqlite', filename: storeFile });
	try {
		const counts = {};
		for (const r of await store.runs.between(from, to)) {
			const c = (counts[r.collector] ??= { runs: 0, ok: 0 });
			c.runs++;
			c.ok += r.ok ? 1 : 0;
		}
		return counts;
	} finally {
		await store.close();
	}
}

async function main() {
	runtime.killChildrenOnSignals();
	runtime.ensureRuntime();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-cost-'));
	const storeFile = path.join(userFolder, '.n8n', 'monitoring.sqlite');
	let server;
	const exporter = await startExporter();
	try {
		runtime.linkPackage(userFolder);
		const port = await runtime.findFreePort();
		server = await runtime.startN8n({
			userFolder,
			port,
			customExtensions: false,
			env: {
				// As npm start runs n8n (scripts/start.js), unless N8N_COLLECTION_COST_PLAIN is set.
				...(process.env.N8N_COLLECTION_COST_PLAIN ? {} : runtime.LEAN_N8N_ENV),
				N8N_MONITORING_SQLITE_PATH: undefined,
				N8N_METRICS: 'true',
				N8N_METRICS_INCLUDE_API_ENDPOINTS: 'true',
				N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'warn',
			},
		});
		console.log(`n8n ${runtime.N8N_VERSION} healthy after ${server.startupMs} ms on port ${port}`);
		const started = Date.now();
		void server.exited.then((code) =>
			console.error(
				`n8n exited (${code}) ${((Date.now() - started) / 1000).toFixed(0)} s after start`,
			),
		);
		const { apiKey, create } = await setUpN8n(server);
		const variants = {
			schedule: [],
			collector: [await create(faster(readWorkflow('collectors.json', port)))],
		};
		for (const name of SCHEDULED)
			variants.schedule.push(await create(faster(readWorkflow(name, port))));
		// The first collections open the store and run its migrations: not part of any phase.
		for (const ids of Object.values(variants)) {
			for (const id of ids) await runtime.activateWorkflow(server.baseUrl, apiKey, id);
			await runtime.sleep((INTERVAL_SECONDS + 2) * 1000);
			for (const id of ids) await runtime.deactivateWorkflow(server.baseUrl, apiKey, id);
		}

		const phases = [];
		const phase = async (kind) => {
			const ids = variants[kind] ?? [];
			for (const id of ids) await runtime.activateWorkflow(server.baseUrl, apiKey, id);
			const loadAverage = os.loadavg().map((v) => Math.round(v * 100) / 100);
			const cpu0 = groupCpuSeconds(server.pid);
			const from = Date.now();
			await runtime.sleep(PHASE_SECONDS * 1000);
			const cpu = groupCpuSeconds(server.pid) - cpu0;
			const to = Date.now();
			for (const id of ids) await runtime.deactivateWorkflow(server.baseUrl, apiKey, id);
			const collections = await collectionsBetween(storeFile, from, to);
			const runs = Object.values(collections).reduce((s, c) => s + c.runs, 0);
			const p = {
				kind,
				seconds: (to - from) / 1000,
				cpuSeconds: round(cpu),
				runs,
				collections,
				loadAverage,
			};
			console.log(
				`${kind.padEnd(9)} ${p.seconds.toFixed(0)} s: n8n CPU ${p.cpuSeconds} s, ${runs} collections, load ${loadAverage.join(' ')}`,
			);
			phases.push(p);
			// A collection that began just before deactivation ends before the next phase.
			await runtime.sleep(3000);
		};
		// n8n does work of its own in its first minutes (seen: an idle phase right after the warm-up
		// at 2.5x the later ones), which would count as idle and flatter every phase: let it settle.
		await runtime.sleep(SETTLE_SECONDS * 1000);
		const walls = [];
		let exporterCpuMs = 0;
		const scrapes = 30;
		for (let pass = 0; pass < PASSES; pass++) {
			for (const kind of ['idle', 'schedule', 'idle', 'collector']) await phase(kind);
			exporterCpuMs += await exporter.batch(scrapes, walls);
		}

		const sum = (kind, key) =>
			phases.filter((p) => p.kind === kind).reduce((s, p) => s + p[key], 0);
		const idleRate = sum('idle', 'cpuSeconds') / sum('idle', 'seconds');
		const scrapeMs = exporterCpuMs / (scrapes * PASSES);
		const summary = Object.fromEntries(
			['schedule', 'collector'].map((kind) => {
				const seconds = sum(kind, 'seconds');
				const extra = sum(kind, 'cpuSeconds') - idleRate * seconds;
				const runs = sum(kind, 'runs');
				const intervals = seconds / INTERVAL_SECONDS;
				const perCollectionMs = (extra * 1000) / runs;
				// One interval here is one minute of the shipped schedule: every collector once.
				const perMinuteMs = (extra * 1000) / intervals;
				return [
					kind,
					{
						seconds: round(seconds),
						collections: runs,
						cpuSecondsAboveIdle: round(extra),
						perCollectionMs: round(perCollectionMs),
						perMinuteOfShippedScheduleMs: round(perMinuteMs),
						perMinuteVsOneNodeExporterScrape: round(perMinuteMs / scrapeMs),
					},
				];
			}),
		);
		const result = {
			date: new Date().toISOString(),
			machine: {
				cpuModel: os.cpus()[0]?.model ?? null,
				cores: os.cpus().length,
				memoryBytes: os.totalmem(),
				node: process.version,
			},
			n8n: runtime.N8N_VERSION,
			setup: {
				intervalSeconds: INTERVAL_SECONDS,
				phaseSeconds: PHASE_SECONDS,
				passes: PASSES,
				order: `${SETTLE_SECONDS} s to settle after the warm-up, then idle, schedule, idle, collector per pass, then 30 node_exporter scrapes`,
				n8nEnv: process.env.N8N_COLLECTION_COST_PLAIN ? {} : runtime.LEAN_N8N_ENV,
				schedule: SCHEDULED,
				collector: 'collectors.json (Monitoring Collector Triggers, Emit: never)',
			},
			nodeExporter: {
				version: exporter.version,
				series: exporter.series,
				cpuMsPerScrape: round(scrapeMs),
			},
			idle: { cpuPercentOfOneCore: round(idleRate * 100) },
			...summary,
			reduction: round(summary.schedule.perCollectionMs / summary.collector.perCollectionMs),
			targets: { perCollectionMs: 50, perMinuteVsOneNodeExporterScrape: 5 },
			phases,
		};
		console.log(
			`\nn8n ${runtime.N8N_VERSION}, ${result.machine.cpuModel}, ${result.machine.cores} cores`,
		);
		console.log(`node_exporter scrape: ${round(scrapeMs)} ms CPU`);
		for (const kind of ['schedule', 'collector']) {
			const s = summary[kind];
			console.log(
				`${kind.padEnd(9)} ${s.perCollectionMs} ms n8n CPU per collection, ${s.perMinuteOfShippedScheduleMs} ms per minute of the shipped schedule (${s.perMinuteVsOneNodeExporterScrape}x one scrape)`,
			);
		}
		console.log(
			`reduction per collection: ${result.reduction}x (targets: <= 50 ms, <= 5x a scrape per minute)`,
		);
		const out = path.join(__dirname, 'results', 'n8n-collection-cost.json');
		fs.writeFileSync(out, JSON.stringify(result, null, '\t') + '\n');
		console.log(`wrote ${path.relative(process.cwd(), out)}`);
	} catch (error) {
		if (server)
			console.error(`n8n's log (end):\n${server.output().split('\n').slice(-40).join('\n')}`);
		throw error;
	} finally {
		await exporter.stop();
		if (server) await server.stop();
		fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
