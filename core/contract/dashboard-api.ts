/**
 * The dashboard API's wire contract: every request the browser sends and every answer the server
 * returns, as types only. core/query returns these shapes, dashboard/server/handler.ts serves
 * them, and dashboard/web imports them with `import type`, so a renamed or removed field breaks
 * the build on both sides instead of a chart going blank. Nothing here may become runtime code:
 * the browser bundle must not pull in core/ (no values, no imports of modules with values).
 */

/** A figure's or a target's state; nodata when there is no current value to judge. */
export type Status = 'ok' | 'warning' | 'critical' | 'nodata';

/** [Unix ms, value]; a null value marks a gap in the data. */
export type Point = [number, number | null];

/** An error answer (4xx, 5xx): what went wrong, in words for people. */
export interface ApiError {
	error: string;
}

// ---- /api/overview ----------------------------------------------------------------------------

/** How the fleet's hosts can be ordered: worst first, by name, or by a figure (highest first). */
export type FleetSort = 'status' | 'name' | 'cpu' | 'memory' | 'disk';

/** /api/overview?sort=&filter=&status=a,b&limit=&offset= */
export interface OverviewQuery {
	/** `name` when absent (the order the overview always had). */
	sort?: FleetSort;
	/** Hosts whose name contains this text (any case). */
	filter?: string;
	/** Hosts in one of these states. */
	status?: Status[];
	/** One page of hosts: at most `limit` from `offset` on; all hosts when absent. */
	limit?: number;
	offset?: number;
}

export interface Gauge {
	value: number | null;
	/** Time of the sample the value comes from. */
	ts: number | null;
	status: Status;
	/**
	 * For an amber or red figure, its first sample of the current streak in that state (24 h
	 * back at most, on the page's hosts); otherwise the latest sample's time. Null when none.
	 */
	since: number | null;
	/** Its collector stopped reporting (core/staleness.ts): value and status are then none. */
	stale: boolean;
}

/** The figures every host card shows, each with its own status. */
export type GaugeKey = 'cpu' | 'memory' | 'disk' | 'gpuUtilization' | 'gpuTemperature';

export interface CollectorStatus {
	host: string;
	collector: string;
	/** Its latest run. */
	lastTs: number;
	ok: boolean;
	error: string | null;
	/** The usual time between two runs, measured over the last 6 hours; null when unknown. */
	intervalMs: number | null;
	/** No run for max(3 intervals, 5 minutes): core/staleness.ts. */
	stale: boolean;
	/** nodata when stale, else ok or critical (the latest run failed). */
	status: Status;
	/** When `status` began: the last report when stale, else the first run of the current streak. */
	since: number;
	/** Its latest successful run; null when none is known. */
	lastOkTs: number | null;
}

export interface HostOverview {
	host: string;
	/**
	 * The worst of its current figures and its collectors' states, where a collector that stopped
	 * counts as nodata and outranks ok (core/query/overview.ts hostStatus).
	 */
	status: Status;
	/** When that status began (hostSince); null when nothing tells. */
	since: number | null;
	/** One of its collectors stopped reporting (or none ever ran). */
	stale: boolean;
	/** The first failing collector and its error, as the collector wrote it; null when none. */
	reason: string | null;
	gauges: Record<GaugeKey, Gauge>;
	collectors: CollectorStatus[];
	/** CPU total over the last 60 minutes, raw, at most 60 points (one per minute). */
	sparkline: Array<[number, number]>;
	/** Only for a host whose containers collector ran: its latest collection's counts. */
	containers?: ContainerCounts;
}

// ---- containers (the containers collector's latest snapshot) -------------------------------------

