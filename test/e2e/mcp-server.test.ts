/**
 * The starter workflows/mcp-server.json published in a real n8n: its MCP Server Trigger answers a
 * real MCP client (@modelcontextprotocol/sdk over Streamable HTTP, as Claude Desktop or Cursor
 * connect), which lists the four Ask tools with their argument schemas and calls Status, Explain,
 * Query and Find on a store seeded here (test/helpers/ask-seed.ts), getting the seeded figures
 * back; requests without the bearer token or with a wrong one are refused. No language model.
 */
import fs from 'node:fs';
import path from 'node:path';

// The SDK's exports map sends require() to its CommonJS build, and its typesVersions the types.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { closeStore } from '../../core/store';
import { BUSY, cpuFigures, REASON, seedAskStore } from '../helpers/ask-seed';
import {
	makeTempDir,
	n8nOptions,
	removeTempDir,
	REPO_ROOT,
	requireBuild,
	runtime,
	stopServer,
	storePath,
	waitFor,
	withServerLog,
} from './helpers';

const STARTER = path.join(REPO_ROOT, 'workflows', 'mcp-server.json');
const TOKEN = 'mcp-e2e-token-0123456789abcdef';

describe('the MCP server starter in a real n8n', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let url: URL;
	let client: Client | undefined;

	const connect = async (token: string) => {
		const c = new Client({ name: 'mcp-e2e', version: '1.0.0' });
		await c.connect(
			new StreamableHTTPClientTransport(url, {
				requestInit: { headers: { Authorization: `Bearer ${token}` } },
			}),
		);
		return c;
	};
	/** One tool call; a tool answers the JSON of its items, here one item per question. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers, read field by field
	const call = async (name: string, args: Record<string, unknown>): Promise<any> => {
		const result = (await client!.callTool({ name, arguments: args })) as {
			content: Array<{ type: string; text: string }>;
			isError?: boolean;
		};
		expect([name, result.isError ?? false]).toEqual([name, false]);
		const items = JSON.parse(result.content[0].text) as unknown[];
		expect(items).toHaveLength(1);
		return items[0];
	};

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('mcp-server');
		runtime.linkPackage(userFolder);
		const store = { type: 'sqlite' as const, filename: storePath(userFolder) };
		fs.mkdirSync(path.dirname(store.filename), { recursive: true });
		await seedAskStore(store, Date.now());
		await closeStore(store);
		const options = n8nOptions(userFolder);
		// The token npm start would generate, under the id and name the starter names.
		const ref = JSON.parse(fs.readFileSync(STARTER, 'utf8')).nodes.find(
			(n: { credentials?: Record<string, unknown> }) => n.credentials?.httpBearerAuth,
		).credentials.httpBearerAuth;
		const credentials = path.join(userFolder, 'credentials.json');
		fs.writeFileSync(
			credentials,
			JSON.stringify([{ ...ref, type: 'httpBearerAuth', data: { token: TOKEN } }]),
		);
		await runtime.runCli(['import:credentials', `--input=${credentials}`], options);
		fs.rmSync(credentials);
		await runtime.importMissingWorkflows([STARTER], { ...options, publish: true });
		server = await runtime.startN8n(options);
		url = new URL(`${server.baseUrl}/mcp/monitor`);
		// n8n registers published webhooks a moment after it is healthy.
		client = await waitFor(async () => await connect(TOKEN).catch(() => undefined), {
			timeoutMs: 90_000,
			what: 'the MCP server to accept a client',
		});
	}, 400_000);

	afterAll(async () => {
		await client?.close().catch(() => undefined);
		await stopServer(server);
		removeTempDir(userFolder);
	}, 60_000);

	test('lists the four tools with their descriptions and argument schemas', async () => {
		await withServerLog(server, async () => {
			const { tools } = await client!.listTools();
			const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
			expect(Object.keys(byName).sort()).toEqual([
				'Monitoring_Explain',
				'Monitoring_Find',
				'Monitoring_Query',
				'Monitoring_Status',
			]);
			const props = (name: string) =>
				Object.keys((byName[name].inputSchema.properties ?? {}) as object).sort();
			expect(props('Monitoring_Status')).toEqual(['maxLines']);
			expect(props('Monitoring_Explain')).toEqual(['host', 'kind', 'name', 'range']);
			expect(props('Monitoring_Query')).toEqual(['host', 'labels', 'metric', 'points', 'range']);
			expect(props('Monitoring_Find')).toEqual(['lookFor', 'pattern']);
			const host = (byName.Monitoring_Query.inputSchema.properties as Record<string, object>).host;
			expect(host).toMatchObject({ type: 'string', description: expect.stringMatching(/exactly/) });
			expect(byName.Monitoring_Status.description).toMatch(/^What is wrong now/);
		});
	});

	test('Status, Explain, Query and Find answer with the seeded figures, each within 4,000 characters', async () => {
		await withServerLog(server, async () => {
			const status = await call('Monitoring_Status', { maxLines: 10 });
			expect(status.text).toMatch(/^Status at .* for 2 hosts and 1 target: \d+ problems/);
			expect(status.text).toContain('CRITICAL alert "cpu high" on host "web-1"');
			expect(status.text).toContain('NOT REPORTING host "db-1"');
			expect(status.counts).toMatchObject({ nodata: 1, unusual: 1 });

			const explain = await call('Monitoring_Explain', {
				kind: 'endpoint',
				host: 'web-1',
				name: 'api',
				range: '24h',
			});
			expect(explain.status).toBe('critical');
			expect(explain.text).toContain(`Reason: "${REASON}"`);
			expect(explain.text).toMatch(/Down in 4 of 28\d checks/);

			const query = await call('Monitoring_Query', {
				host: 'web-1',
				metric: 'cpu_usage_percent',
				labels: '{"cpu":"total"}',
				range: '6h',
				points: 6,
			});
			const f = cpuFigures(6);
			const s = query.series[0];
			expect([s.min, s.max, s.last, s.trend]).toEqual([f.min, f.max, BUSY, 'rising']);
			expect(s.avg).toBeCloseTo(f.avg, 6);
			expect(query.text).toContain(`average ${f.avg.toFixed(1)} percent`);

			const find = await call('Monitoring_Find', { pattern: 'db', lookFor: 'hosts' });
			expect(find.hosts).toEqual(['db-1']);
			for (const answer of [status, explain, query, find])
				expect(answer.text.length).toBeLessThanOrEqual(4000);
		});
	});

	test('no token or a wrong one is refused before any tool is listed', async () => {
		await withServerLog(server, async () => {
			const initialize = JSON.stringify({
				jsonrpc: '2.0',
				id: 1,
				method: 'initialize',
				params: {
					protocolVersion: '2025-03-26',
					capabilities: {},
					clientInfo: { name: 'x', version: '1' },
				},
			});
			const post = (headers: Record<string, string>) =>
				fetch(url, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						accept: 'application/json, text/event-stream',
						...headers,
					},
					body: initialize,
				});
			const none = await post({});
			const wrong = await post({ authorization: 'Bearer not-the-token' });
			expect([none.status, wrong.status]).toEqual([403, 403]);
			for (const res of [none, wrong]) expect(await res.text()).not.toContain('Monitoring_');
			await expect(connect('not-the-token')).rejects.toThrow();
		});
	});
});
