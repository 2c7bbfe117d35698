/**
 * The server's API as the browser asks it: one table of each route's parameters, typed by the
 * wire contract (core/contract/dashboard-api.ts). Only types come from core (`import type`, erased
 * by esbuild), so no server code reaches the bundle, and a field the server renames breaks this
 * build.
 */
import type { ApiRoute, DashboardApi, Status } from '../../../core/contract/dashboard-api';

export type {
	AckResult,
	ActionRoute,
	AlertRow,
	AlertsResponse,
	DashboardActions,
	SilenceBody,
	SilenceRow,
	SilencesResponse,
	ApiResponse,
	ApiRoute,
	ContainerCounts,
	ContainerInfo,
	ContainersState,
	DetailKind,
	ExecutionRow,
	FleetSort,
	Gauge,
	GaugeKey,
	HostOverview,
	IncidentRow,
	IncidentsResponse,
	IncidentTimelineRow,
	Overview,
	Point,
	SeriesResponse,
	SeriesResult,
	Status,
	TargetState,
	TargetStatus,
	ExpectedResponse,
	ExpectedSeries,
	UnusualResponse,
	UnusualRow,
} from '../../../core/contract/dashboard-api';

/** One API request: the route it asks (which fixes the type of its answer) and its path. */
export interface ApiRequest<R extends ApiRoute = ApiRoute> {
	route: R;
	/** Relative to the dashboard's base, with the query string. */
	path: string;
}

type Query<R extends ApiRoute> = DashboardApi[R]['query'];
/** What goes on the wire: numbers (times in ms) are sent whole; undefined is left out. */
type Wire = string | number | undefined;
/** The fields of a query that go on the wire as they are, under their own names. */
type PlainField<Q> = Extract<{ [K in keyof Q]-?: Q[K] extends Wire ? K : never }[keyof Q], string>;
/** One parameter: a field sent as it is, or a wire name and how it is made from the query. */
type Param<Q> = PlainField<Q> | readonly [string, (q: Q) => Wire];

/** The routes the browser asks, each with its parameters in the order they are sent. */
const PARAMS: { [R in Exclude<ApiRoute, 'hosts'>]: ReadonlyArray<Param<Query<R>>> } = {
	series: [
		'host',
		'metric',
		'from',
		'to',
		['points', (q) => q.maxPoints ?? 1500],
		[
			'labels',
			(q) => (q.labels && Object.keys(q.labels).length ? JSON.stringify(q.labels) : undefined),
		],
	],
	expected: [
		'host',
		'metric',
		'from',
		'to',
		[
			'labels',
			(q) => (q.labels && Object.keys(q.labels).length ? JSON.stringify(q.labels) : undefined),
		],
	],
	unusual: ['limit'],
	status: ['kind', 'host', 'name'],
	snapshot: ['host', 'collector'],
	n8n: ['instance'],
	overview: ['sort', 'limit', 'offset', 'filter', ['status', (q) => q.status?.join(',')]],
	alerts: ['from', 'to', 'limit'],
	silences: [],
	incidents: ['from', 'to'],
	executions: [
		'instance',
		['workflow', (q) => q.workflowId],
		'status',
		'from',
		'to',
		'limit',
		'offset',
	],
};

export type RequestRoute = keyof typeof PARAMS;

/** The request for a route and its query, with the parameter names the server reads. */
export function apiRequest<R extends RequestRoute>(route: R, query: Query<R>): ApiRequest<R> {
	const params: ReadonlyArray<Param<Query<R>>> = PARAMS[route];
	const p = new URLSearchParams();
	for (const param of params) {
		const [name, value]: [string, Wire] =
			typeof param === 'string' ? [param, query[param] as Wire] : [param[0], param[1](query)];
		if (value !== undefined)
			p.set(name, typeof value === 'number' ? String(Math.round(value)) : value);
	}
	return { route, path: `/api/${route}?${p}` };
}

export const STATUSES: Status[] = ['ok', 'warning', 'critical', 'nodata'];

export function statusOf(v: unknown): Status {
	return STATUSES.includes(v as Status) ? (v as Status) : 'nodata';
}
