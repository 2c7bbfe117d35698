import { createHash } from 'node:crypto';

/**
 * A small client for n8n's public API (/api/v1) over the global fetch. Every failure becomes an
 * N8nApiError whose message says what is wrong and what to do; the API key never appears in a
 * message (only the URL path and the status do).
 */

/** One execution as the public API lists it (includeData=false). */
export interface N8nExecution {
	id: string | number;
	finished?: boolean;
	mode?: string;
	retryOf?: string | number | null;
	retrySuccessId?: string | number | null;
	startedAt?: string | null;
	stoppedAt?: string | null;
	workflowId: string | number;
	waitTill?: string | null;
	status?: string;
}

export interface N8nNode {
	name?: string;
	type: string;
	disabled?: boolean;
	parameters?: Record<string, unknown>;
}

export interface N8nWorkflow {
	id: string;
	name: string;
	active: boolean;
	createdAt?: string;
	updatedAt?: string;
	nodes?: N8nNode[];
	/** The workflow's settings; saveDataSuccessExecution 'none' keeps no record of its successes. */
	settings?: { saveDataSuccessExecution?: string };
}

export interface Page<T> {
	data: T[];
	nextCursor: string | null;
}

export type N8nErrorKind = 'not-n8n' | 'auth' | 'server' | 'timeout' | 'network' | 'http';

export class N8nApiError extends Error {
	constructor(
		message: string,
		readonly kind: N8nErrorKind,
		readonly status?: number,
	) {
		super(message);
		this.name = 'N8nApiError';
	}
}

export interface N8nClientOptions {
	/** The n8n base URL, e.g. http://localhost:5678 (a trailing /api/v1 is accepted). */
	baseUrl: string;
	apiKey: string;
	/** Per request; default 30 s. */
	timeoutMs?: number;
	/** For tests; the global fetch otherwise. */
	fetch?: typeof fetch;
}

export const PAGE_LIMIT = 250; // the public API's maximum

export class N8nClient {
	readonly baseUrl: string;
	private readonly apiKey: string;
	private readonly timeoutMs: number;
	private readonly fetchImpl: typeof fetch;
	/** Requests made, for benchmarks and tests. */
	requests = 0;

