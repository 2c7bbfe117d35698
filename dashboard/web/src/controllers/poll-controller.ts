import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Answers, Needs, ViewNeeds } from '../requests';

/** What a host element gives the controller: where the API is and how often to ask. */
export interface PollHost extends ReactiveControllerHost, HTMLElement {
	base: string;
	refresh: number;
}

/**
 * The dashboard's one data source. A view declares which API requests it needs (they depend on
 * its route and range); the controller fetches them together, again every `refresh` seconds, and
 * at once when they change. It does not poll while the page is hidden (a phone in a pocket, a
 * background tab), and catches up as soon as the page is visible again.
 */
export class PollController<N extends Needs = Needs> implements ReactiveController {
	data: Answers<N> | undefined = undefined;
	error: string | undefined = undefined;
	/** Per request name, why it failed while others succeeded. */
	errors: Record<string, string> = {};
	/** When the last successful fetch finished (browser clock, ms). */
	updatedAt: number | undefined = undefined;
	loading = false;

	private key = '';
	/** The view part of the last key (before '?'): data is only kept within one view. */
	private keptView: string | undefined;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private abort: AbortController | undefined;
	private connected = false;
	private readonly onVisibility = () => this.visibilityChanged();

	constructor(
		private readonly host: PollHost,
		private readonly requests: () => ViewNeeds<N> | null,
	) {
		host.addController(this);
	}

	/** Older than two refresh periods, or the last try failed after earlier success. */
	get stale(): boolean {
		if (this.updatedAt === undefined) return this.error !== undefined;
		return Date.now() - this.updatedAt > 2 * this.periodMs() || this.error !== undefined;
	}

	hostConnected(): void {
		this.connected = true;
		document.addEventListener('visibilitychange', this.onVisibility);
	}

	hostDisconnected(): void {
		this.connected = false;
		document.removeEventListener('visibilitychange', this.onVisibility);
		this.stop();
		this.key = '';
	}

	/** Runs before each render: a change of route or range means new paths, so fetch now. */
	hostUpdate(): void {
		const reqs = this.requests();
		const key = reqs ? JSON.stringify([this.host.base, reqs.key]) : '';
		if (key === this.key) return;
		const keep = reqs?.keep && this.data !== undefined && this.keptView === reqs.key.split('?')[0];
		this.key = key;
		this.keptView = reqs?.key.split('?')[0];
		if (!keep) {
			this.data = undefined;
			this.updatedAt = undefined;
		}
		this.error = undefined;
		if (reqs) void this.fetchNow();
		else this.stop();
	}

	/** Fetch at once (the view's "refresh" and the visibility catch-up use this). */
	async fetchNow(): Promise<void> {
		this.stop();
		const reqs = this.requests();
		if (!reqs || !this.connected) return;
		const key = this.key;
		const abort = (this.abort = new AbortController());
		this.loading = true;
		try {
			const named = Object.entries(reqs.requests());
			// One failing request (say, a metric nobody collects) must not blank the whole view.
			const results = await Promise.allSettled(
				named.map(([, request]) => getJson(this.host.base, request.path, abort.signal)),
			);
			if (abort.signal.aborted || key !== this.key) return;
			const data: Record<string, unknown> = {};
			const errors: Record<string, string> = {};
			results.forEach((r, i) => {
				if (r.status === 'fulfilled') data[named[i][0]] = r.value;
				else errors[named[i][0]] = r.reason instanceof Error ? r.reason.message : String(r.reason);
			});
			this.errors = errors;
			if (Object.keys(data).length === 0 && named.length > 0) {
				this.error = Object.values(errors)[0];
			} else {
				// Each answer is the one its request's route gives (the server is typed by the same contract).
				this.data = data as Answers<N>;
				this.error = undefined;
				this.updatedAt = Date.now();
			}
		} finally {
			// A superseded fetch (aborted by a newer one) leaves loading and the timer to it.
			if (key === this.key && abort === this.abort) {
				this.loading = false;
				this.schedule();
				this.host.requestUpdate();
			}
		}
	}

	private periodMs(): number {
		const r = Number(this.host.refresh);
		return (Number.isFinite(r) && r > 0 ? r : 60) * 1000;
	}

	private schedule(): void {
		clearTimeout(this.timer);
		if (!this.connected || document.hidden) return;
		this.timer = setTimeout(() => void this.fetchNow(), this.periodMs());
	}

	private stop(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.abort?.abort();
		this.abort = undefined;
	}

	private visibilityChanged(): void {
		if (document.hidden) {
			clearTimeout(this.timer);
			this.timer = undefined;
		} else if (!this.loading) {
			// Fetch at once only when a poll came due while hidden; otherwise resume the rhythm.
			const due = this.updatedAt === undefined || Date.now() - this.updatedAt >= this.periodMs();
			if (due) void this.fetchNow();
			else this.schedule();
		}
	}
}

/** GET {base}{path} as JSON; a non-2xx answer becomes an Error with the server's {error} text. */
export async function getJson<T>(base: string, path: string, signal?: AbortSignal): Promise<T> {
	const res = await fetch(base.replace(/\/$/, '') + path, {
		signal,
		headers: { accept: 'application/json' },
		// Kept, but asked again every time: the server answers 304 without a body when its answer
		// has the ETag of the one held (dashboard/server/answer-cache.ts).
		cache: 'no-cache',
	});
	let body: unknown;
	try {
		body = await res.json();
	} catch {
		body = undefined;
	}
	if (!res.ok) {
		const msg = (body as { error?: unknown } | undefined)?.error;
		throw new Error(typeof msg === 'string' ? msg : `HTTP ${res.status}`);
	}
	return body as T;
}
