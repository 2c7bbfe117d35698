import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Answers from this size on are gzipped once asked again (and sent so to browsers, which take it). */
export const GZIP_FROM_BYTES = 1024;

/**
 * One answer as it goes on the wire: its entity tag, and its text, gzipped when large and asked
 * more than once. A chart's series over 30 days is ~100 KB of JSON and ~15 KB gzipped: kept as
 * text, the cache's 32 MB held a few hundred, fewer than the charts of ten hosts, so the long
 * ranges were worked out again for nearly every browser (bench/dashboard-load.js). An answer is
 * packed when a second request waited for it or asks for it again; one nobody asks again is never
 * packed (a random window, a one-off query), since that costs ~1 ms
 * per 100 KB; a packed one is not compressed again per request (n8n compresses responses that
 * are not).
 */
export class Answer {
	readonly etag: string;
	private text?: string;
	private packed?: Buffer;

	constructor(body: string) {
		this.etag = etagOf(body);
		this.text = body;
	}

	/** The text (unpacked for a client that takes no gzip). */
	get body(): string {
		return this.text ?? gunzipSync(this.packed!).toString('utf8');
	}

	/** The gzipped text, once packed. */
	get gzip(): Buffer | undefined {
		return this.packed;
	}

	/** Bytes kept. */
	get size(): number {
		return this.packed?.length ?? this.text!.length;
	}

	/** Keeps a large answer gzipped from now on; returns whether it did. */
	pack(): boolean {
		if (this.packed || this.text === undefined || this.text.length < GZIP_FROM_BYTES) return false;
		this.packed = gzipSync(this.text, { level: 1 });
		this.text = undefined;
		return true;
	}
}

export interface AnswerCacheOptions {
	/** How long an answer is served again without asking the store; 0 shares in-flight work only. */
	freshMs: number;
	/**
	 * After that, how long the old answer is still served while one request works out the next
	 * (stale-while-revalidate), so that nobody waits when an answer expires; 0 by default. An
	 * answer is never older than freshMs + staleMs plus the time its successor takes.
	 */
	staleMs?: number;
	/** At most this many answers are kept, the least recently used going first. */
	maxEntries?: number;
	/** And at most this many bytes of answer text. */
	maxBytes?: number;
	/** A monotonic clock in ms (tests); performance.now by default. */
	clock?: () => number;
}

interface Entry {
	answer: Answer;
	at: number;
}

/**
 * The dashboard's answers, shared between everyone who asks the same question within a few
 * seconds: 100 dashboards polling the fleet cost one set of queries, one JSON.stringify and one
 * hash, not 100 waiting in line for SQLite's single connection. Keyed by route and query string
 * as asked (so "the last 24 h" is one question for everyone, not one per millisecond); bounded in
 * entries, bytes and age; emptied by every change made through the dashboard (acks, silences),
 * so nobody sees an alert they just acknowledged as unacknowledged. One cache per handler, and a
 * handler has one login: answers never cross between different sets of credentials.
 */
export class AnswerCache {
	private readonly entries = new Map<string, Entry>();
	private readonly inFlight = new Map<string, Promise<Answer>>();
	/** Keys whose answer someone else waited for while it was made: shared, so packed at once. */
	private readonly shared = new Set<string>();
	private readonly maxEntries: number;
	private readonly maxBytes: number;
	private readonly clock: () => number;
	private bytes = 0;
	/** Bumped by clear(): work that started before it is not kept. */
	private generation = 0;

	constructor(private readonly options: AnswerCacheOptions) {
		this.maxEntries = options.maxEntries ?? 2000;
		this.maxBytes = options.maxBytes ?? 32 * 2 ** 20;
		this.clock = options.clock ?? (() => performance.now());
	}

	/** The fresh answer for `key`, the one being made, or a new one from `work`. */
	get(key: string, work: () => Promise<string>): Promise<Answer> {
		const entry = this.entries.get(key);
		if (entry) {
			const age = this.clock() - entry.at;
			if (age < this.options.freshMs + (this.options.staleMs ?? 0)) {
				// Least recently used first out: a hit moves the entry to the end of the map's order.
				this.entries.delete(key);
				this.entries.set(key, entry);
				// Asked again: worth keeping small (and sending gzipped).
				const before = entry.answer.size;
				if (entry.answer.pack()) this.bytes += entry.answer.size - before;
				if (age >= this.options.freshMs && !this.inFlight.has(key))
					// Stale: this request gets the old answer, the next ones the new one when made.
					this.start(key, work).catch(() => this.drop(key, entry));
				return Promise.resolve(entry.answer);
			}
			this.drop(key, entry);
		}
		const flying = this.inFlight.get(key);
		if (flying) {
			this.shared.add(key);
			return flying;
		}
		return this.start(key, work);
	}

	/** Works out the answer for `key` once, whoever asks meanwhile. */
	private start(key: string, work: () => Promise<string>): Promise<Answer> {
		let pending = this.inFlight.get(key);
		if (!pending) {
			const generation = this.generation;
			pending = work()
				.then((body) => {
					const answer = new Answer(body);
					if (this.shared.has(key)) answer.pack();
					if (generation === this.generation) this.keep(key, answer);
					return answer;
				})
				.finally(() => {
					if (this.inFlight.get(key) === pending) {
						this.inFlight.delete(key);
						this.shared.delete(key);
					}
				});
			this.inFlight.set(key, pending);
		}
		return pending;
	}

	/** Forgets every answer (after a change made through the dashboard). */
	clear(): void {
		this.generation++;
		this.entries.clear();
		this.inFlight.clear();
		this.shared.clear();
		this.bytes = 0;
	}

	/** How many answers and bytes are kept (tests, diagnostics). */
	get size(): { entries: number; bytes: number } {
		return { entries: this.entries.size, bytes: this.bytes };
	}

	private keep(key: string, answer: Answer) {
		if (this.options.freshMs <= 0 || answer.size > this.maxBytes) return;
		const old = this.entries.get(key);
		if (old) this.drop(key, old);
		this.entries.set(key, { answer, at: this.clock() });
		this.bytes += answer.size;
		for (const [k, e] of this.entries) {
			if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
			this.drop(k, e);
		}
	}

	private drop(key: string, entry: Entry) {
		if (this.entries.get(key) !== entry) return;
		this.entries.delete(key);
		this.bytes -= entry.answer.size;
	}
}

/** A strong entity tag of an answer's text: 128 bits of its SHA-1. */
export function etagOf(body: string): string {
	return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Whether an If-None-Match header names this entity tag (weak or strong, or `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
	if (!header) return false;
	return header
		.split(',')
		.map((t) => t.trim().replace(/^W\//, ''))
		.some((t) => t === etag || t === '*');
}

/** Whether a request's Accept-Encoding takes gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
	const text = Array.isArray(header) ? header.join(',') : (header ?? '');
	return text.split(',').some((part) => {
		const [coding, ...params] = part.trim().toLowerCase().split(';');
		if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return !q || Number(q.slice(2)) > 0;
	});
}

/** A cache key for a route and its query: the parameters sorted, the login token left out. */
export function answerKey(route: string, params: URLSearchParams): string {
	const pairs = [...params].filter(([name]) => name !== 'token');
	pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
	return `${route}?${new URLSearchParams(pairs).toString()}`;
}
