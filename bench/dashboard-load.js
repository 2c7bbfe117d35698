#!/usr/bin/env node
// @ts-check
/*
 * The dashboard API under load: 100 concurrent keep-alive clients for 60 s against the real
 * handler (token auth on, as a user runs it) on an SQLite store holding 30 days of one-minute host
 * collections for 10 hosts. The clients ask a dashboard's mix of questions: overview, 1 h / 24 h /
 * 7 d / 30 d series of random hosts and metrics, snapshots, alerts, executions, hosts. By default
 * the series are asked as the dashboard's views ask them (every series of a metric, windows as the
 * router makes them, so browsers polling within a step ask the same question);
 * DASHBOARD_LOAD_MIX=random makes every series request a new question (random labels, a window
 * ending at a random minute): the worst case for shared answers, in dashboard-load-random.json.
 * Recorded: requests,
 * errors (non-2xx, socket errors, timeouts), throughput, p50/p95/p99/max per endpoint and overall,
 * the server's RSS and CPU, and the machine's load average when the run began.
 *
 * Seeding 30 days x 1,440 minutes x 10 hosts (432,000 collections) through writeCollection would
 * take most of an hour here, so the history goes in through the store's bulk loader, in the
 * layout maintenance leaves (migration 004: hourly blocks packed with the store's own codec, both
 * rollups computed from the same samples), while the series themselves, the newest three
 * collections per host and every collector state go through MonitoringStore.writeCollection with
 * the samples of a real host collection on this machine (so names and labels are the collector's
 * own). A check at the end of seeding reads a 30-day series back through the query layer.
 *
 * The server runs in a child process, the clients here; both on loopback, on the same (shared,
 * noisy) cores. Needs `npm run build` first (dist/).
 *
 *   node bench/dashboard-load.js [seconds] [clients] [sqlite|postgres]
 *   DASHBOARD_LOAD_STORE=/path/store.sqlite keeps (and reuses) the seeded SQLite store.
 *   DASHBOARD_LOAD_BEFORE=/path/dist runs another build's server ("before") beside this one
 *   ("after") on the same store, in six alternating phases of seconds/6 each, so that the load
 *   of a shared machine falls on both alike; results in dashboard-load-before-after.json.
 *
 * Each client behaves like a browser tab: it keeps the ETag of each path it asked and sends it
 * back (If-None-Match); a 304 is an answer. A server that sends no ETag gets no such header.
 *
 * With `postgres` the same data goes into a PostgreSQL started for the run (scripts/pg-cluster.js)
 * and the results into dashboard-load-postgres.json.
 */
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HOSTS = 10;
const DAYS = 30;
const TOKEN = 'bench-load-token-0123456789';
const REQUEST_TIMEOUT_MS = 10_000;
const SEED_VERSION = 1;

if (process.argv[2] === '--serve') {
	// The server side: the real handler on 127.0.0.1, port 0; tells the parent its port.
	const dist = process.argv[5] || path.join(__dirname, '..', 'dist');
	const { createDashboardHandler } = require(path.join(dist, 'dashboard/server/handler'));
	const now = Number(process.argv[4]);
	const handler = createDashboardHandler({
		store: JSON.parse(process.argv[3]),
		auth: { type: 'token', token: TOKEN },
		now: () => now,
	});
	const server = http.createServer((req, res) => void handler(req, res));
	server.keepAliveTimeout = 30_000;
	server.listen(0, '127.0.0.1', async () => {
		// The handler's store comes from the same cache: this opens it and names its driver.
		const store = await require(path.join(dist, 'core/store')).openStore(
			JSON.parse(process.argv[3]),
		);
		process.send({
			port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
			driver: store.driver,
		});
	});
	process.on('message', (m) => m === 'stop' && server.close(() => process.exit(0)));
	// @ts-expect-error -- Node.js runs a CommonJS module as a function body, so return ends it here
	return;
}

const SECONDS = Math.max(1, Math.min(300, Number(process.argv[2]) || 60));
const CLIENTS = Math.max(1, Math.min(1000, Number(process.argv[3]) || 100));
const KIND = process.argv[4] === 'postgres' ? 'postgres' : 'sqlite';
/** `views`: what the dashboard's views send; `random`: every series request a new question. */
const MIX = process.env.DASHBOARD_LOAD_MIX === 'random' ? 'random' : 'views';

