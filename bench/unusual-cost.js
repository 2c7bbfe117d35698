#!/usr/bin/env node
// @ts-check
/*
 * What "unusual now" (/api/unusual, core/query/unusual.ts) costs at its bound: SERIES watched
 * series (CPU total and bytes received of SERIES / 2 hosts) on a SQLite store with four weeks of
 * hourly history each (one point an hour, packed with its rollups) and the last 3 hours as minute
 * samples in the hot table, a few of them far above usual. Measured: the first answer (every
 * baseline built from the rollups: what a restart costs) and the next ones (baselines cached),
 * wall time and this process's CPU.
 *
 *   node bench/unusual-cost.js [series, default 2000]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DIST = path.join(__dirname, '..', 'dist');
const { MonitoringStore } = require(path.join(DIST, 'core/store'));
const { unusualNow } = require(path.join(DIST, 'core/query'));

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SERIES = Number(process.argv[2] || 2000);
const NOW = Math.floor(Date.now() / HOUR) * HOUR + 30 * MINUTE;

function wave(i, ts) {
	const hod = Math.floor(ts / HOUR) % 24;
	return 30 + (i % 20) + 10 * Math.sin(((hod - 8) / 24) * 2 * Math.PI) + Math.sin(ts / 7e5 + i);
}

async function measure(store, runs) {
	const out = [];
	for (let k = 0; k < runs; k++) {
		const cpu = process.cpuUsage();
		const t0 = process.hrtime.bigint();
		const answer = await unusualNow(store, { now: NOW, limit: 50 });
		const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
		const c = process.cpuUsage(cpu);
		out.push({ wallMs, cpuMs: (c.user + c.system) / 1000, answer });
	}
	return out;
}

async function main() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-unusual-'));
	const store = await MonitoringStore.open({
		type: 'sqlite',
		filename: path.join(dir, 's.sqlite'),
	});
	try {
		const hosts = SERIES / 2;
		const refs = [];
		for (let h = 0; h < hosts; h++) {
			refs.push({ metric: 'cpu_usage_percent', host: `host-${h}`, labels: { cpu: 'total' } });
			refs.push({
				metric: 'net_rx_bytes_per_second',
				host: `host-${h}`,
				labels: { interface: 'eth0' },
			});
		}
		const ids = await store.bulk.series(refs);
		const hotFrom = NOW - 3 * HOUR - 30 * MINUTE;
		const t0 = Date.now();
		for (const [i, id] of ids.entries()) {
			const scale = i % 2 ? 50_000 : 1;
			const points = [];
			for (let ts = hotFrom - 28 * 24 * HOUR; ts < hotFrom; ts += HOUR)
				points.push([ts, scale * wave(i, ts)]);
			await store.bulk.packedHistory(id, points);
		}
		const hot = [];
		for (const [i, id] of ids.entries()) {
			const scale = i % 2 ? 50_000 : 1;
			// One series in a hundred is far above usual for the last 90 minutes.
			const unusual = i % 100 === 0;
			for (let ts = hotFrom; ts <= NOW; ts += MINUTE)
				hot.push([id, ts, scale * (unusual && ts > NOW - 90 * MINUTE ? 95 : wave(i, ts))]);
		}
		await store.bulk.samples(hot);
		await store.bulk.analyze();
		const seedSeconds = (Date.now() - t0) / 1000;
		const [cold] = await measure(store, 1);
		const warm = await measure(store, 5);
		const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
		const out = {
			when: new Date().toISOString(),
			cpu: os.cpus()[0]?.model,
			node: process.version,
			series: SERIES,
			seedSeconds,
			unusualFound: cold.answer.unusualCount,
			watched: cold.answer.watched,
			firstAnswer: { wallMs: Math.round(cold.wallMs), cpuMs: Math.round(cold.cpuMs) },
			cachedAnswer: {
				wallMs: Math.round(median(warm.map((w) => w.wallMs))),
				cpuMs: Math.round(median(warm.map((w) => w.cpuMs))),
			},
		};
		fs.writeFileSync(
			path.join(__dirname, 'results', 'unusual-cost.json'),
			JSON.stringify(out, null, '\t') + '\n',
		);
		console.log(JSON.stringify(out, null, 2));
	} finally {
		await store.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
