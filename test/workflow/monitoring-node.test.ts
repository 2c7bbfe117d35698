import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import sqlite3 from 'sqlite3';

import { startPostgres, type TestPostgres } from '../helpers/postgres';
import {
	closeNodeStores,
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type RunWorkflowOptions,
	type WorkflowJson,
} from '../helpers/workflow-runner';
import fixture from './fixtures/host-collect.json';

/**
 * The Monitoring node (built, from dist/) inside real workflows run by n8n's own execution engine
 * (n8n-core's WorkflowExecute from the pinned n8n 2.40.7): Manual Trigger -> Monitoring (Host:
 * Collect) -> No Operation. Real host, real SQLite files, a real PostgreSQL server.
 * Run with Node.js 24: `npm run build && scripts/node24.sh npx jest test/workflow`.
 */

const HOST = os.hostname();
let tmp: string;
let fileCounter = 0;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-test-'));
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh SQLite path in the temp folder (not created). */
function newDbPath(): string {
	return path.join(tmp, `store-${++fileCounter}.sqlite`);
}

interface WorkflowChanges {
	/** Merged into the Monitoring node's parameters.options. */
	options?: Record<string, unknown>;
	hostName?: string;
	/** Merged into the Monitoring node itself (onError, continueOnFail, credentials). */
	node?: Record<string, unknown>;
}

/** The fixture workflow with the Monitoring node changed. */
function workflow(changes: WorkflowChanges = {}): WorkflowJson {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	const node = wf.nodes.find((n) => n.name === 'Monitoring')!;
	const parameters = node.parameters as { hostName: string; options: Record<string, unknown> };
	if (changes.hostName !== undefined) parameters.hostName = changes.hostName;
	Object.assign(parameters.options, changes.options);
	Object.assign(node, changes.node);
	return wf;
}

const withCredential = (node: Record<string, unknown> = {}) => ({
	credentials: { monitoringStoreApi: { id: 'store-1', name: 'Monitoring Store' } },
	...node,
});

async function run(wf: WorkflowJson, dbPath: string, options: RunWorkflowOptions = {}) {
	return await runWorkflow(wf, {
		...options,
		env: { N8N_MONITORING_SQLITE_PATH: dbPath, ...options.env },
	});
}

/** Runs a query on an SQLite file, read-only (never creates the file). */
async function query<T = Record<string, unknown>>(
	file: string,
	sql: string,
	params: unknown[] = [],
): Promise<T[]> {
	const db = await new Promise<sqlite3.Database>((resolve, reject) => {
		const d = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) =>
			error ? reject(error) : resolve(d),
		);
	});
	try {
		return await new Promise<T[]>((resolve, reject) =>
			db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))),
		);
	} finally {
		await new Promise<void>((resolve) => db.close(() => resolve()));
	}
}

async function samplesOf(file: string, host: string, metric: string) {
	return await query<{ id: number; labels: string; ts: number; value: number }>(
		file,
		`SELECT s.id, s.labels, x.ts, x.value FROM mon_series s JOIN mon_samples x ON x.series_id = s.id
		 WHERE s.host = ? AND s.metric = ? ORDER BY x.ts`,
		[host, metric],
	);
}