/** One container as a collection saw it: the collector's snapshot row (core/model re-exports it). */
export interface ContainerRow {
	name: string;
	id: string;
	image: string;
	project?: string;
	/** created, running, paused, restarting, removing, exited, dead. */
	state: string;
	/** The engine's words: "Up 5 minutes (healthy)". */
	status: string;
	/** healthy, unhealthy, starting, or none (no health check). */
	health: string;
	restarts: number;
	exitCode: number;
	oomKilled: boolean;
	restartPolicy?: string;
	uptimeSeconds?: number;
	cpuPercent?: number;
	/** Cores in use: `docker stats` shows this × 100 as its CPU %. */
	cpuCores?: number;
	cpuLimitCores?: number;
	cpuLimitPercent?: number;
	memoryUsedBytes?: number;
	memoryLimitBytes?: number;
	memoryPercent?: number;
	/** False: no --memory, the limit is the host's memory. */
	memoryLimited: boolean;
	netRxBytesPerSecond?: number;
	netTxBytesPerSecond?: number;
	blockReadBytesPerSecond?: number;
	blockWriteBytesPerSecond?: number;
	pids?: number;
}

/** One container as the dashboard shows it: the collector's row, less what the views do not show, with its lights. */
export interface ContainerInfo
	extends Omit<
		ContainerRow,
		| 'restartPolicy'
		| 'cpuCores'
		| 'cpuLimitCores'
		| 'blockReadBytesPerSecond'
		| 'blockWriteBytesPerSecond'
	> {
	/** Its overall light, state and health together (core/query/containers.ts containerStatus). */
	light: Status;
	/** The light of its state alone: running ok, restarting or paused amber, a failed exit red. */
	stateLight: Status;
}

/** Running, unhealthy and exited containers of a host's latest containers collection. */
export interface ContainerCounts {
	running: number;
	unhealthy: number;
	/** Exited or dead. */
	exited: number;
	/** Of the exited, those whose exit was a failure (core/model exitedWithError): not a stop. */
	failed: number;
	total: number;
	/** "no container engine found: …" when there was no engine at the socket; else null. */
	message: string | null;
	/** The containers collector stopped reporting: the counts are its last report's. */
	stale: boolean;
}

/** The containers section of a host's detail: the latest snapshot with its collection's state. */
export interface ContainersState {
	/** The collector's latest run. */
	ts: number;
	/** Its latest run failed: error says why, and the rows are the last successful run's. */
	ok: boolean;
	error: string | null;
	stale: boolean;
	/** "no container engine found: …" when there was no engine at the socket; else null. */
	message: string | null;
	/** The engine's product and version, when one answered. */
	engine: { product: string; version: string | null } | null;
	counts: ContainerCounts;
	/** By name. */
	containers: ContainerInfo[];
	/** Containers the filters matched, before Max Containers. */
	matched: number;
}

export type TargetKind = 'model_server' | 'database' | 'endpoint' | 'workflow';

export interface TargetStatus {
	kind: TargetKind;
	/** The host whose collector checks the target. */
	host: string;
	/** The server, db, endpoint or workflow id label. */
	name: string;
	/** What people call it where that differs from the label: a workflow's name. */
	title?: string;
	status: Status;
	/**
	 * When the status began, as far as it is cheap to know: for up/down and stalled, the first
	 * sample after the last one with another value within 24 h (or the first sample of those 24 h
	 * when nothing changed: "at least since"); for thresholded figures (certificate days,
	 * failure rate) the latest sample's time; when stale, its collector's last report.
	 */
	since: number | null;
	/** The collector of this target on this host stopped reporting (status is then nodata). */
	stale: boolean;
	/** Its collector's latest run. */
	lastTs: number | null;
	/** Why it is down or failing, from the collection's error or its snapshot; null otherwise. */
	reason: string | null;
	/** The up or stalled value (1/0); null when none in the last 15 minutes. */
	value: number | null;
	certDaysLeft?: number | null;
	failureRate?: number | null;
}

/** The whole fleet's counts and where `hosts` lies in the filtered, sorted list. */
export interface FleetPage {
	/** Hosts in the whole fleet, whatever the filter. */
	hosts: number;
	/** Hosts per status in the whole fleet, whatever the filter. */
	counts: Record<Status, number>;
	/** Hosts that pass the filter and status (the length of the list that is paged). */
	matched: number;
	offset: number;
	limit: number | null;
	sort: FleetSort;
	filter: string;
	status: Status[];
}