/** One real host collection on this machine, as the template of every host's series. */
async function realHostCollection() {
	const { hostCollector } = require('../dist/core/collectors/host');
	const { runCollector } = require('../dist/core/collectors/run');
	const first = await runCollector(hostCollector, { topProcesses: 10 }, { host: 'bench' });
	await new Promise((resolve) => setTimeout(resolve, 1000));
	// The second one has rates (network, disk), which need a previous state.
	return await runCollector(
		hostCollector,
		{ topProcesses: 10 },
		{ host: 'bench', previous: first.state },
	);
}

function hostCollection(template, host, time, h) {
	return {
		...template,
		host,
		time,
		samples: template.samples.map((s) => ({
			...s,
			value: s.name.endsWith('_percent') ? Math.min(100, s.value + h) : s.value * (1 + h / 50),
		})),
	};
}

/** A wave around a metric's real value: a daily cycle plus noise, percentages kept in 0-100. */
function waveFor(name, value, h) {
	if (name.endsWith('_percent')) {
		const base = Math.max(5, Math.min(70, value + h * 3));
		return { base, amp: Math.min(base, 25), noise: 8, lo: 0, hi: 100 };
	}
	if (/_(size|total|limit)_bytes$|_total$|cpu_count|_limit_cores$/.test(name))
		return { base: value, amp: 0, noise: 0, lo: value, hi: value };
	const base = value * (1 + h / 20);
	return { base, amp: base * 0.3, noise: base * 0.2, lo: 0, hi: Number.MAX_VALUE };
}

async function seed(config, now) {
	const { MonitoringStore } = require('../dist/core/store');
	const { querySeries } = require('../dist/core/query');
	const started = Date.now();
	const template = await realHostCollection();
	const hosts = Array.from({ length: HOSTS }, (_, h) => `host-${String(h).padStart(2, '0')}`);
	const first = now - DAYS * DAY;
	const bulkTo = now - 3 * MINUTE;

	// 1. The series, a state and the rollup rows of the newest buckets through the real write path.
	let store = await MonitoringStore.open(config);
	for (const [h, host] of hosts.entries())
		await store.writeCollection(hostCollection(template, host, now - 2 * MINUTE, h));
	await store.close();

	// 2. The history in bulk, through the store's bulk loader.
	const seriesPerHost = await bulkHistory(config, template, hosts, first, bulkTo);

	// 3. The newest two collections per host through the real write path again.
	store = await MonitoringStore.open(config);
	for (const t of [now - MINUTE, now])
		for (const [h, host] of hosts.entries())
			await store.writeCollection(hostCollection(template, host, t, h));
	// The check: a 30-day chart reads hourly buckets that hold 60 samples each.
	const check = await querySeries(store, {
		host: hosts[0],
		metric: 'cpu_usage_percent',
		labels: { cpu: 'total' },
		from: now - DAYS * DAY,
		to: now,
		maxPoints: 1500,
	});
	const points = check.series[0]?.points ?? [];
	const { samples } = await store.footprint.measure();
	await store.close();
	if (points.length < DAYS * 24 - 2)
		throw new Error(
			`seeding check: a 30-day series has ${points.length} points, not ~${DAYS * 24}`,
		);
	return {
		hosts: HOSTS,
		days: DAYS,
		interval: '1m',
		seriesPerHost,
		samples: samples.packed,
		seedSeconds: (Date.now() - started) / 1000,
		template,
		hostNames: hosts,
	};
}

/**
 * The history of every series, its run records, executions and alerts, written through the
 * store's bulk loader (MonitoringStore.bulk) in the layout maintenance leaves (migration 004):
 * hourly packed blocks with both rollups computed from the same samples, without waiting for it.
 * Values are a daily wave around the metric's real value plus noise.
 */
