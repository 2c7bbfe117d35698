import type { Knex } from 'knex';

import type { RunRecord } from './bulk';
import { num } from './values';

/** A collector's state row as its snapshot: when it last ran, and what it left to read. */
export interface SnapshotRow {
	ts: number;
	/** The snapshot as stored (JSON text), or null. */
	snapshot: string | null;
}

/**
 * The runs of collectors (mon_collections) and the one state row each collector keeps per host
 * (mon_collector_state): what the fleet's status, staleness and the detail views are made of.
 */
export class RunReads {
	constructor(private readonly knex: Knex) {}

	/** The latest run (at or before `now`) of every collector on every host, or of one pair. */
	latest(now: number, only?: { host: string; collector: string }): Promise<LatestRun[]> {
		return latestRuns(this.knex, now, only);
	}

	/**
	 * The usual time between two runs of each collector over [now - windowMs, now], of the given
	 * hosts (all when absent), keyed by host and collector (joined by a NUL).
	 */
	intervals(
		now: number,
		hosts: string[] | undefined,
		windowMs: number,
	): Promise<Map<string, number>> {
		return collectorIntervals(this.knex, now, hosts, windowMs);
	}

	/** The snapshot a collector left for a host with its last run; undefined when it never ran there. */
	async snapshot(host: string, collector: string): Promise<SnapshotRow | undefined> {
		const row = await this.knex('mon_collector_state')
			.where({ host, collector })
			.first('ts', 'snapshot');
		if (!row) return undefined;
		return { ts: num(row.ts), snapshot: row.snapshot == null ? null : String(row.snapshot) };
	}

	/** Every run record in [from, to], in time order. */
	async between(from: number, to: number): Promise<RunRecord[]> {
		const rows = await this.knex('mon_collections')
			.whereBetween('ts', [from, to])
			.orderBy([{ column: 'ts' }, { column: 'id' }])
			.select(RUN_COLUMNS);
		return rows.map(toRunRecord);
	}

	/**
	 * The failed runs of one host (of one collector when given) in [from, to], newest first, at
	 * most `limit`: a seek on (host, collector, ts) instead of every run of the fleet.
	 */
	async failures(
		host: string,
		from: number,
		to: number,
		options: { collector?: string; limit?: number } = {},
	): Promise<RunRecord[]> {
		const rows = await this.knex('mon_collections')
			.where('host', host)
			.modify((q) => {
				if (options.collector !== undefined) q.andWhere('collector', options.collector);
			})
			.andWhere('ok', false)
			.whereBetween('ts', [from, to])
			.orderBy([
				{ column: 'ts', order: 'desc' },
				{ column: 'id', order: 'desc' },
			])
			.limit(Math.min(options.limit ?? 20, 1000))
			.select(RUN_COLUMNS);
		return rows.map(toRunRecord);
	}

	/**
	 * When one collector last ran on each host, for hosts that ran it since `since`. Every stored
	 * collection upserts its collector's state row with its time: one row per host holds the last
	 * run, where grouping mon_collections would read a month of runs.
	 */
	async lastRunOfEachHost(
		collector: string,
		since: number,
	): Promise<Array<{ host: string; last: number }>> {
		const rows = await this.knex('mon_collector_state')
			.where('collector', collector)
			.andWhere('ts', '>=', since)
			.select('host', 'ts as last');
		return rows.map((r) => ({ host: String(r.host), last: num(r.last) }));
	}
}

const RUN_COLUMNS = ['host', 'collector', 'ts', 'duration_ms', 'ok', 'error', 'sample_count'];

function toRunRecord(r: Record<string, unknown>): RunRecord {
	return {
		host: String(r.host),
		collector: String(r.collector),
		ts: num(r.ts),
		durationMs: num(r.duration_ms),
		ok: Boolean(num(r.ok)),
		error: r.error == null ? null : String(r.error),
		sampleCount: num(r.sample_count),
	};
}

export interface LatestRun {
	host: string;
	collector: string;
	lastTs: number;
	ok: boolean;
	error: string | null;
	/** The state row's time, status streak and last success (migration 005). */
	stateTs: number | null;
	statusSince: number | null;
	lastOkTs: number | null;
}

