import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';

import { Client } from 'pg';

import { startPostgres, type TestPostgres } from '../helpers/postgres';
import {
	closeNodeStores,
	n8nModulesDir,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';

/**
 * Secrets never leave the credentials, and names never become SQL.
 *
 * Collections run through n8n-core's WorkflowExecute with the built nodes, into a monitoring
 * store on a real PostgreSQL, with credentials whose values are unique marker strings: the
 * store's password, a monitored PostgreSQL's password, a Header Auth token (endpoints, model
 * servers, Prometheus), a Basic Auth password, an n8n API key and a password inside a URL. Every
 * run that succeeds and every run that fails (wrong password, wrong key, 401 answers). Then
 * every table of the store (every column, as text), every item and error, everything written to
 * stdout/stderr with n8n's log level at debug, and every answer of the dashboard API are searched
 * for the markers, also base64-encoded as Basic Auth sends them.
 *
 * The dashboard API is then asked with SQL in every parameter that reaches a query; the answers
 * are empty or 400, never 500, and the tables are unchanged.
 */
const stamp = Date.now().toString(36);
const MARK = {
	store: `StorePw-${stamp}-a1`,
	pg: `PgPw-${stamp}-b2`,
	pgWrong: `PgWrongPw-${stamp}-c3`,
	header: `HeaderTok-${stamp}-d4`,
	basic: `BasicPw-${stamp}-e5`,
	n8n: `N8nKey-${stamp}-f6`,
	n8nWrong: `N8nWrongKey-${stamp}-g7`,
	url: `UrlPw-${stamp}-h8`,
	dashboard: `DashTok-${stamp}-i9`,
};
/** Every marker, and the forms a request carries them in. */
const NEEDLES = [
	...new Set(
		Object.values(MARK).flatMap((m) => [
			m,
			Buffer.from(`user:${m}`).toString('base64'),
			Buffer.from(m).toString('base64'),
			encodeURIComponent(m),
		]),
	),
];

let pg: TestPostgres;
let tmp: string;
let server: http.Server;
let base: string;
const received: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];
const output: string[] = [];
const items: unknown[] = [];

