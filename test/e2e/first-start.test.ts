// A new user's first minutes, as the README has them: `npm start` (scripts/start.js, which
// start.sh runs after building) in an empty user folder, nothing configured. It must set up the
// owner, an API key and the n8n API credential, publish the starters that need nothing from the
// user, leave the ones that need the user's credentials inactive and say so, and then, minutes
// later, n8n has no failed execution, the store no open alert, and host, n8n, database and
// endpoint samples. A second start must not import anything again.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
	makeTempDir,
	querySqlite,
	REPO_ROOT,
	removeTempDir,
	requireBuild,
	runtime,
	storePath,
} from './helpers';

const MINUTE = 60_000;

interface Started {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

async function npmStart(userFolder: string, port: number): Promise<Started> {
	const { nodeBin, nodeDir } = runtime.ensureRuntime();
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${path.join(nodeDir, 'bin')}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
	};
	delete env.NODE_ENV;
	delete env.N8N_MONITORING_SQLITE_PATH;
	delete env.N8N_CUSTOM_EXTENSIONS;
	delete env.N8N_RUNNERS_BROKER_PORT;
	const child = spawn(nodeBin, [path.join(REPO_ROOT, 'scripts', 'start.js')], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	const deadline = Date.now() + 8 * MINUTE;
	while (!/is running\. Ctrl-C stops it\.[\s\S]*\n\n/.test(output)) {
		if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
		if (Date.now() > deadline) throw new Error(`npm start not ready in 8 minutes:\n${output}`);
		await runtime.sleep(250);
	}
	return { child, output: () => output, exited };
}

async function stop(started: Started | undefined): Promise<number | null | undefined> {
	if (!started || started.child.exitCode !== null) return started?.child.exitCode;
	started.child.kill('SIGTERM');
	return await started.exited;
}

describe('npm start on a fresh user folder', () => {
	let userFolder: string;
	let port: number;
	let first: Started | undefined;
	let firstOutput = '';

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('first-start');
		port = await runtime.findFreePort();
		first = await npmStart(userFolder, port);
		firstOutput = first.output();
	}, 10 * MINUTE);

	afterAll(async () => {
		await stop(first);
		removeTempDir(userFolder);
	}, MINUTE);

	it('prints a short summary: URLs on one host spelling, names not ids, what waits for the user', () => {
		const lines = firstOutput.trim().split('\n');
		expect(lines.length).toBeLessThanOrEqual(20);
		expect(firstOutput).not.toMatch(/gyp|npm (ERR|warn)|at .*\.js:\d+/);
		const urls = firstOutput.match(/https?:\/\/[^/\s]+/g) ?? [];
		expect(new Set(urls)).toEqual(new Set([`http://localhost:${port}`]));
		const waiting = /inactive until you set their credentials and publish them: (.*)/.exec(
			firstOutput,
		);
		expect(waiting?.[1].split(', ')).toEqual([
			'Monitoring: alerts by e-mail',
			'Monitoring: alerts to Slack',
			'Monitoring: alerts to Telegram',
			'Monitoring: ask your infrastructure',
			'Monitoring: daily report by e-mail',
			'Monitoring: escalation from Slack to Telegram',
			'Monitoring: monthly uptime report by e-mail',
			'Monitoring: your PostgreSQL database',
		]);
		const collecting = /active workflows: +(.*)/.exec(firstOutput)?.[1] ?? '';
		// One workflow of Collector Triggers collects host, n8n, its database, the endpoint check,
		// GPU and model servers; the scheduled starters it replaces are not imported.
		for (const name of ['Monitoring: collectors', 'Monitoring: dashboard'])
			expect(collecting).toContain(name);
		for (const name of [
			'Monitoring: host metrics',
			'Monitoring: n8n executions',
			"Monitoring: n8n's own database",
			'Monitoring: endpoint checks',
			'Monitoring: GPU and model servers',
		])
			expect(collecting).not.toContain(name);
		expect(collecting).toContain('Monitoring: MCP server');
		// The MCP bearer token is printed once, at the start that made it.
		const mcp = JSON.parse(
			fs.readFileSync(path.join(userFolder, '.n8n', 'monitoring-mcp.json'), 'utf8'),
		);
		expect(firstOutput).toContain(`MCP bearer token:  ${mcp.token}`);
		expect(firstOutput).toContain(`MCP server:        http://localhost:${port}/mcp/monitor`);
		// Workflow ids are for machines.
		expect(firstOutput).not.toMatch(/\bmon[A-Z][A-Za-z0-9]{10,}\b/);
	});

