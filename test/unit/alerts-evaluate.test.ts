import {
	aggregate,
	type AlertRule,
	buildRule,
	evaluateRule,
	inQuietHours,
	NOT_GROWING_DAYS,
	type Observed,
	type RuleEvent,
	type RuleState,
} from '../../core/alerts';
import { AlertConfigError } from '../../core/alerts/errors';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
	key: 'cpu',
	name: 'CPU busy',
	source: { kind: 'metric', metric: 'cpu_usage_percent', aggregation: 'last', windowMs: 2 * MIN },
	comparison: '>',
	threshold: 90,
	resolveThreshold: 80,
	forMs: 0,
	severity: 'warning',
	repeatMs: 0,
	unit: '%',
	...over,
});

/** One series that reports `values` once a minute from T0 on; evaluated after each sample. */
function run(
	r: AlertRule,
	values: Array<number | null>,
	opts: { quiet?: (minute: number) => boolean; clock?: (minute: number) => number } = {},
) {
	let state: RuleState | undefined;
	const points: Array<[number, number]> = [];
	const events: Array<RuleEvent & { minute: number }> = [];
	values.forEach((v, minute) => {
		const ts = T0 + minute * MIN;
		if (v !== null) points.push([ts, v]);
		const now = opts.clock ? opts.clock(minute) : ts;
		const observed: Observed[] = [
			{ key: 'web-1', host: 'web-1', labels: { cpu: 'total' }, points: [...points] },
		];
		const out = evaluateRule(r, observed, state, now, opts.quiet?.(minute) ?? false);
		state = out.state;
		events.push(...out.events.map((e) => ({ ...e, minute })));
	});
	return { events, state: state! };
}

const kinds = (events: Array<{ kind: string; minute: number }>) =>
	events.map((e) => `${e.kind}@${e.minute}`);

