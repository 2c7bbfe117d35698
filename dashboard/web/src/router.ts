/**
 * Hash routes, so every view is a link that can be bookmarked or shared and the server only has to
 * serve one page: #/overview, #/host/<host>?range=24h, #/gpu/<host>, #/database/<host>/<db>,
 * #/endpoint/<host>/<endpoint>, #/model/<host>/<server>, #/workflow/<instance>/<id>,
 * #/container/<host>/<name>, #/alerts?range=7d;
 * ?from=<ms>&to=<ms> for a custom range; &status=<status> filters a workflow's executions (and,
 * on the overview, the fleet's hosts by state, with &sort=, &q=<text> and &page=<n>).
 */
import { RANGES, rangeWindow, type RelativeRange } from '../../../core/contract/windows';

/**
 * The registered views' names as keys. views.ts (the registry) adds its names to this interface,
 * as Lit elements add theirs to HTMLElementTagNameMap, so this module needs no import of the views
 * (code that reads routes without the view components, such as the unit tests, type-checks without
 * a DOM). The overview is here because the router falls back to it.
 */
export interface ViewRegistry {
	overview: true;
}
/** A registered view's name, or 'unknown' for a hash that names none. */
export type View = keyof ViewRegistry | 'unknown';
/** What the router needs of a registered view: how many path segments follow its name. */
export interface RouteShape {
	arity: number;
}
export type RangeKey = RelativeRange | 'custom';

export interface Route {
	view: View;
	/** Decoded path segments after the view name (host, db, …). */
	args: string[];
	range: RangeKey;
	from?: number;
	to?: number;
	/** The executions filter of the workflow view (success, error, …); absent = all. */
	status?: string;
	/** The fleet's order on the overview (name, cpu, …); absent = worst first. */
	sort?: string;
	/** The fleet's text filter on the overview. */
	q?: string;
	/** The fleet's page on the overview, from 1; absent = the first. */
	page?: number;
}

export { RANGES };

function decode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/**
 * The route of a hash; `views` is the registry (views.ts), passed in so this module stays free of
 * the view components (the unit tests load it without a DOM).
 */
export function parseHash(hash: string, views: Readonly<Record<string, RouteShape>>): Route {
	const raw = hash.replace(/^#\/?/, '');
	const [path, query = ''] = raw.split('?', 2);
	const segments = path
		.split('/')
		.filter((s) => s !== '')
		.map(decode);
	const params = new URLSearchParams(query);
	let range = (params.get('range') ?? '1h') as RangeKey;
	const from = Number(params.get('from'));
	const to = Number(params.get('to'));
	const custom = Number.isFinite(from) && Number.isFinite(to) && from > 0 && to > from;
	if (custom) range = 'custom';
	else if (!(range in RANGES)) range = '1h';
	const route: Route = { view: 'overview', args: [], range };
	if (custom) Object.assign(route, { from, to });
	const status = params.get('status');
	if (status) route.status = status;
	const sort = params.get('sort');
	if (sort) route.sort = sort;
	const q = params.get('q');
	if (q) route.q = q;
	const page = Number(params.get('page'));
	if (Number.isInteger(page) && page > 1) route.page = page;
	const [name = 'overview', ...rest] = segments;
	// Own keys only, so #/constructor is no view.
	const arity = Object.prototype.hasOwnProperty.call(views, name) ? views[name].arity : undefined;
	if (arity === undefined || rest.length < arity) return { ...route, view: 'unknown' };
	return { ...route, view: name as View, args: rest.slice(0, arity) };
}

export function formatHash(route: Partial<Route> & { view: View }): string {
	const hash = '#/' + [route.view, ...(route.args ?? [])].map(encodeURIComponent).join('/');
	const query: string[] = [];
	if (route.range === 'custom' && route.from && route.to)
		query.push(`from=${Math.round(route.from)}`, `to=${Math.round(route.to)}`);
	else if (route.range && route.range !== '1h') query.push(`range=${route.range}`);
	if (route.status) query.push(`status=${encodeURIComponent(route.status)}`);
	if (route.sort) query.push(`sort=${encodeURIComponent(route.sort)}`);
	if (route.q) query.push(`q=${encodeURIComponent(route.q)}`);
	if (route.page && route.page > 1) query.push(`page=${route.page}`);
	return query.length ? `${hash}?${query.join('&')}` : hash;
}

/**
 * The [from, to] window in Unix ms that a route asks for; a relative range ends at its step's
 * next mark (core/contract/windows.ts), so browsers polling within a step share one answer.
 */
export function windowOf(route: Route, now = Date.now()): { from: number; to: number } {
	if (route.range === 'custom' && route.from && route.to) return { from: route.from, to: route.to };
	return rangeWindow(route.range in RANGES ? (route.range as RelativeRange) : '1h', now);
}
