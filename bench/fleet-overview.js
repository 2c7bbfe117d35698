#!/usr/bin/env node
// @ts-check
/*
 * The fleet overview at 1,000 hosts: p50/p95 of the overview query (core/query overview(), the
 * function /api/overview calls) and of GET /api/overview through the real dashboard handler on
 * loopback, on a private PostgreSQL cluster (scripts/pg-cluster.js) and on an SQLite file. The
 * store holds 1,000 synthetic hosts x ~60 series, one sample a minute for the last hour (the
 * sparklines), 6 hours of host-collector runs (the interval window) and a GPU on 10 % of them
 * (scripts/fleet-seed.js). Requests are sequential (one client): the figure is the time one
 * dashboard waits. Needs `npm run build` first (dist/).
 *
 *   node bench/fleet-overview.js [hosts] [runs]
 *   node bench/fleet-overview.js [hosts] [runs] <dist of another build>
 *
 * With a third argument, SQLite only, side by side: the same store read by the other build
 * ("before") and by this one ("after"), call for call in alternating order, so that the load of
 * a shared machine falls on both alike; both answers must be the same. HTTP "after" is measured
 * with answers not shared (cacheSeconds 0: every request works its answer out, as before) and
 * shared (the default). Results in bench/results/fleet-overview-before-after.json.
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { startPostgres } = require('../scripts/pg-cluster');
const { seedFleet } = require('../scripts/fleet-seed');

const HOSTS = Math.max(10, Math.min(10_000, Number(process.argv[2]) || 1000));
const RUNS = Math.max(5, Math.min(1000, Number(process.argv[3]) || 100));
const NOW = Date.UTC(2026, 0, 31, 12);

const { MonitoringStore, closeStore } = require('../dist/core/store');
const { overview } = require('../dist/core/query');
const { createDashboardHandler } = require('../dist/dashboard/server/handler');

function quantile(sorted, q) {
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function time(runs, fn) {
	// Warm-up: the first calls open the pool, fill caches and plan the statements.
	for (let i = 0; i < 3; i++) await fn(i);
	const ms = [];
	let last;
	for (let i = 0; i < runs; i++) {
		const t = process.hrtime.bigint();
		last = await fn(i);
		ms.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	ms.sort((a, b) => a - b);
	const r = (x) => Math.round(x * 10) / 10;
	return {
		runs,
		p50Ms: r(quantile(ms, 0.5)),
		p95Ms: r(quantile(ms, 0.95)),
		maxMs: r(ms[ms.length - 1]),
		last,
	};
}

/** GET path from the handler on a loopback server; resolves with the body size. */
function get(port, p) {
	return new Promise((resolve, reject) => {
		http
			.get({ host: '127.0.0.1', port, path: p }, (res) => {
				let size = 0;
				res.on('data', (d) => (size += d.length));
				res.on('end', () =>
					res.statusCode === 200 ? resolve(size) : reject(new Error(`HTTP ${res.statusCode}`)),
				);
			})
			.on('error', reject);
	});
}

/** What the dashboard's fleet view asks for: one page of 50, worst first, whole-fleet totals. */
const PAGE = '/api/overview?sort=status&limit=50&offset=0';

async function measure(config) {
	const store = await MonitoringStore.open(config);
	const seeded = await seedFleet(store, { hosts: HOSTS, now: NOW });
	console.log(
		`${config.type}: seeded ${seeded.series} series, ${seeded.samples} samples, ${seeded.collections} collections in ${seeded.seedSeconds} s`,
	);
	const full = await time(RUNS, () => overview(store, { now: NOW }));
	const paged = await time(RUNS, () =>
		overview(store, { now: NOW, sort: 'status', limit: 50, offset: 0 }),
	);
	const hostsFull = full.last.hosts.length;
	const hostsPaged = paged.last.hosts.length;
	delete full.last;
	delete paged.last;
	await store.close();

	const handler = createDashboardHandler({ store: config, auth: { type: 'none' }, now: () => NOW });
	const server = http.createServer((req, res) => void handler(req, res));
	await /** @type {Promise<void>} */ (
		new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
	);
	const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	const httpFull = await time(RUNS, () => get(port, '/api/overview'));
	const httpPaged = await time(RUNS, () => get(port, PAGE));
	const bytesFull = httpFull.last;
	const bytesPaged = httpPaged.last;
	delete httpFull.last;
	delete httpPaged.last;
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	await closeStore(config);
	const result = {
		store: {
			hosts: HOSTS,
			series: seeded.series,
			samples: seeded.samples,
			collections: seeded.collections,
		},
		query: {
			allHosts: { ...full, hosts: hostsFull },
			page: { ...paged, hosts: hostsPaged },
		},
		http: {
			allHosts: { ...httpFull, responseBytes: bytesFull },
			page: { path: PAGE, ...httpPaged, responseBytes: bytesPaged },
		},
	};
	console.log(config.type, JSON.stringify(result.query), JSON.stringify(result.http));
	return result;
}

