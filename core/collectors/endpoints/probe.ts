/*
 * One HTTP request over a connection this module opens itself, phase by phase, so that each phase
 * can be timed and a certificate can be judged before a single request byte (an Authorization
 * header) goes to a server that failed verification:
 *
 *   dns       dns.lookup of the host (0 for an IP literal)
 *   connect   TCP connect to the address found
 *   tls       TLS handshake (https only); verified here, not by Node, so that the certificate is
 *             read even when it fails (days left of an expired or self-signed certificate)
 *   firstByte from the request written to the response headers (the server's wait)
 *   download  from the headers to the end of the body
 *
 * The phases do not overlap, so they add up to the hop's total. No agent, `Connection: close`:
 * every check measures a fresh connection. Every failure is returned as data, with a reason fit
 * to show (no header values: the callers scrub what a server sent back).
 */
import * as dns from 'node:dns';
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { CertificateInfo } from './types';

export type Phase = 'dns' | 'connect' | 'tls' | 'firstByte' | 'download';

/** Milliseconds per phase; null for a phase that did not happen or did not end. */
export interface PhaseTimings {
	dns: number | null;
	connect: number | null;
	tls: number | null;
	firstByte: number | null;
	download: number | null;
}

export interface HopRequest {
	url: URL;
	method: string;
	headers: Record<string, string>;
	body?: string;
	ignoreTlsErrors: boolean;
	/** Bytes of the body kept; the rest is counted and dropped. 0 keeps nothing. */
	keepBytes: number;
	/** True for a status whose body is not wanted (a redirect to follow): stop at the headers. */
	stopAtHeaders?: (status: number) => boolean;
}

export interface HopResult {
	/** Set when the hop failed: why. */
	reason?: string;
	/** Set when the signal aborted it; `phase` says where it was. */
	aborted?: boolean;
	phase: Phase;
	timings: PhaseTimings;
	/** Milliseconds from the hop's start to its end. */
	totalMs: number;
	remoteAddress: string | null;
	certificate: CertificateInfo | null;
	status?: number;
	location?: string;
	/** Body bytes received (all of them, also past keepBytes). */
	bytes: number;
	body: Buffer;
	truncated: boolean;
}

const DAY_MS = 86_400_000;

/** Readable texts for OpenSSL's verification codes (Node's authorizationError). */
const CERT_ERRORS: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
	SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
	CERT_HAS_EXPIRED: 'certificate has expired',
	CERT_NOT_YET_VALID: 'certificate is not yet valid',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
	UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
	CERT_REVOKED: 'certificate revoked',
	ERR_TLS_CERT_ALTNAME_INVALID: 'host name does not match the certificate',
};

