import type { CounterSet } from './types';

/**
 * Per-second rates of change between two readings of the same counters.
 *
 * A counter that went down was reset (a reboot, a driver reload, a 32-bit wrap): like
 * Prometheus's rate(), the new value is taken as the increase since the reset. A counter that
 * is new (a device that appeared) has no rate yet; one that vanished is dropped.
 */
export function ratesFromCounters(
	previous: CounterSet,
	current: CounterSet,
	elapsedSeconds: number,
): Record<string, number> {
	const rates: Record<string, number> = {};
	if (!(elapsedSeconds > 0)) return rates;
	for (const [key, value] of Object.entries(current)) {
		const before = previous[key];
		if (before === undefined || !Number.isFinite(before) || !Number.isFinite(value)) continue;
		const increase = value >= before ? value - before : value;
		rates[key] = increase / elapsedSeconds;
	}
	return rates;
}
