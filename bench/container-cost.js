#!/usr/bin/env node
// @ts-check
/*
 * What one containers collection costs with 20 containers, next to `docker stats --no-stream`
 * (the engine's own CLI, asked for the same figures) in the same run against the same engine:
 * a private dockerd (scripts/docker-engine.js: its own socket and dirs, stopped at the end) with
 * 20 busybox containers (--cpus, --memory; two of them busy). Per run, for each side:
 *   - wall: until the answer is complete;
 *   - clientCpuMs: our process's CPU (process.cpuUsage) for the collector, the docker CLI's
 *     (a child: cutime + cstime from /proc/self/stat) for docker stats;
 *   - engineCpuMs: dockerd's and containerd's CPU meanwhile (/proc/<pid>/stat), the work each
 *     asks of the engine;
 * and the collector's RSS after the runs against before the first, and the docker CLI's peak RSS
 * (/usr/bin/time). Needs root and `npx tsc -p tsconfig.build.json` first.
 *
 *   node bench/container-cost.js [N]
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { containerCollector } = require('../dist/core/collectors/containers');
const { runCollector } = require('../dist/core/collectors/run');
const { IMAGE, startDocker } = require('../scripts/docker-engine');

const N = Math.max(5, Math.min(200, Number(process.argv[2]) || 20));
const CONTAINERS = 20;
const TICKS = 100; // USER_HZ

/** @param {string} pid */
function procCpuMs(pid) {
	const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	return {
		own: ((Number(f[11]) + Number(f[12])) * 1000) / TICKS,
		children: ((Number(f[13]) + Number(f[14])) * 1000) / TICKS,
		ppid: f[1],
	};
}

const ownCpuMs = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};

/** dockerd and the containerd it started (not the per-container shims). */
function enginePids(dockerdPid) {
	const pids = [dockerdPid];
	for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			if (
				procCpuMs(p).ppid === dockerdPid &&
				/containerd$/.test(fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim())
			)
				pids.push(p);
		} catch {
			// gone meanwhile
		}
	}
	return pids;
}

/** @param {string[]} pids */
const engineCpuMs = (pids) => pids.reduce((sum, p) => sum + procCpuMs(p).own, 0);

/** @param {number[]} values */
function stats(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	const mean = values.reduce((a, b) => a + b, 0) / values.length;
	const r = (v) => Math.round(v * 100) / 100;
	return { meanMs: r(mean), p50Ms: r(at(0.5)), p95Ms: r(at(0.95)) };
}

async function main() {
	const engine = await startDocker();
	try {
		for (let i = 0; i < CONTAINERS; i++) {
			const busy = i < 2;
			engine.docker(
				'run',
				'-d',
				'--name',
				`bench-${String(i).padStart(2, '0')}`,
				'--network',
				'none',
				'--cpus',
				busy ? '0.2' : '0.5',
				'--memory',
				'64m',
				IMAGE,
				'sh',
				'-c',
				busy ? 'yes > /dev/null' : 'while true; do sleep 5; done',
			);
		}
		const dockerdPid = fs.readFileSync(path.join(engine.dir, 'dockerd.pid'), 'utf8').trim();
		const pids = enginePids(dockerdPid);
		const env = { ...process.env, DOCKER_HOST: `unix://${engine.socket}` };
		const options = { socketPath: engine.socket, maxContainers: 50 };

		// Collector: warm up with state (rates from the previous collection, no second read).
		let state;
		for (let i = 0; i < 3; i++)
			state = (await runCollector(containerCollector, options, { host: 'bench', previous: state }))
				.state;
		global.gc?.();
		const rssBefore = process.memoryUsage().rss;
		const ours = { wall: [], client: [], engine: [] };
		let samples = 0;
		let rows = 0;
		for (let i = 0; i < N; i++) {
			const e = engineCpuMs(pids);
			const c0 = ownCpuMs();
			const t = process.hrtime.bigint();
			const c = await runCollector(containerCollector, options, { host: 'bench', previous: state });
			ours.wall.push(Number(process.hrtime.bigint() - t) / 1e6);
			ours.client.push(ownCpuMs() - c0);
			ours.engine.push(engineCpuMs(pids) - e);
			if (!c.ok) throw new Error(`collector: ${c.error}`);
			state = c.state;
			samples = c.samples.length;
			rows = c.snapshot.containers.length;
		}
		const rssAfter = process.memoryUsage().rss;

		// docker stats --no-stream, one CLI process per run, as a person or a cron job would.
		const theirs = { wall: [], client: [], engine: [] };
		let peakRssKb = 0;
		let lines = 0;
		for (let i = 0; i < N; i++) {
			const e = engineCpuMs(pids);
			const k0 = procCpuMs('self').children;
			const t = process.hrtime.bigint();
			const out = execFileSync('docker', ['stats', '--no-stream', '--format', '{{json .}}'], {
				env,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			theirs.wall.push(Number(process.hrtime.bigint() - t) / 1e6);
			theirs.client.push(procCpuMs('self').children - k0);
			theirs.engine.push(engineCpuMs(pids) - e);
			lines = out.trim().split('\n').length;
		}
		// The CLI's peak RSS: one more run under /usr/bin/time (which reports it on stderr).
		const probe = execFileSync(
			'bash',
			['-c', '/usr/bin/time -f "RSS %M" docker stats --no-stream 2>&1 >/dev/null | tail -1'],
			{
				env,
				encoding: 'utf8',
			},
		);
		peakRssKb = Number(/RSS (\d+)/.exec(probe)?.[1] ?? 0);

		const result = {
			date: new Date().toISOString(),
			machine: {
				cpuModel: os.cpus()[0]?.model ?? null,
				cores: os.cpus().length,
				kernel: os.release(),
				node: process.version,
				engine: engine.docker('version', '--format', '{{.Server.Version}}').trim(),
			},
			n: N,
			containers: rows,
			note:
				'clientCpuMs of the collector is in process (no child); of docker stats it is the CLI ' +
				'process. engineCpuMs is dockerd + containerd meanwhile. dockerd 20.10 answers a ' +
				'one-shot stats read at its next once-a-second stats tick, so wall is about a second for both.',
			collector: {
				samples,
				wall: stats(ours.wall),
				clientCpuMs: stats(ours.client),
				engineCpuMs: stats(ours.engine),
				rssBytes: rssAfter,
				rssGrowthBytes: rssAfter - rssBefore,
			},
			dockerStatsNoStream: {
				lines,
				wall: stats(theirs.wall),
				clientCpuMs: stats(theirs.client),
				engineCpuMs: stats(theirs.engine),
				peakRssBytes: peakRssKb * 1024,
			},
		};
		const out = path.join(__dirname, 'results/container-cost.json');
		fs.mkdirSync(path.dirname(out), { recursive: true });
		fs.writeFileSync(out, `${JSON.stringify(result, null, '\t')}\n`);
		process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
	} finally {
		await engine.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
