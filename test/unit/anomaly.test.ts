import { evaluateRule } from '../../core/alerts/evaluate';
import { eventMessage } from '../../core/alerts/message';
import { PRESETS } from '../../core/alerts/presets';
import { assess, directedScore, MAX_SCORE } from '../../core/analysis/anomaly';
import {
	buildBaseline,
	expectedAt,
	hourOfWeek,
	HOUR_MS,
	isBaseline,
	robustStat,
	type Baseline,
	type HourlyRow,
} from '../../core/analysis/baseline';

// A Sunday, 00:00 UTC: hour of the week 0.
const T0 = Date.UTC(2026, 0, 4);
const DAY = 24 * HOUR_MS;

/** Hourly rows of `days` days whose hourly mean is f(ts), 60 samples an hour. */
function rows(days: number, f: (ts: number) => number, start = T0): HourlyRow[] {
	return Array.from({ length: days * 24 }, (_, i) => {
		const ts = start + i * HOUR_MS;
		return { ts, count: 60, sum: 60 * f(ts) };
	});
}

/** A daily wave (busy afternoons), quieter weekends, and a deterministic wiggle. */
const seasonal = (ts: number) => {
	const h = (ts / HOUR_MS) % 24;
	const weekend = hourOfWeek(ts) < 24 || hourOfWeek(ts) >= 144;
	const wiggle = Math.sin(ts / 7_777_777) * 2;
	return (weekend ? 30 : 50) + 20 * Math.sin(((h - 8) / 24) * 2 * Math.PI) + wiggle;
};

function baseline(r: HourlyRow[], until?: number): Baseline {
	const b = buildBaseline(r, { until });
	if (!isBaseline(b)) throw new Error(`no baseline: ${b.reason}`);
	return b;
}

describe('robustStat', () => {
	it('gives the median and 1.4826 x MAD, unmoved by one outlier', () => {
		const [centre, spread, n] = robustStat([1, 2, 3, 4, 1000]);
		expect(centre).toBe(3);
		expect(spread).toBeCloseTo(1.4826, 6);
		expect(n).toBe(5);
	});
});

describe('buildBaseline', () => {
	it('says why there is none: no rows, too few hours, only NaN or empty hours', () => {
		expect(buildBaseline([])).toEqual({ reason: 'no history' });
		expect(buildBaseline(rows(0.5, () => 1))).toEqual({ reason: 'not enough history' });
		expect(buildBaseline(rows(3, () => NaN))).toEqual({ reason: 'no history' });
		expect(buildBaseline(rows(3, () => 5).map((r) => ({ ...r, count: 0, sum: 0 })))).toEqual({
			reason: 'no history',
		});
	});

	it('falls back from hour of the week to hour of the day to one level as history shrinks', () => {
		expect(baseline(rows(1.5, seasonal)).kind).toBe('level');
		expect(baseline(rows(5, seasonal)).kind).toBe('daily');
		expect(baseline(rows(28, seasonal)).kind).toBe('weekly');
	});

	it('learns the weekday and weekend level of the same hour apart', () => {
		const b = baseline(rows(28, seasonal));
		const monday14 = T0 + DAY + 14 * HOUR_MS;
		const sunday14 = T0 + 14 * HOUR_MS;
		// Within the wiggle (±2) of each; weekday and weekend differ by 20.
		expect(Math.abs(expectedAt(b, monday14).centre - seasonal(monday14))).toBeLessThan(2.5);
		expect(Math.abs(expectedAt(b, sunday14).centre - seasonal(sunday14))).toBeLessThan(2.5);
		expect(expectedAt(b, monday14).source).toBe('weekly');
	});

	it('ignores hours at or after `until`, and hours with NaN', () => {
		const r = rows(10, () => 10);
		r[30] = { ...r[30], sum: NaN };
		const b = baseline([...r, ...rows(1, () => 1e9, T0 + 10 * DAY)], T0 + 10 * DAY);
		expect(b.level[0]).toBe(10);
		expect(b.hours).toBe(10 * 24 - 1);
	});

	it('follows a steady trend', () => {
		const b = baseline(rows(28, (ts) => 100 + ((ts - T0) / DAY) * 2));
		// 2 a day: on day 30 the centre is about 160, not the history's median of ~128.
		expect(expectedAt(b, T0 + 30 * DAY).centre).toBeGreaterThan(150);
	});
});