describe('Manual Trigger -> Monitoring (Host: Collect) into the default SQLite store', () => {
	test('collects, stores, and a second run reuses the series', async () => {
		const db = newDbPath();
		const first = await run(workflow(), db);

		expect(first.error).toBeUndefined();
		expect(first.status).toBe('success');
		expect(first.executionOrder).toEqual(['Start', 'Monitoring', 'Next']);
		expect(first.items.Monitoring).toHaveLength(1);
		const item = first.items.Monitoring[0];
		expect(item).toMatchObject({ collector: 'host', host: HOST, ok: true, stored: true });
		expect(item.sampleCount).toBeGreaterThan(20);
		expect(item.store).toContain(db);
		expect(Number.isNaN(Date.parse(item.time as string))).toBe(false);
		// The next node got the same item.
		expect(first.items.Next).toEqual(first.items.Monitoring);

		const collections1 = await query(db, 'SELECT * FROM mon_collections');
		expect(collections1).toHaveLength(1);
		expect(collections1[0]).toMatchObject({
			host: HOST,
			collector: 'host',
			ok: 1,
			sample_count: item.sampleCount,
			ts: Date.parse(item.time as string),
		});
		const cpu1 = await samplesOf(db, HOST, 'cpu_usage_percent');
		const mem1 = await samplesOf(db, HOST, 'memory_used_bytes');
		expect(cpu1.some((s) => JSON.parse(s.labels).cpu === 'total')).toBe(true);
		expect(mem1).toHaveLength(1);
		expect(mem1[0].value).toBeGreaterThan(0);
		const state = await query(db, 'SELECT * FROM mon_collector_state WHERE host = ?', [HOST]);
		expect(state).toHaveLength(1);
		const series1 = await query<{ id: number; metric: string; labels: string }>(
			db,
			'SELECT id, metric, labels FROM mon_series',
		);
		const sampled1 = await query<{ n: number }>(
			db,
			'SELECT count(*) AS n FROM mon_samples WHERE ts = ?',
			[collections1[0].ts],
		);
		expect(sampled1[0].n).toBe(item.sampleCount);

		const second = await run(workflow(), db);
		expect(second.error).toBeUndefined();
		expect(second.items.Monitoring[0]).toMatchObject({ ok: true, stored: true });
		const collections2 = await query<{ ts: number }>(
			db,
			'SELECT ts FROM mon_collections ORDER BY ts',
		);
		expect(collections2).toHaveLength(2);
		expect(collections2[1].ts).toBeGreaterThan(collections2[0].ts);

		// The series of the first run are reused: same ids, and their samples of both runs in them.
		const cpu2 = await samplesOf(db, HOST, 'cpu_usage_percent');
		const mem2 = await samplesOf(db, HOST, 'memory_used_bytes');
		expect(mem2).toHaveLength(2);
		expect(mem2[1].id).toBe(mem1[0].id);
		expect(new Set(cpu2.map((s) => s.id))).toEqual(new Set(cpu1.map((s) => s.id)));
		expect(cpu2).toHaveLength(2 * cpu1.length);
		const series2 = await query<{ id: number; metric: string; labels: string }>(
			db,
			'SELECT id, metric, labels FROM mon_series',
		);
		// Every series of the first run is still there under its id; a series that is new in the
		// second run may only be one whose value needs the previous run (a rate).
		const ids2 = new Map(series2.map((s) => [s.id, `${s.metric}${s.labels}`]));
		for (const s of series1) expect(ids2.get(s.id)).toBe(`${s.metric}${s.labels}`);
		const added = series2.filter((s) => !series1.some((old) => old.id === s.id));
		expect(added.map((s) => s.metric)).toEqual([]);
	});

	test('the Host Name parameter names the host the samples are stored under', async () => {
		const db = newDbPath();
		const result = await run(workflow({ hostName: 'web-01' }), db);
		expect(result.error).toBeUndefined();
		expect(result.items.Monitoring[0]).toMatchObject({ host: 'web-01', stored: true });
		expect((await samplesOf(db, 'web-01', 'cpu_usage_percent')).length).toBeGreaterThan(0);
		expect((await samplesOf(db, 'web-01', 'memory_used_bytes')).length).toBe(1);
		const hosts = await query<{ host: string }>(db, 'SELECT DISTINCT host FROM mon_series');
		expect(hosts).toEqual([{ host: 'web-01' }]);
		expect(await query(db, 'SELECT host FROM mon_collections')).toEqual([{ host: 'web-01' }]);
	});
});

describe('Store off', () => {
	test('writes nothing and keeps the counters in the workflow static data', async () => {
		const db = newDbPath();
		const wf = workflow({ options: { store: false } });
		const first = await run(wf, db);
		expect(first.error).toBeUndefined();
		const item1 = first.items.Monitoring[0];
		expect(item1).toMatchObject({ ok: true, stored: false, host: HOST });
		expect(item1.store).toBeUndefined();
		expect(item1.sampleCount).toBeGreaterThan(20);
		expect(fs.existsSync(db)).toBe(false);
		// No previous counters yet: the collector reads its counters twice, 250 ms apart.
		const interval1 = (item1.snapshot as { intervalSeconds: number }).intervalSeconds;
		expect(interval1).toBeGreaterThan(0);
		expect(interval1).toBeLessThan(1);

		// n8n keeps node static data under "node:<node name>".
		const kept = first.staticData['node:Monitoring'] as Record<string, { time: number }>;
		expect(Object.keys(kept)).toEqual([`host@${HOST}`]);
		expect(kept[`host@${HOST}`].time).toBeGreaterThan(0);

		await new Promise((resolve) => setTimeout(resolve, 1_100));
		const second = await run(wf, db, { staticData: first.staticData });
		expect(second.error).toBeUndefined();
		const interval = (second.items.Monitoring[0].snapshot as { intervalSeconds: number })
			.intervalSeconds;
		expect(interval).toBeGreaterThanOrEqual(1);
		expect(interval).toBeLessThan(30);
		const keptAgain = second.staticData['node:Monitoring'] as Record<string, { time: number }>;
		expect(keptAgain[`host@${HOST}`].time).toBeGreaterThan(kept[`host@${HOST}`].time);
		expect(fs.existsSync(db)).toBe(false);

		// Without the saved static data the run starts over.
		const fresh = await run(wf, db);
		expect(
			(fresh.items.Monitoring[0].snapshot as { intervalSeconds: number }).intervalSeconds,
		).toBeLessThan(1);
	});
});

