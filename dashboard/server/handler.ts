import { AlertConfigError, listSilences } from '../../core/alerts';
import { listAlerts } from '../../core/alerts/ledger';
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

import {
	checkOverviewOptions,
	executions,
	latestSnapshot,
	n8nInstance,
	listHosts,
	listIncidents,
	MAX_EXECUTIONS_LIMIT,
	overview,
	prometheusExport,
	QueryError,
	querySeries,
	expectedBands,
	targetState,
	unusualNow,
} from '../../core/query';
import type {
	AlertsQuery,
	ApiError,
	ApiResponse,
	ApiRoute,
	ExecutionsQuery,
	FleetSort,
	OverviewQuery,
	SeriesQuery,
	Status,
} from '../../core/contract/dashboard-api';
import { openStore, StoreError, type StoreConfig } from '../../core/store';
import { DAY_MS } from '../../core/query/validate';
import { ackPage } from './ack-page';
import { ACTION_ROUTES, ActionError, isAction, runAction } from './actions';
import { acceptsGzip, AnswerCache, answerKey, matchesEtag, type Answer } from './answer-cache';

export type DashboardAuth =
	| { type: 'none' }
	| { type: 'token'; token: string }
	| { type: 'basic'; user: string; password: string }
	| { type: 'header'; name: string; value: string };

export interface DashboardOptions {
	store: StoreConfig;
	/** The path the dashboard lives under, without a trailing slash: '' or '/webhook/monitoring'. */
	basePath?: string;
	auth: DashboardAuth;
	/** Where app.js is; by default dist/dashboard/web beside this file's compiled folder. */
	assetsDir?: string;
	refreshSeconds?: number;
	/**
	 * How old a shared answer may get, in seconds, at most the poll interval: the first half it is
	 * served as is, the second half while one request works out the next. By default 10 s (or
	 * the interval when shorter); 0 shares only the answers being worked out.
	 */
	cacheSeconds?: number;
	now?: () => number;
}

export type DashboardHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export const TOKEN_COOKIE = 'mon_dashboard_token';

/** The page runs the bundle and nothing else: no inline script, no other origin. */
const CSP = [
	"default-src 'none'",
	"script-src 'self'",
	// ApexCharts sets inline styles on the SVG it draws; Lit's static styles are adopted sheets.
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data:",
	"font-src 'self'",
	"connect-src 'self'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'self'",
].join('; ');

class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

/**
 * The dashboard as one node:http style handler: the n8n trigger node calls it with the webhook's
 * request and response, the CLI mounts it on its own server. It reads through core/query only.
 */
