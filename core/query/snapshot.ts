import type { StoreReader } from '../store';

import { checkName } from './validate';
import type { Snapshot } from '../contract/dashboard-api';

export type { Snapshot };

/** The latest snapshot a collector left for a host, parsed; undefined when it never ran there. */
export async function latestSnapshot(
	store: Pick<StoreReader, 'runs'>,
	host: string,
	collector: string,
): Promise<Snapshot | undefined> {
	checkName('host', host);
	checkName('collector', collector);
	const row = await store.runs.snapshot(host, collector);
	if (!row) return undefined;
	let snapshot: unknown = null;
	if (row.snapshot != null) {
		try {
			snapshot = JSON.parse(String(row.snapshot));
		} catch {
			snapshot = null; // a damaged snapshot shows as none rather than failing the page
		}
	}
	return { host, collector, ts: row.ts, snapshot };
}
