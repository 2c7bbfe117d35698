// @ts-check
/*
 * Debian's prometheus-node-exporter as the reference for what a collection should cost: started
 * on a free loopback port, scraped in batches, its CPU read from /proc. Shared by
 * bench/host-cost.js and bench/n8n-collection-cost.js; with the CPU of a process group, which
 * bench/n8n-responsiveness.js reads too.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');

const EXPORTER = '/usr/bin/prometheus-node-exporter';
const TICKS = 100; // USER_HZ
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ms = (ns) => Number(ns) / 1e6;

/** CPU seconds of a process: its own, and its waited-for children's. */
function procTimes(pid) {
	const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	// utime 14, stime 15, cutime 16, cstime 17 (fields counted from 1; f[0] is field 3)
	const [utime, stime, cutime, cstime] = [f[11], f[12], f[13], f[14]].map(Number);
	return { own: (utime + stime) / TICKS, children: (cutime + cstime) / TICKS };
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
			srv.close(() => resolve(port));
		});
	});
}

function get(url) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { agent: false }, (res) => {
			let size = 0;
			let series = 0;
			let tail = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => {
				size += chunk.length;
				const lines = (tail + chunk).split('\n');
				tail = lines.pop();
				for (const l of lines) if (l && l[0] !== '#') series++;
			});
			res.on('end', () => resolve({ status: res.statusCode, size, series }));
		});
		req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
		req.on('error', reject);
	});
}

/** Starts node_exporter on a free loopback port; `batch(n)` scrapes n times and returns its CPU. */
async function startExporter() {
	if (!fs.existsSync(EXPORTER)) {
		throw new Error(`${EXPORTER} missing: apt-get install -y prometheus-node-exporter`);
	}
	const port = await freePort();
	const child = spawn(EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
	const url = `http://127.0.0.1:${port}/metrics`;
	const stop = async () => {
		child.kill('SIGTERM');
		await Promise.race([new Promise((r) => child.once('exit', r)), sleep(3000)]);
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	};
	try {
		let ready = false;
		for (let i = 0; i < 100 && !ready; i++) {
			if (child.exitCode !== null) throw new Error(`exporter exited: ${stderr}`);
			ready = await get(url).then(
				(r) => r.status === 200,
				() => false,
			);
			if (!ready) await sleep(100);
		}
		if (!ready) throw new Error(`exporter did not answer on ${url}: ${stderr}`);
		let series = 0;
		for (let i = 0; i < 5; i++) series = (await get(url)).series; // warm up
		await sleep(200);
		return {
			version: exporterVersion(),
			series,
			stop,
			/** n scrapes: the exporter's CPU seconds and each scrape's wall time. */
			async batch(n, walls) {
				const before = procTimes(child.pid);
				for (let i = 0; i < n; i++) {
					const t = process.hrtime.bigint();
					const r = await get(url);
					walls.push(ms(process.hrtime.bigint() - t));
					if (r.status !== 200) throw new Error(`scrape answered ${r.status}`);
				}
				await sleep(100); // let the exporter finish any work after the last response
				const after = procTimes(child.pid);
				return (after.own - before.own + after.children - before.children) * 1000;
			},
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

function exporterVersion() {
	const r = spawnSync(EXPORTER, ['--version'], { encoding: 'utf8', timeout: 5000 });
	return ((r.stdout || '') + (r.stderr || '')).split('\n')[0].trim() || null;
}

/** CPU seconds of every process in a process group (n8n and its task runner, say). */
function groupCpuSeconds(pgid) {
	let total = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
			if (Number(f[2]) === pgid) total += (Number(f[11]) + Number(f[12])) / 100;
		} catch {
			// the process ended between readdir and read
		}
	}
	return total;
}

module.exports = { EXPORTER, groupCpuSeconds, procTimes, startExporter };
