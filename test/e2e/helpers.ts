// Shared by the end-to-end tests: a real n8n 2.40.7 (scripts/n8n-runtime.js) and the SQLite store.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sqlite3 from 'sqlite3';

import * as runtime from '../../scripts/n8n-runtime';

export { runtime };

// No signal hooks here: jest's sandboxed `process` never sees the real signals. An n8n left by a
// killed test run is stopped by scripts/n8n-supervise.js, which watches the jest process.

export const REPO_ROOT = runtime.REPO_ROOT;
export const HOST_WORKFLOW_FILE = path.join(REPO_ROOT, 'workflows', 'host-metrics.json');
export const HOST_WORKFLOW_ID: string = JSON.parse(fs.readFileSync(HOST_WORKFLOW_FILE, 'utf8')).id;
export const MONITORING_NODE_TYPE = 'n8n-nodes-monitoring.monitoring';

/** Generous: the first n8n CLI call of a run may still be loading n8n's 2.8 GB from disk. */
export const CLI_TIMEOUT_MS = 180_000;

/** The tests run against dist/; building is the test script's job, not a hidden side effect. */
export function requireBuild(): void {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter(
		(file: string) => !fs.existsSync(path.join(REPO_ROOT, file)),
	);
	if (missing.length) {
		throw new Error(
			`The package is not built (missing ${missing.join(', ')}). Run \`npm run build\` first.`,
		);
	}
}

export function makeTempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `n8n-mon-e2e-${prefix}-`));
}

/** Keeps the folder when E2E_KEEP is set, to look at n8n's database after a failure. */
export function removeTempDir(dir: string | undefined): void {
	if (!dir || process.env.E2E_KEEP) return;
	fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

export function storePath(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'monitoring.sqlite');
}

/**
 * Options for n8n processes in a test: an isolated user folder, no inherited custom extensions,
 * and no inherited N8N_MONITORING_SQLITE_PATH, so the store lands in the user folder.
 */
export function n8nOptions(userFolder: string): runtime.CliOptions {
	return {
		userFolder,
		customExtensions: false,
		timeoutMs: CLI_TIMEOUT_MS,
		env: { N8N_MONITORING_SQLITE_PATH: undefined },
	};
}

/** Rows of one query on a SQLite file, opened read-only so a running n8n keeps writing. */
export async function querySqlite<T = Record<string, unknown>>(
	file: string,
	sql: string,
	params: unknown[] = [],
): Promise<T[]> {
	const db = await new Promise<sqlite3.Database>((resolve, reject) => {
		const handle = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) =>
			error ? reject(error) : resolve(handle),
		);
	});
	try {
		db.configure('busyTimeout', 5_000);
		return await new Promise<T[]>((resolve, reject) =>
			db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))),
		);
	} finally {
		await new Promise<void>((resolve) => db.close(() => resolve()));
	}
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function waitFor<T>(
	check: () => Promise<T | undefined | false | null>,
	{ timeoutMs, intervalMs = 1_000, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		await runtime.sleep(intervalMs);
	}
	throw new Error(
		`Timed out after ${timeoutMs} ms waiting for ${what}: ${String(lastError ?? '')}`,
	);
}

export interface CollectionRow {
	id: number;
	host: string;
	collector: string;
	ts: number;
	ok: number;
	error: string | null;
	sample_count: number;
}

export async function collections(userFolder: string, host: string): Promise<CollectionRow[]> {
	if (!fs.existsSync(storePath(userFolder))) return [];
	return await querySqlite<CollectionRow>(
		storePath(userFolder),
		"SELECT * FROM mon_collections WHERE host = ? AND collector = 'host' ORDER BY id",
		[host],
	);
}

export interface SampleRow {
	ts: number;
	value: number;
	labels: string | null;
}

/** Samples of one metric for a host, oldest first. */
export async function samples(
	userFolder: string,
	metric: string,
	host: string,
): Promise<SampleRow[]> {
	return await querySqlite<SampleRow>(
		storePath(userFolder),
		`SELECT s.ts AS ts, s.value AS value, r.labels AS labels
		 FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
		 WHERE r.metric = ? AND r.host = ? ORDER BY s.ts`,
		[metric, host],
	);
}

/**
 * A stored time in Unix seconds. The store's migration keeps Unix milliseconds while the first
 * node contract said seconds; a time after 1973 in milliseconds is above 1e11, in seconds never
 * (before the year 5138), so both read right here and the tests pin only what matters: "now".
 */
export function toUnixSeconds(ts: number): number {
	return ts > 1e11 ? ts / 1000 : ts;
}

/** Sanity checks that hold for any healthy Linux host. */
export function expectSaneHostSamples(
	cpu: SampleRow[],
	memory: SampleRow[],
	sinceUnixSeconds: number,
): void {
	expect(cpu.length).toBeGreaterThan(0);
	expect(memory.length).toBeGreaterThan(0);
	for (const { value, ts } of cpu) {
		expect(value).toBeGreaterThanOrEqual(0);
		expect(value).toBeLessThanOrEqual(100);
		expect(toUnixSeconds(ts)).toBeGreaterThanOrEqual(sinceUnixSeconds - 5);
		expect(toUnixSeconds(ts)).toBeLessThanOrEqual(Date.now() / 1000 + 5);
	}
	for (const { value } of memory) {
		expect(value).toBeGreaterThan(1024 * 1024);
		expect(value).toBeLessThanOrEqual(os.totalmem() * 1.01);
	}
}

/** A copy of a workflow file, changed by `mutate`, in `dir`; returns its path. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function writeWorkflowCopy(source: string, dir: string, mutate: (wf: any) => void): string {
	const workflow = JSON.parse(fs.readFileSync(source, 'utf8'));
	mutate(workflow);
	const target = path.join(dir, path.basename(source));
	fs.writeFileSync(target, JSON.stringify(workflow, null, '\t'));
	return target;
}

/** Changes the Schedule Trigger of a workflow to fire every `seconds` seconds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function everySeconds(seconds: number): (wf: any) => void {
	return (workflow) => {
		const trigger = workflow.nodes.find(
			(node: { type: string }) => node.type === 'n8n-nodes-base.scheduleTrigger',
		);
		if (!trigger) throw new Error('workflow has no Schedule Trigger');
		trigger.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: seconds }] };
	};
}

/** Runs `step`; when it fails, the error carries the end of the server's log. */
export async function withServerLog<T>(
	server: runtime.N8nServer | undefined,
	step: () => Promise<T>,
): Promise<T> {
	try {
		return await step();
	} catch (error) {
		if (server && error instanceof Error) {
			error.message += `\n--- n8n log (end) ---\n${server.output().split('\n').slice(-60).join('\n')}`;
		}
		throw error;
	}
}

/** Stops a server started by a test. */
export async function stopServer(server: runtime.N8nServer | undefined): Promise<void> {
	if (server) await server.stop(10_000);
}