describe('assess', () => {
	const history = rows(28, seasonal);
	const b = baseline(history);
	const now = T0 + 28 * DAY + 10 * HOUR_MS;
	const minutes = (from: number, to: number, f: (ts: number) => number) =>
		Array.from({ length: (to - from) / 60_000 }, (_, i) => {
			const ts = from + (i + 1) * 60_000;
			return [ts, f(ts)] as [number, number];
		});

	it('finds usual values normal', () => {
		const a = assess(b, minutes(now - 3 * HOUR_MS, now, seasonal), now);
		expect(a.status).toBe('normal');
		expect(Math.abs(a.score!)).toBeLessThan(2);
	});

	it('scores a spike up with its direction, range and start', () => {
		const start = now - 2 * HOUR_MS;
		const pts = minutes(now - 5 * HOUR_MS, now, (ts) => seasonal(ts) + (ts > start ? 40 : 0));
		const a = assess(b, pts, now);
		if (a.status !== 'unusual') throw new Error(a.status);
		expect(a.direction).toBe('up');
		expect(a.score).toBeGreaterThan(4);
		expect(a.observed).toBeGreaterThan(a.expected.high);
		expect(a.since).toBe(start + 60_000);
		expect(a.durationMs).toBe(now - start - 60_000);
		expect(directedScore(a.score, 'down')).toBe(0);
		expect(directedScore(a.score, 'both')).toBe(a.score);
	});

	it('scores a dip down', () => {
		const a = assess(
			b,
			minutes(now - HOUR_MS, now, (ts) => seasonal(ts) - 40),
			now,
		);
		expect(a.status).toBe('unusual');
		expect(a.score).toBeLessThan(-4);
		expect(a.status === 'unusual' && a.direction).toBe('down');
	});

	it('judges a weekend value by the weekend: a weekday level on Sunday is unusual', () => {
		const sunday = T0 + 28 * DAY + 14 * HOUR_MS; // day 28 is a Sunday again
		const weekdayLevel = (ts: number) => seasonal(ts) + 20;
		expect(assess(b, minutes(sunday - HOUR_MS, sunday, weekdayLevel), sunday).status).toBe(
			'unusual',
		);
	});

	it('gives no score without history, with too little, or in a gap', () => {
		const pts = minutes(now - HOUR_MS, now, () => 1e6);
		expect(assess(buildBaseline([]), pts, now)).toEqual({ status: 'no history', score: null });
		expect(assess(buildBaseline(rows(0.5, seasonal)), pts, now)).toEqual({
			status: 'not enough history',
			score: null,
		});
		// The latest point is 3 hours old: a gap, not a value of zero.
		const old = minutes(now - 4 * HOUR_MS, now - 3 * HOUR_MS, () => 0);
		expect(assess(b, old, now)).toEqual({ status: 'no data', score: null });
		const nan = minutes(now - HOUR_MS, now, () => NaN);
		expect(assess(b, nan, now)).toEqual({ status: 'no data', score: null });
	});

	it('never fires on a clock jump: points from the future, or a baseline learnt after now', () => {
		const ahead = minutes(now + 5 * HOUR_MS, now + 6 * HOUR_MS, () => 1e6);
		expect(assess(b, ahead, now)).toEqual({ status: 'clock jump', score: null });
		const back = T0 + 20 * DAY; // the evaluating clock went back 8 days
		expect(
			assess(
				b,
				minutes(back - HOUR_MS, back, () => 1e6),
				back,
			),
		).toEqual({
			status: 'clock jump',
			score: null,
		});
	});

	it('keeps a constant or all-zero series at score 0, and a departure finite', () => {
		const constant = baseline(rows(28, () => 42));
		expect(
			assess(
				constant,
				minutes(now - HOUR_MS, now, () => 42),
				now,
			),
		).toMatchObject({
			status: 'normal',
			score: 0,
		});
		// The spread is floored at 2 % of the level: 42 -> 43 is about 1.2 spreads, not infinity.
		const small = assess(
			constant,
			minutes(now - HOUR_MS, now, () => 43),
			now,
		);
		expect(small.status).toBe('normal');
		expect(small.score).toBeCloseTo(1 / 0.84, 1);

		const zeros = baseline(rows(28, () => 0));
		expect(
			assess(
				zeros,
				minutes(now - HOUR_MS, now, () => 0),
				now,
			),
		).toMatchObject({
			status: 'normal',
			score: 0,
		});
		const departed = assess(
			zeros,
			minutes(now - HOUR_MS, now, () => 3),
			now,
		);
		expect(departed.score).toBe(MAX_SCORE);
	});

	it('does not learn its own anomaly: a spike in the history barely moves the baseline', () => {
		const spiky = rows(28, (ts) => seasonal(ts) + ((ts - T0) % (3 * DAY) < 3 * HOUR_MS ? 500 : 0));
		const c = baseline(spiky);
		const monday14 = T0 + 29 * DAY + 14 * HOUR_MS;
		expect(Math.abs(expectedAt(c, monday14).centre - seasonal(monday14))).toBeLessThan(3);
	});
});

describe('anomaly rules in the evaluation and their messages', () => {
	const rule = { key: 'w', repeatMs: 0, ...PRESETS.workflowRunsLess, forMs: 0 } as never;
	const history = rows(28, (ts) => (hourOfWeek(ts) % 24 >= 8 ? 200 : 50));
	const b = baseline(history);
	// Monday 10:00 UTC after the history: usually 200 runs an hour.
	const now = T0 + 29 * DAY + 10 * HOUR_MS;
	const observed = (v: number) => {
		const points: Array<[number, number]> = [[now - 60_000, v]];
		return [
			{
				key: 'k',
				host: 'n8n',
				labels: { workflow: 'wf1' },
				points,
				anomaly: assess(b, points, now, { level: 5 }),
			},
		];
	};

	it('fires on far fewer runs, says so in words, and resolves when they are back', () => {
		const low = evaluateRule(rule, observed(20), undefined, now);
		expect(low.events).toHaveLength(1);
		expect(eventMessage(rule, low.events[0])).toMatch(
			/^Firing: Workflow runs far less than usual on n8n workflow=wf1: 20 runs where \d+ runs to \d+ runs is usual on Mondays at 10:00 UTC, (far below anything usual|[\d.]+ times its usual variation below), since /,
		);
		const back = evaluateRule(rule, observed(200), low.state, now + 60_000);
		expect(back.events.map((e) => e.kind)).toEqual(['resolved']);
		expect(eventMessage(rule, back.events[0])).toMatch(
			/^Resolved: Workflow runs far less than usual on n8n workflow=wf1: 200 runs, back within the usual range/,
		);
	});

	it('does not fire on far more runs (direction down), nor without a baseline', () => {
		expect(evaluateRule(rule, observed(2000), undefined, now).events).toEqual([]);
		const none = [{ ...observed(0)[0], anomaly: assess(buildBaseline([]), [], now) }];
		expect(evaluateRule(rule, none, undefined, now).events).toEqual([]);
	});
});
