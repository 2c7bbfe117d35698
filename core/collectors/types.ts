import type { CollectorState, HistorySeries, Sample } from '../model';

// The data model lives in core/model; collectors keep importing it from here.
export type {
	Collection,
	CollectorState,
	CounterSet,
	HistorySeries,
	Labels,
	Sample,
} from '../model';

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
