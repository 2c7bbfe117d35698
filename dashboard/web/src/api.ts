/**
 * The server's API as the browser asks it: typed request builders over the wire contract
 * (core/contract/dashboard-api.ts). Only types come from core (`import type`, erased by esbuild),
 * so no server code reaches the bundle, and a field the server renames breaks this build.
 */
import type {
	AlertRow,
	AlertsResponse,
	ApiResponse,
	ApiRoute,
	DashboardApi,
	DetailKind,
	ExecutionRow,
	FleetSort,
	Gauge,
	GaugeKey,
	HostOverview,
	Overview,
	Point,
	SeriesResponse,
	SeriesResult,
	Status,
	TargetState,
	TargetStatus,
} from '../../../core/contract/dashboard-api';

export type {
	AlertRow,
	AlertsResponse,
	ApiResponse,
	ApiRoute,
	DetailKind,
	ExecutionRow,
	FleetSort,
	Gauge,
	GaugeKey,
	HostOverview,
	Overview,
	Point,
	SeriesResponse,
	SeriesResult,
	Status,
	TargetState,
	TargetStatus,
};

/** One API request: the route it asks (which fixes the type of its answer) and its path. */
export interface ApiRequest<R extends ApiRoute = ApiRoute> {
	route: R;
	/** Relative to the dashboard's base, with the query string. */
	path: string;
}

type Query<R extends ApiRoute> = DashboardApi[R]['query'];

/**
 * The request for a route, its parameters in the given order; undefined ones are left out, and
 * numbers (times in ms) are sent as whole numbers.
 */
function request<R extends ApiRoute>(
	route: R,
	params: Array<[string, string | number | undefined]>,
): ApiRequest<R> {
	const p = new URLSearchParams();
	for (const [name, value] of params)
		if (value !== undefined)
			p.set(name, typeof value === 'number' ? String(Math.round(value)) : value);
	return { route, path: `/api/${route}?${p}` };
}

export const seriesRequest = (q: Query<'series'>) =>
	request('series', [
		['host', q.host],
		['metric', q.metric],
		['from', q.from],
		['to', q.to],
		['points', q.maxPoints ?? 1500],
		['labels', q.labels && Object.keys(q.labels).length ? JSON.stringify(q.labels) : undefined],
	]);

export const statusRequest = (q: Query<'status'>) =>
	request('status', [
		['kind', q.kind],
		['host', q.host],
		['name', q.name],
	]);

export const snapshotRequest = (q: Query<'snapshot'>) =>
	request('snapshot', [
		['host', q.host],
		['collector', q.collector],
	]);

export const overviewRequest = (q: Query<'overview'>) =>
	request('overview', [
		['sort', q.sort],
		['limit', q.limit],
		['offset', q.offset],
		['filter', q.filter],
		['status', q.status?.join(',')],
	]);

export const alertsRequest = (q: Query<'alerts'>) =>
	request('alerts', [
		['from', q.from],
		['to', q.to],
		['limit', q.limit],
	]);

export const executionsRequest = (q: Query<'executions'>) =>
	request('executions', [
		['instance', q.instance],
		['workflow', q.workflowId],
		['status', q.status],
		['from', q.from],
		['to', q.to],
		['limit', q.limit],
		['offset', q.offset],
	]);

export const STATUSES: Status[] = ['ok', 'warning', 'critical', 'nodata'];

export function statusOf(v: unknown): Status {
	return STATUSES.includes(v as Status) ? (v as Status) : 'nodata';
}
