import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { overview, THRESHOLDS, type Overview } from '../../core/query';
import { closeStore, MonitoringStore, type StoreConfig } from '../../core/store';
import { createDashboardHandler } from '../../dashboard/server/handler';
import { seedFleet, type PlannedHost } from '../../scripts/fleet-seed';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

/**
 * The fleet overview over 1,000 synthetic hosts (scripts/fleet-seed.js, bulk-inserted) in a real
 * PostgreSQL and a real SQLite file: whole-fleet counts, worst first, the other orders, the name
 * and state filters and paging, checked against what the seeded figures must give, through
 * overview() and through the real HTTP handler. Correctness only; the timings are in
 * bench/fleet-overview.js.
 */
jest.setTimeout(120_000);

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 31, 12);
const HOSTS = 1000;
const SEVERITY: Record<string, number> = { critical: 0, warning: 1, nodata: 2, ok: 3 };

interface Expected {
	host: string;
	status: string;
	cpu: number | null;
	memory: number | null;
	disk: number | null;
}

/** What the overview must say of a planned host, worked out here from the thresholds. */
function expected(p: PlannedHost): Expected {
	const level = (v: number, warning: number, critical: number) =>
		v >= critical ? 2 : v >= warning ? 1 : 0;
	const disk = Math.max(p.disk, p.dataDisk, 30);
	// A silent host has no value in the last 15 minutes; its collector ran fine, long ago, and
	// stopped: no data, never OK.
	if (p.silent) return { host: p.host, status: 'nodata', cpu: null, memory: null, disk: null };
	const worst = Math.max(
		level(p.cpu, THRESHOLDS.cpu.warning, THRESHOLDS.cpu.critical),
		level(p.memory, THRESHOLDS.memory.warning, THRESHOLDS.memory.critical),
		level(disk, THRESHOLDS.disk.warning, THRESHOLDS.disk.critical),
		p.gpu
			? level(p.gpuTemp, THRESHOLDS.gpuTemperature.warning, THRESHOLDS.gpuTemperature.critical)
			: 0,
		p.failing ? 2 : 0,
	);
	return {
		host: p.host,
		status: ['ok', 'warning', 'critical'][worst],
		cpu: p.cpu,
		memory: p.memory,
		disk,
	};
}

const byName = (a: Expected, b: Expected) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0);
const figure = (v: number | null) => (v === null ? -Infinity : v);
const rank = (h: Expected) => SEVERITY[h.status];
const worstFirst = (a: Expected, b: Expected) =>
	rank(a) - rank(b) ||
	Math.max(figure(b.cpu), figure(b.memory), figure(b.disk)) -
		Math.max(figure(a.cpu), figure(a.memory), figure(a.disk)) ||
	byName(a, b);

let pg: TestPostgres;
let tmp: string;

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-fleet-'));
	pg = await startPostgres();
});

