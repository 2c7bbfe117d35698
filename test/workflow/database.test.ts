import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	isNodeOperationError,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';
import fixture from './fixtures/host-collect.json';

/**
 * The Database resource inside workflows run by n8n-core's WorkflowExecute: an SQLite target file
 * made here, a PostgreSQL target that is not there (n8n's own Postgres credential type).
 */
let tmp: string;
let counter = 0;

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-db-'));
});

afterAll(async () => {
	await shutdownWorkflowRunner();
	fs.rmSync(tmp, { recursive: true, force: true });
});

function workflow(parameters: Record<string, unknown>, node: Record<string, unknown> = {}) {
	const wf = JSON.parse(JSON.stringify(fixture)) as WorkflowJson;
	const monitoring = wf.nodes.find((n) => n.name === 'Monitoring')!;
	monitoring.parameters = {
		resource: 'database',
		operation: 'collect',
		name: '',
		hostName: '',
		options: { store: true },
		...parameters,
	};
	Object.assign(monitoring, node);
	return wf;
}

const env = () => ({ N8N_MONITORING_SQLITE_PATH: path.join(tmp, `store-${++counter}.sqlite`) });

test('an SQLite target: up, with its tables', async () => {
	const target = path.join(tmp, 'app.sqlite');
	const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
	const db = new DatabaseSync(target);
	db.exec(
		"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('a'), ('b');",
	);
	db.close();
	const result = await runWorkflow(workflow({ engine: 'sqlite', sqlitePath: target }), {
		env: env(),
	});
	expect(result.error).toBeUndefined();
	const [item] = result.items.Monitoring;
	expect(item).toMatchObject({ collector: 'database', ok: true, stored: true });
	const snapshot = item.snapshot as { up: boolean; tables: Array<{ name: string }> };
	expect(snapshot.up).toBe(true);
	expect(snapshot.tables.map((t) => t.name)).toContain('users');
});

test('a PostgreSQL target that refuses the connection is stored as down, not a failed workflow', async () => {
	const password = 'pw-' + Math.random().toString(36).slice(2);
	const result = await runWorkflow(
		workflow({ engine: 'postgres' }, { credentials: { postgres: { id: 'p1', name: 'Target' } } }),
		{
			env: env(),
			credentials: {
				postgres: {
					host: '127.0.0.1',
					port: 1,
					database: 'x',
					user: 'monitor',
					password,
					ssl: 'disable',
				},
			},
		},
	);
	expect(result.error).toBeUndefined();
	const [item] = result.items.Monitoring;
	expect(item).toMatchObject({ collector: 'database', ok: true, stored: true });
	const snapshot = item.snapshot as { up: boolean; reason?: string };
	expect(snapshot.up).toBe(false);
	expect(snapshot.reason).toMatch(/refused the connection/);
	expect(JSON.stringify(result.run)).not.toContain(password);
});

test('an SQLite target without a path is a NodeOperationError that says what to set', async () => {
	const result = await runWorkflow(workflow({ engine: 'sqlite', sqlitePath: '' }), { env: env() });
	expect(result.status).toBe('error');
	expect(isNodeOperationError(result.error)).toBe(true);
	expect(result.error?.description).toMatch(/SQLite File Path/);
});

test('a Top Tables of 0 is a NodeOperationError naming the parameter', async () => {
	const result = await runWorkflow(
		workflow({
			engine: 'sqlite',
			sqlitePath: path.join(tmp, 'app.sqlite'),
			options: { topTables: 0 },
		}),
		{ env: env() },
	);
	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(/Top Tables must be a whole number from 1 to 500/);
});
