import { runCollector } from './collectors/run';
import type { Collector } from './collectors/types';
import type { Collection, CollectorState } from './model';
import {
	collectN8n,
	type CollectN8nOptions,
	N8nClient,
	type N8nClientOptions,
	type N8nSnapshot,
} from './n8n';
import {
	type HostMetrics,
	listHosts,
	querySeries,
	type SeriesQuery,
	summary,
	type Summary,
	uptimeReport,
	type UptimeQuery,
	type UptimeRow,
} from './query';
import { openStore, type StoreConfig, type StoreReader } from './store';

/** Where a collector's counters live between runs when there is no store to keep them. */
export interface StateKeeper {
	load(host: string, collector: string): CollectorState | undefined;
	save(host: string, collector: string, state: CollectorState | undefined): void;
}

export interface CollectRequest<O> {
	host: string;
	options: O;
	/** Store into this store; `null` only collects. */
	store: StoreConfig | null;
	/** Used when `store` is null. */
	state?: StateKeeper;
	timeoutMs?: number;
}

export interface CollectResult<S> {
	collection: Collection<S>;
	stored: boolean;
	store?: string;
	storedSamples?: number;
	/** Why the write failed; the collection is still here, so nothing collected is lost. */
	storeError?: Error;
}

/**
 * One collection from source to store: open the store first (a store that cannot open is the
 * user's to fix, and fails before anything is collected), take the previous counters, run the
 * collector (whose failures are data), and write everything in one transaction.
 */
export async function collectAndStore<O, S>(
	collector: Collector<O, S>,
	request: CollectRequest<O>,
): Promise<CollectResult<S>> {
	const { host } = request;
	if (!request.store) {
		const previous = request.state?.load(host, collector.name);
		const collection = await runCollector(collector, request.options, {
			host,
			previous,
			timeoutMs: request.timeoutMs,
		});
		request.state?.save(host, collector.name, collection.state);
		return { collection, stored: false };
	}
	const store = await openStore(request.store);
	const previous = await store.loadState(host, collector.name);
	const collection = await runCollector(collector, request.options, {
		host,
		previous,
		history: { series: (metric, sinceMs) => store.readHourly(host, metric, sinceMs) },
		timeoutMs: request.timeoutMs,
	});
	const where = store.description;
	try {
		const written = await store.writeCollection(collection);
		return { collection, stored: true, store: where, storedSamples: written.samples };
	} catch (error) {
		const storeError = error instanceof Error ? error : new Error(String(error));
		return { collection, stored: false, store: where, storeError };
	}
}

/**
 * n8n's executions: unlike the collectors, the sync writes its records (store.executions) into the
 * store as it pages, so the store is required. The figures it derives are then stored like any
 * collection.
 */
export async function syncN8nAndStore(
	storeConfig: StoreConfig,
	client: N8nClientOptions,
	options: CollectN8nOptions,
): Promise<CollectResult<N8nSnapshot>> {
	const api = new N8nClient(client);
	const store = await openStore(storeConfig);
	const { collection } = await collectN8n(store, api, options);
	try {
		const written = await store.writeCollection(collection);
		return { collection, stored: true, store: store.description, storedSamples: written.samples };
	} catch (error) {
		const storeError = error instanceof Error ? error : new Error(String(error));
		return { collection, stored: false, store: store.description, storeError };
	}
}

/** A range of one metric from the store, at the resolution that keeps it under maxPoints. */
export async function queryHistory(storeConfig: StoreConfig, query: SeriesQuery) {
	const store = await openStore(storeConfig);
	return await querySeries(store, query);
}

/** Every host of the store with the names of its metrics, for pickers in the editor. */
export async function storedHosts(storeConfig: StoreConfig): Promise<HostMetrics[]> {
	const store = await openStore(storeConfig);
	return await listHosts(store);
}

/**
 * Uptime per target and per day or month; the 5-minute rollups are looked for only as far back
 * as the store keeps them.
 */
export async function uptimeHistory(
	storeConfig: StoreConfig,
	query: Omit<UptimeQuery, 'rollup5mDays'>,
): Promise<UptimeRow[]> {
	const store = await openStore(storeConfig);
	return await uptimeReport(store, { ...query, rollup5mDays: store.retention.rollup5m });
}

/** A digest of a period (averages, peaks, availability, failures, worst offenders). */
export async function summarizeHistory(
	storeConfig: StoreConfig,
	range: { from: number; to: number; worst?: number },
): Promise<Summary> {
	const store = await openStore(storeConfig);
	return await summary(store, range);
}

/** Runs a read (the Ask answers) against the store the config names, opened once per process. */
export async function readStore<T>(
	storeConfig: StoreConfig,
	read: (store: StoreReader) => Promise<T>,
): Promise<T> {
	return await read(await openStore(storeConfig));
}
