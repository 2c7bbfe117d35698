import { QueryError, uptimeCsv, uptimeReport, type UptimeRow } from '../../core/query';
import { MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';

/**
 * The uptime definition on a table of cases, on SQLite and PostgreSQL, through the store API:
 * history written as maintenance leaves it (packed hours with their 5-minute and hourly rollups,
 * `bulk.packedHistory`) and as the write path leaves the last hours (hot samples not rolled up
 * yet, `bulk.samples`). Every case is one endpoint target on host `h`, over the UTC day DAY.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY_MS = 24 * HOUR;
const DAY = Date.UTC(2026, 2, 1);
const NOW = DAY + 2 * DAY_MS;

type Point = [number, number];
/** Where a case's samples go: packed (rollups only), hot (raw only), or split at a minute. */
type Layout = 'packed' | 'hot' | { packedUntilMinute: number };

/** Samples over the day, `perMinute` a minute; `value(minute, k)` undefined leaves a gap. */
function day(value: (minute: number, k: number) => number | undefined, perMinute = 1): Point[] {
	const out: Point[] = [];
	for (let m = 0; m < 1440; m++)
		for (let k = 0; k < perMinute; k++) {
			const v = value(m, k);
			if (v !== undefined) out.push([DAY + m * MIN + Math.floor((k * MIN) / perMinute), v]);
		}
	return out;
}
const downIn = (a: number, b: number) => (m: number) => (m >= a && m < b ? 0 : 1);

interface Case {
	name: string;
	layout: Layout;
	points: Point[];
	maintenance?: Array<{ fromMinute: number; toMinute: number; host?: string }>;
	expected: Partial<UptimeRow>;
}

const CASES: Case[] = [
	{
		name: 'raw only, always up',
		layout: 'hot',
		points: day(() => 1),
		expected: { upMinutes: 1440, downMinutes: 0, noDataMinutes: 0, uptimePercent: 100 },
	},
	{
		name: 'raw only, down 10 minutes',
		layout: 'hot',
		points: day(downIn(600, 610)),
		expected: { upMinutes: 1430, downMinutes: 10, noDataMinutes: 0, uptimePercent: 99.306 },
	},
	{
		name: 'rollups only, down 10 minutes (a mixed hour read at 5 minutes)',
		layout: 'packed',
		points: day(downIn(600, 610)),
		expected: { upMinutes: 1430, downMinutes: 10, noDataMinutes: 0, uptimePercent: 99.306 },
	},
	{
		name: 'rollups only, down 3 minutes inside one 5-minute bucket',
		layout: 'packed',
		points: day(downIn(601, 604)),
		expected: { upMinutes: 1437, downMinutes: 3, noDataMinutes: 0 },
	},
	{
		name: 'mixed: packed morning, hot afternoon, down 5 minutes in each',
		layout: { packedUntilMinute: 720 },
		points: day((m) => ((m >= 700 && m < 705) || (m >= 800 && m < 805) ? 0 : 1)),
		expected: { upMinutes: 1430, downMinutes: 10, noDataMinutes: 0 },
	},
	{
		name: 'gaps are no data, not down (raw)',
		layout: 'hot',
		points: day((m) => (m >= 100 && m < 160 ? undefined : 1)),
		expected: { upMinutes: 1380, downMinutes: 0, noDataMinutes: 60, uptimePercent: 100 },
	},
	{
		name: 'gaps are no data, not down (rollups: two silent hours, half an hour of another)',
		layout: 'packed',
		points: day((m) => ((m >= 1200 && m < 1320) || (m >= 300 && m < 330) ? undefined : 1)),
		expected: { upMinutes: 1290, downMinutes: 0, noDataMinutes: 150, uptimePercent: 100 },
	},
	{
		name: 'flapping every 20 s counts each down minute once (raw)',
		layout: 'hot',
		points: day((m, k) => (m >= 300 && m < 310 && k === 1 ? 0 : 1), 3),
		expected: { upMinutes: 1430, downMinutes: 10, noDataMinutes: 0 },
	},
	{
		name: 'flapping every 20 s counts each down minute once (rollups)',
		layout: 'packed',
		points: day((m, k) => (m >= 300 && m < 310 && k === 1 ? 0 : 1), 3),
		expected: { upMinutes: 1430, downMinutes: 10, noDataMinutes: 0 },
	},
	{
		name: 'a check every 5 minutes covers its 5 minutes (raw)',
		layout: 'hot',
		points: day((m) => (m % 5 === 0 ? (m === 600 ? 0 : 1) : undefined)),
		expected: { upMinutes: 1435, downMinutes: 5, noDataMinutes: 0 },
	},
	{
		name: 'a check every 5 minutes covers its 5 minutes (rollups)',
		layout: 'packed',
		points: day((m) => (m % 5 === 0 ? (m === 600 ? 0 : 1) : undefined)),
		expected: { upMinutes: 1435, downMinutes: 5, noDataMinutes: 0 },
	},
	{
		name: 'an hourly check covers its hour (rollups)',
		layout: 'packed',
		points: day((m) => (m % 60 === 0 ? (m === 600 ? 0 : 1) : undefined)),
		expected: { upMinutes: 1380, downMinutes: 60, noDataMinutes: 0 },
	},
	{
		name: 'maintenance is neither up nor down',
		layout: 'packed',
		points: day(downIn(600, 660)),
		maintenance: [{ fromMinute: 590, toMinute: 670, host: 'h*' }],
		expected: {
			upMinutes: 1360,
			downMinutes: 0,
			noDataMinutes: 0,
			maintenanceMinutes: 80,
			uptimePercent: 100,
		},
	},
	{
		name: "another host's maintenance does not count",
		layout: 'hot',
		points: day(downIn(600, 660)),
		maintenance: [{ fromMinute: 590, toMinute: 670, host: 'other' }],
		expected: { upMinutes: 1380, downMinutes: 60, maintenanceMinutes: 0 },
	},
	{
		name: 'down all day is 0 %, not null',
		layout: { packedUntilMinute: 1380 },
		points: day(() => 0),
		expected: { upMinutes: 0, downMinutes: 1440, uptimePercent: 0 },
	},
];

const { backends } = testStores(['sqlite', 'postgres'], 'mon-uptime-');

describe.each(backends)('uptime on %s', (_name, config) => {
	let store: MonitoringStore;
	beforeAll(async () => {
		store = await MonitoringStore.open(config());
		const ids = await store.bulk.series(
			CASES.map((c) => ({ metric: 'endpoint_up', host: 'h', labels: { endpoint: c.name } })),
		);
		for (const [i, c] of CASES.entries()) {
			const split =
				c.layout === 'packed'
					? Infinity
					: c.layout === 'hot'
						? DAY
						: DAY + c.layout.packedUntilMinute * MIN;
			const packed = c.points.filter(([ts]) => ts < split);
			const hot = c.points.filter(([ts]) => ts >= split);
			if (packed.length) await store.bulk.packedHistory(ids[i], packed);
			if (hot.length) await store.bulk.samples(hot.map(([ts, v]) => [ids[i], ts, v]));
		}
	}, 60_000);
	afterAll(async () => await store.close());

	test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
		const rows = await uptimeReport(store, {
			from: DAY,
			to: DAY + DAY_MS,
			now: NOW,
			granularity: 'day',
			targets: [{ kind: 'endpoint', host: 'h', name: c.name }],
			maintenance: (c.maintenance ?? []).map((w) => ({
				from: DAY + w.fromMinute * MIN,
				to: DAY + w.toMinute * MIN,
				host: w.host,
			})),
		});
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			kind: 'endpoint',
			host: 'h',
			name: c.name,
			slot: '2026-03-01',
			maintenanceMinutes: 0,
			...c.expected,
		});
		const r = rows[0];
		expect(r.upMinutes + r.downMinutes + r.noDataMinutes + r.maintenanceMinutes).toBe(1440);
	});

	test('a target that never reported: all no data, uptime null', async () => {
		const rows = await uptimeReport(store, {
			from: DAY,
			to: DAY + DAY_MS,
			now: NOW,
			granularity: 'day',
			targets: [{ kind: 'endpoint', host: 'h', name: 'never' }],
		});
		expect(rows).toEqual([
			expect.objectContaining({
				name: 'never',
				uptimePercent: null,
				upMinutes: 0,
				downMinutes: 0,
				noDataMinutes: 1440,
				incidents: 0,
				mttrMinutes: null,
			}),
		]);
	});

	test('all of a kind, per day: every target, each day apart; minutes after now are not counted', async () => {
		const rows = await uptimeReport(store, {
			from: DAY - DAY_MS,
			to: DAY + 2 * DAY_MS,
			now: DAY + 12 * HOUR,
			granularity: 'day',
			targets: [{ kind: 'endpoint' }],
		});
		expect(rows).toHaveLength(CASES.length * 3);
		const up = rows.filter((r) => r.name === 'raw only, always up');
		expect(up.map((r) => r.slot)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
		expect(up.map((r) => [r.upMinutes, r.noDataMinutes, r.uptimePercent])).toEqual([
			[0, 1440, null],
			[720, 0, 100],
			[0, 0, null],
		]);
	});

	test('per month: one row for the month, the period clipped to it', async () => {
		const rows = await uptimeReport(store, {
			from: Date.UTC(2026, 2, 1),
			to: Date.UTC(2026, 3, 1),
			now: NOW,
			granularity: 'month',
			targets: [{ kind: 'endpoint', host: 'h', name: 'raw only, down 10 minutes' }],
		});
		expect(rows).toEqual([
			expect.objectContaining({
				slot: '2026-03',
				upMinutes: 1430,
				downMinutes: 10,
				// 2 days to NOW, one of them with data
				noDataMinutes: 1440,
				uptimePercent: 99.306,
			}),
		]);
	});

	test('incidents: overlapping alerts of the target are one, MTTR over the resolved ones', async () => {
		const name = 'raw only, down 10 minutes';
		const alert = async (
			key: string,
			fromMinute: number,
			toMinute: number | null,
			labels: Record<string, string> = { endpoint: name },
		) => {
			await store.alerts.open({
				source: 'rule',
				key,
				rule: 'endpoint down',
				severity: 'critical',
				host: 'h',
				metric: 'endpoint_up',
				labels,
				value: 0,
				threshold: 1,
				message: 'down',
				link: null,
				scope: 'test',
				startedAt: DAY + fromMinute * MIN,
				now: DAY + fromMinute * MIN,
			});
			if (toMinute !== null) await store.alerts.close(key, DAY + toMinute * MIN);
		};
		await alert('a', 600, 610);
		await alert('b', 605, 625); // overlaps a: one incident 600-625
		await alert('c', 900, 930);
		await alert('d', 1380, null); // still open: counted until the day ends, no MTTR
		await alert('e', 100, 200, { endpoint: 'someone else' });
		const rows = await uptimeReport(store, {
			from: DAY,
			to: DAY + 2 * DAY_MS,
			now: NOW,
			granularity: 'day',
			targets: [{ kind: 'endpoint', host: 'h', name }],
		});
		expect(rows.map((r) => [r.slot, r.incidents, r.incidentMinutes, r.mttrMinutes])).toEqual([
			['2026-03-01', 3, 25 + 30 + 60, 27.5],
			['2026-03-02', 1, 1440, null],
		]);
	});

	test('bad periods are QueryErrors that say what is wrong', async () => {
		const base = { now: NOW, granularity: 'day' as const, targets: [] };
		await expect(uptimeReport(store, { ...base, from: DAY, to: DAY })).rejects.toThrow(QueryError);
		await expect(
			uptimeReport(store, { ...base, from: DAY - 400 * DAY_MS, to: DAY }),
		).rejects.toThrow(/at most 366 days/);
	});
});

test('CSV: a header, one line per row, names quoted and never a formula', () => {
	const csv = uptimeCsv([
		{
			kind: 'endpoint',
			host: 'h',
			name: '=HYPERLINK("x"), "quoted"',
			slot: '2026-03',
			from: Date.UTC(2026, 2, 1),
			to: Date.UTC(2026, 3, 1),
			uptimePercent: null,
			upMinutes: 0,
			downMinutes: 0,
			noDataMinutes: 44640,
			maintenanceMinutes: 0,
			incidents: 0,
			incidentMinutes: 0,
			mttrMinutes: null,
		},
	]);
	const lines = csv.split('\r\n');
	expect(lines[0]).toBe(
		'kind,host,name,period,from,to,uptime_percent,up_minutes,down_minutes,no_data_minutes,maintenance_minutes,incidents,incident_minutes,mttr_minutes',
	);
	expect(lines[1]).toBe(
		`endpoint,h,"'=HYPERLINK(""x""), ""quoted""",2026-03,2026-03-01T00:00:00.000Z,2026-04-01T00:00:00.000Z,,0,0,44640,0,0,0,`,
	);
	expect(lines[2]).toBe('');
});
