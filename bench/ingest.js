#!/usr/bin/env node
// @ts-check
/*
 * Ingest rate into the monitoring store: samples per second through MonitoringStore's real write
 * path (one transaction per collection: record, samples into the hot table, state), on SQLite
 * through sqlite3 and through node:sqlite, and on a private PostgreSQL server started here. The
 * rollups and the packing of raw samples happen later, in maintenance: its cost is measured too,
 * as the rate of writing plus packing everything written (samples / (write s + maintenance s)).
 * Needs `npm run build` first.
 *
 * Before/after in one run: `--before DIST` measures that build first (e.g. main's code built into
 * another folder), then this one, each store kind in turn, on the same machine under the same load.
 *
 *   node bench/ingest.js [collections] [samples per collection] [--before DIST] [--after DIST]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startPostgres } = require('../scripts/pg-cluster');

const { before: BEFORE, after: AFTER, positional: args } = require('./builds').builds();
const COLLECTIONS = Math.max(10, Math.min(2000, Number(args[0]) || 200));
const SIZE = Math.max(10, Math.min(20000, Number(args[1]) || 1000));
const TARGET = 200_000;
const TARGET_POSTGRES = 100_000;

function collection(k) {
	const time = Date.UTC(2026, 0, 1) + k * 60_000;
	const samples = new Array(SIZE);
	for (let i = 0; i < SIZE; i++) {
		samples[i] = {
			name: `metric_${i % 50}`,
			value: Math.sin(k + i) * 100,
			labels: { id: String(i) },
		};
	}
	return {
		collector: 'bench',
		host: 'bench-host',
		time,
		durationMs: 1,
		ok: true,
		warnings: [],
		samples,
		snapshot: null,
		state: { time, counters: {} },
	};
}

async function measure(dist, name, config) {
	const { MonitoringStore } = require(path.join(dist, 'core/store'));
	const store = await MonitoringStore.open(config);
	await store.writeCollection(collection(0)); // creates the series: later writes are steady state
	const prepared = Array.from({ length: COLLECTIONS }, (_, k) => collection(k + 1));
	const server = config.type === 'postgres' ? await postgresCpu(store) : undefined;
	const server0 = server?.();
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	for (const c of prepared) await store.writeCollection(c);
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const cpu = process.cpuUsage(cpu0);
	const serverMs = server && server0 !== undefined ? server() - server0 : undefined;
	const samples = COLLECTIONS * SIZE;
	// Everything written is older than two hours once "now" is this far on: one maintenance run
	// packs it all and writes its rollups.
	const m0 = process.hrtime.bigint();
	const report = await store.maintain({
		now: prepared[prepared.length - 1].time + 3 * 3_600_000,
		budgetMs: 600_000,
	});
	const maintenanceSeconds = Number(process.hrtime.bigint() - m0) / 1e9;
	if (report.packedSamples !== samples + SIZE)
		throw new Error(`maintenance packed ${report.packedSamples} of ${samples + SIZE} samples`);
	const result = {
		dist: path.relative(process.cwd(), dist) || '.',
		store: name,
		driver: store.driver,
		collections: COLLECTIONS,
		samplesPerCollection: SIZE,
		seconds: round(seconds),
		samplesPerSecond: Math.round(samples / seconds),
		maintenanceSeconds: round(maintenanceSeconds),
		samplesPerSecondWithPacking: Math.round(samples / (seconds + maintenanceSeconds)),
		clientCpuSecondsPerMillionSamples: round(((cpu.user + cpu.system) / 1e6 / samples) * 1e6),
		// CPU time is what load on a shared machine does not inflate the way it inflates wall time.
		...(serverMs === undefined
			? {}
			: {
					serverCpuSecondsPerMillionSamples: round((serverMs / 1000 / samples) * 1e6),
					samplesPerCpuSecond: Math.round(
						samples / ((cpu.user + cpu.system) / 1e6 + serverMs / 1000),
					),
				}),
	};
	await store.close();
	return result;
}

const round = (x) => Math.round(x * 1000) / 1000;

/**
 * A function that gives the CPU milliseconds the PostgreSQL server's processes (the postmaster
 * and its children: backends, WAL writer, checkpointer) have used, from /proc; undefined where
 * there is no /proc.
 */
async function postgresCpu(store) {
	if (!fs.existsSync('/proc/self/stat')) return undefined;
	const result = await store.knex.raw('select pg_backend_pid() as pid');
	const stat = (pid) => {
		try {
			const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
			return { ppid: Number(f[1]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / 100 };
		} catch {
			return undefined;
		}
	};
	const master = stat(result.rows[0].pid)?.ppid;
	if (master === undefined) return undefined;
	return () => {
		let ms = 0;
		for (const pid of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(pid)) continue;
			const s = stat(pid);
			if (s && (Number(pid) === master || s.ppid === master)) ms += s.ms;
		}
		return ms;
	};
}

async function main() {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-ingest-'));
	const dists = BEFORE ? [BEFORE, AFTER] : [AFTER];
	const results = [];
	const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
	try {
		for (const [k, dist] of dists.entries()) {
			for (const driver of ['sqlite3', 'node:sqlite']) {
				const filename = path.join(tmp, `${k}-${driver.replace(':', '-')}.sqlite`);
				results.push(
					await measure(dist, `SQLite (${driver})`, { type: 'sqlite', filename, driver }),
				);
			}
			// A fresh cluster per build: neither inherits the other's tables or caches.
			const pg = await startPostgres();
			try {
				results.push(
					await measure(dist, 'PostgreSQL', {
						type: 'postgres',
						host: pg.host,
						port: pg.port,
						user: pg.user,
						password: pg.password,
						database: pg.database,
					}),
				);
			} finally {
				await pg.stop();
			}
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	console.log(
		`Ingest: ${COLLECTIONS} collections of ${SIZE} samples, one transaction each (hot table); then one maintenance run packs them and writes their rollups`,
	);
	console.table(
		results.map((r) => ({
			build: r.dist,
			store: r.store,
			'samples/s': r.samplesPerSecond,
			seconds: r.seconds,
			'with packing + rollups, samples/s': r.samplesPerSecondWithPacking,
			'samples per CPU second (client + server)': r.samplesPerCpuSecond ?? '',
		})),
	);
	const after = results.filter((r) => r.dist === (path.relative(process.cwd(), AFTER) || '.'));
	const sqliteBest = Math.max(
		...after.filter((r) => r.store.startsWith('SQLite')).map((r) => r.samplesPerSecond),
	);
	const postgres = after.find((r) => r.store === 'PostgreSQL')?.samplesPerSecond ?? 0;
	console.log(
		`SQLite best: ${sqliteBest} samples/s (target >= ${TARGET}): ${sqliteBest >= TARGET ? 'met' : 'NOT met'}`,
	);
	console.log(
		`PostgreSQL: ${postgres} samples/s (target >= ${TARGET_POSTGRES}): ${postgres >= TARGET_POSTGRES ? 'met' : 'NOT met'}`,
	);
	const out = path.join(__dirname, 'results', 'ingest.json');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(
		out,
		JSON.stringify(
			{
				date: new Date().toISOString(),
				node: process.version,
				cpu: os.cpus()[0]?.model,
				cores: os.cpus().length,
				/** Other work on the machine (1, 5, 15 minutes), at the start and at the end. */
				loadAverage: {
					start: loadAtStart,
					end: os.loadavg().map((x) => Math.round(x * 100) / 100),
				},
				target: TARGET,
				targetPostgres: TARGET_POSTGRES,
				results: after,
				...(BEFORE ? { before: results.filter((r) => !after.includes(r)) } : {}),
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
