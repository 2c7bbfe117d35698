#!/usr/bin/env node
// @ts-check
/*
 * What one Host collection costs next to one node_exporter scrape, measured side by side on this
 * machine: CPU time (own + children) and wall time per collection, and the memory a long-running
 * process gains from 300 collections. Needs `npx tsc -p tsconfig.build.json` (or `npm run build`)
 * first. Loopback only, bounded loops; the exporter is stopped at the end.
 *
 *   node bench/host-cost.js [N] [dist folder of another build, e.g. the previous commit's]
 *
 * With a second build, its host collector runs in the same interleaved rounds ("before").
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (typeof global.gc !== 'function' && !process.env.HOST_COST_CHILD) {
	// Re-run with --expose-gc so the memory figure is measured after a full collection.
	const r = spawnSync(process.execPath, ['--expose-gc', __filename, ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...process.env, HOST_COST_CHILD: '1' },
	});
	process.exit(r.status ?? 1);
}

const { hostCollector } = require('../dist/core/collectors/host');
const { runCollector } = require('../dist/core/collectors/run');
const { procTimes, startExporter } = require('./node-exporter');
const OTHER = process.argv[3] ? path.resolve(process.argv[3]) : null;
const otherCollector = OTHER
	? require(path.join(OTHER, 'core/collectors/host')).hostCollector
	: null;

const N = Math.max(5, Math.min(1000, Number(process.argv[2]) || 50));
const MEMORY_RUNS = 300;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ms = (ns) => Number(ns) / 1e6;

function selfCpuMs() {
	const u = process.cpuUsage();
	const { children } = procTimes(process.pid);
	return { own: (u.user + u.system) / 1000, children: children * 1000 };
}

/** A host collector with its own state; `batch(n)` collects n times and returns its CPU ms. */
async function startHost(topProcesses, collector = hostCollector) {
	const options = { topProcesses };
	let state = (await runCollector(collector, options, { host: 'bench' })).state;
	for (let i = 0; i < 5; i++) {
		state = (await runCollector(collector, options, { host: 'bench', previous: state })).state;
	}
	const host = { topProcesses, samples: 0, stateCounters: 0, childCpuMs: 0 };
	return {
		host,
		async batch(n, walls) {
			let cpu = 0;
			for (let i = 0; i < n; i++) {
				// Back-to-back collections see no jiffy pass and so no CPU percent: leave a real gap,
				// outside the measured CPU.
				await sleep(20);
				const before = selfCpuMs();
				const t = process.hrtime.bigint();
				const c = await runCollector(collector, options, { host: 'bench', previous: state });
				walls.push(ms(process.hrtime.bigint() - t));
				const after = selfCpuMs();
				cpu += after.own - before.own + after.children - before.children;
				host.childCpuMs += after.children - before.children;
				if (!c.ok) throw new Error(c.error);
				state = c.state;
				host.samples = c.samples.length;
				host.stateCounters = Object.keys(state.counters).length;
			}
			return cpu;
		},
	};
}

async function benchMemory() {
	let state;
	const settle = async () => {
		for (let i = 0; i < 3; i++) {
			global.gc?.();
			await sleep(50);
		}
		return process.memoryUsage();
	};
	// One collection first, so that code loading and lazily built caches are not counted.
	state = (await runCollector(hostCollector, { topProcesses: 10 }, { host: 'bench' })).state;
	const before = await settle();
	for (let i = 0; i < MEMORY_RUNS; i++) {
		const options = { topProcesses: i % 2 ? 10 : 0 };
		state = (await runCollector(hostCollector, options, { host: 'bench', previous: state })).state;
	}
	const after = await settle();
	const mb = (b) => Math.round((b / 1024 / 1024) * 100) / 100;
	return {
		collections: MEMORY_RUNS,
		gcExposed: typeof global.gc === 'function',
		rssBeforeMb: mb(before.rss),
		rssAfterMb: mb(after.rss),
		rssGrowthMb: mb(after.rss - before.rss),
		heapUsedGrowthMb: mb(after.heapUsed - before.heapUsed),
	};
}

function stats(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
	const r = (v) => Math.round(v * 100) / 100;
	return {
		meanMs: r(values.reduce((a, b) => a + b, 0) / values.length),
		p50Ms: r(q(0.5)),
		p95Ms: r(q(0.95)),
	};
}