/** Where a figure turns amber and red. `below` thresholds warn when the value is small. */
export interface Threshold {
	readonly warning: number;
	readonly critical: number;
	readonly below?: boolean;
}

export type ThresholdKey =
	| 'cpu'
	| 'memory'
	| 'disk'
	| 'gpuTemperature'
	| 'certDaysLeft'
	| 'failureRate';

export interface Overview {
	now: number;
	/** The page of hosts (all of them unless a limit was asked for). */
	hosts: HostOverview[];
	fleet: FleetPage;
	targets: TargetStatus[];
	thresholds: Readonly<Record<ThresholdKey, Threshold>>;
}

// ---- /api/status ------------------------------------------------------------------------------

/** The detail views, each the state of one collector (host, gpu) or one target it checks. */
export type DetailKind =
	| 'host'
	| 'gpu'
	| 'model_server'
	| 'database'
	| 'endpoint'
	| 'workflow'
	| 'container'
	| 'n8n';

/** /api/status?kind=&host=&name= (name: the target's, for every kind but host and gpu). */
export interface StatusQuery {
	kind: DetailKind;
	host: string;
	name?: string;
}

/** What the top of a detail view says: the state, since when, the last collection, why. */
export interface TargetState {
	kind: DetailKind;
	host: string;
	/** The target's name (server, db, endpoint, workflow id); null for host and gpu. */
	name: string | null;
	collector: string;
	/** The same status the overview gives it. */
	status: Status;
	/** When that status began; null when nothing tells. */
	since: number | null;
	/** Its collector stopped reporting (core/staleness.ts). */
	stale: boolean;
	/** False when nothing was ever stored for it: the view explains how to set it up instead. */
	reported: boolean;
	/** Its collector's latest run, and latest successful run, on this host. */
	lastTs: number | null;
	lastOkTs: number | null;
	intervalMs: number | null;
	/** Why it is down or failing, as the collector or the remote system said; null otherwise. */
	reason: string | null;
	/** Endpoints: the checked URL and the last HTTP status code (null when no answer came). */
	url?: string | null;
	statusCode?: number | null;
	/** Hosts (instance names) whose n8n collector ran: the n8n view has more about it. */
	n8n?: boolean;
	/** Hosts whose containers collector ran: its latest snapshot. Absent for other hosts. */
	containers?: ContainersState;
	/** Containers: its row in the latest collection; null when that collection did not list it. */
	container?: ContainerInfo | null;
}

// ---- /api/hosts -------------------------------------------------------------------------------

export interface HostMetrics {
	host: string;
	/** Metric names with a stored series on this host, sorted. */
	metrics: string[];
}

export interface HostsResponse {
	hosts: HostMetrics[];
}

// ---- /api/series ------------------------------------------------------------------------------

/** /api/series?host=&metric=&labels={json}&from=&to=&points= (maxPoints travels as `points`). */
export interface SeriesQuery {
	host: string;
	metric: string;
	/** Only series whose labels have exactly these values (other labels may be anything). */
	labels?: Record<string, string>;
	from: number;
	to: number;
	maxPoints?: number;
}

/** Raw samples, or a rollup table's buckets. */
export type Resolution = 'raw' | '5m' | '1h';

export interface SeriesResult {
	labels: Record<string, string>;
	/** Raw values, or bucket averages (sum / count) for rollups; null marks a gap in the data. */
	points: Point[];
	/** Per-bucket minimum and maximum, for rollups only (a band around the average). */
	min?: Array<[number, number]>;
	max?: Array<[number, number]>;
}

export interface SeriesResponse {
	resolution: Resolution;
	stepMs: number;
	series: SeriesResult[];
}

// ---- /api/expected ----------------------------------------------------------------------------

/** /api/expected?host=&metric=&labels={json}&from=&to=: the usual range to draw behind a chart. */
export interface ExpectedQuery {
	host: string;
	metric: string;
	labels?: Record<string, string>;
	from: number;
	to: number;
}

