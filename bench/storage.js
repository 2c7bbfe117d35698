#!/usr/bin/env node
// @ts-check
/*
 * Storage on SQLite: bytes per stored raw sample, and the steady-state size of a store for one
 * host with 60 series collected every minute under the default retention (raw 7 days, 5-minute
 * rollups 90 days, hourly rollups 2 years, run records 90 days), written through MonitoringStore's
 * real write path and maintenance with simulated time.
 *
 * Fast-forward, and why it is still the steady state: at any time the store holds hourly rollups
 * of the last 2 years, 5-minute rollups and run records of the last 90 days, and raw samples of the
 * last 7 days. So the history older than 91 days is written one collection per hour (the hourly
 * rollups it leaves are the same rows a collection per minute would leave); from 91 to 8 days
 * back one collection per 5 minutes (the same 5-minute and hourly rollup rows), plus the run
 * records of the four minutes between, inserted as the write path would store them; the last 8
 * days at the real one-minute interval. After that, FLAT_DAYS more simulated days at one minute
 * show whether the file still grows: what retention frees, the next days reuse.
 *
 * Before/after in one run: `--before DIST` measures that build first (e.g. main's code built into
 * another folder) and then this one (or `--after DIST`), on the same machine under the same load.
 *
 *   node bench/storage.js [flat days] [--before DIST] [--after DIST]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { before: BEFORE, after: AFTER, positional: args } = require('./builds').builds();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FLAT_DAYS = Math.max(1, Math.min(60, Number(args[0]) || 10));
const TARGET_BYTES_PER_SAMPLE = 10;

/**
 * 60 series shaped like the Host collector's (which rounds to 2 decimals): CPU per core, memory,
 * filesystems, disk and network rates, load, uptime, temperatures, up flags.
 */
function makeHost(seed) {
	let s = seed;
	const rnd = () => {
		s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
		return s / 2_147_483_648;
	};
	const r2 = (x) => Math.round(x * 100) / 100;
	const walk = (lo, hi, step) => {
		let v = (lo + hi) / 2;
		return () => (v = Math.min(hi, Math.max(lo, v + (rnd() - 0.5) * step)));
	};
	const series = [];
	const add = (name, labels, next) => series.push({ name, labels, next });
	for (let c = 0; c < 9; c++) {
		const w = walk(0, 100, 8);
		add('cpu_usage_percent', { cpu: c === 0 ? 'total' : String(c - 1) }, () => r2(w()));
	}
	for (const k of ['used', 'available', 'cached']) {
		const w = walk(20, 80, 0.5);
		add(`memory_${k}_percent`, {}, () => r2(w()));
	}
	for (let k = 0; k < 6; k++) {
		const w = walk(1e9, 8e9, 2e7);
		add('memory_bytes', { kind: String(k) }, () => Math.round(w() / 4096) * 4096);
	}
	for (const mount of ['/', '/data', '/boot', '/var']) {
		const used = walk(20e9, 60e9, 1e6);
		add('filesystem_used_bytes', { mount }, () => Math.round(used() / 4096) * 4096);
		add('filesystem_used_percent', { mount }, () => r2((used() / 100e9) * 100));
	}
	for (const device of ['sda', 'sdb', 'nvme0n1']) {
		for (const k of ['read_bytes', 'write_bytes', 'reads', 'writes']) {
			add(`disk_${k}_per_second`, { device }, () => (rnd() < 0.6 ? 0 : r2(rnd() ** 3 * 5e6)));
		}
	}
	for (const iface of ['eth0', 'eth1', 'lo', 'docker0']) {
		add('net_rx_bytes_per_second', { interface: iface }, () => r2(rnd() ** 2 * 1e6));
		add('net_tx_bytes_per_second', { interface: iface }, () => r2(rnd() ** 2 * 4e5));
	}
	for (const period of ['1m', '5m', '15m']) {
		const w = walk(0, 8, 0.3);
		add('load_average', { period }, () => r2(w()));
	}
	let uptime = 1_000_000;
	add('uptime_seconds', {}, () => (uptime += 60));
	for (let k = 0; k < 4; k++) {
		const w = walk(35, 80, 1);
		add('temperature_celsius', { sensor: String(k) }, () => Math.round(w()));
	}
	for (let k = 0; k < 6; k++) add('collector_up', { part: String(k) }, () => 1);
	if (series.length !== 60) throw new Error(`expected 60 series, made ${series.length}`);
	return (time) => ({
		collector: 'host',
		host: 'bench-host',
		time,
		durationMs: 4,
		ok: true,
		warnings: [],
		samples: series.map((x) => ({ name: x.name, labels: x.labels, value: x.next() })),
		snapshot: null,
		state: { time, counters: {} },
	});
}

