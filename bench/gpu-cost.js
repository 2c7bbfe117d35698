#!/usr/bin/env node
// @ts-check
/*
 * What one GPU collection costs: 8 GPUs and 50 GPU processes, answered by the fake nvidia-smi
 * (test/fixtures/gpu/fake-nvidia-smi; this machine has no GPU). Two figures per run:
 *   - in process: the collector's own CPU (spawning, parsing, the /proc join) = process.cpuUsage;
 *   - total: plus its children's CPU (cutime + cstime from /proc/self/stat).
 * The children here are the fake, a Node.js script: its start-up (~30 ms of CPU per call here) dominates the
 * total and says nothing about a real nvidia-smi, which costs what it costs on its driver (tens
 * of ms per call on an idle datacenter GPU without persistence mode, more under load). Only the
 * in-process figure is ours. Needs `npx tsc -p tsconfig.build.json` first.
 *
 *   node bench/gpu-cost.js [N]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { gpuCollector } = require('../dist/core/collectors/gpu');
const { runCollector } = require('../dist/core/collectors/run');

const N = Math.max(5, Math.min(500, Number(process.argv[2]) || 30));
const TICKS = 100; // USER_HZ
const FIXTURES = path.join(__dirname, '../test/fixtures/gpu');

function childrenCpuMs() {
	const text = fs.readFileSync('/proc/self/stat', 'utf8');
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	return ((Number(f[13]) + Number(f[14])) * 1000) / TICKS; // cutime, cstime
}

function ownCpuMs() {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
}

function stats(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	const mean = values.reduce((a, b) => a + b, 0) / values.length;
	const r = (v) => Math.round(v * 100) / 100;
	return { meanMs: r(mean), p50Ms: r(at(0.5)), p95Ms: r(at(0.95)) };
}

async function bench(label, options) {
	let state;
	for (let i = 0; i < 3; i++)
		state = (await runCollector(gpuCollector, options, { host: 'bench', previous: state })).state;
	const walls = [];
	const own = [];
	const total = [];
	let samples = 0;
	let processes = 0;
	for (let i = 0; i < N; i++) {
		const ownBefore = ownCpuMs();
		const childBefore = childrenCpuMs();
		const t = process.hrtime.bigint();
		const c = await runCollector(gpuCollector, options, { host: 'bench', previous: state });
		walls.push(Number(process.hrtime.bigint() - t) / 1e6);
		const ownMs = ownCpuMs() - ownBefore;
		own.push(ownMs);
		total.push(ownMs + childrenCpuMs() - childBefore);
		if (!c.ok) throw new Error(`${label}: ${c.error}`);
		state = c.state;
		samples = c.samples.length;
		processes = c.snapshot.processes.length;
	}
	return {
		samples,
		gpus: 8,
		processes,
		childProcessesPerCollection: options.processes === false ? 1 : 2,
		inProcessCpuMs: stats(own),
		totalCpuMs: stats(total),
		wall: stats(walls),
	};
}

async function main() {
	process.env.FAKE_NVIDIA_SMI_SCENARIO = 'eight';
	const nvidiaSmiPath = path.join(FIXTURES, 'fake-nvidia-smi');
	const base = { vendor: 'nvidia', nvidiaSmiPath, sysRoot: '/sys' };
	const result = {
		date: new Date().toISOString(),
		machine: {
			cpuModel: os.cpus()[0]?.model ?? null,
			cores: os.cpus().length,
			kernel: os.release(),
			node: process.version,
		},
		n: N,
		note:
			'nvidia-smi is a fake (a Node.js script) here: its start-up dominates totalCpuMs and wall. ' +
			'inProcessCpuMs is the collector itself (spawn, parse, /proc join); a real nvidia-smi adds ' +
			'its own cost, driver-dependent, on top.',
		withProcesses: await bench('with processes', { ...base, processes: true }),
		withoutProcesses: await bench('without processes', { ...base, processes: false }),
	};
	const out = path.join(__dirname, 'results/gpu-cost.json');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(out, `${JSON.stringify(result, null, '\t')}\n`);
	process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