export interface ExpectedSeries {
	labels: Record<string, string>;
	/** The profile the band comes from, or why there is none (then `band` is empty). */
	kind: 'weekly' | 'daily' | 'level' | null;
	reason?: 'no history' | 'not enough history';
	/** One entry an hour: [hour start, low, centre, high] (centre ± 5 spreads, the presets' level). */
	band: Array<[number, number, number, number]>;
}

export interface ExpectedResponse {
	series: ExpectedSeries[];
}

// ---- /api/unusual -----------------------------------------------------------------------------

/** /api/unusual?limit=: the series whose latest hour is unusual now, worst first. */
export interface UnusualQuery {
	/** At most this many rows (1–200; 50 by default). */
	limit?: number;
}

/** One series that is unusual now, as an anomaly preset judges it (core/alerts/presets.ts). */
export interface UnusualRow {
	host: string;
	metric: string;
	labels: Record<string, string>;
	/** The preset that watches it: cpuUnusual, networkUnusual, endpointLatencyUnusual, workflowRunsLess. */
	preset: string;
	/** Signed robust z of the last hour's mean (above the usual range > 0). */
	score: number;
	direction: 'up' | 'down';
	/** The last hour's mean, in the metric's unit. */
	observed: number;
	expectedLow: number;
	expectedCentre: number;
	expectedHigh: number;
	/** Which usual it is: that hour of the week, that hour of the day, or one level. */
	expectedFrom: 'weekly' | 'daily' | 'level';
	/** When the unusual stretch began (Unix ms). */
	since: number;
}

export interface UnusualResponse {
	/** When it was judged (Unix ms). */
	at: number;
	/** Worst (largest |score|) first, at most `limit`. */
	unusual: UnusualRow[];
	/** How many unusual series there are in all (may exceed the rows). */
	unusualCount: number;
	/** Watched series that reported in the last hour. */
	watched: number;
	/** Of those, how many have too little history to be judged (`minHistoryHours`). */
	waiting: number;
	/** Of those, how many are not judged yet: their usual range is built over the next requests. */
	learning: number;
	/** The history a series needs before it is judged (the presets' Minimum History). */
	minHistoryHours: number;
	/** More series matched than are judged per request (`maxSeries`); the rest were left out. */
	truncated: boolean;
	maxSeries: number;
}

// ---- /api/snapshot ----------------------------------------------------------------------------

/** /api/snapshot?host=&collector= */
export interface SnapshotQuery {
	host: string;
	collector: string;
}

export interface Snapshot {
	host: string;
	collector: string;
	/** When the collector last ran (its state row's time). */
	ts: number;
	/**
	 * The collector's readable view (GPU processes, top processes, table sizes); null if none.
	 * Stored JSON that an older collector may have written with fewer fields: readers check it.
	 */
	snapshot: unknown;
}

// ---- /api/n8n ---------------------------------------------------------------------------------

/** /api/n8n?instance= : what the n8n view lists beside its charts (the latest n8n collection). */
export interface N8nInstanceQuery {
	instance: string;
}

/** An execution that should have finished (core/n8n/stuck.ts), with its workflow's name. */
export interface N8nStuckRow {
	id: string;
	workflowId: string;
	/** The workflow's name when the collection knew it; null otherwise. */
	workflowName: string | null;
	/** new (queued), running or waiting. */
	status: string;
	/** Since when it counts (Unix ms): its start, or its planned resume for a waiting one. */
	since: number;
	overMs: number;
	limitMs: number;
	/** The execution in n8n's editor (http or https only; null otherwise). */
	link: string | null;
}

/** The monitoring store's pool in the n8n process that collected (core/store/pool.ts). */
export interface N8nStorePool {
	store: 'sqlite' | 'postgres';
	used: number;
	free: number;
	max: number;
	/** Waiting now, and the most at once since the collection before. */
	pending: number;
	pendingPeak: number;
	/** The longest wait for a connection since the collection before (seconds). */
	acquireWaitMaxSeconds: number;
}