	constructor(options: N8nClientOptions) {
		let base = options.baseUrl.trim().replace(/\/+$/, '');
		base = base.replace(/\/api\/v1$/, '');
		let parsed: URL;
		try {
			parsed = new URL(base);
		} catch {
			throw new N8nApiError(
				`"${base}" is not a URL; give n8n's base URL, e.g. http://localhost:5678`,
				'http',
			);
		}
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
			throw new N8nApiError(
				`n8n's base URL must start with http:// or https:// ("${base}")`,
				'http',
			);
		}
		this.baseUrl = base;
		this.apiKey = options.apiKey;
		this.timeoutMs = options.timeoutMs ?? 30_000;
		this.fetchImpl = options.fetch ?? fetch;
	}

	/** Names this n8n and key for what is kept between collections; holds a hash, never the key. */
	get identity(): string {
		return (this.identityCache ??= `${this.baseUrl}\u0000${createHash('sha256').update(this.apiKey).digest('hex')}`);
	}
	private identityCache?: string;

	/** host:port of the base URL: the default name of this instance in the store. */
	get defaultInstance(): string {
		return new URL(this.baseUrl).host;
	}

	async listExecutions(
		query: { cursor?: string | null; limit?: number; status?: string; workflowId?: string },
		signal?: AbortSignal,
	): Promise<Page<N8nExecution>> {
		const params = new URLSearchParams({
			limit: String(query.limit ?? PAGE_LIMIT),
			includeData: 'false',
		});
		if (query.cursor) params.set('cursor', query.cursor);
		if (query.status) params.set('status', query.status);
		if (query.workflowId) params.set('workflowId', query.workflowId);
		return asPage<N8nExecution>(await this.get(`/executions?${params}`, signal), '/executions');
	}

	/** One execution, or null when n8n no longer has it (pruned or deleted). */
	async getExecution(id: string, signal?: AbortSignal): Promise<N8nExecution | null> {
		try {
			return (await this.get(
				`/executions/${encodeURIComponent(id)}?includeData=false`,
				signal,
			)) as N8nExecution;
		} catch (error) {
			if (error instanceof N8nApiError && error.status === 404 && error.kind === 'http')
				return null;
			throw error;
		}
	}

	async listWorkflows(
		query: { cursor?: string | null; active?: boolean },
		signal?: AbortSignal,
	): Promise<Page<N8nWorkflow>> {
		const params = new URLSearchParams({ limit: String(PAGE_LIMIT), excludePinnedData: 'true' });
		if (query.cursor) params.set('cursor', query.cursor);
		if (query.active !== undefined) params.set('active', String(query.active));
		return asPage<N8nWorkflow>(await this.get(`/workflows?${params}`, signal), '/workflows');
	}

	/** Every workflow, all pages. */
	async allWorkflows(signal?: AbortSignal): Promise<N8nWorkflow[]> {
		const all: N8nWorkflow[] = [];
		let cursor: string | null = null;
		for (let page = 0; page < 10_000; page++) {
			const result: Page<N8nWorkflow> = await this.listWorkflows({ cursor }, signal);
			all.push(...result.data);
			cursor = result.nextCursor;
			if (!cursor) break;
		}
		return all;
	}

	/** n8n's Prometheus page (/metrics; needs N8N_METRICS=true, and no API key). */
	async metricsText(signal?: AbortSignal): Promise<string> {
		const response = await this.send(`${this.baseUrl}/metrics`, '/metrics', signal, false);
		const text = await response.text();
		if (response.status === 404) {
			throw new N8nApiError(
				// What a real n8n 2.40.7 without N8N_METRICS answers (an HTML "Cannot GET /metrics").
				`n8n answered 404 at ${this.baseUrl}/metrics: set N8N_METRICS=true on that n8n (and N8N_METRICS_INCLUDE_QUEUE_METRICS=true for queue figures)`,
				'http',
				404,
			);
		}
		if (!response.ok)
			throw new N8nApiError(`GET /metrics answered ${response.status}`, 'http', response.status);
		return text;
	}

	private async get(path: string, signal?: AbortSignal): Promise<unknown> {
		const shown = path.split('?')[0];
		const response = await this.send(`${this.baseUrl}/api/v1${path}`, shown, signal, true);
		const text = await response.text();
		const type = response.headers.get('content-type') ?? '';
		const looksLikeHtml = /text\/html/i.test(type) || /^\s*</.test(text);
		const where = `${this.baseUrl} (GET /api/v1${shown})`;
		if (response.status === 401 || response.status === 403) {
			throw new N8nApiError(
				`API key rejected (${response.status}) by ${where}: create a new key in n8n Settings > n8n API`,
				'auth',
				response.status,
			);
		}
		if (response.status >= 500) {
			throw new N8nApiError(
				`n8n at ${where} failed with ${response.status}: ${snippet(text, looksLikeHtml)}`,
				'server',
				response.status,
			);
		}
		if (looksLikeHtml || (response.status === 404 && !/json/i.test(type))) {
			throw new N8nApiError(
				`${where} does not answer like n8n's public API (status ${response.status}, ${type || 'no content type'}): check the base URL, and that the public API is not disabled (N8N_PUBLIC_API_DISABLED)`,
				'not-n8n',
				response.status,
			);
		}
		let body: unknown;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			throw new N8nApiError(
				`${where} does not answer like n8n's public API (no JSON: ${snippet(text, false)})`,
				'not-n8n',
				response.status,
			);
		}
		if (!response.ok) {
			throw new N8nApiError(
				`n8n at ${where} answered ${response.status}: ${snippet(text, false)}`,
				'http',
				response.status,
			);
		}
		return body;
	}

	private async send(
		url: string,
		shown: string,
		signal: AbortSignal | undefined,
		withKey: boolean,
	) {
		const timeout = AbortSignal.timeout(this.timeoutMs);
		this.requests++;
		try {
			return await this.fetchImpl(url, {
				headers: {
					accept: 'application/json',
					...(withKey ? { 'X-N8N-API-KEY': this.apiKey } : {}),
				},
				signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
			});
		} catch (error) {
			if (timeout.aborted) {
				throw new N8nApiError(
					`n8n at ${this.baseUrl} did not answer GET ${shown} within ${this.timeoutMs} ms`,
					'timeout',
				);
			}
			if (signal?.aborted) throw new N8nApiError(`GET ${shown} was aborted`, 'timeout');
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			const reason = cause?.code ?? cause?.message ?? (error as Error).message;
			throw new N8nApiError(`n8n at ${this.baseUrl} cannot be reached (${reason})`, 'network');
		}
	}
}

function asPage<T>(body: unknown, path: string): Page<T> {
	const page = body as Page<T> | undefined;
	if (!page || !Array.isArray(page.data)) {
		throw new N8nApiError(
			`GET /api/v1${path} does not answer like n8n's public API (no "data" list)`,
			'not-n8n',
		);
	}
	return { data: page.data, nextCursor: page.nextCursor ?? null };
}

/** The start of a body for a message, tags dropped. A body never holds the key we sent. */
function snippet(text: string, html: boolean): string {
	const plain = html ? text.replace(/<[^>]*>/g, ' ') : text;
	return plain.replace(/\s+/g, ' ').trim().slice(0, 200) || '(empty body)';
}