export function createDashboardHandler(options: DashboardOptions): DashboardHandler {
	const base = normaliseBase(options.basePath ?? '');
	const assetsDir = options.assetsDir ?? path.join(__dirname, '..', 'web');
	const refreshSeconds = Math.max(1, Math.round(options.refreshSeconds ?? 30));
	const now = options.now ?? Date.now;
	const auth = options.auth;
	const cacheMs =
		1000 *
		Math.max(0, Math.min(refreshSeconds, options.cacheSeconds ?? Math.min(refreshSeconds, 10)));
	const answers = new AnswerCache({ freshMs: cacheMs / 2, staleMs: cacheMs / 2 });

	return async (req, res) => {
		try {
			const url = new URL(req.url ?? '/', 'http://localhost');
			// The base is compared decoded: n8n and the CLI hand over the percent-encoded path.
			let route = safeDecode(url.pathname);
			if (base) {
				if (route !== base && !route.startsWith(base + '/')) throw new HttpError(404, 'not found');
				route = route.slice(base.length) || '/';
			}
			// A signed acknowledge link needs no login: its signature is its authority (ack-page.ts).
			if (route === '/ack') {
				if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
					res.setHeader('Allow', 'GET, HEAD, POST');
					throw new HttpError(405, 'method not allowed');
				}
				return await ackPage(req, res, url, await open(options.store), now());
			}
			const action = route.startsWith('/api/') ? route.slice(5) : '';
			const posting = req.method === 'POST' && isAction(action);
			if (req.method !== 'GET' && req.method !== 'HEAD' && !posting) {
				res.setHeader('Allow', isAction(action) ? 'POST' : 'GET, HEAD');
				throw new HttpError(405, 'method not allowed');
			}
			if (!authenticate(req, res, url, auth, base)) {
				if (auth.type === 'basic')
					res.setHeader('WWW-Authenticate', 'Basic realm="Monitoring", charset="UTF-8"');
				return sendJson(res, 401, { error: 'authentication required' });
			}
			if (posting && isAction(action)) {
				// A form or script of another site cannot send this header without a CORS preflight,
				// which this server never grants: a logged-in browser cannot be made to post here.
				if (!req.headers['x-monitoring-action'])
					throw new HttpError(403, 'the x-monitoring-action header is missing');
				const body = await runAction(action, req, {
					store: await open(options.store),
					user: userOf(auth),
					now: now(),
				}).finally(() => answers.clear());
				return sendJson(res, 200, body as ApiResponse<ApiRoute>);
			}
			if (route === '/') return sendPage(res, base, refreshSeconds);
			if (route === '/app.js' || route === '/app.js.map')
				return sendAsset(res, assetsDir, route.slice(1) as 'app.js' | 'app.js.map');
			if (route === '/metrics') {
				const answer = await answers.get('metrics', async () =>
					prometheusExport(await open(options.store), now()),
				);
				return sendAnswer(req, res, answer, 'text/plain; version=0.0.4; charset=utf-8');
			}
			if (route.startsWith('/api/')) {
				const name = route.slice(5);
				if (!Object.hasOwn(ROUTES, name)) throw new HttpError(404, 'not found');
				const answer = await answers.get(answerKey(name, url.searchParams), async () =>
					jsonText(await api(name, url.searchParams, { config: options.store, now })),
				);
				return sendAnswer(req, res, answer, 'application/json; charset=utf-8');
			}
			throw new HttpError(404, 'not found');
		} catch (error) {
			if (error instanceof HttpError || error instanceof ActionError)
				return sendJson(res, error.status, { error: error.message });
			if (error instanceof AlertConfigError)
				return sendJson(res, 400, { error: `${error.message}. ${error.hint}` });
			if (error instanceof QueryError) return sendJson(res, 400, { error: error.message });
			if (error instanceof StoreError)
				return sendJson(res, 503, { error: `${error.message}. ${error.hint}` });
			// Anything else is a bug or a database failure: a message, never a stack trace.
			// Knex prefixes the SQL ("select ... - message"): only the driver's message is shown.
			const text = error instanceof Error ? error.message.split('\n')[0] : String(error);
			const message = text.split(' - ').pop();
			return sendJson(res, 500, { error: `internal error: ${message}` });
		}
	};
}

async function open(config: StoreConfig) {
	try {
		return await openStore(config);
	} catch (error) {
		if (error instanceof StoreError) throw error;
		throw new StoreError(
			`The monitoring store cannot be opened: ${error instanceof Error ? error.message : String(error)}`,
			'Check the store settings.',
		);
	}
}

/** What every API route gets besides its query parameters. */
interface ApiContext {
	config: StoreConfig;
	now: () => number;
}

/** One function per route of the contract, each returning that route's answer. */
type ApiRoutes = {
	[R in ApiRoute]: (params: URLSearchParams, ctx: ApiContext) => Promise<ApiResponse<R>>;
};

