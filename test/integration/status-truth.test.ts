import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Sample } from '../../core/collectors/types';
import { overview, targetState } from '../../core/query';
import { closeAllStores, MonitoringStore, type StoreConfig } from '../../core/store';
import { createDashboardHandler } from '../../dashboard/server/handler';
import * as collectorStatusMigration from '../../migrations/005_collector_status';
import { tables } from '../helpers/tables';

/**
 * Status is what the store knows, everywhere: a host whose collector stopped is no data (never
 * OK) in the overview, its counts, the API and /metrics; "since" is when the state began, from
 * the streak kept with each write; a down endpoint says why. Real SQLite through MonitoringStore.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 2, 1, 12);

let tmp: string;
let config: StoreConfig;
let store: MonitoringStore;
let base: string;
let server: http.Server;

async function write(
	host: string,
	collector: string,
	time: number,
	samples: Array<[string, number, Record<string, string>?]>,
	extra: { ok?: boolean; error?: string; snapshot?: unknown } = {},
) {
	await store.writeCollection({
		collector,
		host,
		time,
		durationMs: 3,
		ok: extra.ok ?? true,
		error: extra.error,
		warnings: [],
		samples: samples.map(([name, value, labels]): Sample => ({ name, value, labels })),
		snapshot: extra.snapshot ?? null,
	});
}

const hostSamples = (cpu: number): Array<[string, number, Record<string, string>?]> => [
	['cpu_usage_percent', cpu, { cpu: 'total' }],
	['memory_used_percent', 40],
	['filesystem_used_percent', 50, { mount: '/' }],
];

const REASON = 'GET /: connect ECONNREFUSED 10.0.0.9:80';

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-truth-'));
	config = { type: 'sqlite', filename: path.join(tmp, 'store.sqlite') };
	store = await MonitoringStore.open(config);
	// fresh-1: every minute for two hours, all fine.
	for (let t = NOW - 2 * HOUR; t <= NOW - MIN; t += MIN)
		await write('fresh-1', 'host', t, hostSamples(20));
	// silent-1: every minute until 10 minutes ago, then nothing (its figures are still in the
	// 15-minute window that "latest" reads).
	for (let t = NOW - 2 * HOUR; t <= NOW - 10 * MIN; t += MIN)
		await write('silent-1', 'host', t, hostSamples(30));
	// hourly-1: a collector that runs hourly, last 2 hours ago: not late (3 intervals).
	for (let t = NOW - 8 * HOUR; t <= NOW - 2 * HOUR; t += HOUR)
		await write('hourly-1', 'database', t, [['db_up', 1, { db: 'orders' }]], {
			snapshot: { db: 'orders', up: true },
		});
	// flaky-1: fine, failing from 30 minutes ago to 10 minutes ago, fine again since then.
	for (let t = NOW - 2 * HOUR; t <= NOW - MIN; t += MIN) {
		const failing = t >= NOW - 30 * MIN && t < NOW - 10 * MIN;
		await write('flaky-1', 'host', t, failing ? [] : hostSamples(10), {
			ok: !failing,
			error: failing ? 'cannot read /proc/stat' : undefined,
		});
	}
	// gap-1: fine, silent for 20 minutes, fine again for the last 4 minutes.
	for (let t = NOW - 2 * HOUR; t <= NOW - MIN; t += MIN)
		if (t < NOW - 25 * MIN || t >= NOW - 4 * MIN) await write('gap-1', 'host', t, hostSamples(15));
	// probe-1: checks an endpoint that has been down for 5 minutes, up before.
	for (let t = NOW - HOUR; t <= NOW - MIN; t += MIN) {
		const down = t >= NOW - 5 * MIN;
		await write(
			'probe-1',
			'endpoint',
			t,
			down
				? [['endpoint_up', 0, { endpoint: 'shop' }]]
				: [
						['endpoint_up', 1, { endpoint: 'shop' }],
						['endpoint_status_code', 200, { endpoint: 'shop' }],
					],
			{
				snapshot: {
					checks: [
						{
							endpoint: 'shop',
							url: 'http://shop.example/',
							up: !down,
							statusCode: down ? null : 200,
							reason: down ? REASON : undefined,
						},
					],
				},
			},
		);
	}
	// probe-2: its endpoint collector stopped 40 minutes ago (past the 15-minute window).
	for (let t = NOW - HOUR; t <= NOW - 40 * MIN; t += MIN)
		await write('probe-2', 'endpoint', t, [['endpoint_up', 1, { endpoint: 'blog' }]]);

	const handler = createDashboardHandler({
		store: config,
		assetsDir: tmp,
		auth: { type: 'none' },
		now: () => NOW,
	});
	server = http.createServer((req, res) => void handler(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server?.close(resolve));
	await closeAllStores();
	await store?.close();
	fs.rmSync(tmp, { recursive: true, force: true });
});

describe('status from what the store knows', () => {
	it('calls a host whose collector stopped nodata and stale, never ok, and counts it so', async () => {
		const o = await overview(store, { now: NOW });
		const silent = o.hosts.find((h) => h.host === 'silent-1')!;
		expect(silent.status).toBe('nodata');
		expect(silent.stale).toBe(true);
		// No data since its last report, not since the query.
		expect(silent.since).toBe(NOW - 10 * MIN);
		// Its last figures are not served as current.
		expect(silent.gauges.cpu).toMatchObject({ value: null, status: 'nodata', stale: true });
		expect(silent.collectors[0]).toMatchObject({ stale: true, status: 'nodata' });
		const fresh = o.hosts.find((h) => h.host === 'fresh-1')!;
		expect(fresh).toMatchObject({ status: 'ok', stale: false, since: NOW - 2 * HOUR });
		// probe-2, whose only collector stopped too.
		expect(o.fleet.counts.nodata).toBe(2);
		// Worst first puts it before every calm host.
		const sorted = await overview(store, { now: NOW, sort: 'status' });
		expect(sorted.hosts.slice(0, 2).map((h) => h.host)).toContain('silent-1');
		const onlyOk = await overview(store, { now: NOW, status: ['ok'] });
		expect(onlyOk.hosts.map((h) => h.host)).not.toContain('silent-1');
	});

	it('scales the rule with the interval: an hourly collector 2 hours after its run is current', async () => {
		const o = await overview(store, { now: NOW });
		const hourly = o.hosts.find((h) => h.host === 'hourly-1')!;
		expect(hourly.collectors[0]).toMatchObject({ stale: false, intervalMs: HOUR });
		expect(hourly.status).toBe('ok');
		const db = o.targets.find((t) => t.kind === 'database')!;
		expect(db).toMatchObject({ status: 'ok', stale: false });
		// Four hours later it is late.
		const later = await overview(store, { now: NOW + 2 * HOUR });
		expect(later.hosts.find((h) => h.host === 'hourly-1')!.status).toBe('nodata');
	});

	it('dates since from the start of the current streak: after a failure, after a silence', async () => {
		const o = await overview(store, { now: NOW });
		const flaky = o.hosts.find((h) => h.host === 'flaky-1')!;
		expect(flaky.status).toBe('ok');
		expect(flaky.since).toBe(NOW - 10 * MIN);
		const gap = o.hosts.find((h) => h.host === 'gap-1')!;
		expect(gap.status).toBe('ok');
		expect(gap.since).toBe(NOW - 4 * MIN);
		// During the failure: critical since its first failed run, with the error as the reason.
		const during = await overview(store, { now: NOW - 15 * MIN });
		const failing = during.hosts.find((h) => h.host === 'flaky-1')!;
		expect(failing.status).toBe('critical');
		expect(failing.reason).toBe('host: cannot read /proc/stat');
		// The state row is of a later run than this "now": since is then "at least" the last run.
		expect(failing.since).toBeLessThanOrEqual(NOW - 15 * MIN);
		// The same answer on every refresh: since does not move with the clock.
		const again = await overview(store, { now: NOW + 30_000 });
		expect(again.hosts.find((h) => h.host === 'fresh-1')!.since).toBe(NOW - 2 * HOUR);
	});

	it('gives a down endpoint its reason and the start of the outage', async () => {
		const o = await overview(store, { now: NOW });
		const shop = o.targets.find((t) => t.name === 'shop')!;
		expect(shop).toMatchObject({ status: 'critical', since: NOW - 5 * MIN, reason: REASON });
		const state = await targetState(store, {
			now: NOW,
			kind: 'endpoint',
			host: 'probe-1',
			name: 'shop',
		});
		expect(state).toMatchObject({
			status: 'critical',
			since: NOW - 5 * MIN,
			reason: REASON,
			reported: true,
			stale: false,
			url: 'http://shop.example/',
			statusCode: null,
			lastTs: NOW - MIN,
			lastOkTs: NOW - MIN,
		});
	});

	it('keeps a target whose collector stopped long ago, as no data since its last report', async () => {
		const o = await overview(store, { now: NOW });
		const blog = o.targets.find((t) => t.name === 'blog')!;
		expect(blog).toMatchObject({ status: 'nodata', stale: true, since: NOW - 40 * MIN });
	});

	it('tells a collector that never reported apart from one that stopped', async () => {
		const never = await targetState(store, {
			now: NOW,
			kind: 'model_server',
			host: 'fresh-1',
			name: 'ollama',
		});
		expect(never).toMatchObject({ reported: false, status: 'nodata', lastTs: null });
		const gpu = await targetState(store, { now: NOW, kind: 'gpu', host: 'fresh-1' });
		expect(gpu.reported).toBe(false);
		const silent = await targetState(store, { now: NOW, kind: 'host', host: 'silent-1' });
		expect(silent).toMatchObject({
			reported: true,
			status: 'nodata',
			stale: true,
			since: NOW - 10 * MIN,
			lastOkTs: NOW - 10 * MIN,
		});
	});

	it('serves the same through the API and /metrics', async () => {
		const o = (await (await fetch(`${base}/api/overview`)).json()) as {
			hosts: Array<{ host: string; status: string }>;
		};
		expect(o.hosts.find((h) => h.host === 'silent-1')!.status).toBe('nodata');
		const s = await (await fetch(`${base}/api/status?kind=endpoint&host=probe-1&name=shop`)).json();
		expect(s).toMatchObject({ status: 'critical', reason: REASON });
		const bad = await fetch(`${base}/api/status?kind=nope&host=x`);
		expect(bad.status).toBe(400);
		const metrics = await (await fetch(`${base}/metrics`)).text();
		// The silent host's last figures are not exported as current; its state is.
		expect(metrics).not.toMatch(/monitoring_cpu_usage_percent\{host="silent-1"/);
		expect(metrics).toMatch(/monitoring_cpu_usage_percent\{host="fresh-1",cpu="total"\} 20 /);
		expect(metrics).toContain('monitoring_collector_stale{host="silent-1",collector="host"} 1\n');
		expect(metrics).toContain('monitoring_collector_stale{host="fresh-1",collector="host"} 0\n');
		expect(metrics).toContain('monitoring_host_stale{host="silent-1"} 1\n');
		expect(metrics).toContain(
			`monitoring_collector_status_since_timestamp_ms{host="fresh-1",collector="host"} ${NOW - 2 * HOUR}\n`,
		);
	});

	it('fills the streak of a store written before migration 005 from its runs', async () => {
		const row = () =>
			tables(store)('mon_collector_state')
				.where({ host: 'flaky-1', collector: 'host' })
				.first('ok', 'status_since', 'last_ok_ts');
		const before = await row();
		await collectorStatusMigration.down(tables(store));
		await collectorStatusMigration.up(tables(store));
		const after = await row();
		expect(after).toEqual(before);
		expect(Number(after.status_since)).toBe(NOW - 10 * MIN);
		expect(Number(after.last_ok_ts)).toBe(NOW - MIN);
	});
});