export function describeCertError(code: string): string {
	return CERT_ERRORS[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

/** A readable reason for a socket or HTTP error. */
export function describeError(error: unknown, host: string): string {
	const e = error as { code?: string; message?: string };
	switch (e?.code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'connection reset by peer';
		case 'ENOTFOUND':
			return `DNS: host name ${host} not found`;
		case 'EAI_AGAIN':
			return `DNS: lookup of ${host} failed for now (EAI_AGAIN)`;
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'ETIMEDOUT':
			return 'connection timed out (no route or filtered)';
	}
	if (typeof e?.code === 'string' && e.code.startsWith('HPE_')) {
		return `invalid HTTP answer (${e.code})`;
	}
	if (typeof e?.code === 'string' && /SSL|TLS|EPROTO/.test(e.code)) {
		return `TLS handshake failed: ${e.message ?? e.code}`;
	}
	const message = e?.message ?? String(error);
	return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}

function firstName(field: unknown): string {
	// A certificate may carry several CNs; Node then gives an array.
	return Array.isArray(field) ? String(field[0] ?? '') : typeof field === 'string' ? field : '';
}

/** The fields of a peer certificate worth storing, with days left against `now`. */
export function certificateInfo(
	cert: tls.PeerCertificate | undefined,
	host: string,
	authorized: boolean,
	error: string | undefined,
	now: number,
): CertificateInfo | null {
	if (!cert || !cert.valid_to) return null;
	const validTo = Date.parse(cert.valid_to);
	if (Number.isNaN(validTo)) return null;
	const info: CertificateInfo = {
		host,
		daysLeft: Math.round(((validTo - now) / DAY_MS) * 1000) / 1000,
		validTo: new Date(validTo).toISOString(),
		issuer: firstName(cert.issuer?.CN) || firstName(cert.issuer?.O),
		subject: firstName(cert.subject?.CN),
		authorized,
	};
	if (error) info.error = error;
	return info;
}

function lookup(host: string): Promise<{ address: string; family: number }> {
	return new Promise((resolve, reject) =>
		dns.lookup(host, (error, address, family) =>
			error ? reject(error) : resolve({ address, family }),
		),
	);
}

/** Runs one request; resolves (never rejects) when it ends, fails, or `signal` aborts. */
export function hop(request: HopRequest, signal: AbortSignal): Promise<HopResult> {
	return new Promise((resolve) => new HopRun(request, signal, resolve).start());
}

/** One hop from its start to the one result it resolves with: DNS, connect, TLS, send, read. */
class HopRun {
	private readonly https: boolean;
	private readonly host: string;
	private readonly port: number;
	private readonly started: number;
	private mark: number;
	private readonly timings: PhaseTimings = {
		dns: null,
		connect: null,
		tls: null,
		firstByte: null,
		download: null,
	};
	private phase: Phase = 'dns';
	private socket: net.Socket | undefined;
	private req: http.ClientRequest | undefined;
	private remoteAddress: string | null = null;
	private certificate: CertificateInfo | null = null;
	private status: number | undefined;
	private location: string | undefined;
	private bytes = 0;
	private truncated = false;
	private readonly kept: Buffer[] = [];
	private keptBytes = 0;
	private settled = false;

	constructor(
		private readonly request: HopRequest,
		private readonly signal: AbortSignal,
		private readonly resolve: (result: HopResult) => void,
	) {
		const { url } = request;
		this.https = url.protocol === 'https:';
		// URL keeps IPv6 literals in brackets.
		this.host = url.hostname.replace(/^\[|\]$/g, '');
		this.port = Number(url.port) || (this.https ? 443 : 80);
		this.started = performance.now();
		this.mark = this.started;
	}

	start(): void {
		if (this.signal.aborted) return this.onAbort();
		this.signal.addEventListener('abort', this.onAbort, { once: true });
		if (net.isIP(this.host)) {
			this.timings.dns = 0;
			this.connect(this.host, net.isIP(this.host));
		} else {
			lookup(this.host).then(({ address, family }) => {
				if (this.settled) return;
				this.end('dns');
				this.connect(address, family);
			}, this.fail);
		}
	}

	/** Ends phase `p`: its time runs from the end of the one before. */
	private end(p: Phase): void {
		const t = performance.now();
		this.timings[p] = t - this.mark;
		this.mark = t;
	}

	private finish(extra: Partial<HopResult>): void {
		if (this.settled) return;
		this.settled = true;
		this.signal.removeEventListener('abort', this.onAbort);
		this.req?.destroy();
		this.socket?.destroy();
		this.resolve({
			phase: this.phase,
			timings: this.timings,
			totalMs: performance.now() - this.started,
			remoteAddress: this.remoteAddress,
			certificate: this.certificate,
			status: this.status,
			location: this.location,
			bytes: this.bytes,
			body: Buffer.concat(this.kept),
			truncated: this.truncated,
			...extra,
		});
	}

	private readonly fail = (error: unknown): void =>
		this.finish({ reason: describeError(error, this.host) });

	private readonly onAbort = (): void => this.finish({ aborted: true });

	private connect(address: string, family: number): void {
		this.phase = 'connect';
		const tcp = net.connect({ host: address, port: this.port, family });
		this.socket = tcp;
		tcp.on('error', this.fail);
		tcp.once('connect', () => this.onConnected(tcp));
	}

	private onConnected(tcp: net.Socket): void {
		this.end('connect');
		this.remoteAddress = tcp.remoteAddress ?? null;
		if (!this.https) return this.send(tcp);
		this.phase = 'tls';
		// Verification is ours (below): rejectUnauthorized false lets the handshake finish so
		// the certificate can be read, and nothing is sent before the verdict.
		const secure = tls.connect({
			socket: tcp,
			servername: net.isIP(this.host) ? undefined : this.host,
			rejectUnauthorized: false,
			ALPNProtocols: ['http/1.1'],
		});
		this.socket = secure;
		secure.on('error', this.fail);
		secure.once('secureConnect', () => {
			this.end('tls');
			const code = secure.authorized
				? undefined
				: describeCertError(String(secure.authorizationError ?? 'UNKNOWN'));
			this.certificate = certificateInfo(
				secure.getPeerCertificate(),
				this.host,
				secure.authorized,
				code,
				Date.now(),
			);
			if (code && !this.request.ignoreTlsErrors)
				return this.finish({ reason: `certificate: ${code}` });
			this.send(secure);
		});
	}

	private send(connection: net.Socket): void {
		const { request } = this;
		this.phase = 'firstByte';
		const headers: Record<string, string> = { ...request.headers };
		const req = http.request({
			method: request.method,
			host: this.host,
			port: this.port,
			defaultPort: this.https ? 443 : 80,
			path: `${request.url.pathname}${request.url.search}`,
			headers,
			// No agent: our connected socket is the connection, and `Connection: close` follows.
			createConnection: () => connection,
		});
		this.req = req;
		req.on('error', this.fail);
		req.on('response', (res) => this.onResponse(res));
		req.end(request.body);
	}

	private onResponse(res: http.IncomingMessage): void {
		this.end('firstByte');
		this.phase = 'download';
		this.status = res.statusCode;
		const loc = res.headers.location;
		this.location = Array.isArray(loc) ? loc[0] : loc;
		if (this.request.stopAtHeaders?.(this.status ?? 0)) {
			this.timings.download = 0;
			return this.finish({});
		}
		res.on('data', (chunk: Buffer) => this.keep(chunk));
		res.on('end', () => {
			this.end('download');
			this.finish({});
		});
		res.on('error', this.fail);
		res.on('close', () => {
			if (!res.complete) this.fail({ code: 'ECONNRESET' });
		});
	}

	/** Counts a body chunk and keeps what fits in keepBytes. */
	private keep(chunk: Buffer): void {
		this.bytes += chunk.length;
		const room = this.request.keepBytes - this.keptBytes;
		if (room > 0) {
			const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
			this.kept.push(part);
			this.keptBytes += part.length;
		}
		if (chunk.length > Math.max(0, room)) this.truncated = true;
	}
}