const ROUTES: ApiRoutes = {
	async overview(params, { config, now }) {
		const query = overviewQuery(params);
		return overview(await open(config), { ...query, now: now() });
	},
	async status(params, { config, now }) {
		// The state at the top of a detail view: /api/status?kind=endpoint&host=…&name=…
		const query = {
			kind: params.get('kind') ?? '',
			host: params.get('host') ?? '',
			name: params.get('name') ?? undefined,
		};
		return targetState(await open(config), { ...query, now: now() });
	},
	async hosts(_params, { config }) {
		return { hosts: await listHosts(await open(config)) };
	},
	async series(params, { config, now }) {
		const t = now();
		const to = parseTime('to', params.get('to'), t);
		const from = parseTime('from', params.get('from'), to - DAY_MS);
		const labelsText = params.get('labels');
		let labels: Record<string, string> | undefined;
		if (labelsText) {
			try {
				labels = JSON.parse(labelsText) as Record<string, string>;
			} catch {
				throw new QueryError('labels must be JSON, e.g. {"cpu":"total"}');
			}
		}
		const query: SeriesQuery = {
			host: params.get('host') ?? '',
			metric: params.get('metric') ?? '',
			labels,
			from,
			to,
			maxPoints: parseInteger('points', params.get('points'), 1500),
		};
		return querySeries(await open(config), query);
	},
	async expected(params, { config, now }) {
		const t = now();
		const to = parseTime('to', params.get('to'), t);
		const from = parseTime('from', params.get('from'), to - DAY_MS);
		const labelsText = params.get('labels');
		let labels: Record<string, string> | undefined;
		if (labelsText) {
			try {
				labels = JSON.parse(labelsText) as Record<string, string>;
			} catch {
				throw new QueryError('labels must be JSON, e.g. {"cpu":"total"}');
			}
		}
		const query = {
			host: params.get('host') ?? '',
			metric: params.get('metric') ?? '',
			labels,
			from,
			to,
		};
		return expectedBands(await open(config), query);
	},
	async unusual(params, { config, now }) {
		const limit = parseInteger('limit', params.get('limit'), 50);
		return await unusualNow(await open(config), { now: now(), limit });
	},
	async snapshot(params, { config }) {
		const host = params.get('host') ?? '';
		const collector = params.get('collector') ?? '';
		if (!host || !collector) throw new QueryError('host and collector are required');
		const store = await open(config);
		const snapshot = await latestSnapshot(store, host, collector);
		if (!snapshot) throw new HttpError(404, 'no snapshot for this host and collector');
		return snapshot;
	},
	async n8n(params, { config }) {
		const instance = params.get('instance') ?? '';
		if (!instance) throw new QueryError('instance is required');
		return await n8nInstance(await open(config), instance);
	},
	async executions(params, { config, now }) {
		const t = now();
		const to = parseTime('to', params.get('to'), t);
		const from = parseTime('from', params.get('from'), to - 7 * DAY_MS);
		const limit = parseInteger('limit', params.get('limit'), 100);
		if (limit < 1 || limit > MAX_EXECUTIONS_LIMIT)
			throw new QueryError(`limit must be a whole number from 1 to ${MAX_EXECUTIONS_LIMIT}`);
		const query: ExecutionsQuery = {
			instance: params.get('instance') || undefined,
			workflowId: params.get('workflow') || undefined,
			status: params.get('status') || undefined,
			from,
			to,
			limit,
			offset: parseInteger('offset', params.get('offset'), 0),
		};
		const store = await open(config);
		return await executions(store, query);
	},
	async alerts(params, { config, now }) {
		const t = now();
		const to = parseTime('to', params.get('to'), t);
		const from = parseTime('from', params.get('from'), to - 7 * DAY_MS);
		const limit = parseInteger('limit', params.get('limit'), 200);
		if (limit < 1 || limit > 1000)
			throw new QueryError('limit must be a whole number from 1 to 1000');
		const query: AlertsQuery = { from, to, limit };
		return listAlerts(await open(config), query, t);
	},
	async silences(_params, { config, now }) {
		return { silences: await listSilences(await open(config), now()) };
	},
	async incidents(params, { config, now }) {
		const t = now();
		const to = parseTime('to', params.get('to'), t);
		const from = parseTime('from', params.get('from'), to - 7 * DAY_MS);
		return {
			incidents: await listIncidents(await open(config), { from, to, now: t, targets: [] }),
		};
	},
};

function api(name: string, params: URLSearchParams, ctx: ApiContext) {
	if (!Object.hasOwn(ROUTES, name)) throw new HttpError(404, 'not found');
	return ROUTES[name as ApiRoute](params, ctx);
}