async function bulkHistory(config, template, hosts, first, bulkTo) {
	const { MonitoringStore } = require('../dist/core/store');
	const store = await MonitoringStore.open(config);
	try {
		const realValue = realValues(template);
		const series = await store.samples.all();
		for (const s of series) {
			const h = hosts.indexOf(s.host);
			const labels = JSON.stringify(sortKeys(s.labels));
			const w = waveFor(s.metric, realValue.get(`${s.metric}|${labels}`) ?? 0, h);
			const phase = (s.id % 17) / 3;
			/** @type {[number, number][]} */
			const points = [];
			for (let ts = first; ts <= bulkTo; ts += MINUTE) {
				const v = w.base + w.amp * Math.sin((ts * 2 * Math.PI) / DAY + phase);
				points.push([ts, Math.max(w.lo, Math.min(w.hi, v + w.noise * (Math.random() - 0.5)))]);
			}
			await store.bulk.packedHistory(s.id, points);
		}
		// One run record per host and minute, one in a thousand failed, as the collector leaves them.
		let runs = [];
		for (let ts = first; ts <= bulkTo; ts += MINUTE) {
			for (const host of hosts)
				runs.push({
					host,
					collector: 'host',
					ts,
					durationMs: 20 + Math.floor(Math.random() * 60),
					ok: Math.random() >= 0.001,
					error: null,
					sampleCount: template.samples.length,
				});
			if (runs.length >= 50_000) {
				await store.bulk.runs(runs);
				runs = [];
			}
		}
		await store.bulk.runs(runs);
		// n8n executions: 20 workflows, one run every 10 minutes each, 3 % failed.
		const executions = [];
		for (let ts = first; ts <= bulkTo; ts += 10 * MINUTE)
			for (let w = 0; w < 20; w++)
				executions.push({
					instance: 'n8n.local',
					id: `${Math.floor(ts / 1000)}-${w}`,
					workflow_id: `wf${w}`,
					workflow_name: `Workflow ${w}`,
					status: Math.random() < 0.03 ? 'error' : 'success',
					mode: 'trigger',
					started_at: ts,
					stopped_at: ts + 200 + w * 50,
					wait_till: null,
					duration_ms: 200 + w * 50,
					waited_ms: 0,
					retry_of: null,
					retry_success_id: null,
					synced_at: bulkTo,
				});
		await store.bulk.executions(executions);
		for (const alert of alerts(hosts, first)) {
			await store.alerts.open(alert);
			if (alert.resolvedAt !== null) await store.alerts.close(alert.key, alert.resolvedAt);
		}
		await store.bulk.analyze();
		await store.footprint.checkpoint();
		return series.length / HOSTS;
	} finally {
		await store.close();
	}
}

function realValues(template) {
	return new Map(
		template.samples.map((s) => [`${s.name}|${JSON.stringify(sortKeys(s.labels ?? {}))}`, s.value]),
	);
}

/** One alert a day per host (CPU high for 20 minutes), the newest two still firing. */
function alerts(hosts, first) {
	const list = [];
	for (let d = 0; d < DAYS; d++)
		for (const [i, host] of hosts.entries()) {
			const startedAt = first + d * DAY + i * HOUR;
			const firing = d === DAYS - 1 && i < 2;
			list.push({
				source: /** @type {const} */ ('rule'),
				scope: 'bench',
				key: `cpu high|${host}`,
				rule: 'cpu high',
				severity: /** @type {const} */ ('warning'),
				host,
				metric: 'cpu_usage_percent',
				labels: { cpu: 'total' },
				value: 93,
				threshold: 90,
				message: `CPU usage of ${host} is 93 % (above 90 %)`,
				link: null,
				startedAt,
				now: startedAt,
				resolvedAt: firing ? null : startedAt + 20 * MINUTE,
			});
		}
	return list;
}

