import {
	DAY_MS,
	enoughHistory,
	forecastLimit,
	growthPerDay,
	linearFit,
	type Point,
} from '../../core/analysis/forecast';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

describe('linearFit', () => {
	it('fits an exact line with r2 = 1', () => {
		const points: Point[] = [0, 1, 2, 3].map((d) => [T0 + d * DAY_MS, 1000 + 250 * d]);
		const fit = linearFit(points)!;
		expect(fit.slopePerDay).toBeCloseTo(250, 9);
		expect(fit.r2).toBeCloseTo(1, 12);
		expect(fit.valueAt(T0 + 10 * DAY_MS)).toBeCloseTo(3500, 6);
	});

	it('gives the least-squares slope and r2 of scattered points', () => {
		// x = 0,1,2,3 days; y = 1,3,2,4 -> slope 0.8/day, intercept 1.3, r2 = 0.64.
		const points: Point[] = [1, 3, 2, 4].map((v, d) => [T0 + d * DAY_MS, v]);
		const fit = linearFit(points)!;
		expect(fit.slopePerDay).toBeCloseTo(0.8, 12);
		expect(fit.valueAt(T0)).toBeCloseTo(1.3, 12);
		expect(fit.r2).toBeCloseTo(0.64, 12);
	});

	it('needs two points at least an hour apart', () => {
		expect(linearFit([])).toBeUndefined();
		expect(linearFit([[T0, 5]])).toBeUndefined();
		expect(
			enoughHistory([
				[T0, 5],
				[T0 + HOUR - 1, 9],
			]),
		).toBe(false);
		expect(
			enoughHistory([
				[T0, 5],
				[T0 + HOUR, 9],
			]),
		).toBe(true);
		// Non-finite values are not points.
		expect(
			enoughHistory([
				[T0, 5],
				[T0 + HOUR, NaN],
			]),
		).toBe(false);
	});
});

describe('growthPerDay', () => {
	it('is the slope per day', () => {
		expect(
			growthPerDay([
				[T0, 100],
				[T0 + 2 * HOUR, 200],
			]),
		).toEqual({
			slopePerDay: 1200,
			r2: 1,
		});
	});
	it('says "not enough history" yet', () => {
		expect(growthPerDay([[T0, 100]])).toEqual({ reason: 'not enough history' });
	});
});

describe('forecastLimit', () => {
	it('gives the days and date when the line reaches the limit', () => {
		// 1 GB/day from 10 GB at T0; limit 15 GB; now = T0 + 1 day (11 GB) -> 4 days left.
		const points: Point[] = [0, 0.5, 1].map((d) => [T0 + d * DAY_MS, 10e9 + d * 1e9]);
		const f = forecastLimit(points, 15e9, T0 + DAY_MS);
		expect(f).toEqual({
			slopePerDay: expect.closeTo(1e9, 0),
			daysUntil: expect.closeTo(4, 9),
			date: '2026-01-06T00:00:00.000Z',
			r2: expect.closeTo(1, 12),
		});
	});

	it('is 0 days when the limit is already passed', () => {
		const f = forecastLimit(
			[
				[T0, 10],
				[T0 + DAY_MS, 20],
			],
			15,
			T0 + DAY_MS,
		);
		expect(f).toMatchObject({ daysUntil: 0, date: new Date(T0 + DAY_MS).toISOString() });
	});

	it('says "not growing" for a flat or shrinking series', () => {
		expect(
			forecastLimit(
				[
					[T0, 10],
					[T0 + DAY_MS, 10],
				],
				100,
				T0,
			),
		).toEqual({
			reason: 'not growing',
		});
		expect(
			forecastLimit(
				[
					[T0, 10],
					[T0 + DAY_MS, 5],
				],
				100,
				T0,
			),
		).toEqual({
			reason: 'not growing',
		});
	});

	it('says "not enough history yet" with one point or under an hour', () => {
		expect(forecastLimit([[T0, 10]], 100, T0)).toEqual({ reason: 'not enough history' });
		expect(
			forecastLimit(
				[
					[T0, 10],
					[T0 + 60_000, 20],
				],
				100,
				T0,
			),
		).toEqual({
			reason: 'not enough history',
		});
	});
});
