#!/usr/bin/env node
// @ts-check
/*
 * The Ask answers (core/query/ask: what AI agents and MCP clients get) on a 1,000-host fleet in an
 * SQLite file: p50/p95 time of Status, Explain (a host), Query (CPU over 24 hours) and Find (every
 * name, and a pattern), and the size of each answer against its 4,000-character budget. The store
 * is scripts/fleet-seed.js's fleet (1,000 hosts x ~60 series, one sample a minute for the last
 * hour, some hosts amber, red or silent). Sequential calls: the time one agent waits. Needs
 * `npm run build` first (dist/).
 *
 *   node bench/ask.js [hosts] [runs]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { seedFleet } = require('../scripts/fleet-seed');

const HOSTS = Math.max(10, Math.min(10_000, Number(process.argv[2]) || 1000));
const RUNS = Math.max(5, Math.min(1000, Number(process.argv[3]) || 30));
const NOW = Date.UTC(2026, 0, 31, 12);
const BUDGET = 4000;

const { MonitoringStore } = require('../dist/core/store');
const { askStatus, askExplain, askQuery, askFind } = require('../dist/core/query/ask');

async function time(runs, fn) {
	for (let i = 0; i < 2; i++) await fn();
	const ms = [];
	let last;
	for (let i = 0; i < runs; i++) {
		const t = process.hrtime.bigint();
		last = await fn();
		ms.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	ms.sort((a, b) => a - b);
	const q = (x) => Math.round(ms[Math.min(ms.length - 1, Math.floor(x * ms.length))] * 10) / 10;
	return { p50Ms: q(0.5), p95Ms: q(0.95), chars: last.text.length, truncated: last.truncated };
}

async function main() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-bench-ask-'));
	try {
		const store = await MonitoringStore.open({
			type: 'sqlite',
			filename: path.join(dir, 's.sqlite'),
		});
		const seeded = await seedFleet(store, { hosts: HOSTS, now: NOW });
		const host = 'host-0001';
		const hostName =
			(await store.samples.hostMetrics()).find((r) => r.host.includes('0001'))?.host ?? host;
		const results = {
			status: await time(RUNS, () => askStatus(store, { now: NOW, budget: BUDGET, maxLines: 20 })),
			statusWithoutUsualRanges: await time(RUNS, () =>
				askStatus(store, { now: NOW, budget: BUDGET, maxLines: 20, unusual: false }),
			),
			explainHost: await time(RUNS, () =>
				askExplain(store, {
					now: NOW,
					kind: 'host',
					host: hostName,
					rangeMs: 86_400_000,
					budget: BUDGET,
				}),
			),
			query24h: await time(RUNS, () =>
				askQuery(store, {
					now: NOW,
					host: hostName,
					metric: 'cpu_usage_percent',
					labels: { cpu: 'total' },
					rangeMs: 86_400_000,
					budget: BUDGET,
				}),
			),
			findAll: await time(RUNS, () =>
				askFind(store, { pattern: '', what: 'all', budget: BUDGET, maxLines: 50 }),
			),
			findPattern: await time(RUNS, () =>
				askFind(store, { pattern: '*-00*1', what: 'hosts', budget: BUDGET, maxLines: 50 }),
			),
		};
		const result = {
			bench: 'ask',
			date: new Date().toISOString(),
			machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
			load: os.loadavg().map((x) => Math.round(x * 10) / 10),
			hosts: HOSTS,
			runs: RUNS,
			budgetChars: BUDGET,
			seeded: { ...seeded, plan: undefined },
			results,
		};
		console.log(JSON.stringify(result, null, 2));
		fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
		fs.writeFileSync(
			path.join(__dirname, 'results', 'ask.json'),
			JSON.stringify(result, null, '\t') + '\n',
		);
		await store.close();
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
