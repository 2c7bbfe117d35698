// @ts-check
// A synthetic fleet for the fleet benchmark and the fleet tests: N hosts with about 60 series
// each (CPU total and per core, memory, filesystems, disks, network, load, temperatures), one
// sample a minute, host-collector runs and their state rows, a GPU on some hosts, hosts that
// stopped reporting and collectors that fail. Rows go in through the store's bulk loader
// (MonitoringStore.bulk): writing millions of samples through writeCollection would take minutes
// and measures the write path, not the reads.
// Every host's latest figures are returned so that a test can derive what the overview must say.
'use strict';

const MINUTE = 60_000;
const CORES = 15;

/** A small deterministic PRNG (mulberry32), so that every run seeds the same fleet. */
function random(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const round1 = (x) => Math.round(x * 10) / 10;

/** A figure of a fleet: mostly calm, some amber, a few red. */
function level(rnd, calm, warn, crit) {
	const r = rnd();
	if (r < 0.04) return round1(crit[0] + rnd() * (crit[1] - crit[0]));
	if (r < 0.12) return round1(warn[0] + rnd() * (warn[1] - warn[0]));
	return round1(calm[0] + rnd() * (calm[1] - calm[0]));
}

/** The hosts and their latest figures; `names` may replace generated names (an XSS check). */
function planFleet(hosts, names = {}) {
	const plan = [];
	for (let i = 0; i < hosts; i++) {
		const rnd = random(i + 1);
		const host = names[i] ?? `host-${String(i + 1).padStart(4, '0')}`;
		// About 2 % stopped reporting an hour ago, 1 % have a failing host collector right now.
		const silent = rnd() < 0.02;
		const failing = !silent && rnd() < 0.01;
		plan.push({
			host,
			silent,
			failing,
			gpu: rnd() < 0.1,
			cpu: level(rnd, [3, 70], [80, 94.9], [95, 100]),
			memory: level(rnd, [20, 84], [85, 94.9], [95, 99.5]),
			disk: level(rnd, [10, 84], [85, 94.9], [95, 99.9]),
			dataDisk: round1(5 + rnd() * 60),
			gpuTemp: round1(40 + rnd() * 45),
		});
	}
	return plan;
}

/** The ~60 series of a host with the value its latest sample has. */
function seriesOf(p) {
	const list = [];
	const add = (metric, labels, value) => list.push({ metric, labels, value });
	add('cpu_usage_percent', { cpu: 'total' }, p.cpu);
	for (let c = 0; c < CORES; c++)
		add('cpu_usage_percent', { cpu: String(c) }, Math.min(100, p.cpu + ((c % 5) - 2)));
	add('memory_used_percent', {}, p.memory);
	add('memory_used_bytes', {}, p.memory * 0.64e9);
	add('memory_available_bytes', {}, (100 - p.memory) * 0.64e9);
	add('memory_total_bytes', {}, 64e9);
	const mounts = [
		['/', '/dev/sda1', p.disk],
		['/data', '/dev/sdb1', p.dataDisk],
		['/boot', '/dev/sda2', 30],
	];
	for (const [mount, device, used] of mounts) {
		const labels = { mount, device, fstype: 'ext4' };
		add('filesystem_used_percent', labels, used);
		add('filesystem_used_bytes', labels, used * 1e10);
		add('filesystem_size_bytes', labels, 1e12);
	}
	for (const device of ['sda', 'sdb', 'nvme0n1'])
		for (const m of ['read_bytes', 'write_bytes', 'reads', 'writes'])
			add(`disk_${m}_per_second`, { device }, 1000 + list.length);
	for (const iface of ['eth0', 'eth1'])
		for (const m of ['rx_bytes', 'tx_bytes', 'rx_errors', 'tx_errors'])
			add(`net_${m}_per_second`, { interface: iface }, 5000 + list.length);
	for (const period of ['1m', '5m', '15m']) add('load_average', { period }, p.cpu / 25);
	for (let s = 0; s < 4; s++) add('temperature_celsius', { sensor: `core${s}` }, 45 + s);
	add('uptime_seconds', {}, 86400 * 30);
	add('processes', {}, 300);
	if (p.gpu)
		for (const gpu of ['0', '1']) {
			add('gpu_utilization_percent', { gpu, uuid: `GPU-${p.host}-${gpu}` }, p.cpu);
			add('gpu_temperature_celsius', { gpu, uuid: `GPU-${p.host}-${gpu}` }, p.gpuTemp);
		}
	return list;
}

/**
 * Writes the fleet into a migrated, empty store. Options: hosts, now, minutes of samples (the
 * sparkline hour by default), collectionHours of host-collector runs (6 covers the overview's
 * interval window), names (index -> host name).
 */
async function seedFleet(store, options) {
	const now = options.now;
	const minutes = options.minutes ?? 60;
	const collectionHours = options.collectionHours ?? 6;
	const plan = planFleet(options.hosts, options.names);
	const started = Date.now();

	const seriesRows = [];
	const planned = [];
	for (const p of plan)
		for (const s of seriesOf(p)) {
			seriesRows.push({ metric: s.metric, host: p.host, labels: s.labels });
			planned.push({ value: s.value, end: p.silent ? now - 61 * MINUTE : now });
		}
	const ids = await store.bulk.series(seriesRows);
	const values = planned.map((v, i) => ({ ...v, id: ids[i] }));

	// One sample a minute; the last one is exactly the planned figure, earlier ones wander.
	let samples = 0;
	let batch = [];
	const flush = async () => {
		await store.bulk.samples(batch);
		samples += batch.length;
		batch = [];
	};
	for (const v of values) {
		for (let m = minutes - 1; m >= 0; m--) {
			const wobble = m === 0 ? 0 : Math.sin((v.id + m) / 5) * 3;
			batch.push([v.id, v.end - m * MINUTE, Math.max(0, round1(v.value + wobble))]);
		}
		if (batch.length >= 200_000) await flush();
	}
	await flush();

	const collections = [];
	const state = [];
	for (const p of plan) {
		const end = p.silent ? now - 61 * MINUTE : now;
		for (let m = collectionHours * 60 - 1; m >= 0; m--) {
			const failed = p.failing && m === 0;
			collections.push({
				host: p.host,
				collector: 'host',
				ts: end - m * MINUTE,
				durationMs: 40,
				ok: !failed,
				error: failed ? 'permission denied reading /proc/stat' : null,
				sampleCount: failed ? 0 : 60,
			});
		}
		state.push({ host: p.host, collector: 'host', ts: end });
		if (p.gpu) {
			const gpu = { host: p.host, collector: 'gpu', durationMs: 90, ok: true, error: null };
			collections.push({ ...gpu, ts: end - MINUTE, sampleCount: 4 });
			collections.push({ ...gpu, ts: end, sampleCount: 4 });
			state.push({ host: p.host, collector: 'gpu', ts: end });
		}
	}
	await store.bulk.runs(collections);
	await store.bulk.collectorStates(state);
	// Fresh statistics, as autovacuum / a long-running store would have them.
	await store.bulk.analyze();
	return {
		plan,
		series: seriesRows.length,
		samples,
		collections: collections.length,
		seedSeconds: (Date.now() - started) / 1000,
	};
}

module.exports = { seedFleet, planFleet };
