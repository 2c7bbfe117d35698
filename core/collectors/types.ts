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

/**
 * Read access to what the store already holds for the host being collected, for collectors that
 * derive figures from history (growth over 7 and 30 days, a forecast). Hourly averages.
 */
export interface HistoryReader {
	series(metric: string, sinceMs: number): Promise<HistorySeries[]>;
}

export interface CollectContext {
	/** State the previous collection of this collector on this host left, if any. */
	previous?: CollectorState;
	/** Aborted when the collection runs past its timeout. */
	signal: AbortSignal;
	/** Absent when nothing is stored (the Store option is off). */
	history?: HistoryReader;
}

export interface CollectorOutput<Snapshot = unknown> {
	samples: Sample[];
	/** A readable JSON view of what was collected, emitted as the n8n item. */
	snapshot: Snapshot;
	/** Counters to hand to the next run. */
	state?: CollectorState;
	/** Problems that did not stop the collection (a sensor that could not be read). */
	warnings?: string[];
}

/** One source of metrics. Every collector (host, GPU, database, endpoint, n8n) has this shape. */
export interface Collector<Options, Snapshot = unknown> {
	readonly name: string;
	collect(options: Options, context: CollectContext): Promise<CollectorOutput<Snapshot>>;
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
