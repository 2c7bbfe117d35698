/**
 * The data model every layer shares: what a collector measures and what the store keeps. It
 * depends on nothing, so that the store, the collectors, queries and nodes can all use it
 * without depending on each other.
 */

export type { AlertEvent, AlertRow, Severity } from './alerts';
export { exitedWithError, STOP_EXIT_CODES, type ContainerRow } from './containers';

/** Labels that tell series of one metric apart (a core, a mount point, an interface). */
export type Labels = Record<string, string>;

/** One numeric observation. The host and the time come from the collection that holds it. */
export interface Sample {
	/** snake_case with the unit as suffix, Prometheus style: `cpu_usage_percent`, `net_rx_bytes_per_second`. */
	name: string;
	value: number;
	labels?: Labels;
}

/** Monotonic counters by key, kept between collections to turn them into rates. */
export type CounterSet = Record<string, number>;

/**
 * What a collector hands to its next run. It is stored (in the monitoring store, or in the
 * workflow's static data when storing is off), never kept in a module global: queue-mode workers
 * do not share memory, and n8n restarts.
 */
export interface CollectorState {
	/** Unix time in milliseconds when the counters were read. */
	time: number;
	counters: CounterSet;
}

/** One stored series of this host, as (Unix ms, value) points, oldest first. */
export interface HistorySeries {
	labels: Labels;
	points: Array<[number, number]>;
}

/** The outcome of running one collector once: always a value, never a thrown error. */
export interface Collection<Snapshot = unknown> {
	collector: string;
	host: string;
	/** Unix time in milliseconds when the collection started. */
	time: number;
	durationMs: number;
	ok: boolean;
	error?: string;
	warnings: string[];
	samples: Sample[];
	snapshot: Snapshot | null;
	state?: CollectorState;
}
