/**
 * Read-only queries over the monitoring store for the dashboard and exports. Every name that
 * comes from a user (host, metric, label, workflow) is a bound parameter; the only SQL text
 * built here holds whole numbers computed by this module (bucket widths).
 */
export { QueryError } from './errors';
export { pickResolution, bucketCount, type Resolution, type ResolutionChoice } from './resolution';
export {
	querySeries,
	markGaps,
	type SeriesQuery,
	type SeriesResponse,
	type SeriesResult,
} from './series';
export {
	overview,
	checkOverviewOptions,
	FLEET_SORTS,
	MAX_FLEET_LIMIT,
	thresholdStatus,
	isStale,
	staleAfterMs,
	hostStatus,
	runStatus,
	collectorStatuses,
	worst,
	THRESHOLDS,
	LATEST_WINDOW_MS,
	STALE_FALLBACK_MS,
	STALE_MIN_MS,
	type Overview,
	type OverviewOptions,
	type FleetPage,
	type FleetSort,
	type HostOverview,
	type TargetStatus,
	type Gauge,
	type CollectorStatus,
	type Status,
	type OverviewStore,
} from './overview';
export {
	containersOfHost,
	containerCounts,
	containerStatus,
	countContainers,
	CONTAINERS_COLLECTOR,
} from './containers';
export { latestSnapshot, type Snapshot } from './snapshot';
export { n8nInstance, type N8nInstance } from './n8n-instance';
export { targetState, DETAIL_KINDS, type DetailKind, type TargetState } from './target-state';
export { reasonFromSnapshot, snapshotEntry } from './reasons';
export {
	executions,
	failureRateSeries,
	MAX_EXECUTIONS_LIMIT,
	type ExecutionsQuery,
	type ExecutionsPage,
	type ExecutionRow,
} from './executions';
export {
	prometheusExport,
	escapeLabelValue,
	sanitizeMetricName,
	sanitizeLabelName,
} from './prometheus';
export { listHosts, type HostMetrics } from './hosts';
export { expectedBands } from './expected';
export { unusualNow, watchedPresets, MAX_SERIES, MAX_UNUSUAL_LIMIT } from './unusual';
export { MAX_POINTS, MIN_POINTS, MAX_RANGE_MS } from './validate';
export { summary, type Summary, type Figure } from './summary';
export {
	uptimeReport,
	uptimeCsv,
	UPTIME_KINDS,
	MAX_UPTIME_RANGE_MS,
	type UptimeKind,
	type UptimeQuery,
	type UptimeRow,
	type UptimeTarget,
	type UptimeGranularity,
} from './uptime';
export {
	listIncidents,
	findIncident,
	parseIncidentRef,
	INCIDENT_UPDATE_STATUSES,
	type IncidentRef,
	type Incident,
	type IncidentQuery,
	type IncidentTarget,
	type IncidentTimelineEntry,
	type IncidentUpdateStatus,
} from './incidents';
export {
	buildStatusPage,
	slugOf,
	STATUS_DAYS,
	UPTIME_RANGES,
	MAX_PAST_INCIDENTS,
	type StatusPageConfig,
	type StatusPageItemConfig,
	type StatusPageModel,
	type StatusItem,
	type StatusGroup,
	type StatusIncident,
	type StatusIncidentEntry,
	type StatusMaintenance,
	type StatusDay,
	type PublicStatus,
	type UptimeRange,
} from './status-page';
export type { RawSample } from '../store';
