/**
 * What the dashboard shows of a host's containers: the containers collector's latest snapshot,
 * read back defensively (stored JSON; an older collector may have written fewer fields), its
 * counts for the overview's cards, and one container's state for its detail view. Names, images
 * and status words come from the engine: they are data, and the browser shows them as text.
 */
import { exitedWithError } from '../model';
import type { StoreReader } from '../store';

import { latestSnapshot } from './snapshot';
import type {
	CollectorStatus,
	ContainerCounts,
	ContainerInfo,
	ContainersState,
	Status,
} from '../contract/dashboard-api';

export const CONTAINERS_COLLECTOR = 'containers';

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const opt = (v: unknown): number | undefined =>
	typeof v === 'number' && Number.isFinite(v) ? v : undefined;

function info(v: unknown): ContainerInfo | null {
	if (!v || typeof v !== 'object') return null;
	const r = v as Record<string, unknown>;
	const name = str(r.name);
	if (!name) return null;
	const row: ContainerInfo = {
		name,
		id: str(r.id),
		image: str(r.image, 'unknown'),
		state: str(r.state, 'unknown'),
		status: str(r.status),
		health: str(r.health, 'none'),
		light: 'nodata',
		stateLight: 'nodata',
		restarts: opt(r.restarts) ?? 0,
		exitCode: opt(r.exitCode) ?? 0,
		oomKilled: r.oomKilled === true,
		memoryLimited: r.memoryLimited === true,
	};
	if (typeof r.project === 'string' && r.project) row.project = r.project;
	const numbers = [
		'uptimeSeconds',
		'cpuPercent',
		'cpuLimitPercent',
		'memoryUsedBytes',
		'memoryLimitBytes',
		'memoryPercent',
		'netRxBytesPerSecond',
		'netTxBytesPerSecond',
		'pids',
	] as const;
	for (const k of numbers) {
		const n = opt(r[k]);
		if (n !== undefined) row[k] = n;
	}
	row.light = containerStatus(row).status;
	row.stateLight = containerStatus({ ...row, health: 'none' }).status;
	return row;
}

/** The snapshot's parts, whatever a stored snapshot holds. */
function parse(snapshot: unknown) {
	const s = (snapshot && typeof snapshot === 'object' ? snapshot : {}) as Record<string, unknown>;
	const rows = (Array.isArray(s.containers) ? s.containers : [])
		.map(info)
		.filter((r): r is ContainerInfo => r !== null)
		.sort((a, b) => a.name.localeCompare(b.name));
	const e = s.engine && typeof s.engine === 'object' ? (s.engine as Record<string, unknown>) : null;
	return {
		rows,
		message: typeof s.message === 'string' && s.message ? s.message : null,
		engine: e ? { product: str(e.product, 'Docker'), version: str(e.version) || null } : null,
		matched: opt(s.matched) ?? rows.length,
	};
}

export function countContainers(
	rows: ContainerInfo[],
	message: string | null,
	stale: boolean,
): ContainerCounts {
	return {
		running: rows.filter((r) => r.state === 'running').length,
		unhealthy: rows.filter((r) => r.health === 'unhealthy').length,
		exited: rows.filter((r) => r.state === 'exited' || r.state === 'dead').length,
		failed: rows.filter((r) => exitedWithError(r)).length,
		total: rows.length,
		message,
		stale,
	};
}

/**
 * A host's containers section: undefined when its containers collector never ran (the host view
 * then shows nothing of containers), else the latest snapshot and the collection's state.
 */
export async function containersOfHost(
	store: Pick<StoreReader, 'runs'>,
	host: string,
	collector: CollectorStatus | undefined,
): Promise<ContainersState | undefined> {
	if (!collector) return undefined;
	const snap = await latestSnapshot(store, host, CONTAINERS_COLLECTOR);
	const p = parse(snap?.snapshot);
	return {
		ts: snap?.ts ?? collector.lastTs,
		ok: collector.ok,
		error: collector.ok ? null : collector.error,
		stale: collector.stale,
		message: p.message,
		engine: p.engine,
		counts: countContainers(p.rows, p.message, collector.stale),
		containers: p.rows,
		matched: p.matched,
	};
}

/** The counts for the overview's card of each host that has a containers collector. */
export async function containerCounts(
	store: Pick<StoreReader, 'runs'>,
	host: string,
	collector: CollectorStatus,
): Promise<ContainerCounts> {
	const snap = await latestSnapshot(store, host, CONTAINERS_COLLECTOR);
	const p = parse(snap?.snapshot);
	return countContainers(p.rows, p.message, collector.stale);
}

/** One container's row in a host's latest collection; null when it was not listed. */
export async function containerOf(
	store: Pick<StoreReader, 'runs'>,
	host: string,
	name: string,
): Promise<ContainerInfo | null> {
	const snap = await latestSnapshot(store, host, CONTAINERS_COLLECTOR);
	return parse(snap?.snapshot).rows.find((r) => r.name === name) ?? null;
}

/**
 * A container's state and why: unhealthy or exited with an error is critical, restarting or
 * paused is a warning, running is ok; stopped (exit 0, or a stop's signal: see exitedWithError)
 * or only created tells nothing wrong and nothing current: no data, with the engine's words as
 * the reason.
 */
export function containerStatus(row: ContainerInfo | null): {
	status: Status;
	reason: string | null;
} {
	if (!row) return { status: 'nodata', reason: 'not listed by the latest collection' };
	const words = row.status || row.state;
	if (row.health === 'unhealthy') return { status: 'critical', reason: words };
	if (row.state === 'running') return { status: 'ok', reason: null };
	if (row.state === 'restarting' || row.state === 'paused')
		return { status: 'warning', reason: words };
	if (exitedWithError(row))
		return { status: 'critical', reason: row.oomKilled ? `${words} (out of memory)` : words };
	return { status: 'nodata', reason: words };
}