/** time() for two functions at once, alternating which goes first, so the load falls on both. */
async function timePair(runs, a, b) {
	for (let i = 0; i < 3; i++) await Promise.all([await a(i), await b(i)]);
	const ms = [[], []];
	const one = async (fn, k, i) => {
		const t = process.hrtime.bigint();
		await fn(i);
		ms[k].push(Number(process.hrtime.bigint() - t) / 1e6);
	};
	for (let i = 0; i < runs; i++) {
		if (i % 2) {
			await one(a, 0, i);
			await one(b, 1, i);
		} else {
			await one(b, 1, i);
			await one(a, 0, i);
		}
	}
	const r = (x) => Math.round(x * 10) / 10;
	return ms.map((list) => {
		list.sort((x, y) => x - y);
		return {
			runs,
			p50Ms: r(quantile(list, 0.5)),
			p95Ms: r(quantile(list, 0.95)),
			maxMs: r(list[list.length - 1]),
		};
	});
}

async function serveWith(createDashboardHandler, config, extra = {}) {
	const handler = createDashboardHandler({
		store: config,
		auth: { type: 'none' },
		now: () => NOW,
		...extra,
	});
	const server = http.createServer((req, res) => void handler(req, res));
	await /** @type {Promise<void>} */ (
		new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
	);
	return { server, port: /** @type {import('node:net').AddressInfo} */ (server.address()).port };
}

async function compare(beforeDist) {
	const loadBefore = os.loadavg();
	const before = {
		store: require(path.join(beforeDist, 'core/store')),
		query: require(path.join(beforeDist, 'core/query')),
		handler: require(path.join(beforeDist, 'dashboard/server/handler')),
	};
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-fleet-'));
	try {
		const config = {
			type: /** @type {const} */ ('sqlite'),
			filename: path.join(tmp, 'fleet.sqlite'),
		};
		const after = await MonitoringStore.open(config);
		const seeded = await seedFleet(after, { hosts: HOSTS, now: NOW });
		const old = await before.store.MonitoringStore.open(config);
		const ask = { now: NOW, sort: /** @type {const} */ ('status'), limit: 50, offset: 0 };
		// Both builds must say the same about the fleet: the page, and every host at once.
		const same = async (q) =>
			JSON.stringify(await before.query.overview(old, q)) ===
			JSON.stringify(await overview(after, q));
		const sameAnswer = (await same(ask)) && (await same({ now: NOW }));
		const [pageBefore, pageAfter] = await timePair(
			RUNS,
			() => before.query.overview(old, ask),
			() => overview(after, ask),
		);
		console.log('query page', { sameAnswer, pageBefore, pageAfter });
		await old.close();
		await after.close();

		const oldServer = await serveWith(before.handler.createDashboardHandler, config);
		const unshared = await serveWith(createDashboardHandler, config, { cacheSeconds: 0 });
		const shared = await serveWith(createDashboardHandler, config);
		// Fewer HTTP calls: the query above is the figure; these add the handler's own cost.
		const httpRuns = Math.max(10, Math.round(RUNS / 4));
		const [httpBefore, httpUnshared] = await timePair(
			httpRuns,
			() => get(oldServer.port, PAGE),
			() => get(unshared.port, PAGE),
		);
		const [, httpShared] = await timePair(
			httpRuns,
			() => get(oldServer.port, PAGE),
			() => get(shared.port, PAGE),
		);
		console.log('http page', { httpBefore, httpUnshared, httpShared });
		for (const s of [oldServer, unshared, shared]) {
			s.server.closeAllConnections();
			await new Promise((resolve) => s.server.close(resolve));
		}
		await before.store.closeStore(config);
		await closeStore(config);
		const result = {
			date: new Date().toISOString(),
			node: process.version,
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
			loadAverage: { atStart: loadBefore, atEnd: os.loadavg() },
			before: 'main (the other build)',
			after: 'this build',
			store: {
				type: 'sqlite',
				hosts: HOSTS,
				series: seeded.series,
				samples: seeded.samples,
				collections: seeded.collections,
			},
			targetP95Ms: 200,
			sameAnswer,
			query: {
				path: 'overview() one page of 50, worst first',
				before: pageBefore,
				after: pageAfter,
			},
			http: {
				path: PAGE,
				before: httpBefore,
				afterNotShared: httpUnshared,
				afterShared: httpShared,
			},
		};
		fs.writeFileSync(
			path.join(__dirname, 'results', 'fleet-overview-before-after.json'),
			JSON.stringify(result, null, '\t') + '\n',
		);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

async function main() {
	if (process.argv[4]) return compare(path.resolve(process.argv[4]));
	// The machine may be shared: the load around the run says how much to trust its tail.
	const loadBefore = os.loadavg()[0];
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-fleet-'));
	const pg = await startPostgres();
	try {
		const postgres = await measure({
			type: 'postgres',
			host: pg.host,
			port: pg.port,
			user: pg.user,
			password: pg.password,
			database: pg.database,
		});
		const sqlite = await measure({ type: 'sqlite', filename: path.join(tmp, 'fleet.sqlite') });
		const result = {
			date: new Date().toISOString(),
			node: process.version,
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
			postgresql: pg.psql('show server_version').trim(),
			loadAverage1m: { before: loadBefore, after: os.loadavg()[0] },
			targetP95Ms: 200,
			postgres,
			sqlite,
		};
		fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
		fs.writeFileSync(
			path.join(__dirname, 'results', 'fleet-overview.json'),
			JSON.stringify(result, null, '\t') + '\n',
		);
	} finally {
		await pg.stop();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
