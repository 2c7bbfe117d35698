/**
 * How a view declares the data it needs (pure, no DOM): named API requests built from its route,
 * and the answers it then gets under the same names, typed by the wire contract. Each view file
 * exports its own needs (view-def.ts); views.ts lists the views; the app's PollController fetches.
 */
import { apiRequest, type ApiRequest, type ApiResponse } from './api';
import { formatHash, windowOf, type Route } from './router';
import type { MetricName } from '../../../core/catalog/metrics';
import type { SeriesQuery } from '../../../core/contract/dashboard-api';

/** A view's requests by name. */
export type Needs = Record<string, ApiRequest>;

/** The answers to a view's requests, by the same names; one that failed or is pending is absent. */
export type Answers<N extends Needs> = { [K in keyof N]?: ApiResponse<N[K]['route']> };

/**
 * What a view needs for a route: `key` says when it changed (the route, not the clock),
 * `requests` builds them at fetch time, so "the last 24 h" moves forward with every poll.
 */
export interface ViewNeeds<N extends Needs = Needs> {
	key: string;
	requests: () => N;
	/** Keep showing the data of the previous key until the new one arrives (a filter, a page). */
	keep?: boolean;
}

/** A view's needs, as a function of its route. */
export type NeedsFn<N extends Needs = Needs> = (route: Route) => ViewNeeds<N>;

/** The requests of a view's needs function, and the answers it gets for them. */
export type NeedsOf<F> = F extends NeedsFn<infer N> ? N : never;
export type AnswersOf<F> = Answers<NeedsOf<F>>;

/** The names of a view's requests that ask /api/series. */
export type SeriesNames<N extends Needs> = {
	[K in keyof N]: N[K] extends ApiRequest<'series'> ? K : never;
}[keyof N] &
	string;

/** A series a view reads over the route's window: a metric the catalog knows. */
export type SeriesAsk = Omit<SeriesQuery, 'from' | 'to' | 'metric'> & { metric: MetricName };

/** Series over the route's window (one request each), with other requests beside them. */
export function seriesNeeds<Q extends Record<string, SeriesAsk>, E extends Needs>(
	route: Route,
	queries: Q,
	extra: E,
): ViewNeeds<{ [K in keyof Q]: ApiRequest<'series'> } & E> {
	return {
		// The route decides what to fetch; the clock only moves the window (see PollController).
		key: formatHash(route),
		requests: () => {
			const w = windowOf(route);
			const out: Needs = { ...extra };
			for (const [name, q] of Object.entries(queries))
				out[name] = apiRequest('series', { ...q, ...w });
			return out as { [K in keyof Q]: ApiRequest<'series'> } & E;
		},
	};
}
