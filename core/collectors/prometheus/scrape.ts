import * as http from 'node:http';
import * as https from 'node:https';

import { describeFetchError, displayUrl, excerpt, redact } from '../../http';

/** A page larger than this is refused before it fills the memory of the n8n process. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How much of a page that is not in the text format the reason quotes. */
const FIRST_BYTES = 80;

export interface ScrapeRequest {
	url: string;
	headers?: Record<string, string>;
	timeoutMs: number;
	ignoreTlsErrors?: boolean;
	signal: AbortSignal;
}

export interface ScrapedPage {
	body: string;
	contentType: string;
}

/**
 * One GET of a metrics page with node:http(s), not global fetch: fetch cannot skip certificate
 * checks per request without undici's Agent (not a dependency), and exporters behind self-signed
 * certificates are common. Every failure is an Error whose message names the URL (no user info or
 * query) and what went wrong, with header values scrubbed from anything the server sent back.
 */
export function scrape(request: ScrapeRequest): Promise<ScrapedPage> {
	const where = `GET ${displayUrl(request.url)}`;
	const fail = (why: string) => new Error(`${where}: ${redact(why, request.headers)}`);
	return new Promise((resolve, reject) => {
		let settled = false;
		const done = (error: Error | null, page?: ScrapedPage) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			request.signal.removeEventListener('abort', onAbort);
			req.destroy();
			if (error) reject(error);
			else resolve(page!);
		};
		const onAbort = () => done(fail(describeFetchError({ name: 'AbortError' }, request.timeoutMs)));
		const timer = setTimeout(
			() => done(fail(describeFetchError({ name: 'TimeoutError' }, request.timeoutMs))),
			request.timeoutMs,
		);
		const url = new URL(request.url);
		const get = url.protocol === 'https:' ? https.get : http.get;
		const req = get(url, {
			headers: {
				// The classic text format: node_exporter and dcgm-exporter both answer with it.
				accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1',
				...request.headers,
			},
			agent: false,
			rejectUnauthorized: !request.ignoreTlsErrors,
		});
		req.on('error', (error) => done(fail(describeFetchError({ cause: error }, request.timeoutMs))));
		req.on('response', (res) => {
			const chunks: Buffer[] = [];
			let bytes = 0;
			res.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				if (bytes > MAX_BODY_BYTES) {
					return done(
						fail(
							`the page is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB; scrape a narrower endpoint (e.g. node_exporter's collect[] parameter)`,
						),
					);
				}
				chunks.push(chunk);
			});
			res.on('error', (error) => done(fail(describeFetchError({ cause: error }, 0))));
			res.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				const status = res.statusCode ?? 0;
				if (status < 200 || status > 299) {
					const text = excerpt(body, request.headers);
					const line = `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
					return done(fail(`${line}${text ? ` (${text})` : ''}`));
				}
				done(null, { body, contentType: String(res.headers['content-type'] ?? '') });
			});
		});
		if (request.signal.aborted) onAbort();
		else request.signal.addEventListener('abort', onAbort, { once: true });
	});
}

/**
 * Why a page is not in the Prometheus text format, or null when it looks like it is: an HTML or
 * JSON answer (a login page, a proxy's error, the wrong port) would otherwise parse into nonsense
 * or nothing. The first non-comment line must be `name{labels} value`.
 */
export function notTextFormat(page: ScrapedPage): string | null {
	const first = page.body.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'));
	if (first === undefined) return null; // an empty page is valid text format, with no series
	const type = page.contentType.split(';')[0].trim().toLowerCase();
	const looksLikeSeries = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?\s+\S+/.test(first.trim());
	if (looksLikeSeries && !/html|json|xml/.test(type)) return null;
	const flat = page.body.replace(/\s+/g, ' ').trim();
	const start = flat.length > FIRST_BYTES ? `${flat.slice(0, FIRST_BYTES)}…` : flat;
	return `not Prometheus text format (${type || 'no content type'}): "${start}"`;
}