describe('Top Processes', () => {
	test('5 lists at most five processes by CPU, with pid and name', async () => {
		const db = newDbPath();
		const result = await run(workflow({ options: { topProcesses: 5, store: false } }), db);
		expect(result.error).toBeUndefined();
		const snapshot = result.items.Monitoring[0].snapshot as {
			processes: { count: number; byCpu: Array<{ pid: number; name: string }> };
		};
		const { byCpu } = snapshot.processes;
		expect(byCpu.length).toBeGreaterThan(0);
		expect(byCpu.length).toBeLessThanOrEqual(5);
		for (const p of byCpu) {
			expect(Number.isInteger(p.pid)).toBe(true);
			expect(p.pid).toBeGreaterThan(0);
			expect(typeof p.name).toBe('string');
			expect(p.name.length).toBeGreaterThan(0);
		}
		// This jest worker is a process, so the list is real.
		expect(snapshot.processes.count).toBeGreaterThanOrEqual(byCpu.length);
	});

	test('0 (the default) lists none', async () => {
		const result = await run(workflow({ options: { store: false } }), newDbPath());
		expect(
			(result.items.Monitoring[0].snapshot as { processes?: unknown }).processes,
		).toBeUndefined();
	});

	const invalid: Array<[string, string]> = [
		['={{ -1 }}', '-1'],
		['={{ 2.5 }}', '2.5'],
		['={{ "abc" }}', '"abc"'],
		['={{ 101 }}', '101'],
	];

	test.each(invalid)('%s fails the node with a NodeOperationError', async (expression, shown) => {
		const db = newDbPath();
		const result = await run(workflow({ options: { topProcesses: expression } }), db);
		expect(result.status).toBe('error');
		expect(result.error).toBeDefined();
		expect(isNodeOperationError(result.error)).toBe(true);
		expect(result.error!.node).toBe('Monitoring');
		expect(result.error!.message).toContain('Top Processes');
		expect(result.error!.message).toContain(shown);
		expect(result.error!.description).toMatch(
			/Set Top Processes to a whole number between 0 and 100/,
		);
		expect(result.nodeErrors.Monitoring?.message).toBe(result.error!.message);
		expect(result.executionOrder).not.toContain('Next');
		expect(result.items.Next).toBeUndefined();
		// It fails before anything is collected or stored.
		expect(fs.existsSync(db)).toBe(false);
	});

	test.each([
		['onError: continueRegularOutput', { onError: 'continueRegularOutput' }],
		['continueOnFail: true (older workflows)', { continueOnFail: true }],
	])('with %s the error is an item and the next node runs', async (_label, setting) => {
		const result = await run(
			workflow({ options: { topProcesses: '={{ -1 }}' }, node: setting }),
			newDbPath(),
		);
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.executionOrder).toEqual(['Start', 'Monitoring', 'Next']);
		expect(result.items.Monitoring).toHaveLength(1);
		expect(result.items.Monitoring[0].error).toMatch(/Top Processes must be a whole number/);
		expect(result.items.Monitoring[0].description).toMatch(/Set Top Processes/);
		expect(result.items.Next).toEqual(result.items.Monitoring);
	});
});