describe('evaluateRule', () => {
	test.each([
		[
			'crossing once fires once and resolves once',
			[50, 95, 96, 97, 70, 60],
			['firing@1', 'resolved@4'],
		],
		[
			'flapping around the threshold fires once (hysteresis)',
			[50, 91, 89, 91, 89, 91, 85, 91, 79, 50],
			['firing@1', 'resolved@8'],
		],
		['staying below never fires', [10, 20, 89.9, 90, 80], []],
		[
			'exactly at the resolve threshold still fires (resolves only past it)',
			[95, 80.0001, 80],
			['firing@0', 'resolved@2'],
		],
	])('%s', (_name, values, expected) => {
		expect(kinds(run(rule(), values).events)).toEqual(expected);
	});

	test('"for" holds the firing back until the condition lasted long enough, and resets on a dip', () => {
		const r = rule({ forMs: 3 * MIN, resolveThreshold: 90 });
		expect(kinds(run(r, [95, 95, 95, 95, 50]).events)).toEqual(['firing@3', 'resolved@4']);
		// A dip below the threshold while pending starts the wait over.
		expect(kinds(run(r, [95, 95, 50, 95, 95, 95, 95]).events)).toEqual(['firing@6']);
	});

	test('a gap in the data (shorter than "gone") changes nothing; the series fires again after', () => {
		const values = [95, null, null, null, null, 96, 70];
		expect(kinds(run(rule(), values).events)).toEqual(['firing@0', 'resolved@6']);
	});

	test('a gap during "for" keeps the pending timer', () => {
		const r = rule({ forMs: 3 * MIN });
		// Pending since minute 0; data resumes at 4, still above: fires then (held 4 minutes).
		expect(kinds(run(r, [95, null, null, null, 95]).events)).toEqual(['firing@4']);
	});

	test('a series that disappears resolves with "stopped reporting", a pending one is forgotten', () => {
		const values: Array<number | null> = [95, ...Array(20).fill(null)];
		const { events, state } = run(rule(), values);
		expect(kinds(events)).toEqual(['firing@0', 'resolved@16']);
		expect(events[1].reason).toBe('stopped reporting');
		expect(state.series).toEqual({});
		const pending = run(rule({ forMs: 30 * MIN }), values);
		expect(pending.events).toEqual([]);
		expect(pending.state.series).toEqual({});
	});

	test('late samples count by their own time', () => {
		const r = rule({
			source: { kind: 'metric', metric: 'm', aggregation: 'avg', windowMs: 5 * MIN },
		});
		const first = evaluateRule(
			r,
			[{ key: 'a', host: 'a', labels: {}, points: [[T0 - MIN, 50]] }],
			undefined,
			T0,
		);
		expect(first.events).toEqual([]);
		// Two older samples arrive late and out of order; their average crosses the threshold.
		const late = evaluateRule(
			r,
			[
				{
					key: 'a',
					host: 'a',
					labels: {},
					points: [
						[T0 - MIN, 50],
						[T0 - 3 * MIN, 150],
						[T0 - 2 * MIN, 100],
					],
				},
			],
			first.state,
			T0 + 10_000,
		);
		expect(late.events.map((e) => [e.kind, e.value])).toEqual([['firing', 100]]);
	});

	test('a clock going back neither fires early nor repeats nor resolves', () => {
		const r = rule({ forMs: 5 * MIN, repeatMs: 10 * MIN });
		// Minutes 0..3 pending; then the clock jumps back one hour and runs on from there.
		const clock = (m: number) => (m < 4 ? T0 + m * MIN : T0 - 60 * MIN + m * MIN);
		const { events } = run(r, Array(12).fill(95), { clock });
		// Pending time is kept across the jump (the minute of the jump counts as no time): it
		// fires after 5 more minutes of condition, once, and nothing resolves.
		expect(kinds(events)).toEqual(['firing@6']);
	});

	test('quiet hours hold notifications back and catch up afterwards; fired-and-resolved inside is never told', () => {
		const quiet = (m: number) => m >= 1 && m <= 3;
		expect(kinds(run(rule(), [50, 95, 96, 97, 98], { quiet }).events)).toEqual(['firing@4']);
		expect(kinds(run(rule(), [50, 95, 50, 50, 50], { quiet }).events)).toEqual([]);
		expect(kinds(run(rule(), [95, 95, 50, 50, 50], { quiet }).events)).toEqual([
			'firing@0',
			'resolved@4',
		]);
	});

	test('repeat every N while firing, off by default', () => {
		expect(kinds(run(rule(), Array(25).fill(95)).events)).toEqual(['firing@0']);
		const { events } = run(rule({ repeatMs: 10 * MIN }), Array(25).fill(95));
		expect(kinds(events)).toEqual(['firing@0', 'firing@10', 'firing@20']);
		expect(events.map((e) => e.repeat)).toEqual([false, true, true]);
	});

	test('each series of a family is judged on its own', () => {
		const r = rule({
			source: {
				kind: 'metric',
				metric: 'filesystem_used_percent',
				aggregation: 'last',
				windowMs: 5 * MIN,
			},
		});
		const obs = (v: Record<string, number>): Observed[] =>
			Object.entries(v).map(([mount, value]) => ({
				key: mount,
				host: 'h',
				labels: { mount },
				points: [[T0, value]],
			}));
		const a = evaluateRule(r, obs({ '/': 95, '/var': 40 }), undefined, T0);
		expect(a.events.map((e) => e.labels.mount)).toEqual(['/']);
		const b = evaluateRule(r, obs({ '/': 96, '/var': 97 }), a.state, T0 + MIN);
		expect(b.events.map((e) => [e.kind, e.labels.mount])).toEqual([['firing', '/var']]);
	});
});

