import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
	endpointCollector,
	type CheckResult,
	type EndpointCheck,
	type EndpointSnapshot,
} from '../../core/collectors/endpoints';
import { runCollector } from '../../core/collectors/run';
import type { Collection, Sample } from '../../core/collectors/types';
import { selfSignedCertificate } from '../helpers/certificates';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const SECRET = 'Bearer s3cr3t-t0ken-value';
const servers: Array<http.Server | https.Server> = [];
const sockets = new Set<Socket>();
const hung: Socket[] = [];
let tls: { key: Buffer; cert: Buffer };
let httpBase: string;
let httpsBase: string;
/** Requests that reached the servers, by path. */
const seen: Array<{
	path: string;
	url: string;
	at: number;
	method: string;
	body: string;
	headers: http.IncomingHttpHeaders;
}> = [];

const routes: Record<string, Handler> = {
	'/ok': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('all ok here'),
	'/slow': (_req, res) => {
		setTimeout(() => res.writeHead(200).end('ok, slowly'), 300);
	},
	'/hang': (req) => {
		// Accepts and never answers: the client must close the connection at its deadline.
		hung.push(req.socket);
	},
	'/fail': (_req, res) => res.writeHead(500).end('internal error'),
	'/reset': (req) => req.socket.destroy(),
	'/redirect': (_req, res) => res.writeHead(302, { location: '/ok' }).end(),
	'/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
	'/json': (_req, res) =>
		res
			.writeHead(200, { 'content-type': 'application/json' })
			.end(JSON.stringify({ status: 'degraded', data: { items: [{ state: 'ready' }] }, n: 3 })),
	'/echo': (req, res, body) =>
		res.writeHead(200, { 'content-type': 'application/json' }).end(
			JSON.stringify({
				method: req.method,
				body,
				token: req.headers['x-api-key'],
				// A server that echoes the request back: the collector must not copy this out.
				authorization: req.headers.authorization,
			}),
		),
	'/big': (_req, res) => {
		res.writeHead(200);
		const chunk = Buffer.alloc(64 * 1024, 'a');
		for (let i = 0; i < 24; i++) res.write(chunk); // 1.5 MiB
		res.end('needle');
	},
};

function handle(req: http.IncomingMessage, res: http.ServerResponse) {
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => {
		const body = Buffer.concat(chunks).toString('utf8');
		const p = (req.url ?? '/').split('?')[0];
		seen.push({
			path: p,
			url: req.url ?? '',
			at: Date.now(),
			method: req.method ?? '',
			body,
			headers: req.headers,
		});
		const route = routes[p];
		if (route) route(req, res, body);
		else res.writeHead(404).end('not found');
	});
}

async function listen(server: http.Server | https.Server): Promise<number> {
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	servers.push(server);
	return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
	tls = selfSignedCertificate();
	httpBase = `http://127.0.0.1:${await listen(http.createServer(handle))}`;
	httpsBase = `https://127.0.0.1:${await listen(https.createServer(tls, handle))}`;
});

