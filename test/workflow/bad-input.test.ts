import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import type { INode } from 'n8n-workflow';

import { closeAllStores, MonitoringStore } from '../../core/store';
import { makeCollection } from '../helpers/collections';
import {
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';
import { type BadInputCase, buildCases, type Fixtures, renderTable } from './bad-input/cases';

/**
 * The bad-input table (test/workflow/bad-input/cases.ts): every row run through n8n-core's
 * WorkflowExecute with the built nodes, over a real SQLite store, against a local HTTP server
 * that plays the monitored systems. docs/BAD-INPUT.md is rendered from the same rows.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-bad-input-'));
const store = path.join(tmp, 'store.sqlite');
const folder = path.join(tmp, 'folder');
const notSqlite = path.join(tmp, 'not-sqlite.txt');
const appDb = path.join(tmp, 'app.sqlite');
let server: http.Server;
const fixtures: Fixtures = { base: 'http://127.0.0.1:1', appDb, folder, notSqlite };

// Rows are built at load time (test.each needs them); the server's port is filled in below, and
// rows read `fixtures.base` through the parameters, so they are built again once it is known.
let cases: BadInputCase[] = buildCases(fixtures);
const DOC = path.join(__dirname, '..', '..', 'docs', 'BAD-INPUT.md');

beforeAll(async () => {
	fs.mkdirSync(folder);
	fs.writeFileSync(notSqlite, 'this is not an SQLite database\n'.repeat(100));
	const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
	const app = new DatabaseSync(appDb);
	app.exec(
		'CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO orders (note) VALUES (1);',
	);
	app.close();
	server = http.createServer((req, res) => {
		const url = req.url ?? '/';
		if (url === '/health') return res.writeHead(200).end('{"status":"ok"}');
		if (url === '/metrics')
			return res
				.writeHead(200, { 'content-type': 'text/plain' })
				.end('# TYPE demo_up gauge\ndemo_up 1\n');
		if (url.startsWith('/api/v1/'))
			return res
				.writeHead(200, { 'content-type': 'application/json' })
				.end('{"data":[],"nextCursor":null}');
		res.writeHead(404).end('not here');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	fixtures.base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	cases = buildCases(fixtures);
	// A store with something in it, so a query that matched too much would show.
	const s = await MonitoringStore.open({ type: 'sqlite', filename: store });
	const c = makeCollection(Date.now() - 60_000, 1, {
		host: 'web-1',
		collector: 'host',
		metric: 'cpu_usage_percent',
		value: () => 50,
	});
	c.samples[0].labels = { cpu: 'total' };
	await s.writeCollection(c);
	await s.close();
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	await closeAllStores();
	await new Promise((resolve) => server.close(resolve));
	fs.rmSync(tmp, { recursive: true, force: true });
});

const TABLES = [
	'mon_series',
	'mon_samples',
	'mon_rollup_5m_blocks',
	'mon_rollup_1h_blocks',
	'mon_collections',
	'mon_alerts',
];

function readStore<T>(read: (db: import('node:sqlite').DatabaseSync) => T): T {
	const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
	const db = new DatabaseSync(store, { readOnly: true });
	try {
		return read(db);
	} finally {
		db.close();
	}
}

function workflowFor(c: BadInputCase): WorkflowJson {
	const credentials: INode['credentials'] = {};
	for (const type of Object.keys(c.credentials ?? {})) credentials[type] = { id: type, name: type };
	const trigger = c.node === 'Monitoring Trigger';
	const node: INode = {
		id: 'bad00000-0000-4000-8000-000000000002',
		name: trigger ? 'Monitoring Trigger' : 'Monitoring',
		type: trigger ? 'n8n-nodes-monitoring.monitoringTrigger' : 'n8n-nodes-monitoring.monitoring',
		typeVersion: 1,
		position: [220, 0],
		parameters: trigger
			? ({ pollTimes: { item: [{ mode: 'everyMinute' }] }, ...c.parameters } as never)
			: (c.parameters as never),
		credentials,
	};
	const start: INode = {
		id: 'bad00000-0000-4000-8000-000000000001',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	return {
		id: 'wfBadInput',
		name: 'Bad input',
		nodes: trigger ? [node] : [start, node],
		connections: trigger
			? {}
			: { Start: { main: [[{ node: 'Monitoring', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const title = (c: BadInputCase) =>
	`${c.node} | ${c.where} | ${c.parameter} | ${c.input.slice(0, 80)}`;

describe.each(buildCases(fixtures).map((c, i) => [i, title(c)] as const))('#%i %s', (i) => {
	test('gives a clear error or the documented partial result', async () => {
		const c = cases[i];
		const e = c.expect;
		if (e.kind === 'credentialTest') {
			const dist = path.join(__dirname, '..', '..', 'dist', 'nodes', 'shared', 'store-test.js');
			const { monitoringStoreTest } = require(dist);
			const answer = await monitoringStoreTest.call(
				{},
				{ data: c.credentials!.monitoringStoreApi },
			);
			expect(answer.status).toBe('Error');
			expect(answer.message).toContain(e.message);
			expect(answer.message).toContain(e.hint);
			return;
		}
		const options = {
			env: { N8N_MONITORING_SQLITE_PATH: store },
			credentials: c.credentials,
			...(c.node === 'Monitoring Trigger' ? { startNode: 'Monitoring Trigger' } : {}),
		};
		if (e.kind === 'required') {
			await expect(runWorkflow(workflowFor(c), options)).rejects.toThrow(
				`Parameter "${e.parameter}" is required`,
			);
			return;
		}
		const result = await runWorkflow(workflowFor(c), options);
		if (e.kind === 'error') {
			expect(result.error).toBeDefined();
			expect(isNodeOperationError(result.error)).toBe(true);
			// A message of its own, never a JavaScript TypeError's wording.
			expect(result.error!.message).not.toMatch(/is not a function|Cannot read prop|undefined/);
			expect(result.error!.message).toContain(e.message);
			if (e.hint) expect(result.error!.description ?? '').toContain(e.hint);
			else expect(result.error!.message.length).toBeGreaterThan(10);
			// Messages quote what was wrong, never 100,000 characters of it.
			expect(result.error!.message.length).toBeLessThan(2000);
			return;
		}
		expect(result.error).toBeUndefined();
		const items =
			result.items[c.node === 'Monitoring Trigger' ? 'Monitoring Trigger' : 'Monitoring'];
		if (e.kind === 'items') e.check(items);
		if (e.kind === 'stored') {
			const rows = readStore((db) =>
				db
					.prepare(
						`SELECT ${e.column} AS v FROM ${e.table} WHERE ${e.column} ${e.value.includes('%') ? 'LIKE' : '='} ?`,
					)
					.all(e.value),
			);
			expect(rows.length).toBeGreaterThan(0);
			if (!e.value.includes('%')) expect(rows[0].v).toBe(e.value);
		}
		// Whatever the input, every table is still there and still holds the seeded series.
		const intact = readStore((db) => ({
			tables: TABLES.filter((t) =>
				db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t),
			),
			seeded: db.prepare("SELECT COUNT(*) AS n FROM mon_series WHERE host = 'web-1'").get(),
		}));
		expect(intact.tables).toEqual(TABLES);
		expect(intact.seeded).toEqual({ n: 1 });
	});
});

test('docs/BAD-INPUT.md is rendered from these cases', () => {
	// Prettier (an ES module inside) runs as its CLI: jest's CommonJS sandbox cannot import it.
	const bin = path.join(__dirname, '..', '..', 'node_modules', 'prettier', 'bin', 'prettier.cjs');
	const rendered = execFileSync(process.execPath, [bin, '--stdin-filepath', DOC], {
		input: renderTable(cases),
		encoding: 'utf8',
	});
	if (process.env.BAD_INPUT_WRITE) fs.writeFileSync(DOC, rendered);
	expect(fs.readFileSync(DOC, 'utf8')).toBe(rendered);
	expect(rendered).toContain(`${cases.length} cases`);
});

test('README gives the number of bad-input cases', () => {
	const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
	expect(readme).toContain(`${cases.length} bad-input cases`);
});
