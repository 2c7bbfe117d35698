import { RANGE_STEPS, RANGES, rangeWindow, type RelativeRange } from '../../core/contract/windows';
import { parseHash, windowOf } from '../../dashboard/web/src/router';

const views = { host: { arity: 1 } };
const ranges = Object.keys(RANGES) as RelativeRange[];
const NOW = Date.UTC(2026, 11, 3, 11, 47, 31, 123);

describe('the windows browsers ask for', () => {
	test.each(ranges)('%s ends at or after now, spans its range, at a mark of its step', (range) => {
		const w = rangeWindow(range, NOW);
		expect(w.to).toBeGreaterThanOrEqual(NOW);
		expect(w.to - NOW).toBeLessThan(RANGE_STEPS[range]);
		expect(w.to % RANGE_STEPS[range]).toBe(0);
		expect(w.to - w.from).toBe(RANGES[range]);
	});

	test.each(ranges)('%s: browsers polling within one step ask the same window', (range) => {
		const start = rangeWindow(range, NOW).to - RANGE_STEPS[range] + 1;
		const last = start + RANGE_STEPS[range] - 1;
		expect(rangeWindow(range, start)).toEqual(rangeWindow(range, last));
		expect(rangeWindow(range, last + 1).to).toBe(rangeWindow(range, last).to + RANGE_STEPS[range]);
	});

	test('longer ranges move in longer steps, each under a pixel of a 1,000 px chart', () => {
		for (let i = 1; i < ranges.length; i++)
			expect(RANGE_STEPS[ranges[i]]).toBeGreaterThan(RANGE_STEPS[ranges[i - 1]]);
		// The hour keeps the 10 s step it had: a sample a minute moves it by pixels anyway.
		expect(RANGE_STEPS['1h']).toBe(10_000);
		for (const range of ranges.filter((r) => r !== '1h'))
			expect(RANGE_STEPS[range]).toBeLessThanOrEqual(RANGES[range] / 1000);
	});

	test("the router's windows are these; a custom range is kept as given", () => {
		expect(windowOf(parseHash('#/host/a?range=30d', views), NOW)).toEqual(rangeWindow('30d', NOW));
		expect(windowOf(parseHash('#/host/a', views), NOW)).toEqual(rangeWindow('1h', NOW));
		expect(windowOf(parseHash('#/host/a?from=1000&to=5000', views), NOW)).toEqual({
			from: 1000,
			to: 5000,
		});
	});
});
