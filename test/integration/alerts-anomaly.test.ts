import { buildRule, pollAlerts } from '../../core/alerts';
import { baselinesOf } from '../../core/alerts/observe';
import { buildBaseline, isBaseline } from '../../core/analysis/baseline';
import { expectedBands, QueryError, unusualNow } from '../../core/query';
import { MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';

/**
 * Anomaly rules on a real store: four weeks of CPU history packed as maintenance leaves it (hourly
 * rollups included), the last hour as hot samples, judged through pollAlerts as the trigger does.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Monday 2026-11-30 14:00 UTC: four whole weeks of history before it.
const NOW = Date.UTC(2026, 10, 30, 14, 0, 0);
const FROM = NOW - 28 * DAY;
// PostgreSQL too: the baselines come from its rollup table and its packed hours.
const { backends } = testStores(['sqlite', 'postgres'], 'mon-anomaly-');

/** Busy afternoons (20 % at night, 45 % at 14:00), with a small deterministic wiggle. */
const usual = (ts: number) =>
	32.5 + 12.5 * Math.sin(((((ts / HOUR) % 24) - 8) / 24) * 2 * Math.PI) + Math.sin(ts / 997_000);

function everyFiveMinutes(from: number, to: number, f: (ts: number) => number) {
	const points: Array<[number, number]> = [];
	for (let ts = from; ts < to; ts += 5 * MIN) points.push([ts, Math.round(f(ts) * 100) / 100]);
	return points;
}

describe.each(backends)('%s', (_name, config) => {
	let store: MonitoringStore;
	let rollupReads = 0;
	beforeAll(async () => {
		store = await MonitoringStore.open(config());
		const ids = await store.bulk.series(
			['busy', 'calm', 'new'].map((host) => ({
				metric: 'cpu_usage_percent',
				host,
				labels: { cpu: 'total' },
			})),
		);
		const hourAgo = NOW - HOUR;
		await store.bulk.packedHistory(ids[0], everyFiveMinutes(FROM, hourAgo, usual));
		await store.bulk.packedHistory(ids[1], everyFiveMinutes(FROM, hourAgo, usual));
		// One day of history only: below the preset's 72 hours.
		await store.bulk.packedHistory(ids[2], everyFiveMinutes(NOW - DAY, hourAgo, usual));
		const lastHour: Array<[number, number, number]> = [];
		for (let ts = hourAgo; ts <= NOW; ts += MIN) {
			lastHour.push([ids[0], ts, 90]); // far above the usual 45 % of a Monday 14:00
			lastHour.push([ids[1], ts, usual(ts)]);
			lastHour.push([ids[2], ts, 90]);
		}
		await store.bulk.samples(lastHour);
		// Counts the rollup reads, to see the baselines cached between polls.
		const read = store.samples.rollupRows.bind(store.samples);
		store.samples.rollupRows = (...args) => {
			rollupReads++;
			return read(...args);
		};
	}, 120_000);
	afterAll(async () => await store.close());

	test('fires for the unusual host only, in words a person can forward, and caches the baselines', async () => {
		const rule = buildRule({ preset: 'cpuUnusual', forMinutes: '0' });
		const result = await pollAlerts(store, {
			scope: 's',
			rules: [rule],
			includeWorkflowAlerts: false,
			cursor: 0,
			now: NOW,
		});
		expect(result.events.map((e) => [e.status, e.host])).toEqual([['firing', 'busy']]);
		const [e] = result.events;
		expect(e.message).toMatch(
			/^Firing: CPU unusually high for the hour on busy: 90 % where \d+(\.\d+)? % to \d+(\.\d+)? % is usual on Mondays at 14:00 UTC, \d+(\.\d) times its usual variation above, since 2026-11-30 13:01 UTC \(59 min\)$/,
		);
		const anomaly = (e as unknown as { anomaly: Record<string, number | string> }).anomaly;
		expect(anomaly.observed).toBe(90);
		// The same line in Korean, for a channel that speaks it.
		expect(anomaly.messageKo).toMatch(
			/^발생: 이 시간대치고 비정상적으로 높은 CPU \(busy\): 90 %, 월요일 14:00 UTC 평소 범위는 \d+(\.\d+)? % ~ \d+(\.\d+)? %, 평소 변동의 \d+(\.\d)배 높음, 2026-11-30 13:01 UTC부터 \(59분\)$/,
		);
		expect(anomaly.expectedFrom).toBe('weekly');
		expect(anomaly.direction).toBe('up');
		// Usual for Monday 14:00 is about 45 %, within the history's own wiggle.
		expect(Math.abs(Number(anomaly.expectedCentre) - usual(NOW))).toBeLessThan(2);
		expect(Number(anomaly.expectedHigh)).toBeLessThan(90);
		expect(e.value).toBeGreaterThanOrEqual(5);
		expect(rollupReads).toBe(1);

		// A minute later: judged again from the cached baselines, without reading the rollups.
		const again = await pollAlerts(store, {
			scope: 's',
			rules: [rule],
			includeWorkflowAlerts: false,
			cursor: result.cursor,
			now: NOW + MIN,
		});
		expect(again.events).toEqual([]);
		expect(rollupReads).toBe(1);
	});

	test('a rule watching only the low side does not fire on a high value', async () => {
		const rule = buildRule({ preset: 'cpuUnusual', forMinutes: '0', direction: 'down' });
		const result = await pollAlerts(store, {
			scope: 'down',
			rules: [rule],
			includeWorkflowAlerts: false,
			cursor: 0,
			now: NOW,
		});
		expect(result.events).toEqual([]);
	});

	test('a series with less history than the minimum waits: no value, never a firing', async () => {
		for (const minHistoryHours of ['24', '']) {
			const rule = buildRule({
				preset: 'cpuUnusual',
				forMinutes: '0',
				host: 'new',
				minHistoryHours,
			});
			// 23 packed hours of history at 90 % now: not enough for 24 (nor the preset's 72).
			const result = await pollAlerts(store, {
				scope: `young${minHistoryHours}`,
				rules: [rule],
				includeWorkflowAlerts: false,
				cursor: 0,
				now: NOW,
			});
			expect(result.events).toEqual([]);
		}
	});

	test('the dashboard band: usual range hour by hour, or why there is none', async () => {
		const from = NOW - 6 * HOUR;
		const busy = await expectedBands(store, {
			host: 'busy',
			metric: 'cpu_usage_percent',
			labels: { cpu: 'total' },
			from,
			to: NOW,
		});
		const [s] = busy.series;
		expect(s.kind).toBe('weekly');
		expect(s.band.map(([t]) => t)).toEqual([0, 1, 2, 3, 4, 5, 6].map((h) => from + h * HOUR));
		for (const [t, low, centre, high] of s.band) {
			expect(low).toBeLessThan(centre);
			expect(high).toBeGreaterThan(centre);
			// The centre follows the daily wave learnt from the history, to within its wiggle.
			expect(Math.abs(centre - usual(t))).toBeLessThan(2);
		}
		const young = await expectedBands(store, {
			host: 'new',
			metric: 'cpu_usage_percent',
			from,
			to: NOW,
		});
		expect(young.series).toEqual([
			{ labels: { cpu: 'total' }, kind: null, reason: 'not enough history', band: [] },
		]);
		await expect(
			expectedBands(store, { host: 'busy', metric: 'cpu_usage_percent', from: NOW, to: FROM }),
		).rejects.toThrow(QueryError);
		await expect(
			expectedBands(store, { host: 'busy', metric: 'cpu_usage_percent', from: 0, to: NOW }),
		).rejects.toThrow(/longer than 62 days/);
	});

	test('a baseline learnt from the stored hourly rollups follows the history', async () => {
		const [busy] = await store.samples.ofMetric('cpu_usage_percent', 'busy');
		const rows = await store.samples.rollupRows('1h', [busy.id], NOW - 28 * DAY, NOW);
		// Every packed hour has its rollup: 28 days less the last (hot) hour.
		expect(rows.length).toBe(28 * 24 - 1);
		const baseline = buildBaseline(rows, { until: NOW - (NOW % HOUR) });
		if (!isBaseline(baseline)) throw new Error(`no baseline: ${baseline.reason}`);
		expect(baseline.kind).toBe('weekly');
		expect(baseline.hours).toBe(28 * 24 - 1);
		// Monday 14:00 UTC's group: four Mondays of about 45 %, a spread of the wiggle's size.
		const monday14 = baseline.weekly[24 + 14]!;
		expect(monday14[2]).toBe(4);
		expect(Math.abs(monday14[0] - usual(NOW))).toBeLessThan(2);
		expect(monday14[1]).toBeGreaterThan(0);
		expect(monday14[1]).toBeLessThan(3);
	});

	test('"unusual now" lists the unusual series, worst first, and counts those still learning', async () => {
		const answer = await unusualNow(store, { now: NOW, limit: 10 });
		expect(answer.unusual.map((r) => [r.host, r.metric, r.preset, r.direction])).toEqual([
			['busy', 'cpu_usage_percent', 'cpuUnusual', 'up'],
		]);
		const [row] = answer.unusual;
		expect(row.labels).toEqual({ cpu: 'total' });
		expect(row.observed).toBe(90);
		expect(row.expectedFrom).toBe('weekly');
		expect(row.expectedHigh).toBeLessThan(90);
		expect(row.expectedLow).toBeLessThan(row.expectedCentre);
		expect(row.score).toBeGreaterThanOrEqual(5);
		// The first minute of the judged hour: the hour before it was usual.
		expect(row.since).toBe(NOW - HOUR + MIN);
		expect(answer).toMatchObject({
			at: NOW,
			unusualCount: 1,
			watched: 3,
			waiting: 1,
			learning: 0,
			minHistoryHours: 72,
			truncated: false,
		});
		// Two hours later nothing reported: nothing is watched, nothing is unusual.
		const later = await unusualNow(store, { now: NOW + 3 * HOUR, limit: 10 });
		expect(later).toMatchObject({ unusual: [], unusualCount: 0, watched: 0, waiting: 0 });
		await expect(unusualNow(store, { now: NOW, limit: 0 })).rejects.toThrow(
			/limit must be a whole number from 1 to 200/,
		);
	});

	test('a budget of baseline builds: the rest are left out now and built by the next calls', async () => {
		const ids = (await store.samples.ofMetric('cpu_usage_percent')).map((r) => r.id);
		expect(ids.length).toBeGreaterThanOrEqual(3);
		// A month on, every cached baseline is stale (they last 6 hours).
		const later = NOW + 30 * 24 * HOUR;
		const budget = { builds: 1 };
		const first = await baselinesOf(store, ids, later, { minHours: 72, budget });
		expect([first.size, budget.builds]).toEqual([1, 0]);
		const next = { builds: 100 };
		const second = await baselinesOf(store, ids, later, { minHours: 72, budget: next });
		expect([second.size, next.builds]).toEqual([ids.length, 100 - (ids.length - 1)]);
	});

	test('bad anomaly settings stop the trigger with what to change', () => {
		expect(() => buildRule({ preset: 'cpuUnusual', direction: 'sideways' })).toThrow(
			/Direction "sideways" is not one of up, down, both/,
		);
		expect(() => buildRule({ preset: 'cpuUnusual', minHistoryHours: '2' })).toThrow(
			/Minimum History must be from 24 to 672 hours/,
		);
		expect(() =>
			buildRule({
				metric: 'cpu_usage_percent',
				aggregation: 'anomaly',
				comparison: '<',
				threshold: 5,
			}),
		).toThrow(/comparison must be > or >=/);
	});
});
