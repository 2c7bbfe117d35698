/*
 * What may be shown of an HTTP exchange: a URL without credentials or query, a server's answer
 * with every header value we sent scrubbed, and a readable reason for a request that failed.
 */

/** How much of an error page goes into a reason. */
const EXCERPT_CHARS = 120;

/** The URL as it may be shown: origin and path, without user info, query or fragment. */
export function displayUrl(url: string): string {
	try {
		const u = new URL(url);
		return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname.replace(/\/+$/, '')}`;
	} catch {
		return '(invalid URL)';
	}
}

/** Joins a base URL (which may carry a path prefix, e.g. behind a proxy) and an API path. */
export function joinUrl(base: string, path: string): string {
	const u = new URL(base);
	u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
	u.search = '';
	u.hash = '';
	return u.toString();
}

/**
 * Removes every header value from a text that came back from a server (a proxy that echoes the
 * request into its error page must not leak an Authorization token into a stored reason).
 */
export function redact(text: string, headers: Record<string, string> | undefined): string {
	let out = text;
	for (const value of Object.values(headers ?? {})) {
		if (typeof value !== 'string' || value.length < 4) continue;
		out = out.split(value).join('[redacted]');
		// Tokens are often sent as "Bearer <token>": hide the token alone as well.
		const token = value.replace(/^\s*(bearer|basic|token)\s+/i, '');
		if (token !== value && token.length >= 4) out = out.split(token).join('[redacted]');
	}
	return out;
}

export function excerpt(body: string, headers: Record<string, string> | undefined): string {
	const flat = redact(body, headers).replace(/\s+/g, ' ').trim();
	return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/** A readable reason for a fetch that threw: refused, no answer in time, DNS, reset. */
export function describeFetchError(error: unknown, timeoutMs: number): string {
	const e = error as {
		name?: string;
		message?: string;
		cause?: { code?: string; message?: string };
	};
	if (e?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
	if (e?.name === 'AbortError') return 'collection aborted (timed out)';
	const code = e?.cause?.code;
	switch (code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host name not found';
		case 'ECONNRESET':
		case 'UND_ERR_SOCKET':
			return 'connection closed by the server';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'UND_ERR_HEADERS_TIMEOUT':
		case 'UND_ERR_BODY_TIMEOUT':
			return `no answer within ${timeoutMs} ms`;
	}
	const detail = e?.cause?.message ?? e?.message ?? String(error);
	return code ? `${code}: ${detail}` : detail;
}