function fileBytes(file) {
	let total = 0;
	for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) total += fs.statSync(f).size;
	return total;
}

async function measure(dist) {
	const { MonitoringStore } = require(path.join(dist, 'core/store'));
	const { encodeChunk } = require(path.join(dist, 'core/store/chunk-codec'));
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-storage-'));
	const file = path.join(tmp, 'monitoring.sqlite');
	// The simulation ends a day before the real clock: maintenance never looks past the present.
	const end = Math.floor(Date.now() / HOUR) * HOUR - DAY;
	const steady = end - FLAT_DAYS * DAY;
	const start = steady - 731 * DAY;
	const fine = steady - 91 * DAY;
	const everyMinute = steady - 8 * DAY;
	const store = await MonitoringStore.open({ type: 'sqlite', filename: file });
	const host = makeHost(7);
	const curve = [];
	const started = Date.now();
	let collections = 0;
	let samples = 0;
	let nextMaintenance = start;
	let nextSize = start;
	const checkpoint = async () => store.footprint.checkpoint();
	const pendingRecords = [];
	const flushRecords = async () => {
		await store.bulk.runs(pendingRecords.splice(0));
	};
	let atSteady;

	for (let t = start; t <= end; t += t < fine ? HOUR : t < everyMinute ? 5 * MINUTE : MINUTE) {
		const c = host(t);
		await store.writeCollection(c);
		collections++;
		samples += c.samples.length;
		if (t >= fine && t < everyMinute) {
			const records = [1, 2, 3, 4].map((k) => ({
				host: c.host,
				collector: c.collector,
				ts: t + k * MINUTE,
				durationMs: c.durationMs,
				ok: true,
				error: null,
				sampleCount: c.samples.length,
			}));
			pendingRecords.push(...records);
			if (pendingRecords.length >= 96) await flushRecords();
		} else if (pendingRecords.length > 0) await flushRecords();
		if (t >= steady && !atSteady) atSteady = (await store.footprint.measure()).bytes;
		if (t >= nextMaintenance) {
			// What the hook in writeCollection does every few minutes of real time, here per
			// simulated hour (6 hours while the coarse history is written).
			const report = await store.maintain({ now: t, budgetMs: 60_000 });
			if (!report.done) throw new Error('maintenance left work with a minute of budget');
			nextMaintenance = t + (t < fine ? 6 * HOUR : HOUR);
		}
		if (t >= nextSize) {
			await checkpoint();
			curve.push({ day: Math.round((t - start) / DAY), bytes: fileBytes(file) });
			nextSize = t + (t < fine ? 7 * DAY : DAY);
		}
	}
	await store.maintain({ now: end, budgetMs: 60_000 });
	await checkpoint();
	curve.push({ day: Math.round((end - start) / DAY), bytes: fileBytes(file) });
	const seconds = (Date.now() - started) / 1000;

	const { tables, bytes, samples: held } = await store.footprint.measure();
	const packedSamples = held.packed;
	const hotSamples = held.hot;
	const rawBytes = bytes.packed + bytes.hot;
	const rawSamples = packedSamples + hotSamples;
	const steadyDay = Math.round((steady - start) / DAY);
	const flat = curve.filter((p) => p.day >= steadyDay).map((p) => p.bytes);
	const flatMin = Math.min(...flat);
	const flatMax = Math.max(...flat);
	// The coarse fill leaves rollup rows of one sample each (min = max = sum), often a bit smaller
	// than rows of 5 or 60 samples. The flat phase replaces the oldest ones with full-rate rows;
	// extrapolating each table's growth per replaced day to its whole retention estimates the
	// steady state had every day been written at the real rate.
	const retention = store.retention;
	const keptDays = { rollup5m: retention.rollup5m, rollup1h: retention.rollup1h };
	let fullRateExtra = 0;
	const growthPerDay = {};
	for (const [rollup, days] of Object.entries(keptDays)) {
		const perDay = (bytes[rollup] - atSteady[rollup]) / FLAT_DAYS;
		growthPerDay[rollup] = Math.round(perDay);
		fullRateExtra += Math.max(0, perDay) * Math.max(0, days - FLAT_DAYS);
	}

	// The worst case for the codec: full-precision doubles (no decimal rounding), one hour a chunk.
	const t0 = Date.UTC(2026, 0, 1);
	let worstBytes = 0;
	for (let k = 0; k < 100; k++) {
		const ts = Array.from({ length: 60 }, (_, i) => t0 + i * MINUTE);
		worstBytes += encodeChunk(
			ts,
			ts.map(() => Math.random() * 100),
		).length;
	}

	const result = {
		dist: path.relative(process.cwd(), dist) || '.',
		date: new Date().toISOString(),
		/** Other work on the machine during the run (1, 5, 15 minutes) at its end. */
		loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
		node: process.version,
		driver: store.driver,
		cpu: os.cpus()[0]?.model,
		series: 60,
		intervalSeconds: 60,
		retentionDays: store.retention,
		simulatedDays: Math.round((end - start) / DAY),
		collections,
		samples,
		seconds: Math.round(seconds),
		rawSamplesStored: rawSamples,
		bytesPerRawSample: Math.round((rawBytes / rawSamples) * 100) / 100,
		bytesPerPackedSample: Math.round((bytes.packed / packedSamples) * 100) / 100,
		bytesPerHotSample: hotSamples ? Math.round((bytes.hot / hotSamples) * 10) / 10 : null,
		worstCaseBlobBytesPerSample: Math.round((worstBytes / 6000) * 100) / 100,
		target: TARGET_BYTES_PER_SAMPLE,
		steadyStateBytes: curve[curve.length - 1].bytes,
		flatPhase: { days: FLAT_DAYS, minBytes: flatMin, maxBytes: flatMax, growthPerDay },
		steadyStateFullRateEstimateBytes: Math.round(curve[curve.length - 1].bytes + fullRateExtra),
		tables,
		curve,
	};
	await store.close();
	fs.rmSync(tmp, { recursive: true, force: true });
	return { result, steadyDay, flatMin, flatMax };
}

