/*
 * HTTP/API endpoint checks: one request per check (plus redirects), timed phase by phase over a
 * fresh connection (./probe.ts), judged by status, body text and a JSON path (./expect.ts).
 *
 * - Every check has one deadline (timeoutMs) over all of it: DNS, connect, TLS, each redirect hop
 *   and the body. When it passes, the sockets are destroyed and the check is down with "no answer
 *   within N ms" and the phase it was in. At most `concurrency` checks run at once, so a slow
 *   endpoint holds one slot for at most its own timeout and delays no other check beyond that.
 * - Phase timings (dns, connect, tls, first byte, download) describe the final hop, the answer
 *   that was judged; earlier hops add up in redirectSeconds, and totalSeconds spans the whole check.
 * - Certificates: every HTTPS hop's peer certificate is read, also when it does not verify; the
 *   one that expires first is reported (an expiring certificate on any hop breaks the check).
 *   A certificate that does not verify makes the check down ("certificate: self-signed
 *   certificate") unless ignoreTlsErrors is set; the request is not sent to such a server.
 * - Redirects (301, 302, 303, 307, 308 with a Location) are followed up to 5 hops; 303, and 301/302
 *   after a POST, continue as GET without a body, as browsers do. Authorization, Cookie and URL
 *   credentials are dropped when a redirect leaves the origin (what fetch and curl do too).
 * - Header values and URL credentials are never copied: labels and URLs lose user info and the
 *   query string, and anything quoted from a server is scrubbed of header values.
 *
 * A check that fails in any way is data (endpoint_up 0 and a reason); the collection itself stays
 * ok. Only an empty list fails the collection.
 */
import { displayUrl, redact } from '../../http';
import { mapLimit } from '../map-limit';
import type { CollectContext, Collector, CollectorOutput, Sample } from '../types';
import { bodyProblem, statusProblem } from './expect';
import { hop, type HopResult, type Phase } from './probe';
import type {
	CertificateInfo,
	CheckResult,
	EndpointCheck,
	EndpointOptions,
	EndpointSnapshot,
} from './types';
import { checkLabel, DEFAULT_EXPECTED, parseExpectedStatus, validateChecks } from './validate';
import type { MetricName } from '../../catalog/metrics';

export * from './types';
export { validateChecks, parseExpectedStatus, checkLabel, type CheckProblem } from './validate';
export { valueAtPath, bodyProblem, statusProblem } from './expect';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 8;
export const MAX_REDIRECTS = 5;
/** Body kept for bodyContains and the JSON path; the rest is counted, not kept. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
const MAX_CONCURRENCY = 64;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CROSS_ORIGIN_DROPPED = new Set(['authorization', 'cookie', 'proxy-authorization']);

const PHASE_WORDS: Record<Phase, string> = {
	dns: 'looking up the host name',
	connect: 'connecting',
	tls: 'in the TLS handshake',
	firstByte: 'waiting for the answer',
	download: 'reading the body',
};

function seconds(ms: number | null): number | null {
	return ms === null ? null : Math.round(ms * 1000) / 1e6;
}

/** Header values and URL credentials: what must never show in a reason. */
function secretsOf(url: URL, headers: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = { ...headers };
	// Only the password: a user name is no secret, and scrubbing a common word ("admin") would
	// garble reasons. Shown URLs lose all user info through displayUrl anyway.
	if (url.password) out['url password'] = decodeURIComponent(url.password);
	return out;
}

/** Runs one check to its verdict. Never throws. */
export async function runCheck(
	check: EndpointCheck,
	problems: string[],
	signal: AbortSignal,
): Promise<CheckResult> {
	const result = emptyResult(check);
	if (problems.length > 0) return { ...result, reason: problems.join('; ') };

	// setTimeout fires at once past 2^31-1 ms; no check needs more than a day anyway.
	const timeoutMs = Math.min(check.timeoutMs ?? DEFAULT_TIMEOUT_MS, 86_400_000);
	const expected = parseExpectedStatus(check.expectedStatus);
	const wantsBody = Boolean(check.bodyContains || check.jsonPath);
	const { headers, secrets } = requestHeaders(new URL(check.url), check.headers ?? {});
	const deadline = startDeadline(timeoutMs, signal);
	const started = performance.now();
	let walk: HopWalk;
	try {
		walk = await walkHops(check, result, headers, wantsBody, deadline);
	} finally {
		deadline.stop();
	}
	result.totalSeconds = seconds(performance.now() - started)!;

	const { last, certificates } = walk;
	let reason = walk.reason;
	if (last) recordFinalHop(result, last);
	if (certificates.length > 0) {
		result.certificate = certificates.reduce((a, b) => (b.daysLeft < a.daysLeft ? b : a));
	}
	if (!reason && last?.status !== undefined) {
		reason =
			statusProblem(last.status, typeof expected === 'string' ? DEFAULT_EXPECTED : expected) ??
			(wantsBody
				? bodyProblem(last.body.toString('utf8'), last.truncated, check, BODY_LIMIT_BYTES)
				: undefined);
	}
	if (reason) result.reason = redact(reason, secrets);
	result.up = !reason;
	return result;
}

