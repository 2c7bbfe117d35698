import { askExplain, askFind, askQuery, askStatus, fitLines } from '../../core/query/ask';
import { MonitoringStore, type StoreConfig } from '../../core/store';
import { BUSY, CALM, cpuFigures, HOUR, REASON, REFUSED, seedAskStore } from '../helpers/ask-seed';
import { testStores } from '../helpers/backends';

/**
 * The Ask answers (core/query/ask) over real stores seeded the way collectors and alert rules
 * write them (test/helpers/ask-seed.ts), on SQLite and PostgreSQL: the right figures, units in
 * words, worst first, within the budget, and "no data" with its reason.
 */
const { backends } = testStores(['sqlite', 'postgres'], 'mon-ask-');
const NOW = Date.now();

describe.each(backends)('Ask on %s', (_name, makeConfig) => {
	let config: StoreConfig;
	let store: MonitoringStore;
	beforeAll(async () => {
		config = makeConfig();
		await seedAskStore(config, NOW);
		store = await MonitoringStore.open(config);
	}, 180_000);
	afterAll(async () => {
		await store?.close();
	});

	test('Status: the critical alert and the down endpoint first, then the silent host and the unusual CPU', async () => {
		const a = await askStatus(store, { now: NOW, budget: 4000, maxLines: 20 });
		const lines = a.text.split('\n');
		expect(lines[0]).toMatch(/^Status at .* for 2 hosts and 1 target: \d+ problems/);
		expect(a.openAlerts).toBe(1);
		expect(a.counts).toMatchObject({ nodata: 1, unusual: 1 });
		const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
		const alert = at(/^- CRITICAL alert "cpu high" on host "web-1"/);
		const down = at(/^- DOWN endpoint "api" on host "web-1"/);
		const silent = at(/^- NOT REPORTING host "db-1"/);
		const unusual = at(/^- UNUSUAL host "web-1"/);
		expect([alert, down, silent, unusual].every((i) => i > 0)).toBe(true);
		expect(alert).toBeLessThan(silent);
		expect(down).toBeLessThan(silent);
		expect(silent).toBeLessThan(unusual);
		expect(lines[alert]).toContain('value 96 percent (threshold 95 percent)');
		expect(lines[down]).toContain(REASON);
		expect(lines[silent]).toMatch(/last report 2 hours( 1 minute)? ago/);
		expect(lines[unusual]).toMatch(/CPU busy time.* 96 percent over the last hour/);
		expect(a.text.length).toBeLessThanOrEqual(4000);
	});

	test('Status: at most Max Lines and the budget, with what was left out counted', async () => {
		const few = await askStatus(store, { now: NOW, budget: 4000, maxLines: 2 });
		expect(few.truncated).toBe(true);
		expect(few.text.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(2);
		expect(few.text).toMatch(/… \d+ more lines left out: raise Max Lines/);
		const short = await askStatus(store, { now: NOW, budget: 500, maxLines: 20 });
		expect(short.text.length).toBeLessThanOrEqual(500);
		expect(short.text.split('\n')[1]).toMatch(/^- CRITICAL alert "cpu high"/);
		expect(short.truncated).toBe(true);
	});

	test('Explain host: status, figures with units and their change, its alert, no failures', async () => {
		const a = await askExplain(store, {
			now: NOW,
			kind: 'host',
			host: 'web-1',
			rangeMs: 24 * HOUR,
			budget: 4000,
		});
		expect(a.status).toBe('critical');
		expect(a.text).toMatch(/^host "web-1": CRITICAL since/);
		expect(a.text).toMatch(
			/CPU busy time.*\(cpu_usage_percent\{cpu="total"\}\): now 96 percent; 1 day ago 20 percent, low 20 percent, high 96 percent/,
		);
		expect(a.text).toContain('memory_used_percent): now 40 percent');
		expect(a.text).toMatch(
			/Alerts in the range \(1\):\n- critical "cpu high".*FIRING since 50 minutes ago/,
		);
		const cpu = a.current.find((c) => c.metric === 'cpu_usage_percent')!;
		expect(cpu).toMatchObject({ value: BUSY, first: CALM, min: CALM, max: BUSY });
	});

	test("Explain endpoint: down with its reason, down checks counted, the failed run and yesterday's alert", async () => {
		const a = await askExplain(store, {
			now: NOW,
			kind: 'endpoint',
			host: 'web-1',
			name: 'api',
			rangeMs: 24 * HOUR,
			budget: 4000,
		});
		expect(a.status).toBe('critical');
		expect(a.text).toContain(`Reason: "${REASON}"`);
		expect(a.text).toContain('URL "https://api.example.net/health", last HTTP status 503');
		expect(a.text).toMatch(/Down in 4 of 28\d checks/);
		expect(a.text).toMatch(/resolved .* ago .* after 30 minutes/);
		expect(a.text).toContain(`Failed collector runs in the range (1), newest first:\n- `);
		expect(a.text).toContain(REFUSED);
		expect(a.failures).toBe(1);
	});

	test('Explain a name never stored: no data, with why and similar names', async () => {
		const a = await askExplain(store, {
			now: NOW,
			kind: 'endpoint',
			host: 'web-1',
			name: 'ap',
			rangeMs: HOUR,
			budget: 4000,
		});
		expect(a.reported).toBe(false);
		expect(a.text).toMatch(
			/^No data for endpoint "ap" on host "web-1": nothing was ever stored under that name/,
		);
		expect(a.text).toContain('endpoint "api" on host "web-1"');
	});

	test('Query: min, average, max, p95, last and trend of CPU over 6 hours, a few points, units in words', async () => {
		const a = await askQuery(store, {
			now: NOW,
			host: 'web-1',
			metric: 'cpu_usage_percent',
			labels: { cpu: 'total' },
			rangeMs: 6 * HOUR,
			points: 6,
			budget: 4000,
		});
		const f = cpuFigures(6);
		expect(a.noData).toBeNull();
		expect(a.unit).toBe('percent');
		expect(a.resolution).toBe('raw');
		expect(a.series).toHaveLength(1);
		const s = a.series[0];
		expect(s.min).toBe(f.min);
		expect(s.max).toBe(f.max);
		expect(s.last).toBe(f.last);
		expect(s.avg).toBeCloseTo(f.avg, 6);
		expect(s.p95).toBe(BUSY);
		expect(s.trend).toBe('rising');
		expect(s.points).toHaveLength(6);
		expect(s.points[5][1]).toBe(BUSY);
		expect(a.text).toContain(`average ${f.avg.toFixed(1)} percent`);
		expect(a.text).toContain('max 96 percent');
	});

	test('Query: no data says why (unknown host, unknown metric, labels that match nothing)', async () => {
		const q = (host: string, metric: string, labels = {}) =>
			askQuery(store, { now: NOW, host, metric, labels, rangeMs: HOUR, budget: 4000 });
		expect((await q('web-9', 'cpu_usage_percent')).noData).toMatch(
			/knows no host by that name.*"web-1"/,
		);
		expect((await q('web-1', 'gpu_power_watts')).noData).toMatch(
			/stores no such metric.*cpu_usage_percent/,
		);
		expect((await q('web-1', 'cpu_usage_percent', { cpu: '7' })).noData).toMatch(
			/labels \{cpu="7"\}.*\{cpu="total"\}/,
		);
		expect((await q('db-1', 'cpu_usage_percent')).noData).toMatch(
			/hold no samples in the last 1 hour/,
		);
	});

	test('Find: hosts, targets and metrics by pattern, with what to ask next', async () => {
		const all = await askFind(store, { pattern: '', what: 'all', budget: 4000, maxLines: 50 });
		expect(all.hosts).toEqual(['db-1', 'web-1']);
		expect(all.targets).toEqual([{ kind: 'endpoint', host: 'web-1', name: 'api' }]);
		expect(all.metrics).toEqual(['cpu_usage_percent', 'endpoint_up', 'memory_used_percent']);
		const web = await askFind(store, {
			pattern: 'WEB-*',
			what: 'hosts',
			budget: 4000,
			maxLines: 50,
		});
		expect(web.hosts).toEqual(['web-1']);
		expect(web.text).toContain('Explain kind "host", host "web-1"');
		const mem = await askFind(store, {
			pattern: 'memory',
			what: 'metrics',
			budget: 4000,
			maxLines: 50,
		});
		expect(mem.text).toMatch(/metric "memory_used_percent": .*; unit percent; on 1 host/);
		const none = await askFind(store, { pattern: 'zzz', what: 'all', budget: 4000, maxLines: 50 });
		expect(none.text).toMatch(/^No hosts, targets or metrics matching "zzz"/);
	});
});

test('an empty store: every answer says no data and why', async () => {
	const {
		backends: [[, make]],
	} = { backends };
	const empty = await MonitoringStore.open(make());
	try {
		const status = await askStatus(empty, { now: NOW, budget: 4000, maxLines: 20 });
		expect(status.text).toMatch(/^No data at .*: the monitoring store holds no collections yet/);
		const q = await askQuery(empty, {
			now: NOW,
			host: 'web-1',
			metric: 'cpu_usage_percent',
			rangeMs: HOUR,
			budget: 4000,
		});
		expect(q.noData).toMatch(/holds no data yet/);
		const f = await askFind(empty, { pattern: '', what: 'all', budget: 4000, maxLines: 20 });
		expect(f.text).toMatch(/^No data: the monitoring store holds no series yet/);
	} finally {
		await empty.close();
	}
});

test('fitLines: never over the budget, the header kept, the rest counted', () => {
	const lines = Array.from({ length: 100 }, (_, i) => `- line ${i} ${'x'.repeat(50)}`);
	for (const budget of [500, 1000, 4000]) {
		const a = fitLines(['header'], lines, { budget, more: 'ask for less' });
		expect(a.text.length).toBeLessThanOrEqual(budget);
		expect(a.text.startsWith('header\n- line 0')).toBe(true);
		const shown = a.text.split('\n').filter((l) => l.startsWith('- line')).length;
		expect(a.text).toContain(`… ${100 - shown} more lines left out: ask for less.`);
	}
});