/**
 * The fleet's paging, sorting and filter: ?sort=status|name|cpu|memory|disk&filter=text
 * &status=critical,warning&limit=50&offset=0; none of them gives every host by name, as before.
 */
function overviewQuery(params: URLSearchParams): OverviewQuery {
	const query: OverviewQuery = {};
	const sort = params.get('sort');
	if (sort) query.sort = sort as FleetSort;
	const filter = params.get('filter');
	if (filter) query.filter = filter;
	const status = params.get('status');
	if (status) query.status = status.split(',').filter(Boolean) as Status[];
	if (params.get('limit')) query.limit = parseInteger('limit', params.get('limit'), 0);
	if (params.get('offset')) query.offset = parseInteger('offset', params.get('offset'), 0);
	checkOverviewOptions({ ...query, now: 0 });
	return query;
}

/** A time as Unix milliseconds (digits) or an ISO 8601 date; absent means the default. */
export function parseTime(what: string, text: string | null, fallback: number): number {
	if (text === null || text === '') return fallback;
	if (/^\d{1,15}$/.test(text)) return Number(text);
	// Date.parse accepts many shapes; only ISO-looking dates are taken, so "5" or "now" fail clearly.
	if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
		const ms = Date.parse(text);
		if (Number.isFinite(ms) && ms >= 0) return ms;
	}
	throw new QueryError(`${what} must be Unix milliseconds or an ISO date (2026-01-31T12:00:00Z)`);
}

function parseInteger(what: string, text: string | null, fallback: number): number {
	if (text === null || text === '') return fallback;
	if (!/^\d{1,9}$/.test(text)) throw new QueryError(`${what} must be a whole number`);
	return Number(text);
}

function safeDecode(pathname: string): string {
	try {
		return decodeURIComponent(pathname);
	} catch {
		return pathname;
	}
}

/**
 * Every path below the dashboard's own, by method. n8n has no wildcard paths, and its dynamic ones
 * (`:a`) are keyed by path and method alone, so that of two dashboards only one could serve them,
 * and they are looked up under the node's webhookId, not under its path: the Monitoring Dashboard
 * node registers each of these as a static path of its own instead.
 */
export const DASHBOARD_SUBPATHS = {
	GET: [
		'/app.js',
		'/app.js.map',
		'/metrics',
		'/ack',
		...Object.keys(ROUTES).map((r) => `/api/${r}`),
	],
	POST: ['/ack', ...ACTION_ROUTES.map((r) => `/api/${r}`)],
} as const;

/** The cookie is scoped to the dashboard's path when that path is plain enough for a header. */
function cookiePath(base: string): string {
	return base && /^[\w\-./~]+$/.test(base) ? base : '/';
}

function normaliseBase(basePath: string): string {
	let base = basePath.trim();
	if (base && !base.startsWith('/')) base = '/' + base;
	return base.replace(/\/+$/, '');
}

function authenticate(
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	auth: DashboardAuth,
	base: string,
): boolean {
	switch (auth.type) {
		case 'none':
			return true;
		case 'token': {
			const header = req.headers.authorization;
			if (header?.startsWith('Bearer ') && safeEqual(header.slice(7).trim(), auth.token))
				return true;
			if (safeEqual(readCookie(req, TOKEN_COOKIE), auth.token)) return true;
			const query = url.searchParams.get('token');
			if (query !== null && safeEqual(query, auth.token)) {
				// A deep link with ?token= works once; later requests (app.js, the API) carry the cookie.
				res.setHeader(
					'Set-Cookie',
					`${TOKEN_COOKIE}=${encodeURIComponent(auth.token)}; Path=${cookiePath(base)}; HttpOnly; SameSite=Strict`,
				);
				return true;
			}
			return false;
		}
		case 'basic': {
			const header = req.headers.authorization;
			if (!header?.startsWith('Basic ')) return false;
			const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon < 0) return false;
			// Both halves are compared, always, so the time does not tell which one was wrong.
			const userOk = safeEqual(decoded.slice(0, colon), auth.user);
			const passwordOk = safeEqual(decoded.slice(colon + 1), auth.password);
			return userOk && passwordOk;
		}
		case 'header': {
			const value = req.headers[auth.name.toLowerCase()];
			return typeof value === 'string' && safeEqual(value, auth.value);
		}
	}
}