/** A check's result before anything is known: down, no figures. */
function emptyResult(check: EndpointCheck): CheckResult {
	const method = (
		typeof check.method === 'string' && check.method ? check.method : 'GET'
	).toUpperCase();
	return {
		endpoint: checkLabel(check),
		url: displayUrl(String(check.url)),
		method,
		up: false,
		statusCode: null,
		finalUrl: null,
		redirects: 0,
		remoteAddress: null,
		dnsSeconds: null,
		connectSeconds: null,
		tlsSeconds: null,
		firstByteSeconds: null,
		downloadSeconds: null,
		redirectSeconds: 0,
		totalSeconds: 0,
		responseBytes: null,
		certificate: null,
	};
}

/**
 * The headers to send (URL credentials become Basic auth unless an Authorization header is
 * given) and the secrets that must not show in a reason.
 */
function requestHeaders(
	url: URL,
	given: Record<string, string>,
): { headers: Record<string, string>; secrets: Record<string, string> } {
	const headers: Record<string, string> = { ...given };
	const secrets = secretsOf(url, headers);
	if (
		(url.username || url.password) &&
		!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')
	) {
		const user = decodeURIComponent(url.username);
		const pass = decodeURIComponent(url.password);
		headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
		secrets['url basic'] = headers.authorization;
	}
	return { headers, secrets };
}

interface Deadline {
	signal: AbortSignal;
	timedOut(): boolean;
	timeoutMs: number;
	stop(): void;
}

/** One deadline for the whole check, bound to the collection's own abort. */
function startDeadline(timeoutMs: number, collection: AbortSignal): Deadline {
	const controller = new AbortController();
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, timeoutMs);
	const onCollectionAbort = () => controller.abort();
	collection.addEventListener('abort', onCollectionAbort, { once: true });
	if (collection.aborted) controller.abort();
	return {
		signal: controller.signal,
		timedOut: () => timedOut,
		timeoutMs,
		stop() {
			clearTimeout(timer);
			collection.removeEventListener('abort', onCollectionAbort);
		},
	};
}

interface HopWalk {
	/** The answer that is judged: the last hop made. */
	last?: HopResult;
	reason?: string;
	certificates: CertificateInfo[];
}

/**
 * Requests the URL and follows its redirects until an answer to judge or a reason to stop;
 * counts redirects, their time and the final URL into `result`.
 */
async function walkHops(
	check: EndpointCheck,
	result: CheckResult,
	headers: Record<string, string>,
	wantsBody: boolean,
	deadline: Deadline,
): Promise<HopWalk> {
	const follow = check.followRedirects !== false;
	const certificates: CertificateInfo[] = [];
	let url = new URL(check.url);
	let hopMethod = result.method;
	let body = check.body;
	let last: HopResult | undefined;
	for (;;) {
		const hopUrl = new URL(url);
		hopUrl.username = '';
		hopUrl.password = '';
		hopUrl.hash = '';
		const isLastAllowed = result.redirects >= MAX_REDIRECTS;
		const h: HopResult = await hop(
			{
				url: hopUrl,
				method: hopMethod,
				headers,
				body,
				ignoreTlsErrors: check.ignoreTlsErrors === true,
				keepBytes: wantsBody ? BODY_LIMIT_BYTES : 0,
				// A redirect about to be followed: its body is not wanted.
				stopAtHeaders: (status) => follow && !isLastAllowed && REDIRECTS.has(status),
			},
			deadline.signal,
		);
		if (h.certificate) certificates.push(h.certificate);
		if (last) result.redirectSeconds += last.totalMs / 1000;
		last = h;
		result.finalUrl = displayUrl(hopUrl.toString());
		const next = nextHop(h, hopUrl, follow, isLastAllowed, deadline);
		if ('stop' in next) return { last, reason: next.reason, certificates };
		if (next.url.origin !== hopUrl.origin) {
			for (const name of Object.keys(headers)) {
				if (CROSS_ORIGIN_DROPPED.has(name.toLowerCase())) delete headers[name];
			}
		}
		const status = h.status ?? 0;
		if (status === 303 || ((status === 301 || status === 302) && hopMethod === 'POST')) {
			if (hopMethod !== 'HEAD') hopMethod = 'GET';
			body = undefined;
		}
		result.redirects += 1;
		url = next.url;
	}
}