function sortKeys(labels) {
	return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function quantile(sorted, q) {
	if (sorted.length === 0) return null;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const round = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);

function stats(entry, seconds) {
	const l = entry.latencies.sort((a, b) => a - b);
	return {
		requests: entry.requests,
		errors: entry.errors,
		errorKinds: entry.kinds,
		requestsPerSecond: Math.round((entry.requests / seconds) * 10) / 10,
		p50Ms: round(quantile(l, 0.5)),
		p95Ms: round(quantile(l, 0.95)),
		p99Ms: round(quantile(l, 0.99)),
		maxMs: round(l[l.length - 1]),
		avgResponseBytes: Math.round(entry.bytes / Math.max(1, entry.requests)),
	};
}

/**
 * What browsers send: the host view's charts (every series of a metric, as the view asks) over
 * the windows the dashboard's router makes (core/contract/windows.ts: a window ends at the next
 * mark of its range's step), on a clock that runs from the seeded `now`; people look at the last
 * hour more often than at the last month.
 */
function viewsMix(now, hosts, template) {
	const { rangeWindow } = require('../dist/core/contract/windows');
	const pick = (list) => list[Math.floor(Math.random() * list.length)];
	const metrics = [...new Set(template.samples.map((s) => s.name))];
	const started = Date.now();
	const series = (kind, range) => () => {
		const w = rangeWindow(range, now + (Date.now() - started));
		return [
			kind,
			`/api/series?host=${pick(hosts)}&metric=${pick(metrics)}&from=${w.from}&to=${w.to}`,
		];
	};
	return weighted([
		[25, () => ['overview', '/api/overview']],
		[20, series('series1h', '1h')],
		[15, series('series24h', '24h')],
		[10, series('series7d', '7d')],
		[5, series('series30d', '30d')],
		...otherRequests(hosts),
	]);
}
const VIEWS_MIX =
	'overview 25 %; series as the host view asks them, windows as the router makes them: 1 h 20 %, 24 h 15 %, 7 d 10 %, 30 d 5 %; snapshot 7 %, alerts 8 %, executions 5 %, hosts 5 %';

/**
 * What both mixes ask besides series, weighted alike.
 * @returns {Array<[number, () => string[]]>}
 */
function otherRequests(hosts) {
	const pick = (list) => list[Math.floor(Math.random() * list.length)];
	return [
		[7, () => ['snapshot', `/api/snapshot?host=${pick(hosts)}&collector=host`]],
		[8, () => ['alerts', '/api/alerts']],
		[5, () => ['executions', `/api/executions?limit=100`]],
		[5, () => ['hosts', '/api/hosts']],
	];
}

/** @param {Array<[number, () => string[]]>} mix */
function weighted(mix) {
	const total = mix.reduce((sum, [w]) => sum + w, 0);
	return () => {
		let r = Math.random() * total;
		for (const [w, make] of mix) if ((r -= w) < 0) return make();
		return mix[0][1]();
	};
}

/**
 * The worst case for shared answers: every series request its own question (a random series, its
 * labels half the time, a window ending at a random minute of the last hour).
 */
function requestMix(now, hosts, template) {
	const pick = (list) => list[Math.floor(Math.random() * list.length)];
	const seriesOf = template.samples.map((s) => ({ metric: s.name, labels: s.labels }));
	const series = (kind, range) => () => {
		const s = pick(seriesOf);
		// Half the charts name their labels, half ask for every series of the metric.
		const labels =
			Math.random() < 0.5 && s.labels && Object.keys(s.labels).length
				? `&labels=${encodeURIComponent(JSON.stringify(s.labels))}`
				: '';
		const to = now - Math.floor(Math.random() * 60) * MINUTE;
		return [
			kind,
			`/api/series?host=${pick(hosts)}&metric=${s.metric}${labels}&from=${to - range}&to=${to}`,
		];
	};
	return weighted([
		[25, () => ['overview', '/api/overview']],
		[25, series('series24h', DAY)],
		[15, series('series7d', 7 * DAY)],
		[10, series('series30d', 30 * DAY)],
		...otherRequests(hosts),
	]);
}
const RANDOM_MIX =
	'overview 25 %, series 24 h 25 %, 7 d 15 %, 30 d 10 % (each a random series, window ending at a random minute), snapshot 7 %, alerts 8 %, executions 5 %, hosts 5 %';

function procStat(pid) {
	const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const rssPages = Number(f[21]);
	return { cpuSeconds: (Number(f[11]) + Number(f[12])) / 100, rssBytes: rssPages * 4096 };
}

/** A server on the store in a child process (this build's, or the one in `dist`), warmed up. */
async function startServer(config, now, dist = '') {
	const server = fork(__filename, ['--serve', JSON.stringify(config), String(now), dist]);
	const { port, driver } = await new Promise((resolve) => server.once('message', resolve));
	// One warm-up request: the first one opens the store and checks its migrations.
	await new Promise((resolve) =>
		http.get(
			{
				host: '127.0.0.1',
				port,
				path: '/api/overview',
				headers: { Authorization: `Bearer ${TOKEN}` },
			},
			(res) => res.resume().on('end', resolve),
		),
	);
	return { server, port, driver };
}

/** CLIENTS loops, each sending its next request when the previous answer is read, until the deadline. */
async function load(port, nextRequest, serverPid, seconds = SECONDS, acc = newTally()) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
	const { byKind, all } = acc;
	const entry = (kind) => {
		if (!byKind.has(kind))
			byKind.set(kind, { requests: 0, errors: 0, kinds: {}, latencies: [], bytes: 0 });
		return byKind.get(kind);
	};
	const record = (kind, ms, bytes, error) => {
		for (const e of [entry(kind), all]) {
			e.requests++;
			e.bytes += bytes;
			e.latencies.push(ms);
			if (error) {
				e.errors++;
				e.kinds[error] = (e.kinds[error] ?? 0) + 1;
			}
		}
	};
	const one = ([kind, p], etags) =>
		new Promise((resolve) => {
			const t = process.hrtime.bigint();
			const elapsed = () => Number(process.hrtime.bigint() - t) / 1e6;
			let done = false;
			const finish = (bytes, error) => {
				if (done) return;
				done = true;
				record(kind, elapsed(), bytes, error);
				resolve();
			};
			/** @type {Record<string, string>} */
			// As a browser asks: gzip accepted (the bytes counted are those on the wire).
			const headers = { Authorization: `Bearer ${TOKEN}`, 'Accept-Encoding': 'gzip' };
			if (etags.has(p)) headers['If-None-Match'] = etags.get(p);
			const req = http.get({ host: '127.0.0.1', port, path: p, agent, headers }, (res) => {
				let size = 0;
				const etag = res.headers.etag;
				if (etag) etags.set(p, etag);
				res.on('data', (d) => (size += d.length));
				res.on('end', () =>
					finish(
						size,
						(res.statusCode >= 200 && res.statusCode < 300) || res.statusCode === 304
							? null
							: `http ${res.statusCode}`,
					),
				);
				res.on('error', (e) =>
					finish(size, `socket ${/** @type {NodeJS.ErrnoException} */ (e).code ?? e.message}`),
				);
			});
			req.setTimeout(REQUEST_TIMEOUT_MS, () => {
				finish(0, 'timeout');
				req.destroy();
			});
			req.on('error', (e) =>
				finish(0, `socket ${/** @type {NodeJS.ErrnoException} */ (e).code ?? e.message}`),
			);
		});
	const samples = [];
	const sampler = setInterval(() => samples.push(procStat(serverPid)), 1000);
	const before = procStat(serverPid);
	const started = Date.now();
	const deadline = started + seconds * 1000;
	await Promise.all(
		Array.from({ length: CLIENTS }, async (_, c) => {
			const etags = acc.etags[c] ?? (acc.etags[c] = new Map());
			while (Date.now() < deadline) await one(nextRequest(), etags);
		}),
	);
	acc.seconds += (Date.now() - started) / 1000;
	clearInterval(sampler);
	const after = procStat(serverPid);
	agent.destroy();
	acc.cpuSeconds += after.cpuSeconds - before.cpuSeconds;
	acc.rssStart ??= before.rssBytes;
	acc.rssMax = Math.max(acc.rssMax, ...samples.map((x) => x.rssBytes), after.rssBytes);
	acc.rssEnd = after.rssBytes;
	const endpoints = {};
	for (const [kind, e] of [...byKind].sort()) endpoints[kind] = stats(e, acc.seconds);
	return {
		seconds: round(acc.seconds),
		overall: stats(all, acc.seconds),
		endpoints,
		server: {
			cpuSeconds: round(acc.cpuSeconds),
			cpuPercentOfOneCore: Math.round((acc.cpuSeconds / acc.seconds) * 100),
			rssStartMB: Math.round(acc.rssStart / 2 ** 20),
			rssMaxMB: Math.round(acc.rssMax / 2 ** 20),
			rssEndMB: Math.round(acc.rssEnd / 2 ** 20),
		},
	};
}

