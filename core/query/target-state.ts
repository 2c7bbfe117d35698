import type { StoreReader } from '../store';

import { QueryError } from './errors';
import { collectorStatus, INTERVAL_WINDOW_MS, overview, type OverviewStore } from './overview';
import { CONTAINERS_COLLECTOR, containerOf, containersOfHost, containerStatus } from './containers';
import { collectorOfKind, NAME_LABEL, snapshotEntry, type TargetKindName } from './reasons';
import { latestSnapshot } from './snapshot';
import { checkName, num } from './validate';
import type { DetailKind, TargetState } from '../contract/dashboard-api';

export type { DetailKind, TargetState };

/** The detail views, each the state of one collector (host, gpu) or one target it checks. */
export const DETAIL_KINDS = [
	'host',
	'gpu',
	'model_server',
	'database',
	'endpoint',
	'workflow',
	'container',
	'n8n',
] as const satisfies readonly DetailKind[];

/** The metric whose series tell that a kind of target ever reported. */
const PRESENCE: Record<DetailKind, string> = {
	host: 'cpu_usage_percent',
	gpu: 'gpu_utilization_percent',
	model_server: 'model_server_up',
	database: 'db_up',
	endpoint: 'endpoint_up',
	workflow: 'n8n_execution_failure_rate',
	container: 'docker_container_up',
	n8n: 'n8n_api_up',
};

/**
 * The state of one detail view's subject, from the same rules as the overview (it asks the
 * overview for the one host, so both always agree), plus whether it ever reported and, for
 * endpoints, the URL and the last status code from the latest snapshot.
 */
export async function targetState(
	store: OverviewStore,
	query: { now: number; kind: string; host: string; name?: string },
): Promise<TargetState> {
	if (!DETAIL_KINDS.includes(query.kind as DetailKind))
		throw new QueryError(`kind must be one of ${DETAIL_KINDS.join(', ')}`);
	const kind = query.kind as DetailKind;
	const host = checkName('host', query.host);
	// The n8n view's subject is the instance (its host name), like a host's.
	const isTarget = kind !== 'host' && kind !== 'gpu' && kind !== 'n8n';
	const name = isTarget ? checkName('name', query.name) : null;
	const collector = collectorOfKind(kind);
	const now = query.now;

	const [runs, present] = await Promise.all([
		store.runs.latest(now, { host, collector }),
		hasSeries(
			store,
			host,
			PRESENCE[kind],
			kind === 'container'
				? 'container'
				: isTarget
					? NAME_LABEL[kind as TargetKindName]
					: undefined,
			name,
		),
	]);
	const run = runs[0];
	const state: TargetState = {
		kind,
		host,
		name,
		collector,
		status: 'nodata',
		since: null,
		stale: true,
		reported: present,
		lastTs: null,
		lastOkTs: null,
		intervalMs: null,
		reason: null,
	};
	if (run) {
		const c = collectorStatus(
			run,
			await store.runs.intervals(now, [host], INTERVAL_WINDOW_MS),
			now,
		);
		Object.assign(state, {
			status: c.status,
			since: c.since,
			stale: c.stale,
			lastTs: c.lastTs,
			lastOkTs: c.lastOkTs,
			intervalMs: c.intervalMs,
			reason: c.ok ? null : c.error,
		});
	}
	if (kind === 'container') {
		// Its state is its row in the host's latest collection, unless that collector went quiet.
		const row = await containerOf(store, host, name!);
		state.container = row;
		if (run && !state.stale && run.ok) Object.assign(state, containerStatus(row));
	} else if (kind === 'host' || isTarget) {
		const o = await overview(store, { now, filter: host, limit: 1000 });
		if (kind === 'host') {
			const h = o.hosts.find((x) => x.host === host);
			if (h) Object.assign(state, { status: h.status, since: h.since, reason: h.reason });
		} else {
			const t = o.targets.find((x) => x.kind === kind && x.host === host && x.name === name);
			if (t)
				Object.assign(state, {
					status: t.status,
					since: t.since,
					reason: t.reason ?? (t.status === 'ok' ? null : state.reason),
				});
		}
	}
	if (kind === 'host') {
		const [containers, n8n] = await Promise.all([
			hostContainers(store, host, now),
			store.runs.latest(now, { host, collector: 'n8n' }),
		]);
		if (containers) state.containers = containers;
		if (n8n.length > 0) state.n8n = true;
	}
	if (kind === 'endpoint') {
		const snap = await latestSnapshot(store, host, collector);
		const entry = snapshotEntry(kind, name!, snap?.snapshot);
		state.url = typeof entry?.url === 'string' ? entry.url : null;
		state.statusCode = entry && entry.statusCode != null ? num(entry.statusCode) : null;
	}
	return state;
}

/** The containers section of a host whose containers collector ran; undefined otherwise. */
async function hostContainers(store: OverviewStore, host: string, now: number) {
	const [run] = await store.runs.latest(now, { host, collector: CONTAINERS_COLLECTOR });
	if (!run) return undefined;
	const c = collectorStatus(run, await store.runs.intervals(now, [host], INTERVAL_WINDOW_MS), now);
	return containersOfHost(store, host, c);
}

/** Whether a series of this metric (with this label value) was ever stored for the host. */
async function hasSeries(
	store: Pick<StoreReader, 'samples'>,
	host: string,
	metric: string,
	label?: string,
	value?: string | null,
): Promise<boolean> {
	const rows = await store.samples.ofHost(host, metric, 10_000);
	if (!label) return rows.length > 0;
	return rows.some((r) => r.labels[label] === value);
}

export type { TargetKindName };
