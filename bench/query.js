#!/usr/bin/env node
// @ts-check
/*
 * Latency of a 30-day chart query (querySeries, in process, no HTTP) for one host's CPU (total and
 * 8 cores) on an SQLite store holding 1 year of history for 10 hosts with 20 series each, written
 * through MonitoringStore's real write path: one collection per host per hour for the year (a
 * 30-day chart reads hourly rollups, one row per hour whatever the interval was), and the last
 * two hours every minute, so the hot table holds what it holds in real life. Maintenance runs
 * as in a collection, once per simulated day while seeding.
 *
 * Before/after in one run: `--before DIST` seeds and measures that build first (e.g. main's code
 * built into another folder), then this one, on the same machine under the same load.
 *
 *   node bench/query.js [queries] [--before DIST] [--after DIST]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { before: BEFORE, after: AFTER, positional: args } = require('./builds').builds();
const QUERIES = Math.max(20, Math.min(5000, Number(args[0]) || 500));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HOSTS = 10;
const TARGET_P95_MS = 15;

function collection(host, time) {
	const wave = Math.sin(time / (6 * HOUR) + host) * 30 + 40;
	const r2 = (x) => Math.round(x * 100) / 100;
	/** @type {import('../core/model').Sample[]} */
	const samples = [{ name: 'cpu_usage_percent', value: r2(wave), labels: { cpu: 'total' } }];
	for (let c = 0; c < 8; c++)
		samples.push({ name: 'cpu_usage_percent', value: r2(wave + c), labels: { cpu: String(c) } });
	samples.push({ name: 'memory_used_percent', value: r2(50 + host), labels: {} });
	for (const mount of ['/', '/data'])
		samples.push({ name: 'filesystem_used_percent', value: 60, labels: { mount } });
	for (const iface of ['eth0', 'lo']) {
		samples.push({
			name: 'net_rx_bytes_per_second',
			value: r2(wave * 1e4),
			labels: { interface: iface },
		});
		samples.push({
			name: 'net_tx_bytes_per_second',
			value: r2(wave * 3e3),
			labels: { interface: iface },
		});
	}
	for (const period of ['1m', '5m', '15m'])
		samples.push({ name: 'load_average', value: r2(wave / 20), labels: { period } });
	return {
		collector: 'host',
		host: `host-${host}`,
		time,
		durationMs: 4,
		ok: true,
		warnings: [],
		samples,
		snapshot: null,
		state: { time, counters: {} },
	};
}

async function seed(store, now) {
	const start = now - 365 * DAY;
	let collections = 0;
	let nextMaintenance = start + DAY;
	const maintain = async (t) => {
		if (typeof store.maintain === 'function') await store.maintain({ now: t, budgetMs: 60_000 });
	};
	for (let t = start; t <= now; t += t < now - 2 * HOUR ? HOUR : MINUTE) {
		for (let h = 0; h < HOSTS; h++) await store.writeCollection(collection(h, t));
		collections += HOSTS;
		if (t >= nextMaintenance) {
			await maintain(t);
			nextMaintenance = t + DAY;
		}
	}
	await maintain(now);
	return collections;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function measure(dist, filename, driver, now) {
	const { MonitoringStore } = require(path.join(dist, 'core/store'));
	const { querySeries } = require(path.join(dist, 'core/query'));
	const store = await MonitoringStore.open({ type: 'sqlite', filename, driver });
	const times = [];
	let points = 0;
	for (let q = 0; q < QUERIES + 20; q++) {
		const t0 = process.hrtime.bigint();
		const result = await querySeries(store, {
			host: `host-${q % HOSTS}`,
			metric: 'cpu_usage_percent',
			from: now - 30 * DAY,
			to: now,
		});
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		if (q >= 20) times.push(ms); // the first ones warm the page cache and the JIT
		points = result.series.reduce((n, s) => n + s.points.length, 0);
		if (result.series.length !== 9 || points < 9 * 700)
			throw new Error(`unexpected result: ${points} points`);
	}
	times.sort((a, b) => a - b);
	const r2 = (x) => Math.round(x * 100) / 100;
	const result = {
		driver: store.driver,
		queries: QUERIES,
		seriesPerQuery: 9,
		pointsPerQuery: points,
		p50Ms: r2(quantile(times, 0.5)),
		p95Ms: r2(quantile(times, 0.95)),
		p99Ms: r2(quantile(times, 0.99)),
	};
	await store.close();
	return result;
}

/** Seeds a store with one build's write path and measures its 30-day chart on both drivers. */
async function run(dist) {
	const { MonitoringStore } = require(path.join(dist, 'core/store'));
	// A fixed hour in the past: maintenance never looks past the real clock.
	const now = Math.floor(Date.now() / HOUR) * HOUR - DAY;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-query-'));
	const filename = path.join(tmp, 'monitoring.sqlite');
	const seedStarted = Date.now();
	const store = await MonitoringStore.open({ type: 'sqlite', filename, driver: 'node:sqlite' });
	const collections = await seed(store, now);
	await store.close();
	const seeded = {
		collections,
		seedSeconds: Math.round((Date.now() - seedStarted) / 1000),
		fileBytes: fs.statSync(filename).size,
	};
	const results = [];
	for (const driver of ['sqlite3', 'node:sqlite'])
		results.push(await measure(dist, filename, driver, now));
	fs.rmSync(tmp, { recursive: true, force: true });
	const loadAverage = os.loadavg().map((x) => Math.round(x * 100) / 100);
	return { dist: path.relative(process.cwd(), dist) || '.', loadAverage, seeded, results };
}

function report(r) {
	console.log(
		`30-day chart of one host's CPU (9 series), 1 year x ${HOSTS} hosts on SQLite, ${QUERIES} queries (dist: ${r.dist}; load ${r.loadAverage.join(' ')})`,
	);
	console.table(
		r.results.map((x) => ({
			driver: x.driver,
			'p50 ms': x.p50Ms,
			'p95 ms': x.p95Ms,
			'p99 ms': x.p99Ms,
			points: x.pointsPerQuery,
		})),
	);
	console.log(
		`seeded ${r.seeded.collections} collections in ${r.seeded.seedSeconds} s, file ${(r.seeded.fileBytes / 1e6).toFixed(1)} MB`,
	);
}

async function main() {
	const runs = [];
	if (BEFORE) runs.push(await run(BEFORE));
	runs.push(await run(AFTER));
	for (const r of runs) report(r);
	const after = runs[runs.length - 1];
	const worst = Math.max(...after.results.map((r) => r.p95Ms));
	console.log(
		`p95 ${worst} ms (target <= ${TARGET_P95_MS}): ${worst <= TARGET_P95_MS ? 'met' : 'NOT met'}`,
	);
	const out = path.join(__dirname, 'results', 'query.json');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(
		out,
		JSON.stringify(
			{
				date: new Date().toISOString(),
				node: process.version,
				cpu: os.cpus()[0]?.model,
				cores: os.cpus().length,
				target: TARGET_P95_MS,
				...after,
				...(BEFORE ? { before: runs[0] } : {}),
			},
			null,
			2,
		) + '\n',
	);
	console.log(`written to ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