/** What load() adds up over one or several phases against one server. */
function newTally() {
	return {
		byKind: new Map(),
		all: { requests: 0, errors: 0, kinds: {}, latencies: [], bytes: 0 },
		/** @type {Array<Map<string, string>>} each client's ETags by path, as a browser keeps them */
		etags: [],
		seconds: 0,
		cpuSeconds: 0,
		/** @type {number | undefined} */
		rssStart: undefined,
		rssMax: 0,
		rssEnd: 0,
	};
}

async function main() {
	const keep = KIND === 'sqlite' ? process.env.DASHBOARD_LOAD_STORE : undefined;
	const tmp = keep ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-load-'));
	const file = keep ?? path.join(tmp, 'store.sqlite');
	const meta = file + '.bench.json';
	let pg;
	try {
		/** @type {import('../core/store/config').StoreConfig} */
		let config = { type: 'sqlite', filename: file };
		if (KIND === 'postgres') {
			const { startPostgres } = require('../scripts/pg-cluster');
			pg = await startPostgres();
			const { host, port, database, user, password } = pg;
			config = { type: 'postgres', host, port, database, user, password };
		}
		let seeded;
		if (keep && fs.existsSync(file) && fs.existsSync(meta)) {
			seeded = JSON.parse(fs.readFileSync(meta, 'utf8'));
			if (seeded.version !== SEED_VERSION)
				throw new Error(`${file} was seeded by another version; delete it`);
			console.log(`reusing the store seeded at ${new Date(seeded.now).toISOString()}`);
		} else {
			const now = Math.floor(Date.now() / MINUTE) * MINUTE;
			seeded = { version: SEED_VERSION, now, ...(await seed(config, now)) };
			if (keep) fs.writeFileSync(meta, JSON.stringify(seeded));
			console.log(
				`seeded ${seeded.samples} samples (${seeded.seriesPerHost} series x ${HOSTS} hosts x ${DAYS} days of minutes) in ${seeded.seedSeconds} s`,
			);
		}
		const bytes = pg
			? Number(pg.psql(`SELECT pg_database_size('${pg.database}')`, pg.database).trim())
			: ['', '-wal'].reduce(
					(sum, s) => sum + (fs.existsSync(file + s) ? fs.statSync(file + s).size : 0),
					0,
				);
		const before = process.env.DASHBOARD_LOAD_BEFORE;
		const after = await startServer(config, seeded.now);
		const old = before ? await startServer(config, seeded.now, path.resolve(before)) : undefined;
		const { driver } = after;
		const loadAverageAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
		console.log(
			`load: ${CLIENTS} clients for ${SECONDS} s${old ? ' each, before and after' : ''} (load average ${loadAverageAtStart.join(' ')})`,
		);
		const mix = (MIX === 'views' ? viewsMix : requestMix)(
			seeded.now,
			seeded.hostNames,
			seeded.template,
		);
		let result;
		/** @type {Record<string, any>} */
		const compared = {};
		if (old) {
			// Six phases, before and after in turn, each a sixth of the time per build.
			const tallies = { before: newTally(), after: newTally() };
			const phase = SECONDS / 3;
			for (let round = 0; round < 3; round++)
				for (const [name, s] of /** @type {Array<['before' | 'after', typeof after]>} */ (
					round % 2
						? [
								['after', after],
								['before', old],
							]
						: [
								['before', old],
								['after', after],
							]
				)) {
					compared[name] = await load(s.port, mix, s.server.pid, phase, tallies[name]);
					console.log(`${name} phase ${round + 1}: p99 ${compared[name].overall.p99Ms} ms`);
				}
			result = compared.after;
		} else {
			result = await load(after.port, mix, after.server.pid);
		}
		for (const s of [after, old]) {
			if (!s) continue;
			s.server.send('stop');
			await new Promise((resolve) => s.server.once('exit', resolve));
		}
		for (const [name, r] of old ? Object.entries(compared) : [['', result]]) {
			console.log(name, 'overall', r.overall);
			for (const [kind, s] of Object.entries(r.endpoints))
				console.log(
					`${kind.padEnd(11)} ${String(s.requests).padStart(6)} req ${String(s.errors).padStart(3)} err  p50 ${s.p50Ms} p95 ${s.p95Ms} p99 ${s.p99Ms} max ${s.maxMs} ms`,
				);
			console.log('server', r.server);
		}
		const { template: _t, hostNames: _h, version: _v, ...store } = seeded;
		const output = {
			date: new Date().toISOString(),
			node: process.version,
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, shared with other work`,
			loadAverageAtStart,
			store: { type: KIND, driver, ...store, bytes },
			load: {
				clients: CLIENTS,
				seconds: SECONDS,
				transport: 'loopback, keep-alive, token auth, Accept-Encoding: gzip',
				serverCpu:
					KIND === 'postgres'
						? "the Node process only; PostgreSQL's backends are not counted"
						: 'the Node process, SQLite included',
				requestTimeoutMs: REQUEST_TIMEOUT_MS,
				...(old ? { before: path.resolve(before ?? ''), after: 'this build' } : {}),
				mix: MIX === 'views' ? VIEWS_MIX : RANDOM_MIX,
			},
			...(old ? { before: compared.before, after: compared.after } : result),
		};
		fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
		const suffix = MIX === 'views' ? '' : '-random';
		const name = old
			? `dashboard-load-before-after${suffix}.json`
			: KIND === 'sqlite'
				? `dashboard-load${suffix}.json`
				: `dashboard-load-postgres${suffix}.json`;
		fs.writeFileSync(
			path.join(__dirname, 'results', name),
			JSON.stringify(output, null, '\t') + '\n',
		);
	} finally {
		if (pg) await pg.stop();
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
