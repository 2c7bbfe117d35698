/**
 * The usual range behind a chart (pure parts of dashboard/web/src/charts.ts, run in Node): lines
 * paired with their band by labels, unusual hours found from the hourly mean (as a rule judges an
 * hour, not single points), the band and the shaded hours in the chart's options.
 */
import { apiRequest } from '../../dashboard/web/src/api';
import {
	lineOptions,
	unusualStretches,
	withExpected,
	type LineSeries,
} from '../../dashboard/web/src/charts';

const HOUR = 3_600_000;
const T = 100 * HOUR;
/** Three hours of minute points, hour 1 at 90 where 20..40 is usual. */
const points = Array.from({ length: 180 }, (_, k): [number, number] => [
	T + k * 60_000,
	k >= 60 && k < 120 ? 90 : 30,
]);
const band: Array<[number, number, number, number]> = [0, 1, 2].map((h) => [
	T + h * HOUR,
	20,
	30,
	40,
]);

describe('usual range on charts', () => {
	it('pairs lines with the band of the same labels, in any label order', () => {
		const lines: LineSeries[] = [
			{ name: 'eth0', data: points, labels: { interface: 'eth0', dir: 'rx' } },
			{ name: 'eth1', data: points, labels: { interface: 'eth1' } },
		];
		const paired = withExpected(lines, {
			series: [
				{ labels: { dir: 'rx', interface: 'eth0' }, kind: 'weekly', band },
				{ labels: { interface: 'eth1' }, kind: null, reason: 'not enough history', band: [] },
			],
		});
		expect(paired[0].expected).toEqual({ band, reason: undefined });
		expect(paired[1].expected).toEqual({ band: [], reason: 'not enough history' });
		expect(withExpected(lines, undefined)).toBe(lines);
	});

	it('marks the hours whose mean is outside the range, merged into stretches', () => {
		const line: LineSeries = { name: 'cpu', data: points, expected: { band } };
		expect(unusualStretches(line)).toEqual([{ from: T + HOUR, to: T + 2 * HOUR }]);
		// One spike minute in an hour of 30s moves the mean by 1: not an unusual hour.
		const spike = points.map(([x, y], k): [number, number] => [
			x,
			k === 10 ? 90 : y === 90 ? 30 : y,
		]);
		expect(unusualStretches({ name: 'cpu', data: spike, expected: { band } })).toEqual([]);
		expect(unusualStretches({ name: 'cpu', data: points })).toEqual([]);
	});

	it('draws the band first as a dashed range and shades the unusual hours', () => {
		const options = lineOptions([{ name: 'CPU', data: points, expected: { band } }], {
			min: 0,
			max: 100,
		});
		const series = options.series as Array<{ name: string; type?: string; data: unknown[] }>;
		expect(series.map((s) => [s.name, s.type])).toEqual([
			['CPU (Usual range)', 'rangeArea'],
			['CPU', 'line'],
		]);
		expect(series[0].data[0]).toEqual({ x: T, y: [20, 40] });
		expect(options.stroke?.dashArray).toEqual([4, 0]);
		expect(options.annotations?.xaxis?.map((a) => [a.x, a.x2])).toEqual([[T + HOUR, T + 2 * HOUR]]);
		// A usually positive series' negative low end is drawn at zero.
		const low = lineOptions(
			[{ name: 'rx', data: points, expected: { band: [[T, -5, 10, 25]] } }],
			{},
		);
		expect((low.series as Array<{ data: unknown[] }>)[0].data[0]).toEqual({ x: T, y: [0, 25] });
		// No band: a plain line chart, nothing shaded.
		const plain = lineOptions([{ name: 'CPU', data: points }], {});
		expect(plain.chart?.type).toBe('line');
		expect(plain.annotations?.xaxis).toEqual([]);
	});

	it('asks /api/unusual with its limit', () => {
		expect(apiRequest('unusual', { limit: 20 }).path).toBe('/api/unusual?limit=20');
	});
});