/** The latest run (at or before `now`) of every collector on every host, or of one pair. */
async function latestRuns(
	knex: Knex,
	now: number,
	only?: { host: string; collector: string },
): Promise<LatestRun[]> {
	// The (host, collector) pairs come from mon_collector_state (one row each, kept by every
	// write); the latest run of each is then one seek on (host, collector, ts). A GROUP BY over all
	// of mon_collections would scan every run ever stored: 2.6 million rows for 10 hosts with 6
	// collectors each minute over 30 days.
	// PostgreSQL: one backward seek per pair (LATERAL ... LIMIT 1), half the time of the
	// join on max(ts) below, which it plans as two seeks per pair.
	const state = ['st.ts as state_ts', 'st.status_since', 'st.last_ok_ts'];
	const query =
		knex.client.config.client === 'pg'
			? knex('mon_collector_state as st')
					.joinRaw(
						'cross join lateral (select x.ts, x.ok, x.error, x.id from mon_collections x where x.host = st.host and x.collector = st.collector and x.ts <= ? order by x.ts desc, x.id desc limit 1) c',
						[now],
					)
					.select('st.host', 'st.collector', 'c.ts', 'c.ok', 'c.error', 'c.id', ...state)
			: knex('mon_collector_state as st')
					// Joined on the id the subquery picks, not on ts = max(ts): with the latter SQLite
					// scans every row of mon_collections and runs the subquery for each (0.5 s at
					// 432,000 rows, bench/dashboard-load.js).
					.join('mon_collections as c', function () {
						this.on(
							'c.id',
							'=',
							knex.raw(
								'(select x.id from mon_collections x where x.host = st.host and x.collector = st.collector and x.ts <= ? order by x.ts desc, x.id desc limit 1)',
								[now],
							),
						);
					})
					.select('c.host', 'c.collector', 'c.ts', 'c.ok', 'c.error', 'c.id', ...state)
					.orderBy([{ column: 'c.host' }, { column: 'c.collector' }, { column: 'c.id' }]);
	if (only) query.where({ 'st.host': only.host, 'st.collector': only.collector });
	const rows: Array<Record<string, unknown>> = await query;
	const orNull = (v: unknown) => (v == null ? null : num(v));
	// Two runs in the same millisecond: the later row (higher id) wins, on both engines.
	const byKey = new Map<string, LatestRun>();
	for (const row of rows)
		byKey.set(`${row.host}\u0000${row.collector}`, {
			host: String(row.host),
			collector: String(row.collector),
			lastTs: num(row.ts),
			ok: Boolean(num(row.ok)),
			error: row.error == null ? null : String(row.error),
			stateTs: orNull(row.state_ts),
			statusSince: orNull(row.status_since),
			lastOkTs: orNull(row.last_ok_ts),
		});
	// Ordered by host and collector on both engines (the LATERAL form has no ORDER BY of its own).
	return [...byKey.values()].sort((a, b) =>
		a.host === b.host
			? a.collector < b.collector
				? -1
				: a.collector > b.collector
					? 1
					: 0
			: a.host < b.host
				? -1
				: 1,
	);
}

/**
 * The usual time between two runs of each collector, measured over the window before `now`, of the given
 * hosts (all when absent): 360 runs a host for a collector that runs every minute, so a fleet's
 * page asks only for the hosts it shows.
 */
async function collectorIntervals(
	knex: Knex,
	now: number,
	hosts: string[] | undefined,
	windowMs: number,
): Promise<Map<string, number>> {
	const intervals = new Map<string, number>();
	if (hosts && hosts.length === 0) return intervals;
	const query = knex('mon_collections')
		.select('host', 'collector')
		.count({ n: '*' })
		.min({ first: 'ts' })
		.max({ last: 'ts' })
		.where('ts', '>=', now - windowMs)
		.andWhere('ts', '<=', now)
		.groupBy('host', 'collector');
	if (hosts) query.whereIn('host', hosts);
	for (const s of (await query) as Array<Record<string, unknown>>) {
		const n = num(s.n);
		if (n >= 2)
			intervals.set(`${s.host}\u0000${s.collector}`, (num(s.last) - num(s.first)) / (n - 1));
	}
	return intervals;
}
