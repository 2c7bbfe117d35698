import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { apiRequest, type ExpectedResponse } from '../api';
import { getJson } from './poll-controller';

const HOUR_MS = 3_600_000;

/** A series whose usual range a chart draws: what /api/expected is asked. */
export interface ExpectedAsk {
	host: string;
	metric: string;
	labels?: Record<string, string>;
}

/** What a view wants bands for: where the API is, the chart window and the asks by name. */
export interface ExpectedWants {
	base: string;
	window: { from: number; to: number };
	asks: Record<string, ExpectedAsk>;
}

/**
 * The usual ranges behind a detail view's charts, from /api/expected. Apart from the app's
 * PollController because a band changes once an hour, not every poll: the window is rounded out
 * to whole hours, so a view asks again when the route, the range or the hour changes, never on
 * each 60-second refresh. A failed ask leaves that chart without a band (and says why); it never
 * blanks the view.
 */
export class ExpectedController implements ReactiveController {
	answers: Record<string, ExpectedResponse> = {};
	errors: Record<string, string> = {};
	private key = '';
	private abort: AbortController | undefined;

	constructor(
		private readonly host: ReactiveControllerHost,
		private readonly wants: () => ExpectedWants | null,
	) {
		host.addController(this);
	}

	hostUpdate(): void {
		const wants = this.wants();
		if (!wants || Object.keys(wants.asks).length === 0) {
			if (this.key) this.clear();
			return;
		}
		const from = Math.floor(wants.window.from / HOUR_MS) * HOUR_MS;
		// The hour after the window's end too, so the band reaches the chart's right edge.
		const to = Math.ceil(wants.window.to / HOUR_MS) * HOUR_MS;
		const key = JSON.stringify([wants.base, wants.asks, from, to]);
		if (key === this.key) return;
		const sameAsks = this.key.startsWith(JSON.stringify([wants.base, wants.asks]).slice(0, -1));
		this.key = key;
		// A new hour keeps the old bands until the new ones are in; another route drops them.
		if (!sameAsks) this.answers = {};
		void this.fetch(wants, from, to, key);
	}

	hostDisconnected(): void {
		this.clear();
	}

	private clear(): void {
		this.abort?.abort();
		this.abort = undefined;
		this.key = '';
		this.answers = {};
		this.errors = {};
	}

	private async fetch(wants: ExpectedWants, from: number, to: number, key: string) {
		this.abort?.abort();
		const abort = (this.abort = new AbortController());
		const named = Object.entries(wants.asks);
		const results = await Promise.allSettled(
			named.map(([, ask]) =>
				getJson<ExpectedResponse>(
					wants.base,
					apiRequest('expected', { ...ask, from, to }).path,
					abort.signal,
				),
			),
		);
		if (abort.signal.aborted || key !== this.key) return;
		const answers: Record<string, ExpectedResponse> = {};
		const errors: Record<string, string> = {};
		results.forEach((r, i) => {
			if (r.status === 'fulfilled') answers[named[i][0]] = r.value;
			else errors[named[i][0]] = r.reason instanceof Error ? r.reason.message : String(r.reason);
		});
		this.answers = answers;
		this.errors = errors;
		this.host.requestUpdate();
	}
}
