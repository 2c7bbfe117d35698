// The database starter workflows, imported unchanged into a fresh n8n and run from the CLI:
// database-postgres.json with a Postgres credential (n8n's own type) for a real PostgreSQL 15
// started here with pg_stat_statements, and database-metrics.json, which needs no credential and
// watches the SQLite file this n8n itself runs on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startPostgres, type TestPostgres } from '../helpers/postgres';
import {
	CLI_TIMEOUT_MS,
	makeTempDir,
	n8nOptions,
	querySqlite,
	REPO_ROOT,
	removeTempDir,
	requireBuild,
	runtime,
	storePath,
} from './helpers';

const host = os.hostname();
const WORKFLOW = path.join(REPO_ROOT, 'workflows', 'database-postgres.json');
const OWN_WORKFLOW = path.join(REPO_ROOT, 'workflows', 'database-metrics.json');

describe("n8n execute: the database starters against a real PostgreSQL and n8n's own SQLite", () => {
	let userFolder: string;
	let pg: TestPostgres;
	const workflow = JSON.parse(fs.readFileSync(WORKFLOW, 'utf8'));
	const credentialRef = workflow.nodes.find(
		(n: { name: string }) => n.name === 'Collect database metrics',
	).credentials.postgres;

	beforeAll(
		async () => {
			requireBuild();
			runtime.ensureRuntime();
			pg = await startPostgres({ preload: ['pg_stat_statements'] });
			pg.psql('CREATE EXTENSION pg_stat_statements', pg.database);
			pg.psql('CREATE TABLE orders (id serial primary key, note text)', pg.database);
			pg.psql(
				"INSERT INTO orders (note) SELECT repeat('x', 200) FROM generate_series(1, 5000)",
				pg.database,
			);
			userFolder = makeTempDir('database');
			runtime.linkPackage(userFolder);
			// The credential the starter workflow names, with plain data: n8n encrypts it on import.
			const credentials = path.join(userFolder, 'credentials.json');
			fs.writeFileSync(
				credentials,
				JSON.stringify([
					{
						id: credentialRef.id,
						name: credentialRef.name,
						type: 'postgres',
						data: {
							host: pg.host,
							port: pg.port,
							database: pg.database,
							user: pg.user,
							password: pg.password,
							ssl: 'disable',
						},
					},
				]),
			);
			await runtime.runCli(
				['import:credentials', `--input=${credentials}`],
				n8nOptions(userFolder),
			);
			fs.rmSync(credentials);
			await runtime.importWorkflow(WORKFLOW, n8nOptions(userFolder));
			await runtime.importWorkflow(OWN_WORKFLOW, n8nOptions(userFolder));
		},
		CLI_TIMEOUT_MS * 3 + 300_000,
	);

	afterAll(async () => {
		await pg?.stop();
		removeTempDir(userFolder);
	});

	it(
		'stores availability, size, table and connection samples, and keeps the password out',
		async () => {
			const result = await runtime.executeWorkflow(workflow.id, n8nOptions(userFolder));
			const [item] = runtime.nodeOutput(result.run, 'Collect database metrics');
			expect(item).toMatchObject({ collector: 'database', host, ok: true, stored: true });

			const rows = (metric: string) =>
				querySqlite<{ value: number; labels: string }>(
					storePath(userFolder),
					`SELECT s.value, r.labels FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
					 WHERE r.metric = ? AND r.host = ?`,
					[metric, host],
				);
			const up = await rows('db_up');
			expect(up).toHaveLength(1);
			expect(up[0].value).toBe(1);
			expect(JSON.parse(up[0].labels)).toMatchObject({ engine: 'postgres' });
			expect((await rows('db_size_bytes'))[0].value).toBeGreaterThan(1_000_000);
			const tables = await rows('db_table_size_bytes');
			expect(tables.map((t) => JSON.parse(t.labels).table)).toContain('public.orders');
			expect((await rows('db_connections_max'))[0].value).toBeGreaterThan(0);

			const stored = await querySqlite<{ snapshot: string }>(
				storePath(userFolder),
				`SELECT snapshot FROM mon_collector_state WHERE collector = 'database'`,
			);
			expect(stored[0].snapshot).toContain('orders');
			expect(stored[0].snapshot).not.toContain(pg.password);
			expect(result.stdout).not.toContain(pg.password);
		},
		2 * CLI_TIMEOUT_MS,
	);

	it(
		"database-metrics.json watches n8n's own SQLite database with no credential",
		async () => {
			const own = JSON.parse(fs.readFileSync(OWN_WORKFLOW, 'utf8'));
			expect(own.nodes.some((n: { credentials?: unknown }) => n.credentials)).toBe(false);
			const result = await runtime.executeWorkflow(own.id, n8nOptions(userFolder));
			const [item] = runtime.nodeOutput(result.run, 'Collect database metrics');
			expect(item).toMatchObject({ collector: 'database', host, ok: true, stored: true });
			const up = await querySqlite<{ value: number; labels: string }>(
				storePath(userFolder),
				`SELECT s.value, r.labels FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
				 WHERE r.metric = 'db_up' AND r.host = ?`,
				[host],
			);
			const labels = up.map((u) => JSON.parse(u.labels));
			const n8n = up[labels.findIndex((l) => l.engine === 'sqlite')];
			expect(n8n?.value).toBe(1);
			expect(labels.find((l) => l.engine === 'sqlite')).toMatchObject({ db: 'n8n' });
			const size = await querySqlite<{ value: number }>(
				storePath(userFolder),
				`SELECT s.value FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
				 WHERE r.metric = 'db_size_bytes' AND r.labels LIKE '%sqlite%'`,
			);
			// n8n's database.sqlite after its migrations is well over 100 kB.
			expect(size[0].value).toBeGreaterThan(100_000);
		},
		2 * CLI_TIMEOUT_MS,
	);
});