async function main() {
	// Interleaved in rounds (10 scrapes, 10 collections, 10 with Top Processes), so a change in the
	// machine's other load during the run falls on all three alike.
	const loadAverageAtStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
	const exp = await startExporter();
	const kinds = [
		{ run: exp, cpu: 0, walls: [] },
		{ run: await startHost(0), cpu: 0, walls: [] },
		{ run: await startHost(10), cpu: 0, walls: [] },
	];
	if (otherCollector) {
		kinds.push({ run: await startHost(0, otherCollector), cpu: 0, walls: [] });
		kinds.push({ run: await startHost(10, otherCollector), cpu: 0, walls: [] });
	}
	const ROUND = 10;
	try {
		for (let done = 0; done < N; done += ROUND) {
			const n = Math.min(ROUND, N - done);
			for (const k of kinds) k.cpu += await k.run.batch(n, k.walls);
		}
	} finally {
		await exp.stop();
	}
	const loadAverageAtEnd = os.loadavg().map((v) => Math.round(v * 100) / 100);
	const exporter = {
		version: exp.version,
		series: exp.series,
		cpuMsPerScrape: kinds[0].cpu / N,
		wall: stats(kinds[0].walls),
	};
	const host = {
		...kinds[1].run.host,
		cpuMsPerCollection: kinds[1].cpu / N,
		wall: stats(kinds[1].walls),
	};
	const hostTop = {
		...kinds[2].run.host,
		cpuMsPerCollection: kinds[2].cpu / N,
		wall: stats(kinds[2].walls),
	};
	const before = otherCollector
		? [3, 4].map((i) => ({
				...kinds[i].run.host,
				cpuMsPerCollection: kinds[i].cpu / N,
				wall: stats(kinds[i].walls),
			}))
		: null;
	const memory = await benchMemory();
	const r2 = (v) => Math.round(v * 1000) / 1000;
	const ratio =
		exporter.cpuMsPerScrape > 0 ? host.cpuMsPerCollection / exporter.cpuMsPerScrape : null;
	const ratioTop =
		exporter.cpuMsPerScrape > 0 ? hostTop.cpuMsPerCollection / exporter.cpuMsPerScrape : null;

	const rows = [
		['', 'CPU ms / collection', 'wall mean ms', 'wall p95 ms', 'series'],
		[
			'node_exporter scrape',
			r2(exporter.cpuMsPerScrape),
			exporter.wall.meanMs,
			exporter.wall.p95Ms,
			exporter.series,
		],
		[
			'host (topProcesses 0)',
			r2(host.cpuMsPerCollection),
			host.wall.meanMs,
			host.wall.p95Ms,
			host.samples,
		],
		[
			'host (topProcesses 10)',
			r2(hostTop.cpuMsPerCollection),
			hostTop.wall.meanMs,
			hostTop.wall.p95Ms,
			hostTop.samples,
		],
		...(before ?? []).map((b) => [
			`before (topProcesses ${b.topProcesses})`,
			r2(b.cpuMsPerCollection),
			b.wall.meanMs,
			b.wall.p95Ms,
			b.samples,
		]),
	];
	const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
	console.log(
		`\nHost collector vs node_exporter, N=${N} interleaved (${os.cpus()[0]?.model}, ${os.cpus().length} cores, load average ${loadAverageAtStart.join(' ')} -> ${loadAverageAtEnd.join(' ')})`,
	);
	for (const row of rows) console.log(row.map((c, i) => String(c).padStart(widths[i])).join('  '));
	console.log(
		`\nratio ours / node_exporter CPU: ${r2(ratio)}x (topProcesses 10: ${r2(ratioTop)}x), targets <= 0.5x (<= 1.5x)`,
	);
	console.log(
		`child-process CPU during host collections: ${host.childCpuMs + hostTop.childCpuMs} ms`,
	);
	console.log(
		`memory: RSS ${memory.rssBeforeMb} -> ${memory.rssAfterMb} MB after ${memory.collections} collections ` +
			`(+${memory.rssGrowthMb} MB, heap +${memory.heapUsedGrowthMb} MB), target <= 20 MB`,
	);

	const result = {
		date: new Date().toISOString(),
		machine: {
			cpuModel: os.cpus()[0]?.model ?? null,
			cores: os.cpus().length,
			memoryBytes: os.totalmem(),
			kernel: os.release(),
			node: process.version,
		},
		loadAverage: { atStart: loadAverageAtStart, atEnd: loadAverageAtEnd },
		n: N,
		interleaved: `rounds of ${ROUND} scrapes, ${ROUND} collections, ${ROUND} with topProcesses 10`,
		nodeExporter: exporter,
		host,
		hostTopProcesses: hostTop,
		ratio: ratio === null ? null : r2(ratio),
		ratioTopProcesses: ratioTop === null ? null : r2(ratioTop),
		...(before
			? {
					before: {
						build: path.relative(process.cwd(), OTHER),
						host: before[0],
						hostTopProcesses: before[1],
						ratio: r2(before[0].cpuMsPerCollection / exporter.cpuMsPerScrape),
						ratioTopProcesses: r2(before[1].cpuMsPerCollection / exporter.cpuMsPerScrape),
					},
				}
			: {}),
		memory,
		targets: { ratio: 0.5, ratioTopProcesses: 1.5, memoryGrowthMb: 20 },
	};
	const out = path.join(__dirname, 'results', 'host-cost.json');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(out, JSON.stringify(result, null, '\t') + '\n');
	console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
