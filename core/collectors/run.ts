import type { Collection, Collector, CollectorState, HistoryReader } from './types';

export interface RunOptions {
	host: string;
	previous?: CollectorState;
	history?: HistoryReader;
	timeoutMs?: number;
	now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Runs a collector and turns whatever happens (success, an exception, a timeout) into a
 * Collection. A failure becomes data: `ok: false`, its message, and a `collector_up` sample of 0,
 * so that one broken source never takes the others or the workflow down.
 */
export async function runCollector<O, S>(
	collector: Collector<O, S>,
	options: O,
	run: RunOptions,
): Promise<Collection<S>> {
	const now = run.now ?? Date.now;
	const started = now();
	const timeoutMs = run.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const controller = new AbortController();
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			controller.abort();
			reject(new Error(`${collector.name} collector timed out after ${timeoutMs} ms`));
		}, timeoutMs);
	});
	try {
		const output = await Promise.race([
			collector.collect(options, {
				previous: run.previous,
				signal: controller.signal,
				history: run.history,
			}),
			timeout,
		]);
		const durationMs = now() - started;
		return {
			collector: collector.name,
			host: run.host,
			time: started,
			durationMs,
			ok: true,
			warnings: output.warnings ?? [],
			samples: [...output.samples, ...health(collector.name, 1, durationMs)],
			snapshot: output.snapshot,
			state: output.state,
		};
	} catch (error) {
		const durationMs = now() - started;
		return {
			collector: collector.name,
			host: run.host,
			time: started,
			durationMs,
			ok: false,
			error: error instanceof Error ? error.message : String(error),
			warnings: [],
			samples: health(collector.name, 0, durationMs),
			snapshot: null,
			// Keep the previous counters so the next successful run still has a base for rates.
			state: run.previous,
		};
	} finally {
		clearTimeout(timer);
	}
}

function health(collector: string, up: 0 | 1, durationMs: number) {
	return [
		{ name: 'collector_up', value: up, labels: { collector } },
		{ name: 'collector_duration_seconds', value: durationMs / 1000, labels: { collector } },
	];
}