/** Constant-time comparison; different lengths compare a buffer with itself so time stays flat. */
function safeEqual(given: string | undefined, expected: string): boolean {
	if (given === undefined || expected === '') return false;
	const a = Buffer.from(given, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	if (a.length !== b.length) {
		timingSafeEqual(b, b);
		return false;
	}
	return timingSafeEqual(a, b);
}

/** Who is acting on the dashboard: the Basic Auth user, else the dashboard itself. */
function userOf(auth: DashboardAuth): string {
	if (auth.type === 'basic') return auth.user || 'dashboard';
	return 'dashboard';
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
	const header = req.headers.cookie;
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		if (part.slice(0, eq).trim() === name) {
			try {
				return decodeURIComponent(part.slice(eq + 1).trim());
			} catch {
				return undefined;
			}
		}
	}
	return undefined;
}

export function escapeHtml(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);
}

function securityHeaders(res: ServerResponse) {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'no-referrer');
}

function sendPage(res: ServerResponse, base: string, refreshSeconds: number) {
	const b = escapeHtml(base);
	const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Monitoring</title>
<script type="module" src="${b}/app.js"></script>
</head>
<body>
<mon-app base="${b}" refresh="${refreshSeconds}"></mon-app>
</body>
</html>
`;
	securityHeaders(res);
	res.writeHead(200, {
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Security-Policy': CSP,
		'Cache-Control': 'no-store',
	});
	res.end(html);
}

function sendAsset(res: ServerResponse, dir: string, name: 'app.js' | 'app.js.map') {
	const file = path.join(dir, name);
	let body: Buffer;
	try {
		body = fs.readFileSync(file);
	} catch {
		throw new HttpError(
			404,
			name === 'app.js'
				? 'the dashboard bundle (app.js) was not built: run `npm run build` in the package'
				: 'no source map',
		);
	}
	securityHeaders(res);
	res.writeHead(200, {
		'Content-Type':
			name === 'app.js' ? 'text/javascript; charset=utf-8' : 'application/json; charset=utf-8',
		// Not immutable: the file name carries no hash; a short cache still spares reloads.
		'Cache-Control': 'private, max-age=300',
		'Content-Length': body.length,
	});
	res.end(body);
}

/**
 * JSON.stringify escapes quotes and control characters; < > & are escaped too, so that a host
 * named <script> stays inert even if a browser were tricked into reading the JSON as HTML.
 */
function jsonText(body: ApiResponse<ApiRoute> | ApiError): string {
	return JSON.stringify(body)
		.replace(/</g, '\\u003c')
		.replace(/>/g, '\\u003e')
		.replace(/&/g, '\\u0026');
}

/**
 * A shared answer, or 304 when the browser already holds it (If-None-Match): "private, no-cache"
 * lets the browser keep it but ask again at every poll, and no proxy keep it at all.
 */
function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: Answer, type: string) {
	securityHeaders(res);
	const headers = {
		'Cache-Control': 'private, no-cache',
		ETag: answer.etag,
		...(answer.gzip ? { Vary: 'Accept-Encoding' } : {}),
	};
	if (matchesEtag(req.headers['if-none-match'], answer.etag)) {
		res.writeHead(304, headers);
		res.end();
		return;
	}
	if (answer.gzip && acceptsGzip(req.headers['accept-encoding'])) {
		res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', ...headers });
		res.end(answer.gzip);
		return;
	}
	res.writeHead(200, { 'Content-Type': type, ...headers });
	res.end(answer.body);
}

function sendJson(res: ServerResponse, status: number, body: ApiResponse<ApiRoute> | ApiError) {
	const text = jsonText(body);
	securityHeaders(res);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Cache-Control': 'no-store',
	});
	res.end(text);
}
