// 16 workflows collecting into one SQLite store and 16 into one PostgreSQL store, all at once, in
// one real n8n for 2 minutes, 12 collections each (CONCURRENCY_SECONDS=300 for a longer soak): no error reaches a workflow (no
// SQLITE_BUSY, no lost connection), and every sample a collection reports is in the store.
import fs from 'node:fs';
import path from 'node:path';

import { MonitoringStore } from '../../core/store';
import type { StoreConfig } from '../../core/store/config';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
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
	storePath,
	withServerLog,
} from './helpers';
import { tables } from '../helpers/tables';

const WORKFLOWS_PER_STORE = 16;
const INTERVAL_SECONDS = 10;
const DURATION_MS = Number(process.env.CONCURRENCY_SECONDS ?? 120) * 1000;
const PG_CREDENTIAL = { id: 'monConcPgStore1', name: 'Concurrency PG store' };

describe('n8n server: 16 + 16 workflows collecting at once', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let pg: TestPostgres;
	let apiKey: string;
	const ids: string[] = [];

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		pg = await startPostgres();
		userFolder = makeTempDir('concurrency');
		runtime.linkPackage(userFolder);
		const options = n8nOptions(userFolder);
		const credentials = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(
			credentials,
			JSON.stringify([
				{
					...PG_CREDENTIAL,
					type: 'monitoringStoreApi',
					data: {
						type: 'postgres',
						host: pg.host,
						port: pg.port,
						database: pg.database,
						user: pg.user,
						password: pg.password,
						schema: 'concurrency',
					},
				},
			]),
		);
		await runtime.runCli(['import:credentials', `--input=${credentials}`], options);
		fs.rmSync(credentials);
		const dir = path.join(userFolder, 'workflows');
		fs.mkdirSync(dir);
		const base = JSON.parse(fs.readFileSync(HOST_WORKFLOW_FILE, 'utf8'));
		everySeconds(INTERVAL_SECONDS)(base);
		for (const store of ['sqlite', 'postgres'] as const) {
			for (let i = 1; i <= WORKFLOWS_PER_STORE; i++) {
				const wf = JSON.parse(JSON.stringify(base));
				const n = String(i).padStart(2, '0');
				wf.id = `monConc${store === 'sqlite' ? 'S' : 'P'}${n}00000`;
				wf.name = `Concurrency ${store} ${n}`;
				delete wf.settings.errorWorkflow;
				// Errors are kept, so that any that reached a workflow can be counted.
				wf.settings.saveDataErrorExecution = 'all';
				const collect = wf.nodes.find(
					(node: { type: string }) => node.type === 'n8n-nodes-monitoring.monitoring',
				);
				collect.parameters.hostName = `conc-${store}-${n}`;
				if (store === 'postgres') collect.credentials = { monitoringStoreApi: PG_CREDENTIAL };
				fs.writeFileSync(path.join(dir, `${wf.id}.json`), JSON.stringify(wf));
				ids.push(wf.id);
			}
		}
		await runtime.runCli(['import:workflow', '--separate', `--input=${dir}`], options);
		server = await runtime.startN8n(options);
		apiKey = await withServerLog(server, async () =>
			runtime.createApiKey(
				await runtime.setupOwner(server!.baseUrl, {
					email: 'owner@example.com',
					password: runtime.generatePassword(),
				}),
			),
		);
	}, 4 * CLI_TIMEOUT_MS);

	afterAll(async () => {
		await stopServer(server);
		await pg?.stop();
		removeTempDir(userFolder);
	}, 60_000);

	it(
		'stores every collection of every workflow, with all its samples, and no workflow fails',
		async () => {
			await withServerLog(server, async () => {
				for (const id of ids) await runtime.activateWorkflow(server!.baseUrl, apiKey, id);
			});
			await new Promise((r) => setTimeout(r, DURATION_MS));
			await withServerLog(server, async () => {
				for (const id of ids) await runtime.deactivateWorkflow(server!.baseUrl, apiKey, id);
			});
			// Runs in flight finish.
			await new Promise((r) => setTimeout(r, 5_000));

			const failed = await runtime.publicApi(
				server!.baseUrl,
				apiKey,
				'GET',
				'/executions?status=error&limit=250',
			);
			expect((failed.data as Array<{ id: string }>).map((e) => e.id)).toEqual([]);

			const stores: Array<[string, StoreConfig]> = [
				['sqlite', { type: 'sqlite', filename: storePath(userFolder) }],
				[
					'postgres',
					{
						type: 'postgres',
						host: pg.host,
						port: pg.port,
						user: pg.user,
						password: pg.password,
						database: pg.database,
						schema: 'concurrency',
					},
				],
			];
			const expected = DURATION_MS / (INTERVAL_SECONDS * 1000);
			for (const [name, config] of stores) {
				const store = await MonitoringStore.open(config);
				try {
					const collections = await tables(store)('mon_collections')
						.where('host', 'like', `conc-${name}-%`)
						.select('host', 'ts', 'ok', 'error', 'sample_count');
					const byHost = new Map<string, number>();
					for (const c of collections) byHost.set(c.host, (byHost.get(c.host) ?? 0) + 1);
					console.log(
						`${name}: ${collections.length} collections by ${byHost.size} workflows (expected about ${expected} each)`,
					);
					expect(byHost.size).toBe(WORKFLOWS_PER_STORE);
					for (const count of byHost.values()) expect(count).toBeGreaterThanOrEqual(expected / 2);
					expect(collections.filter((c) => !c.ok || c.error)).toEqual([]);
					// Every sample each collection reported is stored under its host and time.
					const series = await tables(store)('mon_series')
						.where('host', 'like', `conc-${name}-%`)
						.select('id', 'host');
					const hostOf = new Map(series.map((s) => [Number(s.id), String(s.host)]));
					const stored = new Map<string, number>();
					const from = Math.min(...collections.map((c) => Number(c.ts)));
					const to = Math.max(...collections.map((c) => Number(c.ts)));
					for (const s of await store.samples.raw([...hostOf.keys()], from, to)) {
						const key = `${hostOf.get(s.seriesId)}@${s.ts}`;
						stored.set(key, (stored.get(key) ?? 0) + 1);
					}
					const missing = collections.filter(
						(c) => stored.get(`${c.host}@${Number(c.ts)}`) !== Number(c.sample_count),
					);
					expect(missing).toEqual([]);
				} finally {
					await store.close();
				}
			}
		},
		DURATION_MS + 10 * 60_000,
	);
});