export interface N8nInstance {
	instance: string;
	/** When the n8n collector last ran here; null: never. */
	ts: number | null;
	/** Executions that should have finished, oldest first (at most 50). */
	stuck: N8nStuckRow[];
	/**
	 * Why Process Health has no figures (n8n without N8N_METRICS: "n8n answered 404 at …/metrics:
	 * set N8N_METRICS=true …"); null when it read them or was not asked.
	 */
	processError: string | null;
	/** n8n's own database pool from its /metrics; null without process figures, [] when none (2.40.7). */
	n8nPools: Array<{ metric: string; value: number }> | null;
	storePool: N8nStorePool | null;
}

// ---- /api/executions --------------------------------------------------------------------------

/** /api/executions?instance=&workflow=&status=&from=&to=&limit=&offset= (workflowId is `workflow`). */
export interface ExecutionsQuery {
	instance?: string;
	workflowId?: string;
	status?: string;
	/** Range on started_at, Unix ms. */
	from: number;
	to: number;
	limit?: number;
	offset?: number;
}

export interface ExecutionRow {
	instance: string;
	id: string;
	workflowId: string;
	workflowName: string | null;
	status: string;
	mode: string | null;
	startedAt: number | null;
	stoppedAt: number | null;
	durationMs: number | null;
	waitedMs: number;
	retryOf: string | null;
}

export interface ExecutionsPage {
	total: number;
	limit: number;
	offset: number;
	executions: ExecutionRow[];
}

// ---- /api/alerts ------------------------------------------------------------------------------

/** /api/alerts?from=&to=&limit= */
export interface AlertsQuery {
	from: number;
	to: number;
	limit?: number;
}

/** One alert as the ledger keeps it (core/alerts/ledger.ts). */
export interface AlertRow {
	id: number;
	source: string;
	key: string;
	rule: string;
	severity: string;
	host: string | null;
	metric: string | null;
	labels: Record<string, string>;
	status: 'firing' | 'resolved';
	value: number | null;
	threshold: number | null;
	message: string;
	link: string | null;
	startedAt: number;
	resolvedAt: number | null;
	updatedAt: number;
	/** Who acknowledged it (a dashboard user, or `link` for a signed link) and when. */
	ackedBy: string | null;
	ackedAt: number | null;
	/** The escalation level reached (0: none). */
	escalationLevel: number;
	/** A silence holds its firing back from workflows: that silence's id. */
	heldBy: number | null;
	/** Ids of the active silences that match it now (filled by core/alerts/ledger.ts). */
	silencedBy?: number[];
	/**
	 * What holds it back from the workflows of its trigger while it fires (an inhibition: a host
	 * down, or another alert that covers it), in words; null when nothing does.
	 */
	inhibitedBy: string | null;
}

export interface AlertsResponse {
	/** Every open alert, newest first. */
	active: AlertRow[];
	/** Alerts that started or resolved in the range, newest first. */
	history: AlertRow[];
}

// ---- /api/silences, and what the dashboard changes (POST) ----------------------------------------

/** A silence: alerts matching every given matcher are not handed to workflows while it lasts. */
export interface SilenceRow {
	id: number;
	/** Host pattern (`*` matches any text); null: every host. */
	host: string | null;
	/** Rule (alert name) pattern; null: every rule. */
	rule: string | null;
	/** Label name → value pattern; every one must match. */
	labels: Record<string, string>;
	reason: string;
	author: string;
	startsAt: number;
	endsAt: number;
	createdAt: number;
	/** In force now (started, not ended). */
	active: boolean;
}

export interface SilencesResponse {
	/** Silences not ended yet (active, or starting later), soonest end first. */
	silences: SilenceRow[];
}

/** POST {base}/api/ack (logged in): acknowledge an alert. */
export interface AckBody {
	alertId: number;
}

/** What acknowledging did: `already` (someone did before), `resolved`, `unknown` (no such alert). */
export interface AckResult {
	outcome: 'acknowledged' | 'already' | 'resolved' | 'unknown';
	alertId: number;
	ackedBy: string | null;
	ackedAt: number | null;
}