/** After a hop: the redirect to follow, or a stop (with the reason, if the check failed). */
function nextHop(
	h: HopResult,
	hopUrl: URL,
	follow: boolean,
	isLastAllowed: boolean,
	deadline: Deadline,
): { url: URL } | { stop: true; reason?: string } {
	if (h.aborted) {
		return {
			stop: true,
			reason: deadline.timedOut()
				? `no answer within ${deadline.timeoutMs} ms (${PHASE_WORDS[h.phase]})`
				: 'collection aborted (timed out)',
		};
	}
	if (h.reason) return { stop: true, reason: h.reason };
	const status = h.status ?? 0;
	if (!(follow && REDIRECTS.has(status) && h.location)) return { stop: true };
	if (isLastAllowed) return { stop: true, reason: `more than ${MAX_REDIRECTS} redirects` };
	let next: URL;
	try {
		next = new URL(h.location, hopUrl);
	} catch {
		return { stop: true, reason: `status ${status} redirects to an invalid Location` };
	}
	if (next.protocol !== 'http:' && next.protocol !== 'https:') {
		return { stop: true, reason: `status ${status} redirects to a ${next.protocol}// URL` };
	}
	return { url: next };
}

/** Timings, address, status and size of the answer that was judged. */
function recordFinalHop(result: CheckResult, last: HopResult): void {
	result.remoteAddress = last.remoteAddress;
	result.dnsSeconds = seconds(last.timings.dns);
	result.connectSeconds = seconds(last.timings.connect);
	result.tlsSeconds = seconds(last.timings.tls);
	result.firstByteSeconds = seconds(last.timings.firstByte);
	result.downloadSeconds = seconds(last.timings.download);
	result.redirectSeconds = Math.round(result.redirectSeconds * 1e6) / 1e6;
	if (last.status !== undefined) result.statusCode = last.status;
	if (!last.reason && !last.aborted && last.status !== undefined) result.responseBytes = last.bytes;
}

function toSamples(r: CheckResult): Sample[] {
	const labels = { endpoint: r.endpoint };
	const samples: Sample[] = [{ name: 'endpoint_up', value: r.up ? 1 : 0, labels }];
	const add = (name: MetricName, value: number | null) => {
		if (value !== null && Number.isFinite(value)) samples.push({ name, value, labels });
	};
	add('endpoint_status_code', r.statusCode);
	add('endpoint_dns_seconds', r.dnsSeconds);
	add('endpoint_connect_seconds', r.connectSeconds);
	add('endpoint_tls_seconds', r.tlsSeconds);
	add('endpoint_first_byte_seconds', r.firstByteSeconds);
	add('endpoint_download_seconds', r.downloadSeconds);
	// Only for a complete answer: a failure's "total" (a timeout) would distort latency charts.
	add('endpoint_total_seconds', r.responseBytes !== null ? r.totalSeconds : null);
	add('endpoint_response_bytes', r.responseBytes);
	add('endpoint_cert_days_left', r.certificate ? r.certificate.daysLeft : null);
	return samples;
}

export function createEndpointCollector(): Collector<EndpointOptions, EndpointSnapshot> {
	async function collect(
		options: EndpointOptions,
		context: CollectContext,
	): Promise<CollectorOutput<EndpointSnapshot>> {
		const checks = Array.isArray(options?.checks) ? options.checks : [];
		if (checks.length === 0) throw new Error('endpoint: no checks to run');
		const concurrency = Math.min(
			MAX_CONCURRENCY,
			Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY) || DEFAULT_CONCURRENCY),
		);
		const problems = new Map<number, string[]>();
		for (const p of validateChecks(checks)) {
			problems.set(p.index, [...(problems.get(p.index) ?? []), p.message]);
		}
		const results = await mapLimit(checks, concurrency, (check, i) =>
			runCheck(check, problems.get(i) ?? [], context.signal),
		);
		const up = results.filter((r) => r.up).length;
		return {
			samples: results.flatMap(toSamples),
			snapshot: { checks: results, up, down: results.length - up },
			warnings: [],
		};
	}
	return { name: 'endpoint', collect };
}

export const endpointCollector = createEndpointCollector();