afterAll(async () => {
	await pg?.stop();
	fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(['postgres', 'sqlite'] as const)('fleet overview on %s', (type) => {
	let config: StoreConfig;
	let store: MonitoringStore;
	let fleet: Expected[];
	let plan: PlannedHost[];

	beforeAll(async () => {
		config =
			type === 'postgres'
				? {
						type: 'postgres',
						host: pg.host,
						port: pg.port,
						user: pg.user,
						password: pg.password,
						database: pg.database,
					}
				: { type: 'sqlite', filename: path.join(tmp, 'fleet.sqlite') };
		store = await MonitoringStore.open(config);
		({ plan } = await seedFleet(store, {
			hosts: HOSTS,
			now: NOW,
			minutes: 5,
			collectionHours: 1,
		}));
		fleet = plan.map(expected);
	});

	afterAll(async () => {
		await store?.close();
		await closeStore(config);
	});

	const counts = () => {
		const c: Record<string, number> = { ok: 0, warning: 0, critical: 0, nodata: 0 };
		for (const h of fleet) c[h.status]++;
		return c;
	};
	const figures = (o: Overview) =>
		o.hosts.map((h) => ({
			host: h.host,
			status: h.status,
			cpu: h.gauges.cpu.value,
			memory: h.gauges.memory.value,
			disk: h.gauges.disk.value,
		}));

	it('gives every host by name with no options, counted by state', async () => {
		const o = await overview(store, { now: NOW });
		expect(figures(o)).toEqual([...fleet].sort(byName));
		expect(o.fleet).toEqual({
			hosts: HOSTS,
			counts: counts(),
			matched: HOSTS,
			offset: 0,
			limit: null,
			sort: 'name',
			filter: '',
			status: [],
		});
		// The seed has all four kinds of host: calm, amber, red and silent.
		expect(counts().critical).toBeGreaterThan(10);
		expect(counts().warning).toBeGreaterThan(10);
		expect(plan.filter((p) => p.silent).length).toBeGreaterThan(5);
		const silent = o.hosts.find((h) => plan.find((p) => p.host === h.host)!.silent)!;
		expect(silent.sparkline).toEqual([]);
		expect(silent.collectors.every((c) => c.stale)).toBe(true);
	});

	it('pages worst first: the pages put together are the whole sorted fleet', async () => {
		const pages: Overview[] = [];
		for (let offset = 0; offset < HOSTS; offset += 100)
			pages.push(await overview(store, { now: NOW, sort: 'status', limit: 100, offset }));
		const want = [...fleet].sort(worstFirst);
		expect(pages.flatMap(figures)).toEqual(want);
		// The silent hosts (no data) come right after the amber ones, before every calm host.
		const silent = new Set(plan.filter((p) => p.silent).map((p) => p.host));
		const firstSilent = want.findIndex((h) => silent.has(h.host));
		expect(want[firstSilent - 1].status).toBe('warning');
		expect(
			want
				.slice(firstSilent, firstSilent + silent.size)
				.every((h) => silent.has(h.host) && h.status === 'nodata'),
		).toBe(true);
		for (const page of pages) {
			expect(page.hosts).toHaveLength(100);
			expect(page.fleet.counts).toEqual(counts());
			expect(page.fleet.matched).toBe(HOSTS);
		}
		const first = pages[0].hosts[0];
		expect(first.status).toBe('critical');
		expect(first.sparkline).toHaveLength(5);
		expect(first.sparkline[4]).toEqual([NOW, first.gauges.cpu.value]);
		const failing = plan.find((p) => p.failing)!;
		const failed = pages
			.flatMap((p) => p.hosts)
			.find((h) => h.host === failing.host)!
			.collectors.find((c) => c.collector === 'host')!;
		expect(failed).toMatchObject({
			ok: false,
			error: 'permission denied reading /proc/stat',
			intervalMs: MIN,
			stale: false,
		});
	});

	it.each(['cpu', 'memory', 'disk'] as const)(
		'sorts by %s, highest first, hosts without a value last',
		async (sort) => {
			const o = await overview(store, { now: NOW, sort, limit: 1000 });
			const want = [...fleet].sort((a, b) =>
				figure(a[sort]) === figure(b[sort])
					? byName(a, b)
					: figure(b[sort]) > figure(a[sort])
						? 1
						: -1,
			);
			expect(figures(o)).toEqual(want);
		},
	);

	it('filters by name (any case) and state; the counts stay those of the fleet', async () => {
		const o = await overview(store, {
			now: NOW,
			sort: 'status',
			filter: 'HOST-00',
			status: ['critical', 'warning'],
			limit: 10,
			offset: 5,
		});
		const want = fleet
			.filter(
				(h) => h.host.startsWith('host-00') && (h.status === 'critical' || h.status === 'warning'),
			)
			.sort(worstFirst);
		expect(o.fleet.matched).toBe(want.length);
		expect(figures(o)).toEqual(want.slice(5, 15));
		expect(o.fleet.counts).toEqual(counts());
		expect(o.fleet.hosts).toBe(HOSTS);
		const none = await overview(store, { now: NOW, filter: 'no-such-host', limit: 50 });
		expect(none.hosts).toEqual([]);
		expect(none.fleet.matched).toBe(0);
	});

	it('answers the same through the HTTP handler, and 400 to bad paging', async () => {
		const handler = createDashboardHandler({
			store: config,
			auth: { type: 'none' },
			now: () => NOW,
		});
		const server = http.createServer((req, res) => void handler(req, res));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const r = await fetch(`${base}/api/overview?sort=disk&status=warning,critical&limit=20`);
			expect(r.status).toBe(200);
			const body = (await r.json()) as Overview;
			const want = fleet
				.filter((h) => h.status === 'critical' || h.status === 'warning')
				.sort((a, b) => figure(b.disk) - figure(a.disk) || byName(a, b));
			expect(figures(body)).toEqual(want.slice(0, 20));
			expect(body.fleet).toMatchObject({ matched: want.length, limit: 20, sort: 'disk' });
			for (const [query, message] of [
				['sort=size', 'sort must be one of status, name, cpu, memory, disk'],
				['status=red', 'status must be one of ok, warning, critical, nodata'],
				['limit=0', 'limit must be a whole number from 1 to 1000'],
				['limit=1001', 'limit must be a whole number from 1 to 1000'],
				['offset=-1', 'offset must be a whole number'],
			]) {
				const bad = await fetch(`${base}/api/overview?${query}`);
				expect(bad.status).toBe(400);
				expect(((await bad.json()) as { error: string }).error).toContain(message);
			}
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
