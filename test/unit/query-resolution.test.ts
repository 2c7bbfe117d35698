import { bucketCount, markGaps, pickResolution } from '../../core/query';
import { escapeLabelValue, sanitizeLabelName, sanitizeMetricName } from '../../core/query';
import {
	hostStatus,
	isStale,
	staleAfterMs,
	thresholdStatus,
	THRESHOLDS,
	worst,
} from '../../core/query';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

describe('pickResolution', () => {
	it.each([
		['1 hour', HOUR, 'raw', MIN],
		['24 hours', DAY, 'raw', MIN],
		['1498 minutes (1499 aligned buckets)', 1498 * MIN, 'raw', MIN],
		['1500 minutes (1501 buckets)', 1500 * MIN, '5m', 5 * MIN],
		['5 days', 5 * DAY, '5m', 5 * MIN],
		['7 days', 7 * DAY, '1h', HOUR],
		['30 days', 30 * DAY, '1h', HOUR],
		['62 days', 62 * DAY, '1h', HOUR],
		['90 days', 90 * DAY, '1h', 2 * HOUR],
		['1 year', 365 * DAY, '1h', 6 * HOUR],
	])('%s', (_name, range, resolution, step) => {
		const choice = pickResolution(T0, T0 + range, 1500);
		expect(choice.resolution).toBe(resolution);
		expect(choice.stepMs).toBe(step);
		expect(bucketCount(T0, T0 + range, choice.stepMs)).toBeLessThanOrEqual(1500);
	});

	it('never allows more buckets than maxPoints, for any range and alignment', () => {
		for (const maxPoints of [10, 100, 1500, 5000]) {
			for (let i = 0; i < 300; i++) {
				const from = T0 + Math.floor(Math.random() * DAY * 7);
				const range = 1 + Math.floor(Math.random() ** 3 * 5 * 365 * DAY);
				const c = pickResolution(from, from + range, maxPoints);
				expect(bucketCount(from, from + range, c.stepMs)).toBeLessThanOrEqual(maxPoints);
				// and the width is the smallest whole number of hours that fits
				if (c.resolution === '1h' && c.stepMs > HOUR)
					expect(bucketCount(from, from + range, c.stepMs - HOUR)).toBeGreaterThan(maxPoints);
			}
		}
	});

	it('names the resolution it reads', () => {
		expect(pickResolution(T0, T0 + HOUR).resolution).toBe('raw');
		expect(pickResolution(T0, T0 + 3 * DAY).resolution).toBe('5m');
		expect(pickResolution(T0, T0 + 300 * DAY).resolution).toBe('1h');
	});
});

describe('markGaps', () => {
	it('breaks the line where points are much further apart than usual', () => {
		const points: Array<[number, number | null]> = [
			[0, 1],
			[MIN, 2],
			[2 * MIN, 3],
			[10 * MIN, 4],
			[11 * MIN, 5],
		];
		expect(markGaps(points, MIN, 100)).toEqual([
			[0, 1],
			[MIN, 2],
			[2 * MIN, 3],
			[3 * MIN, null],
			[10 * MIN, 4],
			[11 * MIN, 5],
		]);
		expect(markGaps(points, MIN, 5)).toEqual(points); // no room: unchanged
	});

	it('takes the series own spacing as usual (collected every 5 minutes)', () => {
		const points: Array<[number, number | null]> = [0, 5, 10, 15].map((m) => [m * MIN, m]);
		expect(markGaps(points, MIN, 100)).toEqual(points);
	});
});

describe('statuses', () => {
	it('applies thresholds at their bounds', () => {
		expect(thresholdStatus(89.9, THRESHOLDS.cpu)).toBe('ok');
		expect(thresholdStatus(90, THRESHOLDS.cpu)).toBe('warning');
		expect(thresholdStatus(95, THRESHOLDS.cpu)).toBe('critical');
		expect(thresholdStatus(15, THRESHOLDS.certDaysLeft)).toBe('ok');
		expect(thresholdStatus(14, THRESHOLDS.certDaysLeft)).toBe('warning');
		expect(thresholdStatus(3, THRESHOLDS.certDaysLeft)).toBe('critical');
		expect(thresholdStatus(0.2, THRESHOLDS.failureRate)).toBe('warning');
		expect(thresholdStatus(null, THRESHOLDS.cpu)).toBe('nodata');
		expect(worst(['ok', 'nodata', 'warning'])).toBe('warning');
		expect(worst([])).toBe('nodata');
	});

	it('calls a collector stale after max(3 intervals, 5 minutes)', () => {
		expect(isStale(10 * MIN, 8 * MIN, MIN)).toBe(false);
		expect(isStale(10 * MIN, 6 * MIN, MIN)).toBe(false); // 4 min: under the 5-minute floor
		expect(isStale(10 * MIN, 4 * MIN, MIN)).toBe(true);
		expect(isStale(100 * MIN, 50 * MIN, 20 * MIN)).toBe(false);
		expect(isStale(10 * MIN, 6 * MIN, null)).toBe(false);
		expect(isStale(10 * MIN, 4 * MIN, null)).toBe(true);
		expect(isStale(10 * MIN, null, MIN)).toBe(true);
		expect(staleAfterMs(HOUR)).toBe(3 * HOUR);
		expect(hostStatus(['ok', 'nodata'])).toBe('nodata');
		expect(hostStatus(['nodata', 'warning'])).toBe('warning');
		expect(hostStatus([])).toBe('nodata');
	});
});

describe('Prometheus names and values', () => {
	it('escapes label values and sanitises names', () => {
		expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
		expect(sanitizeMetricName('cpu.usage-percent')).toBe('cpu_usage_percent');
		expect(sanitizeMetricName('9lives')).toBe('_9lives');
		expect(sanitizeMetricName('a:b')).toBe('a:b');
		expect(sanitizeLabelName('a:b')).toBe('a_b');
	});
});
