#!/usr/bin/env node
// @ts-check
/*
 * Records this machine's real host series for the anomaly evaluation (bench/anomaly-eval-real.js):
 * the host collector, run every INTERVAL ms for SECONDS seconds into a SQLite store (as the starter
 * workflow does, only faster), then every series with a value at each collection is written as
 * gzipped JSON to bench/fixtures/host-recording.json.gz, with the CPU model and the interval.
 *
 *   node bench/record-host.js [seconds, default 900] [interval ms, default 1000]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const DIST = path.join(__dirname, '..', 'dist');
const { collectAndStore } = require(path.join(DIST, 'core/pipeline'));
const { hostCollector } = require(path.join(DIST, 'core/collectors/host'));
const { MonitoringStore } = require(path.join(DIST, 'core/store'));

const SECONDS = Number(process.argv[2] || 900);
const INTERVAL = Number(process.argv[3] || 1000);
const OUT = path.join(__dirname, 'fixtures', 'host-recording.json.gz');

async function main() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-record-'));
	const store = { type: /** @type {const} */ ('sqlite'), filename: path.join(dir, 'rec.sqlite') };
	const host = 'this-machine';
	const started = Date.now();
	let next = started;
	let runs = 0;
	while (Date.now() - started < SECONDS * 1000) {
		await collectAndStore(hostCollector, { host, options: {}, store });
		runs++;
		next += INTERVAL;
		await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
	}
	const s = await MonitoringStore.open(store);
	const refs = await s.samples.all();
	const raw = await s.samples.raw(
		refs.map((r) => r.id),
		started - 1,
		Date.now() + 1,
	);
	const series = refs
		.map((ref) => ({
			metric: ref.metric,
			labels: ref.labels,
			points: raw.filter((p) => p.seriesId === ref.id).map((p) => [p.ts, p.value]),
		}))
		// Series that move: a constant (swap total, CPU count) has nothing to judge.
		.filter((x) => x.points.length >= runs * 0.9 && new Set(x.points.map((p) => p[1])).size > 5);
	await s.close();
	fs.mkdirSync(path.dirname(OUT), { recursive: true });
	fs.writeFileSync(
		OUT,
		zlib.gzipSync(
			JSON.stringify({
				recordedAt: new Date(started).toISOString(),
				intervalMs: INTERVAL,
				runs,
				cpu: os.cpus()[0]?.model,
				cores: os.cpus().length,
				series,
			}),
		),
	);
	fs.rmSync(dir, { recursive: true, force: true });
	console.log(`${runs} collections, ${series.length} moving series -> ${OUT}`);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