afterAll(async () => {
	for (const s of sockets) s.destroy();
	await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function collect(checks: EndpointCheck[], concurrency?: number) {
	return (await runCollector(
		endpointCollector,
		{ checks, concurrency },
		{ host: 'test' },
	)) as Collection<EndpointSnapshot>;
}

function result(c: Collection<EndpointSnapshot>, name: string): CheckResult {
	const r = c.snapshot!.checks.find((x) => x.endpoint === name);
	if (!r) throw new Error(`no check ${name}`);
	return r;
}

function sample(c: Collection, name: string, endpoint: string): Sample | undefined {
	return c.samples.find((s) => s.name === name && s.labels?.endpoint === endpoint);
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('endpoint collector over local HTTP', () => {
	it('a healthy endpoint is up with every phase sample and the body size', async () => {
		const c = await collect([{ name: 'ok', url: `${httpBase}/ok`, bodyContains: 'ok here' }]);
		expect(c.ok).toBe(true);
		const r = result(c, 'ok');
		expect(r).toMatchObject({ up: true, statusCode: 200, redirects: 0, responseBytes: 11 });
		expect(r.reason).toBeUndefined();
		expect(r.remoteAddress).toBe('127.0.0.1');
		expect(sample(c, 'endpoint_up', 'ok')?.value).toBe(1);
		expect(sample(c, 'endpoint_status_code', 'ok')?.value).toBe(200);
		expect(sample(c, 'endpoint_response_bytes', 'ok')?.value).toBe(11);
		// IP literal: no lookup.
		expect(sample(c, 'endpoint_dns_seconds', 'ok')?.value).toBe(0);
		for (const name of ['connect', 'first_byte', 'download', 'total']) {
			const s = sample(c, `endpoint_${name}_seconds`, 'ok');
			expect(s?.value).toBeGreaterThanOrEqual(0);
			expect(s!.value).toBeLessThan(5);
		}
		// http: no TLS, no certificate.
		expect(sample(c, 'endpoint_tls_seconds', 'ok')).toBeUndefined();
		expect(sample(c, 'endpoint_cert_days_left', 'ok')).toBeUndefined();
		expect(r.certificate).toBeNull();
	});

	it('labels a nameless check by its URL without credentials or query', async () => {
		const c = await collect([
			{ url: `http://user:pa55word@127.0.0.1:${httpBase.split(':')[2]}/ok?key=abc` },
		]);
		const label = c.samples[0].labels!.endpoint;
		expect(label).toBe(`${httpBase}/ok`);
		const text = JSON.stringify(c);
		expect(text).not.toContain('pa55word');
		expect(text).not.toContain('key=abc');
		// The credentials went as Basic auth.
		const last = seen.filter((s) => s.path === '/ok').pop()!;
		expect(last.headers.authorization).toBe(
			`Basic ${Buffer.from('user:pa55word').toString('base64')}`,
		);
	});

	it('a slow answer shows in first byte; one past its timeout is down while a fast one is not held up', async () => {
		const started = Date.now();
		const c = await collect(
			[
				{ name: 'slow', url: `${httpBase}/slow` },
				{ name: 'hang', url: `${httpBase}/hang`, timeoutMs: 1500 },
				{ name: 'fast', url: `${httpBase}/ok?who=fast` },
			],
			8,
		);
		expect(c.ok).toBe(true);
		const slow = result(c, 'slow');
		expect(slow.up).toBe(true);
		expect(slow.firstByteSeconds).toBeGreaterThanOrEqual(0.29);
		expect(sample(c, 'endpoint_first_byte_seconds', 'slow')!.value).toBeGreaterThanOrEqual(0.29);
		const hang = result(c, 'hang');
		expect(hang.up).toBe(false);
		expect(hang.reason).toMatch(/^no answer within 1500 ms \(waiting for the answer\)$/);
		expect(hang.totalSeconds).toBeGreaterThanOrEqual(1.4);
		expect(hang.statusCode).toBeNull();
		expect(sample(c, 'endpoint_up', 'hang')?.value).toBe(0);
		expect(sample(c, 'endpoint_total_seconds', 'hang')).toBeUndefined();
		// The client destroyed its socket at the deadline: the server sees the connection close.
		const socket = hung[hung.length - 1];
		await Promise.race([
			new Promise((resolve) => (socket.closed ? resolve(null) : socket.once('close', resolve))),
			new Promise((resolve) => setTimeout(resolve, 3000).unref()),
		]);
		expect(socket.closed).toBe(true);
		const fast = result(c, 'fast');
		expect(fast.up).toBe(true);
		// Generous: the fast check ran beside the hanging one, not after its 1.5 s timeout.
		expect(fast.totalSeconds).toBeLessThan(1);
		const arrived = seen.find((r) => r.url === '/ok?who=fast')!.at;
		expect(arrived - started).toBeLessThan(1000);
	});

	it('a collection of several hanging checks with concurrency 1 still ends: each within its own timeout', async () => {
		const started = Date.now();
		const c = await collect(
			[
				{ name: 'h1', url: `${httpBase}/hang`, timeoutMs: 300 },
				{ name: 'h2', url: `${httpBase}/hang`, timeoutMs: 300 },
				{ name: 'ok', url: `${httpBase}/ok` },
			],
			1,
		);
		expect(c.snapshot!.checks.map((r) => r.up)).toEqual([false, false, true]);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('follows a redirect, or reports the 302 when told not to', async () => {
		const c = await collect([
			{ name: 'follow', url: `${httpBase}/redirect` },
			{ name: 'nofollow', url: `${httpBase}/redirect`, followRedirects: false },
			{
				name: 'nofollow-302',
				url: `${httpBase}/redirect`,
				followRedirects: false,
				expectedStatus: '302',
			},
			{ name: 'loop', url: `${httpBase}/loop` },
		]);
		expect(result(c, 'follow')).toMatchObject({
			up: true,
			statusCode: 200,
			redirects: 1,
			finalUrl: `${httpBase}/ok`,
		});
		expect(result(c, 'follow').redirectSeconds).toBeGreaterThan(0);
		expect(result(c, 'nofollow')).toMatchObject({
			up: false,
			statusCode: 302,
			redirects: 0,
			reason: 'status 302, expected 200-299',
		});
		expect(result(c, 'nofollow-302')).toMatchObject({ up: true, statusCode: 302, redirects: 0 });
		expect(result(c, 'loop')).toMatchObject({
			up: false,
			redirects: 5,
			reason: 'more than 5 redirects',
		});
	});

	it('a 500 is down with the status in the reason, up when 500 is expected', async () => {
		const c = await collect([
			{ name: 'fail', url: `${httpBase}/fail` },
			{ name: 'fail-expected', url: `${httpBase}/fail`, expectedStatus: [500] },
		]);
		expect(result(c, 'fail')).toMatchObject({
			up: false,
			statusCode: 500,
			reason: 'status 500, expected 200-299',
		});
		expect(sample(c, 'endpoint_status_code', 'fail')?.value).toBe(500);
		expect(sample(c, 'endpoint_up', 'fail')?.value).toBe(0);
		expect(result(c, 'fail-expected').up).toBe(true);
	});

	it('a reset connection and a refused one are down with their reasons', async () => {
		const port = await closedPort();
		const c = await collect([
			{ name: 'reset', url: `${httpBase}/reset` },
			{ name: 'refused', url: `http://127.0.0.1:${port}/` },
		]);
		expect(result(c, 'reset')).toMatchObject({
			up: false,
			reason: 'connection reset by peer',
			statusCode: null,
		});
		expect(result(c, 'refused')).toMatchObject({ up: false, reason: 'connection refused' });
		expect(result(c, 'refused').connectSeconds).toBeNull();
	});

	it('a host name that does not resolve is a DNS failure', async () => {
		const c = await collect([{ name: 'nx', url: 'http://no-such-host.invalid/', timeoutMs: 5000 }]);
		expect(result(c, 'nx').up).toBe(false);
		// A sandbox without a resolver may let the lookup hang instead: then the phase says so.
		expect(result(c, 'nx').reason).toMatch(/^DNS: |looking up the host name/);
	});

	it('the wrong body is down: missing text, JSON mismatch, missing path, not JSON', async () => {
		const c = await collect([
			{ name: 'contains', url: `${httpBase}/ok`, bodyContains: 'healthy' },
			{ name: 'json-neq', url: `${httpBase}/json`, jsonPath: 'status', jsonEquals: 'ok' },
			{
				name: 'json-eq',
				url: `${httpBase}/json`,
				jsonPath: 'data.items.0.state',
				jsonEquals: 'ready',
			},
			{ name: 'json-num', url: `${httpBase}/json`, jsonPath: 'n', jsonEquals: '3' },
			{ name: 'json-missing', url: `${httpBase}/json`, jsonPath: 'data.items.1.state' },
			{ name: 'not-json', url: `${httpBase}/ok`, jsonPath: 'status' },
		]);
		expect(result(c, 'contains')).toMatchObject({
			up: false,
			statusCode: 200,
			reason: 'body does not contain "healthy"',
		});
		expect(result(c, 'json-neq')).toMatchObject({
			up: false,
			reason: 'JSON path "status" is "degraded", expected "ok"',
		});
		expect(result(c, 'json-eq').up).toBe(true);
		expect(result(c, 'json-num').up).toBe(true);
		expect(result(c, 'json-missing')).toMatchObject({
			up: false,
			reason: 'JSON path "data.items.1.state" not found',
		});
		expect(result(c, 'not-json').reason).toMatch(/^body is not JSON/);
	});

	it('reads at most 1 MiB of a body but counts all of it', async () => {
		const c = await collect([
			{ name: 'big', url: `${httpBase}/big`, bodyContains: 'needle' },
			{ name: 'big-nobody', url: `${httpBase}/big` },
		]);
		const total = 24 * 64 * 1024 + 'needle'.length;
		expect(result(c, 'big')).toMatchObject({ up: false, responseBytes: total });
		expect(result(c, 'big').reason).toMatch(
			/^body does not contain "needle" \(in its first 1024 KiB\)$/,
		);
		expect(result(c, 'big-nobody')).toMatchObject({ up: true, responseBytes: total });
	});

	it('sends method, body and headers, and never copies a header value', async () => {
		const c = await collect([
			{
				name: 'echo',
				url: `${httpBase}/echo`,
				method: 'post',
				headers: {
					'x-api-key': 'k3y-VALUE-123',
					authorization: SECRET,
					'content-type': 'application/json',
				},
				body: '{"ping":1}',
				// The server quotes the token back: a mismatch reason would show it, unless scrubbed.
				jsonPath: 'authorization',
				jsonEquals: 'something else',
			},
		]);
		const req = seen.filter((s) => s.path === '/echo').pop()!;
		expect(req.method).toBe('POST');
		expect(req.body).toBe('{"ping":1}');
		expect(req.headers['x-api-key']).toBe('k3y-VALUE-123');
		expect(req.headers.authorization).toBe(SECRET);
		const r = result(c, 'echo');
		expect(r.up).toBe(false);
		expect(r.reason).toContain('[redacted]');
		const text = JSON.stringify(c);
		expect(text).not.toContain('s3cr3t-t0ken-value');
		expect(text).not.toContain('k3y-VALUE-123');
	});

	it('invalid checks are down with their problem; the others are still collected', async () => {
		const c = await collect([
			{ name: 'bad', url: 'ftp://example.com/' },
			{ name: 'good', url: `${httpBase}/ok` },
		]);
		expect(c.ok).toBe(true);
		expect(result(c, 'bad').up).toBe(false);
		expect(result(c, 'bad').reason).toContain('ftp:// URLs are not supported');
		expect(result(c, 'good').up).toBe(true);
	});

	it('an empty list fails the collection as data', async () => {
		const c = await collect([]);
		expect(c.ok).toBe(false);
		expect(c.error).toMatch(/no checks/);
		expect(c.samples.find((s) => s.name === 'collector_up')?.value).toBe(0);
	});
});

describe('endpoint collector over local HTTPS with a self-signed certificate', () => {
	it('is down with a certificate reason unless TLS errors are ignored, and reads the certificate either way', async () => {
		const c = await collect([
			{ name: 'strict', url: `${httpsBase}/echo`, headers: { authorization: SECRET } },
			{ name: 'lenient', url: `${httpsBase}/ok`, ignoreTlsErrors: true },
		]);
		// Nothing was sent to the server that failed verification.
		expect(
			seen.filter(
				(s) =>
					s.headers.authorization === SECRET &&
					s.path === '/echo' &&
					s.headers.host === httpsBase.slice(8),
			),
		).toHaveLength(0);
		const strict = result(c, 'strict');
		expect(strict.up).toBe(false);
		expect(strict.reason).toBe('certificate: self-signed certificate');
		expect(strict.statusCode).toBeNull();
		expect(strict.certificate).toMatchObject({
			authorized: false,
			issuer: '127.0.0.1',
			subject: '127.0.0.1',
		});
		expect(strict.certificate!.daysLeft).toBeGreaterThanOrEqual(29);
		expect(sample(c, 'endpoint_cert_days_left', 'strict')?.value).toBeGreaterThanOrEqual(29);

		const lenient = result(c, 'lenient');
		expect(lenient).toMatchObject({ up: true, statusCode: 200 });
		expect(lenient.certificate).toMatchObject({
			authorized: false,
			error: 'self-signed certificate',
			issuer: '127.0.0.1',
			subject: '127.0.0.1',
		});
		const days = sample(c, 'endpoint_cert_days_left', 'lenient')!.value;
		expect(days).toBeGreaterThanOrEqual(29);
		expect(days).toBeLessThanOrEqual(30);
		expect(sample(c, 'endpoint_tls_seconds', 'lenient')!.value).toBeGreaterThan(0);
		expect(lenient.tlsSeconds).toBeGreaterThan(0);
	});

	it('a TLS client talking to a plain HTTP port fails the handshake', async () => {
		const c = await collect([
			{ name: 'mismatch', url: `https://127.0.0.1:${httpBase.split(':')[2]}/ok` },
		]);
		expect(result(c, 'mismatch').up).toBe(false);
		expect(result(c, 'mismatch').reason).toMatch(/TLS|reset/);
	});
});
