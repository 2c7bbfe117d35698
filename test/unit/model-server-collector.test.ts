import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import {
	createModelServerCollector,
	MODEL_SERVER_TYPES,
	validateEndpoints,
	type ModelServerEndpoint,
	type ModelServerSnapshot,
} from '../../core/collectors/model-servers';
import { runCollector } from '../../core/collectors/run';
import type { Collection, CollectorState, Sample } from '../../core/collectors/types';

const FIXTURES = path.join(__dirname, '../fixtures/model-servers');
const fixture = (name: string) => fs.readFile(path.join(FIXTURES, name), 'utf8');

type Reply = { status?: number; type?: string; body: string } | 'hang';
type Routes = Record<string, (req: http.IncomingMessage) => Reply>;

const servers: http.Server[] = [];
const hanging = new Set<http.ServerResponse>();

async function serve(routes: Routes): Promise<string> {
	const server = http.createServer((req, res) => {
		const route = routes[(req.url ?? '/').split('?')[0]];
		const reply: Reply = route ? route(req) : { status: 404, body: 'not found' };
		if (reply === 'hang') {
			hanging.add(res);
			return;
		}
		res.writeHead(reply.status ?? 200, { 'content-type': reply.type ?? 'text/plain' });
		res.end(reply.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	servers.push(server);
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<string> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

afterAll(async () => {
	for (const res of hanging) res.destroy();
	await Promise.all(
		servers.map((s) => {
			s.closeAllConnections();
			return new Promise((resolve) => s.close(resolve));
		}),
	);
});

/** A server whose /metrics answers the fixture of the current phase (1 or 2). */
function phased(
	kind: 'vllm' | 'tgi' | 'llamacpp',
	pages: Record<1 | 2, string>,
	phase: { n: 1 | 2 },
) {
	const health = kind === 'llamacpp' ? '{"status":"ok"}' : '';
	return serve({
		'/health': () => ({ body: health, type: 'application/json' }),
		'/metrics': () => ({ body: pages[phase.n], type: 'text/plain; version=0.0.4' }),
	});
}

function sample(
	samples: Sample[],
	name: string,
	labels: Record<string, string>,
): number | undefined {
	return samples.find(
		(s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
	)?.value;
}

const T0 = 1_750_000_000_000;

describe('model server collector against local replicas of each server type', () => {
	const phase: { n: 1 | 2 } = { n: 1 };
	let endpoints: ModelServerEndpoint[];
	let first: Collection<ModelServerSnapshot>;
	let second: Collection<ModelServerSnapshot>;

	beforeAll(async () => {
		const [vllm1, vllm2, tgi1, tgi2, llama1, llama2, ps, version] = await Promise.all(
			[
				'vllm-metrics-1.txt',
				'vllm-metrics-2.txt',
				'tgi-metrics-1.txt',
				'tgi-metrics-2.txt',
				'llamacpp-metrics-1.txt',
				'llamacpp-metrics-2.txt',
				'ollama-api-ps.json',
				'ollama-api-version.json',
			].map(fixture),
		);
		const ollama = await serve({
			'/api/ps': () => ({ body: ps, type: 'application/json' }),
			'/api/version': () => ({ body: version, type: 'application/json' }),
		});
		endpoints = [
			{ name: 'ollama-1', url: ollama, type: 'ollama' },
			{ name: 'vllm-1', url: await phased('vllm', { 1: vllm1, 2: vllm2 }, phase), type: 'vllm' },
			{ name: 'tgi-1', url: await phased('tgi', { 1: tgi1, 2: tgi2 }, phase), type: 'tgi' },
			{
				url: await phased('llamacpp', { 1: llama1, 2: llama2 }, phase),
				type: 'llamacpp',
			},
		];
		let clock = T0;
		const collector = createModelServerCollector({ now: () => clock });
		first = await runCollector(collector, { endpoints }, { host: 'h' });
		phase.n = 2;
		clock = T0 + 10_000;
		second = await runCollector(collector, { endpoints }, { host: 'h', previous: first.state });
	});

	it('reads every endpoint as up', () => {
		for (const c of [first, second]) {
			expect(c.ok).toBe(true);
			expect(c.snapshot!.endpoints.map((e) => [e.server, e.up])).toEqual([
				['ollama-1', true],
				['vllm-1', true],
				['tgi-1', true],
				[endpoints[3].url.slice('http://'.length), true], // host:port when unnamed
			]);
			expect(c.snapshot!.up).toBe(4);
			const up = c.samples.filter((s) => s.name === 'model_server_up').map((s) => s.value);
			expect(up).toEqual([1, 1, 1, 1]);
			expect(c.samples.filter((s) => s.name === 'model_server_response_seconds')).toHaveLength(4);
		}
	});

	it('reads Ollama loaded models and version from the docs example', () => {
		const e = second.snapshot!.endpoints[0];
		expect(e.version).toBe('0.5.1');
		expect(e.models).toEqual([
			{
				name: 'mistral:latest',
				model: 'mistral:latest',
				sizeBytes: 5137025024,
				vramBytes: 5137025024,
				expiresAt: '2024-06-04T14:38:31.83753-07:00',
				parameterSize: '7.2B',
				quantization: 'Q4_0',
			},
		]);
		const labels = { server: 'ollama-1', type: 'ollama', model: 'mistral:latest' };
		expect(sample(second.samples, 'model_server_model_vram_bytes', labels)).toBe(5137025024);
		expect(sample(second.samples, 'model_server_model_size_bytes', labels)).toBe(5137025024);
		expect(sample(second.samples, 'model_server_models_loaded', { server: 'ollama-1' })).toBe(1);
	});

	it('reads vLLM gauges, and no rates on the first run', () => {
		const e1 = first.snapshot!.endpoints[1];
		expect([e1.requestsRunning, e1.requestsWaiting, e1.kvCacheUsageRatio]).toEqual([2, 1, 0.25]);
		expect(e1.promptTokensPerSecond).toBeNull();
		expect(first.samples.some((s) => s.name.endsWith('tokens_per_second'))).toBe(false);
		expect(first.snapshot!.intervalSeconds).toBeNull();
		const e2 = second.snapshot!.endpoints[1];
		expect([e2.requestsRunning, e2.requestsWaiting, e2.kvCacheUsageRatio]).toEqual([4, 0, 0.5]);
		expect(e2.models).toEqual([{ name: 'Qwen/Qwen2.5-7B-Instruct' }]);
		expect(second.snapshot!.intervalSeconds).toBe(10);
	});

	it('turns token counters into exact tokens per second over the 10 s between collections', () => {
		const tps = (server: string, which: 'prompt' | 'generation') =>
			sample(second.samples, `model_server_${which}_tokens_per_second`, { server });
		const llama = endpoints[3].url.slice('http://'.length);
		// vLLM: 2048 -> 6144 prompt, 10240 -> 11740 generated
		expect(tps('vllm-1', 'prompt')).toBe(409.6);
		expect(tps('vllm-1', 'generation')).toBe(150);
		// TGI: input_length_sum 12800 -> 15360, generated_tokens_sum 25600 -> 26880
		expect(tps('tgi-1', 'prompt')).toBe(256);
		expect(tps('tgi-1', 'generation')).toBe(128);
		// llama.cpp: 33065 -> 34065 prompt, 7801 -> 8106 predicted
		expect(tps(llama, 'prompt')).toBe(100);
		expect(tps(llama, 'generation')).toBe(30.5);
	});

	it('computes vLLM TTFT and e2e quantiles cumulatively first, then over the interval', () => {
		const v1 = first.snapshot!.endpoints[1];
		expect(v1.ttftSeconds).toEqual({
			p50: 0.08,
			p95: 0.5,
			window: 'cumulative',
			observations: 100,
		});
		expect(v1.e2eLatencySeconds).toEqual({
			p50: 1.375,
			p95: 3.75,
			window: 'cumulative',
			observations: 100,
		});
		const v2 = second.snapshot!.endpoints[1];
		// 20 new requests: TTFT 10 in (0.1, 0.25], 10 in (0.25, 0.5]
		expect(v2.ttftSeconds).toEqual({ p50: 0.25, p95: 0.475, window: 'interval', observations: 20 });
		// e2e: 10 in (1.0, 1.5], 10 in (5, 10]
		expect(v2.e2eLatencySeconds).toEqual({
			p50: 1.5,
			p95: 9.5,
			window: 'interval',
			observations: 20,
		});
		const q = (name: string, quantile: string) =>
			sample(second.samples, name, { server: 'vllm-1', quantile });
		expect(q('model_server_ttft_seconds', '0.5')).toBe(0.25);
		expect(q('model_server_ttft_seconds', '0.95')).toBe(0.475);
		expect(q('model_server_e2e_latency_seconds', '0.95')).toBe(9.5);
	});

	it('reads TGI queue, batch and e2e latency, with no TTFT or KV cache', () => {
		const t = second.snapshot!.endpoints[2];
		expect([t.requestsRunning, t.requestsWaiting, t.kvCacheUsageRatio]).toEqual([1, 0, null]);
		expect(t.ttftSeconds).toBeNull();
		// 10 new requests, all in the bucket (0.0001*1.5^22, 0.0001*1.5^23]
		let lo = 0.0001;
		for (let i = 0; i < 22; i++) lo *= 1.5;
		const hi = lo * 1.5;
		expect(t.e2eLatencySeconds!.window).toBe('interval');
		expect(t.e2eLatencySeconds!.observations).toBe(10);
		expect(t.e2eLatencySeconds!.p50).toBeCloseTo(lo + (hi - lo) * 0.5, 6);
		expect(t.e2eLatencySeconds!.p95).toBeCloseTo(lo + (hi - lo) * 0.95, 6);
	});

	it('reads llama.cpp slots and KV cache', () => {
		const l = second.snapshot!.endpoints[3];
		expect([l.requestsRunning, l.requestsWaiting, l.kvCacheUsageRatio]).toEqual([2, 1, 0.25]);
		expect(l.e2eLatencySeconds).toBeNull();
	});
});

describe('faults become data, endpoint by endpoint', () => {
	let collection: Collection<ModelServerSnapshot>;
	let elapsedMs: number;
	const SECRET = 'sk-test-0123456789abcdef';

	beforeAll(async () => {
		const vllmPage = await fixture('vllm-metrics-1.txt');
		const good = await phased('vllm', { 1: vllmPage, 2: vllmPage }, { n: 1 });
		const refused = await closedPort();
		const silent = await serve({ '/api/version': () => 'hang', '/api/ps': () => 'hang' });
		const html = await serve({
			'/api/version': () => ({
				body: '<!DOCTYPE html><html><body>Login</body></html>',
				type: 'text/html',
			}),
			'/api/ps': () => ({
				body: '<!DOCTYPE html><html><body>Login</body></html>',
				type: 'text/html',
			}),
		});
		const truncated = await serve({
			'/health': () => ({ body: '' }),
			'/metrics': () => ({
				body: vllmPage.slice(0, vllmPage.indexOf('vllm:kv_cache_usage_perc{') + 40),
			}),
		});
		// A broken proxy that answers 500 and echoes the Authorization header into its page.
		const failing = await serve({
			'/health': (req) => ({
				status: 500,
				body: `upstream error for ${req.headers.authorization}`,
			}),
			'/metrics': () => ({ body: vllmPage }),
		});
		const notEnabled = await serve({
			'/health': () => ({ body: '{"status":"ok"}' }),
			'/metrics': () => ({
				status: 501,
				body: '{"error":{"code":501,"message":"This server does not support metrics endpoint.","type":"not_supported_error"}}',
			}),
		});
		const auth = { authorization: `Bearer ${SECRET}` };
		const endpoints: ModelServerEndpoint[] = [
			{ name: 'good', url: good, type: 'vllm', headers: auth },
			{ name: 'refused', url: refused, type: 'ollama', headers: auth },
			{ name: 'silent', url: silent, type: 'ollama', headers: auth },
			{ name: 'html', url: html, type: 'ollama', headers: auth },
			{ name: 'truncated', url: truncated, type: 'vllm', headers: auth },
			{ name: 'failing', url: failing, type: 'vllm', headers: auth },
			{ name: 'no-metrics', url: notEnabled, type: 'llamacpp', headers: auth },
			{ name: 'wrong-type', url: good, type: 'tgi', headers: auth },
		];
		const started = Date.now();
		collection = await runCollector(
			createModelServerCollector(),
			{ endpoints, timeoutMs: 500 },
			{ host: 'h' },
		);
		elapsedMs = Date.now() - started;
	});

	const byName = (name: string) => collection.snapshot!.endpoints.find((e) => e.server === name)!;

	it('keeps the collection ok and the good endpoint up', () => {
		expect(collection.ok).toBe(true);
		expect(byName('good').up).toBe(true);
		expect(byName('good').requestsRunning).toBe(2);
		expect(collection.snapshot!.up).toBe(1);
		expect(collection.snapshot!.down).toBe(7);
	});

	it('gives each bad endpoint up 0 and its reason', () => {
		expect(byName('refused').reason).toBe('GET /api/version: connection refused');
		expect(byName('silent').reason).toMatch(/^GET \/api\/(version|ps): no answer within 500 ms$/);
		expect(byName('html').reason).toMatch(
			/^GET \/api\/(version|ps): expected JSON, got text\/html \(<!DOCTYPE html>/,
		);
		expect(byName('truncated').reason).toMatch(
			/^metrics page could not be parsed: the page does not end with a line feed/,
		);
		expect(byName('failing').reason).toMatch(/^GET \/health: HTTP 500 Internal Server Error/);
		expect(byName('no-metrics').reason).toMatch(
			/GET \/metrics: HTTP 501 .*start llama-server with --metrics/,
		);
		expect(byName('wrong-type').reason).toBe(
			'the metrics page has no tgi_* metrics (is this a TGI server?)',
		);
		for (const name of ['refused', 'silent', 'html', 'truncated', 'failing', 'no-metrics']) {
			expect(sample(collection.samples, 'model_server_up', { server: name })).toBe(0);
			expect(sample(collection.samples, 'model_server_response_seconds', { server: name })).toBe(
				undefined,
			);
		}
	});

	it('bounds a server that never answers by the endpoint timeout', () => {
		expect(elapsedMs).toBeLessThan(3_000);
	});

	it('never lets a header value into samples, snapshot, state or reasons', () => {
		const text = JSON.stringify(collection);
		expect(text).not.toContain(SECRET);
		expect(byName('failing').reason).toContain('[redacted]');
	});
});

describe('state across a down endpoint', () => {
	it('keeps the previous counters of a down endpoint for the next run', async () => {
		const previous: CollectorState = {
			time: T0,
			counters: { 'gone|vllm|prompt_tokens': 42, 'other|vllm|prompt_tokens': 7 },
		};
		const url = await closedPort();
		const out = await createModelServerCollector({ now: () => T0 + 1000 }).collect(
			{ endpoints: [{ name: 'gone', url, type: 'vllm' }] },
			{ previous, signal: new AbortController().signal },
		);
		expect(out.state!.counters).toEqual({ 'gone|vllm|prompt_tokens': 42 });
	});
});

describe('a server watched only once it answers', () => {
	const collect = (endpoints: ModelServerEndpoint[], previous?: CollectorState, at = T0) =>
		createModelServerCollector({ now: () => at }).collect(
			{ endpoints },
			{ previous, signal: new AbortController().signal },
		);

	it('stores nothing for it while it has never answered, and still reads the others', async () => {
		const [ps, version] = await Promise.all(
			['ollama-api-ps.json', 'ollama-api-version.json'].map(fixture),
		);
		const other = await serve({
			'/api/ps': () => ({ body: ps, type: 'application/json' }),
			'/api/version': () => ({ body: version, type: 'application/json' }),
		});
		const out = await collect([
			{ name: 'local', url: await closedPort(), type: 'ollama', onlyOnceAnswered: true },
			{ name: 'other', url: other, type: 'ollama' },
		]);
		expect(out.samples.filter((s) => s.labels?.server === 'local')).toEqual([]);
		expect(out.snapshot!.endpoints.map((e) => e.server)).toEqual(['other']);
		expect(sample(out.samples, 'model_server_up', { server: 'other' })).toBe(1);
	});

	it('is down with its reason once it has answered before', async () => {
		const [ps, version] = await Promise.all(
			['ollama-api-ps.json', 'ollama-api-version.json'].map(fixture),
		);
		const url = await serve({
			'/api/ps': () => ({ body: ps, type: 'application/json' }),
			'/api/version': () => ({ body: version, type: 'application/json' }),
		});
		const first = await collect([{ name: 'local', url, type: 'ollama', onlyOnceAnswered: true }]);
		expect(sample(first.samples, 'model_server_up', { server: 'local' })).toBe(1);
		const gone = await collect(
			[{ name: 'local', url: await closedPort(), type: 'ollama', onlyOnceAnswered: true }],
			{ time: T0, counters: first.state!.counters },
			T0 + 60_000,
		);
		expect(sample(gone.samples, 'model_server_up', { server: 'local' })).toBe(0);
		expect(gone.snapshot!.endpoints[0]).toMatchObject({ server: 'local', up: false });
		expect(gone.snapshot!.endpoints[0].reason).toContain('connection refused');
	});
});

describe('validateEndpoints', () => {
	it('names the URL problems and the types that exist', () => {
		const problems = validateEndpoints([
			{ url: 'not a url', type: 'vllm' },
			{ url: 'ftp://x', type: 'ollama' },
			{ url: 'http://127.0.0.1:8000', type: 'triton' },
			{ url: 'http://user:pw@127.0.0.1:9000', type: 'tgi' },
			{ url: 'http://127.0.0.1:11434', type: 'ollama' },
		]);
		expect(problems.map((p) => p.index)).toEqual([0, 1, 2, 3]);
		expect(problems[0].message).toMatch(/"not a url" is not a URL/);
		expect(problems[1].message).toMatch(/ftp:\/\/ URLs are not supported/);
		expect(problems[2].message).toBe(
			'endpoint 3: unknown type "triton" (known types: ollama, vllm, tgi, llamacpp)',
		);
		expect(MODEL_SERVER_TYPES).toEqual(['ollama', 'vllm', 'tgi', 'llamacpp']);
		expect(problems[3].message).toMatch(/credentials/);
		expect(problems[3].message).not.toContain('pw');
	});

	it('flags two endpoints with the same server label', () => {
		const problems = validateEndpoints([
			{ url: 'http://10.0.0.1:8000', type: 'vllm' },
			{ url: 'http://10.0.0.1:8000/', type: 'tgi' },
		]);
		expect(problems).toEqual([
			{
				index: 1,
				message: 'endpoint 2: same server label "10.0.0.1:8000" as endpoint 1; give one a name',
			},
		]);
	});

	it('turns an invalid endpoint into a down endpoint at collection time', async () => {
		const out = await createModelServerCollector().collect(
			{ endpoints: [{ url: 'ftp://x', type: 'vllm' }] },
			{ signal: new AbortController().signal },
		);
		expect(out.snapshot.endpoints[0].up).toBe(false);
		expect(out.snapshot.endpoints[0].reason).toMatch(/ftp:\/\//);
	});
});
