// n8n in queue mode: a main process that schedules and two `n8n worker` processes that run the
// executions (Bull on a real Redis), n8n's own database on PostgreSQL, and three host-collection
// workflows firing every 2 seconds into one PostgreSQL monitoring store. Several workers write at
// once; every collection must be stored with all its samples, and no execution may fail.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startPostgres, type TestPostgres } from '../../scripts/pg-cluster';
import { startRedis, type TestRedis } from '../helpers/redis';
import {
	CLI_TIMEOUT_MS,
	HOST_WORKFLOW_FILE,
	everySeconds,
	makeTempDir,
	n8nOptions,
	removeTempDir,
	requireBuild,
	runtime,
	stopServer,
	waitFor,
	withServerLog,
} from './helpers';

const WORKFLOWS = 3;
const INTERVAL_SECONDS = 2;
/** Collections each host must reach before the schedules are stopped. */
const RUNS_PER_HOST = 8;
const CREDENTIAL = { id: 'monQueueStore0001', name: 'Monitoring store (queue test)' };
const hostOf = (i: number) => `queue-host-${i}`;
const workflowId = (i: number) => `monQueueHost000${i}`;

describe('n8n queue mode: two workers writing into one PostgreSQL store', () => {
	let pg: TestPostgres;
	let redis: TestRedis;
	let userFolder: string;
	let main: runtime.N8nServer | undefined;
	const workers: runtime.N8nServer[] = [];
	let apiKey: string;
	let options: runtime.CliOptions;

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		[pg, redis] = await Promise.all([startPostgres(), startRedis()]);
		pg.psql('CREATE DATABASE n8n');
		userFolder = makeTempDir('queue');
		runtime.linkPackage(userFolder);
		const base = n8nOptions(userFolder);
		options = {
			...base,
			env: {
				...base.env,
				// Every process must reach the same database, queue and encryption key.
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: pg.host,
				DB_POSTGRESDB_PORT: String(pg.port),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: pg.user,
				DB_POSTGRESDB_PASSWORD: pg.password,
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: redis.host,
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				N8N_ENCRYPTION_KEY: 'queue-mode-test-key-6c1f0a',
			},
		};
		const credentials = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(
			credentials,
			JSON.stringify([
				{
					...CREDENTIAL,
					type: 'monitoringStoreApi',
					data: {
						type: 'postgres',
						host: pg.host,
						port: pg.port,
						database: pg.database,
						user: pg.user,
						password: pg.password,
						schema: 'public',
						ssl: false,
					},
				},
			]),
		);
		await runtime.runCli(['import:credentials', `--input=${credentials}`], options);
		fs.rmSync(credentials);
		// The starter workflow three times, each as its own host, every 2 s, into the PG store.
		const source = JSON.parse(fs.readFileSync(HOST_WORKFLOW_FILE, 'utf8'));
		const copies = [];
		for (let i = 1; i <= WORKFLOWS; i++) {
			const wf = JSON.parse(JSON.stringify(source));
			wf.id = workflowId(i);
			wf.name = `Queue host ${i}`;
			everySeconds(INTERVAL_SECONDS)(wf);
			for (const node of wf.nodes)
				if (node.type === 'n8n-nodes-monitoring.monitoring') {
					node.id = `${node.id.slice(0, -2)}${i}${i}`;
					node.parameters.hostName = hostOf(i);
					node.credentials = { monitoringStoreApi: CREDENTIAL };
				}
			copies.push(wf);
		}
		const file = path.join(userFolder, 'queue-workflows.json');
		fs.writeFileSync(file, JSON.stringify(copies));
		await runtime.importWorkflow(file, options);

		main = await runtime.startN8n({ ...options, logFile: path.join(userFolder, 'main.log') });
		for (let w = 0; w < 2; w++)
			workers.push(
				await runtime.startN8n({
					...options,
					worker: { concurrency: 5 },
					logFile: path.join(userFolder, `worker-${w}.log`),
				}),
			);
		apiKey = await withServerLog(main, async () => {
			const client = await runtime.setupOwner(main!.baseUrl, {
				email: 'owner@example.com',
				password: runtime.generatePassword(),
			});
			return await runtime.createApiKey(client);
		});
	}, 4 * CLI_TIMEOUT_MS);

	afterAll(async () => {
		await stopServer(main);
		for (const w of workers) await stopServer(w);
		await redis?.stop();
		await pg?.stop();
		removeTempDir(userFolder);
	}, 60_000);

	const rows = (sql: string) =>
		pg
			.psql(sql, pg.database)
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((line) => line.split('|'));

	it('stores every scheduled collection with all its samples, and no execution fails', async () => {
		for (let i = 1; i <= WORKFLOWS; i++)
			await runtime.activateWorkflow(main!.baseUrl, apiKey, workflowId(i));
		const hosts = Array.from({ length: WORKFLOWS }, (_, i) => `'${hostOf(i + 1)}'`).join(',');
		await withServerLog(main, () =>
			waitFor(
				async () => {
					// The first run creates the tables; before that there is nothing to count.
					if (!rows("SELECT to_regclass('public.mon_collections')").length) return false;
					const counts = rows(
						`SELECT host, count(*) FROM mon_collections WHERE host IN (${hosts}) GROUP BY host`,
					);
					return counts.length === WORKFLOWS && counts.every(([, n]) => Number(n) >= RUNS_PER_HOST);
				},
				{ timeoutMs: 120_000, intervalMs: 2_000, what: `${RUNS_PER_HOST} collections a host` },
			),
		);
		for (let i = 1; i <= WORKFLOWS; i++)
			await runtime.deactivateWorkflow(main!.baseUrl, apiKey, workflowId(i));
		// Let the jobs already queued finish before counting.
		await runtime.sleep(5_000);

		const collections = rows(
			`SELECT c.host, c.ts, c.ok, coalesce(c.error, ''), c.sample_count,
				   (SELECT count(*) FROM mon_samples v JOIN mon_series s ON s.id = v.series_id
				     WHERE s.host = c.host AND v.ts = c.ts)
				 FROM mon_collections c WHERE c.host IN (${hosts}) ORDER BY c.host, c.ts`,
		);
		expect(collections.length).toBeGreaterThanOrEqual(WORKFLOWS * RUNS_PER_HOST);
		for (const [host, ts, ok, error, sampleCount, stored] of collections) {
			expect({ host, ts, ok, error }).toEqual({ host, ts, ok: 't', error: '' });
			// Every sample the collection reported is stored under its host and time.
			expect(Number(sampleCount)).toBeGreaterThan(10);
			expect(Number(stored)).toBe(Number(sampleCount));
		}
		// No two runs of a host at one instant (a job taken by two workers would show so).
		const duplicates = rows(
			`SELECT host, ts FROM mon_collections WHERE host IN (${hosts}) GROUP BY host, ts HAVING count(*) > 1`,
		);
		expect(duplicates).toEqual([]);
		const failed = pg
			.psql("SELECT count(*) FROM execution_entity WHERE status IN ('error', 'crashed')", 'n8n')
			.trim();
		expect(failed).toBe('0');
		// Both workers ran collections: the executions were not all on one process.
		for (const w of workers) expect(w.output()).toMatch(/started execution/i);
	}, 240_000);
});