const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;

function report({ result, steadyDay, flatMin, flatMax }) {
	const { curve, tables, growthPerDay } = {
		...result,
		growthPerDay: result.flatPhase.growthPerDay,
	};
	const rawSamples = result.rawSamplesStored;
	const collections = result.collections;
	console.log(`\n== ${result.dist}`);
	console.log(
		`Storage: 1 host, 60 series every minute, default retention; ${result.simulatedDays} simulated days in ${result.seconds} s (${collections} collections)`,
	);
	console.log(
		`raw samples: ${result.bytesPerRawSample} B each (${rawSamples} stored; packed ${result.bytesPerPackedSample} B, hot ${result.bytesPerHotSample} B), target <= ${TARGET_BYTES_PER_SAMPLE}: ${result.bytesPerRawSample <= TARGET_BYTES_PER_SAMPLE ? 'met' : 'NOT met'}`,
	);
	console.log(
		`full-precision doubles (worst case), packed blob only: ${result.worstCaseBlobBytesPerSample} B/sample`,
	);
	console.log(
		`steady state: ${mb(result.steadyStateBytes)}; over the last ${FLAT_DAYS} simulated days ${mb(flatMin)} .. ${mb(flatMax)}`,
	);
	console.log(
		`estimated steady state had all history been written every minute: ${mb(result.steadyStateFullRateEstimateBytes)} (rollup growth per flat day: ${JSON.stringify(growthPerDay)} B)`,
	);
	console.table(Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, mb(v)])));
	const shown = curve.filter((p, i) => i % 8 === 0 || p.day >= steadyDay - 7);
	console.log(shown.map((p) => `day ${p.day}: ${mb(p.bytes)}`).join('\n'));
}

async function main() {
	const runs = [];
	if (BEFORE) runs.push(await measure(BEFORE));
	runs.push(await measure(AFTER));
	for (const r of runs) report(r);
	const after = runs[runs.length - 1].result;
	const before = BEFORE ? runs[0].result : undefined;
	if (before)
		console.log(
			`\nsteady state before ${mb(before.steadyStateBytes)} -> after ${mb(after.steadyStateBytes)}`,
		);
	const out = path.join(__dirname, 'results', 'storage.json');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	const record = before ? { ...after, before } : after;
	fs.writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
	console.log(`written to ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