describe('Monitoring Store credential', () => {
	test('an SQLite path in a folder that does not exist names the folder and what to do', async () => {
		const missing = path.join(tmp, 'no-such-folder');
		const credentials = {
			monitoringStoreApi: { type: 'sqlite', sqlitePath: path.join(missing, 'm.sqlite') },
		};
		const result = await run(workflow({ node: withCredential() }), newDbPath(), { credentials });
		expect(result.status).toBe('error');
		expect(isNodeOperationError(result.error)).toBe(true);
		expect(result.error!.message).toContain(missing);
		expect(result.error!.message).toMatch(/does not exist/);
		expect(result.error!.description).toMatch(/Create the folder/);
		expect(fs.existsSync(missing)).toBe(false);

		const cont = await run(
			workflow({ node: withCredential({ onError: 'continueRegularOutput' }) }),
			newDbPath(),
			{ credentials },
		);
		expect(cont.status).toBe('success');
		expect(cont.items.Monitoring[0].error).toContain(missing);
		expect(cont.items.Monitoring[0].description).toMatch(/Create the folder/);
		expect(cont.items.Next).toHaveLength(1);
	});

	test('a retention shorter than the next rollup bucket is refused, naming the field to change', async () => {
		const chosen = newDbPath();
		const result = await run(workflow({ node: withCredential() }), newDbPath(), {
			credentials: {
				monitoringStoreApi: { type: 'sqlite', sqlitePath: chosen, retentionRollup5mDays: 0.01 },
			},
		});
		expect(result.status).toBe('error');
		expect(isNodeOperationError(result.error)).toBe(true);
		expect(result.error!.message).toMatch(
			/5-Minute Rollups Retention \(Days\) is 0.01, shorter than 1 hour/,
		);
		expect(result.error!.description).toMatch(/at least 0.0417/);
		expect(fs.existsSync(chosen)).toBe(false);
	});

	test('a credential wins over the default store', async () => {
		const db = newDbPath();
		const chosen = newDbPath();
		const result = await run(workflow({ node: withCredential() }), db, {
			credentials: { monitoringStoreApi: { type: 'sqlite', sqlitePath: chosen } },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.Monitoring[0].store).toContain(chosen);
		expect(fs.existsSync(db)).toBe(false);
		expect(await query(chosen, 'SELECT host FROM mon_collections')).toEqual([{ host: HOST }]);
	});

	test('an SQLite path to a text file is "not an SQLite database", and the file is untouched', async () => {
		const text = path.join(tmp, 'notes.txt');
		const content = 'these are my notes, not a database\n'.repeat(20);
		fs.writeFileSync(text, content);
		const result = await run(workflow({ node: withCredential() }), newDbPath(), {
			credentials: { monitoringStoreApi: { type: 'sqlite', sqlitePath: text } },
		});
		expect(result.status).toBe('error');
		expect(result.error!.message).toMatch(/not an SQLite database/);
		expect(result.error!.message).toContain(text);
		expect(fs.readFileSync(text, 'utf8')).toBe(content);
		expect(fs.existsSync(`${text}-wal`)).toBe(false);
	});

	test('PostgreSQL that refuses the connection says so', async () => {
		const password = 'refused-secret-pw';
		const started = Date.now();
		const result = await run(workflow({ node: withCredential() }), newDbPath(), {
			credentials: {
				monitoringStoreApi: {
					type: 'postgres',
					host: '127.0.0.1',
					port: 1,
					database: 'monitoring',
					user: 'monitoring',
					password,
				},
			},
		});
		expect(result.status).toBe('error');
		expect(result.error!.message).toMatch(/refused the connection/);
		expect(result.error!.message).toContain('127.0.0.1:1');
		expect(result.error!.description).toMatch(/host and port/);
		expect(JSON.stringify(result.run)).not.toContain(password);
		expect(Date.now() - started).toBeLessThan(20_000);
	});
});

describe('PostgreSQL store (real server)', () => {
	let pg: TestPostgres;

	beforeAll(async () => {
		pg = await startPostgres();
	}, 60_000);

	afterAll(async () => {
		await closeNodeStores();
		await pg?.stop();
	});

	/** Fields left out take the credential type's defaults (schema: public), as in n8n. */
	const credential = (fields: Record<string, unknown> = {}) => ({
		monitoringStoreApi: {
			type: 'postgres',
			host: pg.host,
			port: pg.port,
			database: pg.database,
			user: pg.user,
			password: pg.password,
			...fields,
		},
	});

	test('stores samples, and the password is in no output', async () => {
		const result = await run(workflow({ node: withCredential() }), newDbPath(), {
			credentials: credential(),
		});
		expect(result.error).toBeUndefined();
		const item = result.items.Monitoring[0];
		expect(item).toMatchObject({ ok: true, stored: true, host: HOST });
		expect(item.store).toContain(`${pg.host}:${pg.port}/${pg.database}`);

		const samples = Number(
			pg
				.psql(
					`SELECT count(*) FROM public.mon_samples x JOIN public.mon_series s ON s.id = x.series_id WHERE s.host = '${HOST}'`,
					pg.database,
				)
				.trim(),
		);
		expect(samples).toBe(item.sampleCount);
		const metrics = pg
			.psql(
				`SELECT DISTINCT metric FROM public.mon_series WHERE metric IN ('cpu_usage_percent', 'memory_used_bytes') ORDER BY metric`,
				pg.database,
			)
			.trim()
			.split('\n');
		expect(metrics).toEqual(['cpu_usage_percent', 'memory_used_bytes']);
		expect(
			pg
				.psql(
					`SELECT host || '|' || collector || '|' || ok::int FROM public.mon_collections`,
					pg.database,
				)
				.trim(),
		).toBe(`${HOST}|host|1`);

		expect(JSON.stringify(result.items)).not.toContain(pg.password);
		expect(JSON.stringify(result.run)).not.toContain(pg.password);
	});

	// The credential's Schema field promises "created on first use".
	test('a schema that does not exist yet is created on first use', async () => {
		const result = await run(workflow({ node: withCredential() }), newDbPath(), {
			credentials: credential({ schema: 'wf_monitoring' }),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.Monitoring[0]).toMatchObject({ ok: true, stored: true });
		expect(
			Number(pg.psql('SELECT count(*) FROM wf_monitoring.mon_collections', pg.database).trim()),
		).toBe(1);
	});

	test('a wrong password is rejected with what to check, and not echoed', async () => {
		await closeNodeStores();
		const wrong = 'wrong-pw-' + Math.random().toString(36).slice(2);
		const result = await run(
			workflow({ node: withCredential({ onError: 'continueRegularOutput' }) }),
			newDbPath(),
			{ credentials: credential({ password: wrong }) },
		);
		expect(result.status).toBe('success');
		const item = result.items.Monitoring[0];
		expect(item.error).toMatch(/rejected user "postgres"/);
		expect(item.description).toMatch(/user and password/);
		expect(JSON.stringify(result.run)).not.toContain(wrong);
		expect(JSON.stringify(result.run)).not.toContain(pg.password);
	});

	// Open stores are cached per process: a credential with a wrong password must not write
	// through the pool that a credential with the right one opened.
	test('a wrong password is rejected while a store with the right one is open', async () => {
		const ok = await run(workflow({ node: withCredential() }), newDbPath(), {
			credentials: credential(),
		});
		expect(ok.error).toBeUndefined();
		const wrong = await run(workflow({ node: withCredential() }), newDbPath(), {
			credentials: credential({ password: 'not-the-password' }),
		});
		expect(wrong.status).toBe('error');
		expect(wrong.error?.message).toMatch(/rejected user "postgres"/);
	});
});

describe('Starter workflows (workflows/*.json), as users import them', () => {
	const starter = (file: string) =>
		JSON.parse(
			fs.readFileSync(path.join(__dirname, '..', '..', 'workflows', file), 'utf8'),
		) as WorkflowJson;

	test.each([
		['Manual Trigger', 'n8n-nodes-base.manualTrigger'],
		['Schedule Trigger', 'n8n-nodes-base.scheduleTrigger'],
	])('host-metrics.json started at its %s stores a collection', async (_label, triggerType) => {
		const wf = starter('host-metrics.json');
		const trigger = wf.nodes.find((n) => n.type === triggerType);
		const monitoring = wf.nodes.find((n) => n.type === 'n8n-nodes-monitoring.monitoring');
		expect(trigger).toBeDefined();
		expect(monitoring).toBeDefined();
		const db = newDbPath();
		const result = await run(wf, db, { startNode: trigger!.name });
		expect(result.error).toBeUndefined();
		expect(result.executionOrder).toEqual([trigger!.name, monitoring!.name]);
		expect(result.items[monitoring!.name]).toHaveLength(1);
		expect(result.items[monitoring!.name][0]).toMatchObject({ ok: true, stored: true });
		expect(await query(db, 'SELECT collector, ok FROM mon_collections')).toEqual([
			{ collector: 'host', ok: 1 },
		]);
	});
});
