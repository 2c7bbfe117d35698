import { aggregate } from '../../core/alerts/aggregate';
import { PRESETS } from '../../core/alerts/presets';
import type { MetricName } from '../../core/catalog/metrics';
import { metricInfo } from '../../core/catalog/metrics';
import { exitedWithError } from '../../core/model';

/**
 * The container presets on series as the container collector writes them (one point a minute):
 * each fires on the case it names and stays quiet on a healthy container.
 */
const MINUTE = 60_000;
const now = 100 * MINUTE;
const series = (...values: number[]) =>
	values.map((v, i) => [now - (values.length - 1 - i) * MINUTE, v] as const);

function fires(preset: keyof typeof PRESETS, values: number[]): boolean {
	const p = PRESETS[preset];
	if (p.source.kind !== 'metric') throw new Error('not a metric preset');
	const v = aggregate(series(...values), p.source.aggregation, now, p.source.windowMs);
	if (v === null) return false;
	switch (p.comparison) {
		case '>':
			return v > p.threshold;
		case '>=':
			return v >= p.threshold;
		default:
			throw new Error(`unexpected comparison ${p.comparison}`);
	}
}

test('each container preset watches a containers series of the catalog', () => {
	for (const key of [
		'containerRestarted',
		'containerUnhealthy',
		'containerExitedNonZero',
		'containerMemoryHigh',
	] as const) {
		const p = PRESETS[key];
		const metric = (p.source as { metric: MetricName }).metric;
		expect([key, metricInfo(metric)?.collector]).toEqual([key, 'containers']);
	}
});

test('restarted: a restart count that grew in the window, not one that stayed', () => {
	expect(fires('containerRestarted', [2, 2, 2, 3, 3])).toBe(true);
	expect(fires('containerRestarted', [5, 5, 5, 5, 5])).toBe(false);
	// Recreated under the same name: the count starts again at 0, which is no restart.
	expect(fires('containerRestarted', [5, 5, 0, 0])).toBe(false);
});

test('unhealthy: two failed health checks in a row, not one', () => {
	expect(fires('containerUnhealthy', [1, 1, 0, 0])).toBe(true);
	expect(fires('containerUnhealthy', [1, 0, 1, 0])).toBe(false);
});

test('exited with an error: the last verdict, so a container that came back resolves', () => {
	expect(fires('containerExitedNonZero', [0, 0, 1])).toBe(true);
	expect(fires('containerExitedNonZero', [1, 1, 0])).toBe(false);
});

test.each([
	['running', 0, false, false],
	['exited', 0, false, false],
	['exited', 1, false, true],
	['exited', 3, false, true],
	['dead', 2, false, true],
	// docker stop: SIGTERM handled (143), or ignored and SIGKILLed after the timeout (137); Ctrl-C (130)
	['exited', 143, false, false],
	['exited', 137, false, false],
	['exited', 130, false, false],
	// killed by its memory limit: 137 too, and a failure
	['exited', 137, true, true],
	// a restart policy at work is the restarted preset's case, not this one
	['restarting', 1, false, false],
] as const)(
	'a container %s with exit code %d (OOM killed: %s) failed: %s',
	(state, exitCode, oomKilled, failed) => {
		expect(exitedWithError({ state, exitCode, oomKilled })).toBe(failed);
	},
);

test('memory: above the catalog mark on average over 5 minutes', () => {
	expect(fires('containerMemoryHigh', [95, 96, 94, 97, 95])).toBe(true);
	expect(fires('containerMemoryHigh', [99, 50, 50, 50, 50])).toBe(false);
});
