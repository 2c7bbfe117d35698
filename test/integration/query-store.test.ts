import type { Sample } from '../../core/collectors/types';
import {
	executions,
	failureRateSeries,
	latestSnapshot,
	listHosts,
	overview,
	prometheusExport,
	QueryError,
	querySeries,
} from '../../core/query';
import { MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';
import { tables } from '../helpers/tables';

/**
 * core/query against real stores written through MonitoringStore.writeCollection, on SQLite and
 * on PostgreSQL, with the same exact expectations. Seeded data (NOW = 2026-01-31T00:00Z):
 * - h1 raw_m{core=0|1}: one sample a minute for the last 2 hours, value i (core 1: 100 + i);
 * - h1 band_m: 10, 20, 60 in one hour (+0, +20, +40 min), 1, 2, 3 in the next;
 * - h1 long_m: one sample every 6 hours for 30 days (the last 6 h before NOW), value k;
 * - h1 fast_m: one sample every 20 s for 10 minutes from FAST, value i;
 * - overview hosts web-1, db-1, n8n-main, gpu-box (see seedOverview).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
const NOW = T0 + 30 * DAY;
const BAND_HOUR = T0 + 10 * DAY + 5 * HOUR;
const FAST = NOW - 3 * HOUR;

type S = [string, number, Record<string, string>?];

async function write(
	store: MonitoringStore,
	host: string,
	collector: string,
	time: number,
	samples: S[],
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

async function seed(store: MonitoringStore) {
	for (let i = 0; i < 120; i++) {
		await write(store, 'h1', 'raw', NOW - 120 * MIN + i * MIN, [
			['raw_m', i, { core: '0' }],
			['raw_m', 100 + i, { core: '1' }],
		]);
	}
	const band = [10, 20, 60, 1, 2, 3];
	for (let i = 0; i < band.length; i++) {
		await write(store, 'h1', 'band', BAND_HOUR + (i < 3 ? 0 : HOUR) + (i % 3) * 20 * MIN, [
			['band_m', band[i]],
		]);
	}
	for (let k = 0; k < 120; k++)
		await write(store, 'h1', 'long', T0 + k * 6 * HOUR, [['long_m', k]]);
	for (let i = 0; i < 30; i++) await write(store, 'h1', 'fast', FAST + i * 20_000, [['fast_m', i]]);
	await seedOverview(store);
	await tables(store)('mon_executions').insert(
		[0, 1, 2, 3, 4].map((i) => ({
			instance: 'n8n.local',
			id: String(100 + i),
			workflow_id: i < 3 ? 'wf1' : 'wf2',
			workflow_name: i < 3 ? 'Nightly <img src=x onerror=alert(1)>' : 'Other',
			status: i === 1 || i === 4 ? 'error' : 'success',
			mode: 'trigger',
			started_at: NOW - (5 - i) * HOUR,
			stopped_at: NOW - (5 - i) * HOUR + 1000,
			duration_ms: 1000,
			waited_ms: 0,
			synced_at: NOW,
		})),
	);
}

async function seedOverview(store: MonitoringStore) {
	await write(store, 'web-1', 'host', NOW - 70 * MIN, [
		['cpu_usage_percent', 10, { cpu: 'total' }],
	]);
	await write(store, 'web-1', 'host', NOW - 2 * MIN, [
		['cpu_usage_percent', 90, { cpu: 'total' }],
		['memory_used_percent', 50],
	]);
	await write(
		store,
		'web-1',
		'host',
		NOW - MIN,
		[
			['cpu_usage_percent', 92, { cpu: 'total' }],
			['cpu_usage_percent', 99, { cpu: '0' }],
			['memory_used_percent', 50],
			['filesystem_used_percent', 70, { mount: '/' }],
			['filesystem_used_percent', 96, { mount: '/data' }],
			['weird_metric-name', 1.5, { path: 'a"b\nc\\d', host: 'inner' }],
		],
		{ snapshot: { top: [{ pid: 1, name: 'init' }] } },
	);
	await write(store, 'web-1', 'gpu', NOW - 10 * MIN, [
		['gpu_utilization_percent', 30, { gpu: '0' }],
		['gpu_utilization_percent', 70, { gpu: '1' }],
		['gpu_temperature_celsius', 91, { gpu: '0' }],
	]);
	const orders = [1, 0, 0, 1, 1];
	for (let i = 0; i < 5; i++) {
		await write(store, 'db-1', 'database', NOW - (50 - 10 * i) * MIN, [
			['db_up', orders[i], { db: 'orders' }],
			['db_up', 0, { db: 'users' }],
		]);
	}
	await write(store, 'db-1', 'endpoint', NOW - 3 * MIN, [
		['endpoint_up', 1, { endpoint: 'https://a' }],
		['endpoint_cert_days_left', 10, { endpoint: 'https://a' }],
		['endpoint_up', 0, { endpoint: 'https://b' }],
	]);
	await write(store, 'db-1', 'host', NOW - MIN, [], { ok: false, error: 'boom' });
	await write(store, 'n8n-main', 'n8n', NOW - MIN, [
		['n8n_workflow_stalled', 1, { workflow: 'wf1' }],
		['n8n_execution_failure_rate', 0.2, { workflow: 'wf2' }],
		['n8n_execution_failure_rate', 0.9, { workflow: '_all' }],
	]);
	await write(store, 'gpu-box', 'model_server', NOW - MIN, [
		['model_server_up', 1, { server: 'ollama', type: 'ollama' }],
	]);
}

const { backends } = testStores(['sqlite', 'postgres'], 'mon-query-');

describe.each(backends)('core/query on %s', (_name, makeConfig) => {
	let store: MonitoringStore;
	beforeAll(async () => {
		store = await MonitoringStore.open(await makeConfig());
		await seed(store);
	}, 120_000);
	afterAll(async () => {
		await store?.close();
	});

	it('reads raw samples for short ranges, one series per label set', async () => {
		const r = await querySeries(store, {
			host: 'h1',
			metric: 'raw_m',
			from: NOW - 2 * HOUR,
			to: NOW,
			maxPoints: 1500,
		});
		expect(r.resolution).toBe('raw');
		expect(r.stepMs).toBe(MIN);
		expect(r.series.map((s) => s.labels)).toEqual([{ core: '0' }, { core: '1' }]);
		expect(r.series[0].points).toHaveLength(120);
		expect(r.series[0].points[0]).toEqual([NOW - 120 * MIN, 0]);
		expect(r.series[1].points[119]).toEqual([NOW - MIN, 219]);
		expect(r.series[0].min).toBeUndefined();

		const one = await querySeries(store, {
			host: 'h1',
			metric: 'raw_m',
			labels: { core: '1' },
			from: NOW - 30 * MIN,
			to: NOW - 21 * MIN,
		});
		expect(one.series).toHaveLength(1);
		expect(one.series[0].points).toEqual(
			Array.from({ length: 10 }, (_, i) => [NOW - 30 * MIN + i * MIN, 190 + i]),
		);
	});

	it('averages raw samples per minute when collected more often than maxPoints allows', async () => {
		const r = await querySeries(store, {
			host: 'h1',
			metric: 'fast_m',
			from: FAST,
			to: FAST + 9 * MIN,
			maxPoints: 10,
		});
		expect(r.resolution).toBe('raw');
		expect(r.series[0].points).toEqual([
			...Array.from({ length: 9 }, (_, m) => [FAST + m * MIN, 3 * m + 1]),
			[FAST + 9 * MIN, 27],
		]);
	});

	it('reads 5-minute rollups for days, with min/max bands', async () => {
		const r = await querySeries(store, {
			host: 'h1',
			metric: 'band_m',
			from: BAND_HOUR - DAY,
			to: BAND_HOUR + DAY,
		});
		expect(r.resolution).toBe('5m');
		expect(r.series[0].points).toEqual([
			[BAND_HOUR, 10],
			[BAND_HOUR + 20 * MIN, 20],
			[BAND_HOUR + 40 * MIN, 60],
			[BAND_HOUR + 60 * MIN, 1],
			[BAND_HOUR + 80 * MIN, 2],
			[BAND_HOUR + 100 * MIN, 3],
		]);
		expect(r.series[0].min).toEqual(r.series[0].points);
	});

	it('reads hourly rollups for weeks: avg = sum / count, min and max per hour', async () => {
		const r = await querySeries(store, {
			host: 'h1',
			metric: 'band_m',
			from: BAND_HOUR - 10 * DAY,
			to: BAND_HOUR + 10 * DAY,
		});
		expect(r.resolution).toBe('1h');
		expect(r.stepMs).toBe(HOUR);
		expect(r.series[0].points).toEqual([
			[BAND_HOUR, 30],
			[BAND_HOUR + HOUR, 2],
		]);
		expect(r.series[0].min).toEqual([
			[BAND_HOUR, 10],
			[BAND_HOUR + HOUR, 1],
		]);
		expect(r.series[0].max).toEqual([
			[BAND_HOUR, 60],
			[BAND_HOUR + HOUR, 3],
		]);
	});

	it('30 days: every stored hour, no more than maxPoints', async () => {
		const r = await querySeries(store, {
			host: 'h1',
			metric: 'long_m',
			from: NOW - 30 * DAY,
			to: NOW,
		});
		expect(r.resolution).toBe('1h');
		expect(r.series[0].points).toEqual(
			Array.from({ length: 120 }, (_, k) => [T0 + k * 6 * HOUR, k]),
		);
	});

	it('groups hourly rows into wider buckets in SQL for years', async () => {
		const from = T0 - 300 * DAY;
		const r = await querySeries(store, {
			host: 'h1',
			metric: 'long_m',
			from,
			to: NOW + 30 * DAY,
			maxPoints: 100,
		});
		expect(r.resolution).toBe('1h');
		const width = r.stepMs;
		expect(width % HOUR).toBe(0);
		expect(width).toBeGreaterThan(HOUR);
		// Expected: the same grouping done here, over the seeded values.
		const buckets = new Map<number, number[]>();
		for (let k = 0; k < 120; k++) {
			const ts = T0 + k * 6 * HOUR;
			const b = Math.floor(ts / width) * width;
			buckets.set(b, [...(buckets.get(b) ?? []), k]);
		}
		const expected = [...buckets.entries()].map(([b, ks]) => [
			b,
			ks.reduce((a, x) => a + x, 0) / ks.length,
		]);
		expect(r.series[0].points).toEqual(expected);
		expect(r.series[0].points.length).toBeLessThanOrEqual(100);
		expect(r.series[0].min).toEqual([...buckets.entries()].map(([b, ks]) => [b, Math.min(...ks)]));
		expect(r.series[0].max).toEqual([...buckets.entries()].map(([b, ks]) => [b, Math.max(...ks)]));
	});

	it('returns no series for an unknown host, metric or label value', async () => {
		for (const q of [
			{ host: 'nope', metric: 'raw_m' },
			{ host: 'h1', metric: 'nope' },
			{ host: 'h1', metric: 'raw_m', labels: { core: '7' } },
			{ host: "h1' OR 1=1 --", metric: 'raw_m' },
		]) {
			const r = await querySeries(store, { ...q, from: NOW - HOUR, to: NOW });
			expect(r.series).toEqual([]);
		}
	});

	it('rejects bad queries with a QueryError', async () => {
		const ok = { host: 'h1', metric: 'raw_m', from: NOW - HOUR, to: NOW };
		for (const bad of [
			{ from: NOW, to: NOW - HOUR },
			{ from: NOW, to: NOW },
			{ from: NOW - 100 * 365 * DAY, to: NOW },
			{ from: Number.NaN },
			{ maxPoints: 5 },
			{ maxPoints: 1_000_000 },
			{ host: '' },
			{ metric: 'x'.repeat(256) },
			{ labels: { a: { b: 1 } } },
		]) {
			await expect(querySeries(store, { ...ok, ...(bad as object) })).rejects.toThrow(QueryError);
		}
	});

	it('builds the overview: gauges, statuses, collectors, sparklines, targets', async () => {
		const o = await overview(store, { now: NOW });
		expect(o.hosts.map((h) => h.host)).toEqual(['db-1', 'gpu-box', 'h1', 'n8n-main', 'web-1']);
		const web = o.hosts.find((h) => h.host === 'web-1')!;
		expect(web.gauges.cpu).toEqual({
			value: 92,
			ts: NOW - MIN,
			status: 'warning',
			// 90 at NOW - 2 min began the warning streak.
			since: NOW - 2 * MIN,
			stale: false,
		});
		expect(web.gauges.memory.status).toBe('ok');
		expect(web.gauges.disk).toMatchObject({ value: 96, status: 'critical' });
		// The GPU collector stopped (one run, 10 minutes ago): its last figures are not current.
		expect(web.gauges.gpuUtilization).toMatchObject({ value: null, status: 'nodata', stale: true });
		expect(web.gauges.gpuTemperature).toMatchObject({
			value: null,
			ts: NOW - 10 * MIN,
			status: 'nodata',
			stale: true,
		});
		expect(web.status).toBe('critical');
		expect(web.sparkline).toEqual([
			[NOW - 2 * MIN, 90],
			[NOW - MIN, 92],
		]);
		expect(web.collectors).toEqual([
			{
				host: 'web-1',
				collector: 'gpu',
				lastTs: NOW - 10 * MIN,
				ok: true,
				error: null,
				intervalMs: null,
				stale: true,
				status: 'nodata',
				since: NOW - 10 * MIN,
				lastOkTs: NOW - 10 * MIN,
			},
			{
				host: 'web-1',
				collector: 'host',
				lastTs: NOW - MIN,
				ok: true,
				error: null,
				intervalMs: 34.5 * MIN,
				stale: false,
				status: 'ok',
				// The 68 minutes between its first two runs broke the streak.
				since: NOW - 2 * MIN,
				lastOkTs: NOW - MIN,
			},
		]);
		const db = o.hosts.find((h) => h.host === 'db-1')!;
		expect(db.gauges.cpu.status).toBe('nodata');
		expect(db.collectors.find((c) => c.collector === 'host')).toMatchObject({
			ok: false,
			error: 'boom',
		});
		expect(db.collectors.find((c) => c.collector === 'database')).toMatchObject({
			intervalMs: 10 * MIN,
			stale: false,
		});
		expect(o.targets).toEqual([
			{
				kind: 'database',
				host: 'db-1',
				name: 'orders',
				status: 'ok',
				since: NOW - 20 * MIN,
				stale: false,
				lastTs: NOW - 10 * MIN,
				reason: null,
				value: 1,
			},
			{
				kind: 'database',
				host: 'db-1',
				name: 'users',
				status: 'critical',
				since: NOW - 50 * MIN,
				stale: false,
				lastTs: NOW - 10 * MIN,
				reason: null,
				value: 0,
			},
			{
				kind: 'endpoint',
				host: 'db-1',
				name: 'https://a',
				status: 'warning',
				since: NOW - 3 * MIN,
				stale: false,
				lastTs: NOW - 3 * MIN,
				reason: null,
				value: 1,
				certDaysLeft: 10,
			},
			{
				kind: 'endpoint',
				host: 'db-1',
				name: 'https://b',
				status: 'critical',
				since: NOW - 3 * MIN,
				stale: false,
				lastTs: NOW - 3 * MIN,
				reason: null,
				value: 0,
			},
			{
				kind: 'model_server',
				host: 'gpu-box',
				name: 'ollama',
				status: 'ok',
				since: NOW - MIN,
				stale: false,
				lastTs: NOW - MIN,
				reason: null,
				value: 1,
			},
			{
				kind: 'workflow',
				host: 'n8n-main',
				name: 'wf1',
				status: 'critical',
				since: NOW - MIN,
				stale: false,
				lastTs: NOW - MIN,
				reason: null,
				value: 1,
			},
			{
				kind: 'workflow',
				host: 'n8n-main',
				name: 'wf2',
				status: 'warning',
				since: NOW - MIN,
				stale: false,
				lastTs: NOW - MIN,
				reason: null,
				value: null,
				failureRate: 0.2,
			},
		]);
	});

	it('marks everything stale and nodata long after the last collection', async () => {
		const o = await overview(store, { now: NOW + DAY });
		const web = o.hosts.find((h) => h.host === 'web-1')!;
		expect(web.gauges.cpu.status).toBe('nodata');
		expect(web.collectors.every((c) => c.stale)).toBe(true);
		expect(web.status).toBe('nodata');
		// Targets stay listed, as no data since their collector's last report.
		expect(o.targets.length).toBeGreaterThan(0);
		for (const t of o.targets)
			expect(t).toMatchObject({ status: 'nodata', stale: true, since: t.lastTs });
	});

	it('reads the latest snapshot, the hosts and the executions', async () => {
		expect(await latestSnapshot(store, 'web-1', 'host')).toEqual({
			host: 'web-1',
			collector: 'host',
			ts: NOW - MIN,
			snapshot: { top: [{ pid: 1, name: 'init' }] },
		});
		expect(await latestSnapshot(store, 'web-1', 'nope')).toBeUndefined();
		const hosts = await listHosts(store);
		expect(hosts.find((h) => h.host === 'h1')!.metrics).toEqual([
			'band_m',
			'fast_m',
			'long_m',
			'raw_m',
		]);
		const page = await executions(store, { from: NOW - DAY, to: NOW, limit: 2, offset: 1 });
		expect(page.total).toBe(5);
		expect(page.executions.map((e) => e.id)).toEqual(['103', '102']);
		expect(page.executions[1]).toEqual({
			instance: 'n8n.local',
			id: '102',
			workflowId: 'wf1',
			workflowName: 'Nightly <img src=x onerror=alert(1)>',
			status: 'success',
			mode: 'trigger',
			startedAt: NOW - 3 * HOUR,
			stoppedAt: NOW - 3 * HOUR + 1000,
			durationMs: 1000,
			waitedMs: 0,
			retryOf: null,
		});
		const failed = await executions(store, {
			from: NOW - DAY,
			to: NOW,
			status: 'error',
			workflowId: 'wf2',
		});
		expect(failed.executions.map((e) => e.id)).toEqual(['104']);
		await expect(executions(store, { from: NOW - DAY, to: NOW, limit: 501 })).rejects.toThrow(
			QueryError,
		);
		const rate = await failureRateSeries(store, {
			from: NOW - DAY,
			to: NOW,
			workflowId: 'wf1',
		});
		expect(rate.bucketMs).toBe(HOUR);
		expect(rate.points.map((p) => [p.ts, p.rate])).toEqual([
			[NOW - 5 * HOUR, 0],
			[NOW - 4 * HOUR, 1],
			[NOW - 3 * HOUR, 0],
		]);
	});

	it('exports the latest values in the Prometheus text format', async () => {
		const text = await prometheusExport(store, NOW);
		// HELP from the metric catalog, for the series it knows; none for a name it does not.
		expect(text).toContain(
			'# HELP monitoring_cpu_usage_percent CPU busy time, all cores (cpu="total") and per core\n# TYPE monitoring_cpu_usage_percent gauge\n',
		);
		expect(text).not.toContain('# HELP monitoring_weird_metric_name');
		expect(text).toContain(
			`monitoring_cpu_usage_percent{host="web-1",cpu="total"} 92 ${NOW - MIN}\n`,
		);
		expect(text).toContain(
			`monitoring_weird_metric_name{host="web-1",exported_host="inner",path="a\\"b\\nc\\\\d"} 1.5 ${NOW - MIN}\n`,
		);
		expect(text).not.toContain('raw_m{host="h1",core="0"} 0 '); // only the latest sample
		expect(text).toContain(`monitoring_raw_m{host="h1",core="0"} 119 ${NOW - MIN}`);
		expect(text).not.toContain('long_m'); // nothing in the last 15 minutes
		for (const line of text.trim().split('\n')) {
			expect(line).toMatch(
				// The collectors' state lines carry no timestamp (optional in the format): they are now.
				/^(# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* gauge|# HELP [a-zA-Z_:][a-zA-Z0-9_:]* \S.*|[a-zA-Z_:][a-zA-Z0-9_:]*\{.*\} \S+( \d+)?)$/,
			);
		}
	});
});