/** POST {base}/api/silences (logged in): a new silence. At least one matcher. */
export interface SilenceBody {
	host?: string;
	rule?: string;
	/** `name=value` pairs separated by commas, or an object. */
	labels?: string | Record<string, string>;
	reason: string;
	/** How long from its start (minutes) unless `endsAt` is given. */
	durationMinutes?: number;
	/** Unix ms or an ISO date; the start is now when absent. */
	startsAt?: number | string;
	endsAt?: number | string;
}

/** POST {base}/api/expire-silence (logged in): end a silence now. */
export interface ExpireSilenceBody {
	id: number;
}

/** The POST routes under {base}/api/: what each takes as a JSON body and answers. */
export interface DashboardActions {
	ack: { body: AckBody; response: AckResult };
	silences: { body: SilenceBody; response: SilenceRow };
	'expire-silence': { body: ExpireSilenceBody; response: { expired: boolean } };
}

export type ActionRoute = keyof DashboardActions;

/**
 * The header (any value) every POST to the API carries: a page of another site cannot send it
 * without asking first (CORS), and the server answers no such question.
 */
export type ActionHeader = 'x-monitoring-action';

// ---- /api/incidents ---------------------------------------------------------------------------

/** /api/incidents?from=&to= : the incidents of every target, open at some time in the range. */
export interface IncidentsQuery {
	from: number;
	to: number;
}

/** A target an incident is about: its kind, the host that checks it, its name (the host's for a host). */
export interface IncidentTargetRow {
	kind: string;
	host: string;
	name: string;
}

/** One entry of an incident's timeline (core/query/incidents.ts). */
export interface IncidentTimelineRow {
	at: number;
	/** down/up: an alert of one of its targets began or ended; update: words a person posted. */
	kind: 'down' | 'up' | 'update';
	target?: IncidentTargetRow;
	status?: string;
	message?: string;
	author?: string | null;
}

/** An incident: alerts of its targets grouped (`a…`), or opened by hand (`m…`). */
export interface IncidentRow {
	id: string;
	source: 'alerts' | 'manual';
	title: string | null;
	severity: string;
	targets: IncidentTargetRow[];
	startedAt: number;
	resolvedAt: number | null;
	durationMs: number;
	alertIds: number[];
	/** Oldest first. */
	timeline: IncidentTimelineRow[];
}

export interface IncidentsResponse {
	/** Newest first. */
	incidents: IncidentRow[];
}

// ---- the whole API ----------------------------------------------------------------------------

/** A query whose range the server fills in when it is left out (up to now, a default span back). */
export type DefaultRange<Q extends { from: number; to: number }> = Omit<Q, 'from' | 'to'> &
	Partial<Pick<Q, 'from' | 'to'>>;

/**
 * Every JSON route under {base}/api/, with what it is asked and what it answers. The server's
 * router and the browser's request builders are both typed by this map.
 */
export interface DashboardApi {
	overview: { query: OverviewQuery; response: Overview };
	status: { query: StatusQuery; response: TargetState };
	hosts: { query: Record<string, never>; response: HostsResponse };
	/** from/to: the last 24 hours by default. */
	series: { query: DefaultRange<SeriesQuery>; response: SeriesResponse };
	snapshot: { query: SnapshotQuery; response: Snapshot };
	n8n: { query: N8nInstanceQuery; response: N8nInstance };
	/** from/to: the last 24 hours by default. */
	expected: { query: DefaultRange<ExpectedQuery>; response: ExpectedResponse };
	unusual: { query: UnusualQuery; response: UnusualResponse };
	/** from/to: the last 7 days by default. */
	executions: { query: DefaultRange<ExecutionsQuery>; response: ExecutionsPage };
	/** from/to: the last 7 days by default. */
	alerts: { query: DefaultRange<AlertsQuery>; response: AlertsResponse };
	silences: { query: Record<string, never>; response: SilencesResponse };
	/** from/to: the last 7 days by default. */
	incidents: { query: DefaultRange<IncidentsQuery>; response: IncidentsResponse };
}

export type ApiRoute = keyof DashboardApi;
export type ApiResponse<R extends ApiRoute> = DashboardApi[R]['response'];