function storeCredential() {
	return {
		type: 'postgres',
		host: pg.host,
		port: pg.port,
		database: 'monstore',
		user: 'mon_store',
		password: MARK.store,
		schema: 'public',
		ssl: false,
	};
}

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-security-'));
	pg = await startPostgres();
	pg.psql(`CREATE ROLE mon_store LOGIN PASSWORD '${MARK.store}'`);
	pg.psql('CREATE DATABASE monstore OWNER mon_store');
	pg.psql(`CREATE ROLE mon_reader LOGIN PASSWORD '${MARK.pg}'; GRANT pg_monitor TO mon_reader;`);
	server = http.createServer((req, res) => {
		received.push({ url: req.url ?? '', headers: req.headers });
		const url = req.url ?? '/';
		const bearer = req.headers.authorization === `Bearer ${MARK.header}`;
		const basic =
			req.headers.authorization === `Basic ${Buffer.from(`user:${MARK.basic}`).toString('base64')}`;
		if (url === '/health') return res.writeHead(bearer ? 200 : 401).end('{"status":"ok"}');
		if (url === '/basic') return res.writeHead(basic ? 200 : 401).end('ok');
		if (url === '/denied') return res.writeHead(401).end('no');
		if (url === '/metrics')
			return res
				.writeHead(basic || bearer ? 200 : 401, { 'content-type': 'text/plain' })
				.end('# TYPE demo_up gauge\ndemo_up 1\n');
		if (url.startsWith('/api/v1/')) {
			if (req.headers['x-n8n-api-key'] !== MARK.n8n)
				return res.writeHead(401).end('{"message":"unauthorized"}');
			return res
				.writeHead(200, { 'content-type': 'application/json' })
				.end('{"data":[],"nextCursor":null}');
		}
		res.writeHead(404).end('not here');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 120_000);

afterAll(async () => {
	await shutdownWorkflowRunner();
	await new Promise((resolve) => server.close(resolve));
	await pg?.stop();
	fs.rmSync(tmp, { recursive: true, force: true });
});

function workflow(parameters: Record<string, unknown>, credentialTypes: string[]): WorkflowJson {
	const credentials: Record<string, { id: string; name: string }> = {
		monitoringStoreApi: { id: 'store', name: 'Store' },
	};
	for (const type of credentialTypes) credentials[type] = { id: type, name: type };
	return {
		nodes: [
			{
				id: 'sec00000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'sec00000-0000-4000-8000-000000000002',
				name: 'Monitoring',
				type: 'n8n-nodes-monitoring.monitoring',
				typeVersion: 1,
				position: [200, 0],
				parameters: parameters as never,
				credentials,
			},
		],
		connections: { Start: { main: [[{ node: 'Monitoring', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Runs one workflow with stdout and stderr captured (n8n logs at debug), keeping its items. */
async function run(
	parameters: Record<string, unknown>,
	credentials: Record<string, Record<string, unknown>>,
) {
	const capture =
		(original: typeof process.stdout.write) =>
		(chunk: unknown, ...rest: unknown[]): boolean => {
			output.push(String(chunk));
			return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
		};
	const out = process.stdout.write.bind(process.stdout);
	const err = process.stderr.write.bind(process.stderr);
	process.stdout.write = capture(out) as typeof process.stdout.write;
	process.stderr.write = capture(err) as typeof process.stderr.write;
	const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
	const saved = consoleMethods.map((m) => console[m]);
	for (const m of consoleMethods)
		console[m] = (...args: unknown[]) => void output.push(args.map(String).join(' '));
	// n8n-core logs through n8n-workflow's LoggerProxy. Its winston logger is made once per
	// process (by whichever test file ran first in this jest worker) and writes to that file's
	// console; recording the proxy's calls here sees every message and its metadata regardless.
	const { LoggerProxy } = require(path.join(n8nModulesDir(), 'n8n-workflow')) as {
		LoggerProxy: { init(logger: Record<string, (m: string, meta?: unknown) => void>): void };
	};
	const record = (message: string, meta?: unknown) =>
		void output.push(`${message} ${inspect(meta, { depth: 8, breakLength: Infinity })}`);
	LoggerProxy.init({ error: record, warn: record, info: record, debug: record });
	try {
		const result = await runWorkflow(workflow(parameters, Object.keys(credentials)), {
			credentials: { monitoringStoreApi: storeCredential(), ...credentials },
			env: { N8N_LOG_LEVEL: 'debug' },
		});
		items.push(result.items, result.error ?? null, result.nodeErrors);
		return result;
	} finally {
		process.stdout.write = out;
		process.stderr.write = err;
		consoleMethods.forEach((m, i) => (console[m] = saved[i]));
	}
}

function found(text: string): string[] {
	return NEEDLES.filter((needle) => text.includes(needle));
}

async function storeClient(): Promise<Client> {
	const client = new Client({
		host: pg.host,
		port: pg.port,
		database: 'monstore',
		user: 'mon_store',
		password: MARK.store,
	});
	await client.connect();
	return client;
}

/** Every table of the store, every row, every column as text. */
async function dumpStore(): Promise<Record<string, string>> {
	const client = await storeClient();
	try {
		const tables = await client.query<{ table_name: string }>(
			"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
		);
		const dump: Record<string, string> = {};
		for (const { table_name } of tables.rows) {
			const rows = await client.query(`SELECT * FROM "${table_name}"`);
			dump[table_name] = JSON.stringify(rows.rows);
		}
		return dump;
	} finally {
		await client.end();
	}
}

describe('no secret in any stored sample, item, log line or API answer', () => {
	beforeAll(async () => {
		const header = { httpHeaderAuth: { name: 'Authorization', value: `Bearer ${MARK.header}` } };
		const basicAuth = { httpBasicAuth: { user: 'user', password: MARK.basic } };
		const target = (password: string) => ({
			postgres: {
				host: pg.host,
				port: pg.port,
				database: 'postgres',
				user: 'mon_reader',
				password,
				ssl: 'disable',
			},
		});
		// Successes and failures of every resource that takes a credential.
		const db = await run(
			{ resource: 'database', operation: 'collect', engine: 'postgres', hostName: 'sec-db' },
			target(MARK.pg),
		);
		expect(db.error).toBeUndefined();
		expect(db.items.Monitoring[0]).toMatchObject({ ok: true, stored: true });
		const dbWrong = await run(
			{ resource: 'database', operation: 'collect', engine: 'postgres', hostName: 'sec-db' },
			target(MARK.pgWrong),
		);
		expect(dbWrong.items.Monitoring[0].snapshot).toMatchObject({ up: false });
		const ep = await run(
			{
				resource: 'endpoint',
				operation: 'collect',
				hostName: 'sec-ep',
				checks: {
					check: [
						{ url: `${base}/health`, name: 'bearer', authentication: 'headerAuth' },
						{ url: `${base}/basic`, name: 'basic', authentication: 'basicAuth' },
						{ url: `${base}/denied`, name: 'denied', authentication: 'headerAuth' },
						{ url: `http://user:${MARK.url}@127.0.0.1:${new URL(base).port}/denied`, name: '' },
					],
				},
			},
			{ ...header, ...basicAuth },
		);
		expect(ep.error).toBeUndefined();
		const models = await run(
			{
				resource: 'modelServer',
				operation: 'collect',
				hostName: 'sec-model',
				endpoints: {
					endpoint: [
						{ type: 'vllm', url: `${base}/vllm`, authenticate: true },
						{ type: 'ollama', url: `http://user:${MARK.url}@127.0.0.1:1`, name: '' },
					],
				},
			},
			header,
		);
		expect(models.error).toBeUndefined();
		const prom = await run(
			{
				resource: 'prometheus',
				operation: 'scrape',
				url: `${base}/metrics`,
				exporter: 'generic',
				hostName: 'sec-prom',
				authentication: 'basicAuth',
			},
			basicAuth,
		);
		expect(prom.items.Monitoring[0]).toMatchObject({ ok: true });
		const promDenied = await run(
			{
				resource: 'prometheus',
				operation: 'scrape',
				url: `${base}/metrics`,
				exporter: 'generic',
				hostName: 'sec-prom',
				authentication: 'headerAuth',
			},
			{ httpHeaderAuth: { name: 'Authorization', value: `Token ${MARK.header}` } },
		);
		expect(promDenied.items.Monitoring[0]).toMatchObject({ ok: false });
		const n8n = await run(
			{ resource: 'n8n', operation: 'collect', instance: 'sec-n8n' },
			{ n8nApi: { baseUrl: base, apiKey: MARK.n8n } },
		);
		expect(n8n.items.Monitoring[0]).toMatchObject({ ok: true });
		const n8nWrong = await run(
			{ resource: 'n8n', operation: 'collect', instance: 'sec-n8n-wrong' },
			{ n8nApi: { baseUrl: base, apiKey: MARK.n8nWrong } },
		);
		expect(n8nWrong.error?.message ?? JSON.stringify(n8nWrong.items)).toMatch(/401|unauthori/i);
		await run(
			{ resource: 'alert', operation: 'raise', key: 'sec', message: 'secure', severity: 'info' },
			{},
		);
	}, 120_000);

	it('the credentials were sent where they belong', () => {
		const auth = received.map((r) => `${r.url} ${r.headers.authorization ?? ''}`);
		expect(auth).toContain(`/health Bearer ${MARK.header}`);
		expect(auth.some((a) => a.startsWith('/basic Basic '))).toBe(true);
		expect(received.some((r) => r.headers['x-n8n-api-key'] === MARK.n8n)).toBe(true);
	});

	it('no table of the store holds one', async () => {
		const dump = await dumpStore();
		expect(Object.keys(dump)).toEqual(
			expect.arrayContaining(['mon_series', 'mon_samples', 'mon_collections', 'mon_alerts']),
		);
		// The collections ran: something to search in.
		expect(dump.mon_collections).toContain('sec-db');
		expect(dump.mon_collections).toContain('sec-n8n');
		for (const [table, text] of Object.entries(dump))
			expect([table, found(text)]).toEqual([table, []]);
	});

	it('no item or error holds one', () => {
		const text = JSON.stringify(items);
		expect(text.length).toBeGreaterThan(1000);
		expect(found(text)).toEqual([]);
	});

	it('no log line holds one', () => {
		// n8n logs at debug here; its lines went through this capture.
		const text = output.join('\n');
		expect(text).toContain('Running node "Monitoring" finished');
		expect(found(text)).toEqual([]);
	});

	it('the search finds a marker where there is one', () => {
		expect(
			found(`{"authorization":"Basic ${Buffer.from(`user:${MARK.basic}`).toString('base64')}"}`),
		).toHaveLength(1);
		expect(found(`password=${MARK.store}`)).toEqual([MARK.store]);
	});

	it('no dashboard answer holds one', async () => {
		const handlerModule = path.join(
			__dirname,
			'..',
			'..',
			'dist',
			'dashboard',
			'server',
			'handler.js',
		);
		const { createDashboardHandler } = require(handlerModule);
		const handler = createDashboardHandler({
			store: { ...storeCredential(), type: 'postgres' },
			auth: { type: 'token', token: MARK.dashboard },
		});
		const wrongStore = createDashboardHandler({
			store: { ...storeCredential(), type: 'postgres', password: MARK.pgWrong },
			auth: { type: 'none' },
		});
		const answers: string[] = [];
		for (const h of [handler, wrongStore]) {
			const s = http.createServer((req, res) => void h(req, res));
			await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
			const at = `http://127.0.0.1:${(s.address() as { port: number }).port}`;
			try {
				for (const route of [
					'/',
					'/api/overview',
					'/api/hosts',
					'/api/series?host=sec-db&metric=db_up',
					'/api/snapshot?host=sec-db&collector=database',
					'/api/snapshot?host=sec-ep&collector=endpoint',
					'/api/snapshot?host=sec-model&collector=model-server',
					'/api/executions',
					'/api/alerts',
					'/metrics',
				]) {
					const res = await fetch(at + route, {
						headers: { authorization: `Bearer ${MARK.dashboard}` },
					});
					answers.push(`${route} ${res.status} ${await res.text()}`);
				}
			} finally {
				await new Promise((resolve) => s.close(resolve));
			}
		}
		const text = answers.join('\n');
		expect(text).toContain('sec-db');
		expect(text).toMatch(/\/api\/overview 503 .*password authentication failed/);
		// The token is only ever compared, never echoed.
		expect(found(text)).toEqual([]);
	});
});

describe('SQL in every dashboard API parameter', () => {
	const INJECTIONS = [
		"' OR 1=1 --",
		'"; DROP TABLE mon_series; --',
		"x'); DELETE FROM mon_samples; --",
		'1 UNION SELECT password FROM pg_shadow',
	];
	const routes = (v: string) => {
		const q = encodeURIComponent(v);
		return [
			`/api/series?host=${q}&metric=cpu_usage_percent`,
			`/api/series?host=sec-db&metric=${q}`,
			`/api/series?host=sec-db&metric=db_up&labels=${encodeURIComponent(JSON.stringify({ db: v }))}`,
			`/api/series?host=sec-db&metric=db_up&labels=${encodeURIComponent(JSON.stringify({ [v]: 'x' }))}`,
			`/api/series?host=sec-db&metric=db_up&labels=${q}`,
			`/api/series?host=sec-db&metric=db_up&from=${q}`,
			`/api/series?host=sec-db&metric=db_up&to=${q}`,
			`/api/series?host=sec-db&metric=db_up&points=${q}`,
			`/api/snapshot?host=${q}&collector=database`,
			`/api/snapshot?host=sec-db&collector=${q}`,
			`/api/executions?workflow=${q}`,
			`/api/executions?instance=${q}`,
			`/api/executions?status=${q}`,
			`/api/executions?from=${q}`,
			`/api/executions?limit=${q}`,
			`/api/alerts?from=${q}`,
			`/api/alerts?limit=${q}`,
			// JSON that is not an object of labels
			`/api/series?host=sec-db&metric=db_up&labels=${encodeURIComponent(JSON.stringify(v))}`,
			`/api/series?host=sec-db&metric=db_up&labels=${encodeURIComponent(JSON.stringify([v]))}`,
			`/api/series?host=sec-db&metric=db_up&labels=${encodeURIComponent(JSON.stringify({ db: [v] }))}`,
		];
	};

	it('answers empty, 404 or 400, never 500, and leaves every table as it was', async () => {
		let before: Record<string, string> = {};
		const handlerModule = path.join(
			__dirname,
			'..',
			'..',
			'dist',
			'dashboard',
			'server',
			'handler.js',
		);
		const { createDashboardHandler } = require(handlerModule);
		const handler = createDashboardHandler({
			store: { ...storeCredential(), type: 'postgres' },
			auth: { type: 'none' },
		});
		const s = http.createServer((req, res) => void handler(req, res));
		await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
		const at = `http://127.0.0.1:${(s.address() as { port: number }).port}`;
		const answers: Array<[string, number, string]> = [];
		try {
			expect((await fetch(`${at}/api/hosts`)).status).toBe(200); // the tables exist from here
			before = await dumpStore();
			for (const v of INJECTIONS)
				for (const route of routes(v)) {
					const res = await fetch(at + route);
					answers.push([route, res.status, await res.text()]);
				}
		} finally {
			await new Promise((resolve) => s.close(resolve));
		}
		expect(answers.length).toBe(INJECTIONS.length * routes('x').length);
		for (const [route, status, body] of answers) {
			expect([route, [200, 400, 404].includes(status)]).toEqual([route, true]);
			const json = JSON.parse(body);
			if (status === 200) {
				// Nothing matched: no series, no executions, no alerts beyond the real ones.
				if (route.startsWith('/api/series')) expect([route, json.series]).toEqual([route, []]);
				if (route.startsWith('/api/executions'))
					expect([route, json.executions ?? json.rows ?? []]).toEqual([route, []]);
			} else expect(typeof json.error).toBe('string');
		}
		const after = await dumpStore();
		expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
		for (const table of ['mon_series', 'mon_samples', 'mon_collections', 'mon_alerts'])
			expect(after[table]).toEqual(before[table]);
		await closeNodeStores();
	});
});

describe('a hostile schema name in the store credential', () => {
	it('is an identifier, quoted: the tables go into a schema of exactly that name', async () => {
		const schema = 'mon"; DROP TABLE mon_series; --';
		const before = await dumpStore();
		const result = await runWorkflow(
			workflow({ resource: 'alert', operation: 'raise', key: 'schema', message: 'in schema' }, []),
			{ credentials: { monitoringStoreApi: { ...storeCredential(), schema } } },
		);
		expect(result.error).toBeUndefined();
		const client = await storeClient();
		try {
			const tables = await client.query(
				'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
				[schema],
			);
			expect(tables.rows.map((r) => r.table_name)).toEqual(
				expect.arrayContaining(['mon_series', 'mon_alerts']),
			);
			const alerts = await client.query(
				`SELECT rule FROM "${schema.replace(/"/g, '""')}".mon_alerts`,
			);
			expect(alerts.rows).toEqual([{ rule: 'schema' }]);
		} finally {
			await client.end();
		}
		const after = await dumpStore();
		expect(after.mon_series).toEqual(before.mon_series);
		await closeNodeStores();
	});
});