	it(
		'after the first minutes: samples of host, n8n, database and endpoint, no failed execution, no open alert',
		async () => {
			const store = storePath(userFolder);
			const wanted = ['host', 'n8n', 'database', 'endpoint'];
			const deadline = Date.now() + 4 * MINUTE;
			let runs: Record<string, number> = {};
			while (Date.now() < deadline) {
				if (fs.existsSync(store)) {
					const rows = await querySqlite<{ collector: string; n: number }>(
						store,
						'SELECT collector, count(*) AS n FROM mon_collections GROUP BY collector',
					).catch(() => []);
					runs = Object.fromEntries(rows.map((r) => [r.collector, r.n]));
					if (wanted.every((c) => (runs[c] ?? 0) >= 2)) break;
				}
				await runtime.sleep(1_000);
			}
			for (const c of wanted) expect([c, (runs[c] ?? 0) >= 2]).toEqual([c, true]);

			const failedRuns = await querySqlite<{ collector: string; error: string }>(
				store,
				'SELECT collector, error FROM mon_collections WHERE ok = 0',
			);
			expect(failedRuns).toEqual([]);
			const value = async (metric: string, label: string) =>
				(
					await querySqlite<{ value: number; labels: string }>(
						store,
						`SELECT s.value, r.labels FROM mon_samples s JOIN mon_series r ON r.id = s.series_id
						 WHERE r.metric = ? ORDER BY s.ts DESC`,
						[metric],
					)
				).find((r) => r.labels.includes(label))?.value;
			// The endpoint check reaches the port n8n really got, not the 5678 the starter names.
			expect(await value('endpoint_up', '"n8n"')).toBe(1);
			expect(await value('db_up', '"sqlite"')).toBe(1);
			// The starters save no successful run, so n8n's list cannot say they stalled: not judged,
			// never a false "stalled".
			const [n8nState] = await querySqlite<{ snapshot: string }>(
				store,
				"SELECT snapshot FROM mon_collector_state WHERE collector = 'n8n'",
			);
			const judged = JSON.parse(n8nState.snapshot).stalled as Array<{
				name: string;
				source: string;
				stalled: boolean | null;
			}>;
			expect(judged.filter((j) => j.stalled)).toEqual([]);
			expect(judged.find((j) => j.name === 'Monitoring: collectors')?.source).toBe('unsaved');
			expect(await value('n8n_workflow_stalled', '')).toBeUndefined();
			// No Ollama here, so no model server at all (not one that is down).
			expect(await value('model_server_up', '')).toBeUndefined();

			const { apiKey } = JSON.parse(
				fs.readFileSync(path.join(userFolder, '.n8n', 'monitoring-owner.json'), 'utf8'),
			);
			const base = `http://127.0.0.1:${port}`;
			const failed = await runtime.publicApi(base, apiKey, 'GET', '/executions?status=error');
			expect(failed.data).toEqual([]);
			const open = await querySqlite<{ rule: string }>(
				store,
				"SELECT rule FROM mon_alerts WHERE status = 'firing'",
			);
			expect(open).toEqual([]);

			// The dashboard is served, behind its login.
			const login = JSON.parse(
				fs.readFileSync(path.join(userFolder, '.n8n', 'monitoring-dashboard.json'), 'utf8'),
			);
			expect((await fetch(`${base}/webhook/monitoring`)).status).toBe(401);
			const page = await fetch(`${base}/webhook/monitoring`, {
				headers: {
					authorization: `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}`,
				},
			});
			expect(page.status).toBe(200);

			// The MCP server is published behind its bearer token, kept mode 600.
			const tokenFile = path.join(userFolder, '.n8n', 'monitoring-mcp.json');
			expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
			const { token } = JSON.parse(fs.readFileSync(tokenFile, 'utf8'));
			const initialize = (headers: Record<string, string>) =>
				fetch(`${base}/mcp/monitor`, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						accept: 'application/json, text/event-stream',
						...headers,
					},
					body: JSON.stringify({
						jsonrpc: '2.0',
						id: 1,
						method: 'initialize',
						params: {
							protocolVersion: '2025-03-26',
							capabilities: {},
							clientInfo: { name: 'first-start', version: '1' },
						},
					}),
				});
			expect((await initialize({})).status).toBe(403);
			expect((await initialize({ authorization: `Bearer ${token}` })).status).toBe(200);
		},
		6 * MINUTE,
	);

	it(
		'stops on SIGTERM; a second start imports nothing; a failed workflow becomes an alert titled by name and node',
		async () => {
			expect(await stop(first)).toBe(0);
			first = undefined;
			const second = await npmStart(userFolder, port);
			try {
				const out = second.output();
				expect(out).not.toMatch(/imported \d+ starter/);
				expect(out).toMatch(/password in .*monitoring-owner\.json/);
				expect(out).toMatch(/MCP bearer token: +\(in .*monitoring-mcp\.json\)/);
				expect(out).toContain(`http://localhost:${port}/webhook/monitoring`);
				const secondLines = out.trim().split('\n');
				expect(secondLines.length).toBeLessThanOrEqual(20);

				// A workflow that fails becomes an alert titled for people: its name and the node.
				const { apiKey } = JSON.parse(
					fs.readFileSync(path.join(userFolder, '.n8n', 'monitoring-owner.json'), 'utf8'),
				);
				const base = `http://127.0.0.1:${port}`;
				const created = await runtime.publicApi(base, apiKey, 'POST', '/workflows', {
					name: 'Nightly <import>',
					nodes: [
						{
							name: 'Hook',
							type: 'n8n-nodes-base.webhook',
							typeVersion: 2,
							position: [0, 0],
							webhookId: randomUUID(),
							parameters: { path: 'fail-on-purpose', httpMethod: 'POST' },
						},
						{
							name: 'Read orders',
							type: 'n8n-nodes-base.stopAndError',
							typeVersion: 1,
							position: [220, 0],
							parameters: { errorMessage: 'failing on purpose' },
						},
					],
					connections: { Hook: { main: [[{ node: 'Read orders', type: 'main', index: 0 }]] } },
					settings: { executionOrder: 'v1', errorWorkflow: 'monErrorToStore1' },
				});
				await runtime.activateWorkflow(base, apiKey, created.id);
				// The webhook is registered a moment after the activation answers.
				for (let i = 0; i < 60; i++) {
					const hook = await fetch(`${base}/webhook/fail-on-purpose`, { method: 'POST' });
					if (hook.status !== 404) break;
					await runtime.sleep(500);
				}
				const deadline = Date.now() + MINUTE;
				let alerts: Array<{ rule: string; message: string }> = [];
				while (alerts.length === 0 && Date.now() < deadline) {
					await runtime.sleep(1_000);
					alerts = await querySqlite<{ rule: string; message: string }>(
						storePath(userFolder),
						"SELECT rule, message FROM mon_alerts WHERE status = 'firing'",
					);
				}
				expect(alerts).toEqual([
					{
						rule: 'Nightly <import> failed at Read orders',
						message: expect.stringContaining('failing on purpose'),
					},
				]);
			} finally {
				expect(await stop(second)).toBe(0);
			}
		},
		10 * MINUTE,
	);
});