describe('aggregate', () => {
	const pts: Array<[number, number]> = [
		[T0 - 4 * MIN, 10],
		[T0 - 3 * MIN, 20],
		[T0 - 2 * MIN, 0],
		[T0 - MIN, 0],
	];
	test.each([
		['last', 0],
		['avg', 7.5],
		['min', 0],
		['max', 20],
		['consecutiveZero', 2],
	] as const)('%s', (agg, expected) => {
		expect(aggregate(pts, agg, T0, 10 * MIN)).toBe(expected);
	});
	test('rate is change per minute between the first and last point in the window', () => {
		expect(aggregate(pts, 'rate', T0, 10 * MIN)).toBeCloseTo(-10 / 3, 9);
	});
	test('only points inside the window count; none is null, not zero', () => {
		expect(aggregate(pts, 'avg', T0, 2 * MIN)).toBe(0);
		expect(aggregate(pts, 'max', T0 + 60 * MIN, 2 * MIN)).toBeNull();
	});
	test('daysUntil projects the trend to the limit', () => {
		const day = 86_400_000;
		// 1 % a day, at 90 % now: 10 days to 100 %.
		const growing: Array<[number, number]> = Array.from({ length: 25 }, (_, i) => [
			T0 - (24 - i) * 3_600_000,
			89 + i / 24,
		]);
		expect(aggregate(growing, 'daysUntil', T0, day, 100)).toBeCloseTo(10, 5);
		const flat: Array<[number, number]> = growing.map(([t]) => [t, 50]);
		expect(aggregate(flat, 'daysUntil', T0, day, 100)).toBe(NOT_GROWING_DAYS);
	});
});

describe('quiet hours', () => {
	test('a window over midnight in a time zone', () => {
		const w = [{ days: [], startMinute: 22 * 60, endMinute: 6 * 60 }];
		// 23:30 and 05:59 in Seoul (UTC+9) are quiet, 06:00 and 21:59 are not.
		expect(inQuietHours(Date.UTC(2026, 10, 26, 14, 30), 'Asia/Seoul', w)).toBe(true);
		expect(inQuietHours(Date.UTC(2026, 10, 26, 20, 59), 'Asia/Seoul', w)).toBe(true);
		expect(inQuietHours(Date.UTC(2026, 10, 26, 21, 0), 'Asia/Seoul', w)).toBe(false);
		expect(inQuietHours(Date.UTC(2026, 10, 26, 12, 59), 'Asia/Seoul', w)).toBe(false);
	});
	test('weekdays count from the day the window starts', () => {
		// Saturday 22:00 – Sunday 06:00 UTC only.
		const w = [{ days: [6], startMinute: 22 * 60, endMinute: 6 * 60 }];
		expect(inQuietHours(Date.UTC(2026, 10, 29, 3, 0), 'UTC', w)).toBe(true); // Sunday 03:00
		expect(inQuietHours(Date.UTC(2026, 10, 30, 3, 0), 'UTC', w)).toBe(false); // Monday 03:00
	});
});

describe('buildRule', () => {
	const fails = (input: Parameters<typeof buildRule>[0], message: RegExp) => {
		let error: unknown;
		try {
			buildRule(input);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(AlertConfigError);
		expect((error as Error).message).toMatch(message);
		expect((error as AlertConfigError).hint.length).toBeGreaterThan(10);
	};
	test('a preset with an override', () => {
		const r = buildRule({ preset: 'cpuHigh', threshold: '75', resolveThreshold: '' });
		expect([r.name, r.threshold, r.resolveThreshold, r.forMs]).toEqual([
			'CPU busy',
			75,
			65,
			5 * MIN,
		]);
	});
	test('bad input says what to change', () => {
		fails(
			{ preset: 'custom', metric: 'x', threshold: 'ninety' },
			/Threshold must be a number, not "ninety"/,
		);
		fails({ preset: 'custom', metric: 'x', threshold: 90, resolveThreshold: 95 }, /wrong side/);
		fails(
			{ preset: 'custom', metric: 'x', comparison: '<', threshold: 10, resolveThreshold: 5 },
			/wrong side/,
		);
		fails({ preset: 'custom', threshold: 90 }, /needs a metric/);
		fails({ preset: 'cpuHgh' }, /no rule preset named "cpuHgh"/);
		fails({ preset: 'custom', metric: { a: 1 }, threshold: 1 }, /Metric must be text, not object/);
		fails({ preset: 'cpuHigh', host: ['a'] }, /Host must be text, not a list/);
		fails({ preset: 'cpuHigh', labels: { cpu: 1 } }, /label filter must be name=value pairs/);
		fails(
			{ preset: 'custom', metric: 'x', threshold: 1, windowMinutes: 0 },
			/Window must be from 1/,
		);
		fails({ preset: 'custom', metric: 'x', threshold: 1, labels: 'mount' }, /name=value/);
	});
});
