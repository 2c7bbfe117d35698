import { describeFetchError, excerpt, joinUrl, redact } from './display';

/** A failure whose message is fit to show: no header values, no credentials, no query string. */
export class EndpointError extends Error {}

/** I/O handed to a server module, so that modules only describe what to fetch and how to read it. */
export interface EndpointIO {
	/** GET a path under the endpoint's base URL; rejects with a readable reason on any failure. */
	getText(path: string): Promise<string>;
	getJson(path: string): Promise<unknown>;
}

export interface IOOptions {
	baseUrl: string;
	headers?: Record<string, string>;
	signal: AbortSignal;
	timeoutMs: number;
}

/**
 * The requests of one endpoint: global fetch, redirects followed, one abort signal for the
 * endpoint's timeout and the collection's. Every failure becomes an EndpointError naming the path
 * and what went wrong, with header values scrubbed from anything the server sent back.
 */
export function endpointIO(options: IOOptions): EndpointIO {
	const { baseUrl, headers, signal, timeoutMs } = options;
	async function get(path: string, accept: string): Promise<{ body: string; type: string }> {
		let response: Response;
		let body: string;
		try {
			response = await fetch(joinUrl(baseUrl, path), {
				method: 'GET',
				headers: { accept, ...headers },
				redirect: 'follow',
				signal,
			});
			body = await response.text();
		} catch (error) {
			throw new EndpointError(
				`GET ${path}: ${redact(describeFetchError(error, timeoutMs), headers)}`,
			);
		}
		if (!response.ok) {
			const text = excerpt(body, headers);
			const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
			throw new EndpointError(`GET ${path}: ${status}${text ? ` (${text})` : ''}`);
		}
		return { body, type: response.headers.get('content-type') ?? '' };
	}
	return {
		async getText(path) {
			return (await get(path, 'text/plain, */*')).body;
		},
		async getJson(path) {
			const { body, type } = await get(path, 'application/json');
			try {
				return JSON.parse(body);
			} catch {
				const what = type ? type.split(';')[0] : 'no content type';
				throw new EndpointError(
					`GET ${path}: expected JSON, got ${what} (${excerpt(body, headers) || 'empty body'})`,
				);
			}
		},
	};
}
