import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { BUSY, cpuFigures, REASON, seedAskStore } from '../helpers/ask-seed';
import {
	registerNodeType,
	runWorkflow,
	shutdownWorkflowRunner,
	type WorkflowJson,
} from '../helpers/workflow-runner';

/**
 * The Ask operations as AI tools, run by n8n-core as an agent or the MCP Server Trigger runs
 * them: the tool nodes of workflows/mcp-server.json (n8n-nodes-monitoring.monitoringTool, made
 * by n8n's own convertNodeToAiTool) hang on a root node's ai_tool input; n8n-core's
 * getInputConnectionData turns each into a LangChain tool whose schema comes from the $fromAI
 * parameters, and invoking it runs the Monitoring node with the model's arguments. The root
 * node here is a test driver in place of the language model: it lists the tools and calls them
 * with fixed arguments. The store is a real SQLite file (test/helpers/ask-seed.ts).
 */
const ROOT = path.join(__dirname, '..', '..');
let tmp: string;
let db: string;

interface LangChainTool {
	name: string;
	description: string;
	schema: { shape: Record<string, unknown> };
	invoke(args: Record<string, unknown>): Promise<string>;
}

/** Plays the model: lists the tools it is handed, then calls the ones the Calls parameter names. */
const driver: INodeType = {
	description: {
		displayName: 'Tool Driver (test)',
		name: 'toolDriver',
		group: ['transform'],
		version: 1,
		description: 'Calls the connected tools with fixed arguments',
		defaults: { name: 'Tool Driver' },
		inputs: ['main', { type: 'ai_tool', displayName: 'Tools' }],
		outputs: ['main'],
		properties: [{ displayName: 'Calls', name: 'calls', type: 'json', default: '[]' }],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = (await this.getInputConnectionData('ai_tool', 0)) as LangChainTool[];
		const calls = JSON.parse(this.getNodeParameter('calls', 0) as string) as Array<{
			tool: string;
			args: Record<string, unknown>;
		}>;
		const out: INodeExecutionData[] = [
			{
				json: {
					tools: tools.map((t) => ({
						name: t.name,
						description: t.description,
						args: Object.keys(t.schema.shape).sort(),
					})),
				},
			},
		];
		for (const call of calls) {
			const tool = tools.find((t) => t.name === call.tool);
			if (!tool) throw new Error(`no tool ${call.tool}`);
			try {
				out.push({ json: { tool: call.tool, answer: JSON.parse(await tool.invoke(call.args)) } });
			} catch (error) {
				out.push({ json: { tool: call.tool, error: (error as Error).message } });
			}
		}
		return [out];
	},
};

function workflow(calls: Array<{ tool: string; args: Record<string, unknown> }>): WorkflowJson {
	const starter = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'workflows', 'mcp-server.json'), 'utf8'),
	) as WorkflowJson;
	const tools = starter.nodes.filter((n) => n.type === 'n8n-nodes-monitoring.monitoringTool');
	return {
		nodes: [
			{
				id: 'a',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b',
				name: 'Tool Driver',
				type: 'test.toolDriver',
				typeVersion: 1,
				position: [200, 0],
				parameters: { calls: JSON.stringify(calls) },
			},
			...tools,
		],
		connections: {
			Start: { main: [[{ node: 'Tool Driver', type: 'main', index: 0 }]] },
			...Object.fromEntries(
				tools.map((t) => [
					t.name,
					{ ai_tool: [[{ node: 'Tool Driver', type: 'ai_tool', index: 0 }]] },
				]),
			),
		},
	};
}

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-ask-'));
	db = path.join(tmp, 'store.sqlite');
	await seedAskStore({ type: 'sqlite', filename: db }, Date.now());
	registerNodeType('test.toolDriver', driver);
}, 120_000);

afterAll(async () => {
	await shutdownWorkflowRunner();
	fs.rmSync(tmp, { recursive: true, force: true });
});

const env = () => ({ N8N_MONITORING_SQLITE_PATH: db });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tool answers, read field by field
type Item = Record<string, any>;

test('the starter tools are offered with their descriptions and the arguments a model fills in', async () => {
	const result = await runWorkflow(workflow([]), { env: env() });
	expect(result.error).toBeUndefined();
	const [{ tools }] = result.items['Tool Driver'] as Item[];
	expect(tools.map((t: Item) => t.name).sort()).toEqual([
		'Monitoring_Explain',
		'Monitoring_Find',
		'Monitoring_Query',
		'Monitoring_Status',
	]);
	const byName = Object.fromEntries(tools.map((t: Item) => [t.name, t]));
	expect(byName.Monitoring_Status.args).toEqual(['maxLines']);
	expect(byName.Monitoring_Explain.args).toEqual(['host', 'kind', 'name', 'range']);
	expect(byName.Monitoring_Query.args).toEqual(['host', 'labels', 'metric', 'points', 'range']);
	expect(byName.Monitoring_Find.args).toEqual(['lookFor', 'pattern']);
	expect(byName.Monitoring_Status.description).toMatch(/^What is wrong now/);
});

test('Status, Explain, Query and Find answer as tools, with the right numbers, within the budget', async () => {
	const result = await runWorkflow(
		workflow([
			{ tool: 'Monitoring_Status', args: { maxLines: 10 } },
			{
				tool: 'Monitoring_Explain',
				args: { kind: 'endpoint', host: 'web-1', name: 'api', range: '24h' },
			},
			{
				tool: 'Monitoring_Query',
				args: {
					host: 'web-1',
					metric: 'cpu_usage_percent',
					labels: '{"cpu":"total"}',
					range: '6h',
					points: 6,
				},
			},
			{ tool: 'Monitoring_Find', args: { pattern: 'web', lookFor: 'all' } },
		]),
		{ env: env() },
	);
	expect(result.error).toBeUndefined();
	const [, status, explain, query, find] = result.items['Tool Driver'] as Item[];
	// A tool answers the list of its items' JSON: one item per question.
	for (const call of [status, explain, query, find]) {
		expect(call.error).toBeUndefined();
		expect(call.answer).toHaveLength(1);
		expect(call.answer[0].text.length).toBeLessThanOrEqual(4000);
	}
	expect(status.answer[0].text).toMatch(/^Status at .*: \d+ problems/);
	expect(status.answer[0].text).toContain('CRITICAL alert "cpu high" on host "web-1"');
	expect(explain.answer[0].text).toContain(`Reason: "${REASON}"`);
	const s = query.answer[0].series[0];
	const f = cpuFigures(6);
	expect([s.min, s.max, s.last]).toEqual([f.min, f.max, BUSY]);
	expect(s.avg).toBeCloseTo(f.avg, 6);
	expect(query.answer[0].text).toContain(`average ${f.avg.toFixed(1)} percent`);
	expect(find.answer[0].hosts).toEqual(['web-1']);
	expect(find.answer[0].targets).toEqual([{ kind: 'endpoint', host: 'web-1', name: 'api' }]);
});

test('a wrong argument comes back to the model as an error that says what to fix', async () => {
	const result = await runWorkflow(
		workflow([
			{
				tool: 'Monitoring_Explain',
				args: { kind: 'printer', host: 'web-1', name: '', range: '24h' },
			},
			{
				tool: 'Monitoring_Query',
				args: {
					host: 'web-1',
					metric: 'cpu_usage_percent',
					labels: '{cpu',
					range: '1h',
					points: 6,
				},
			},
		]),
		{ env: env() },
	);
	expect(result.error).toBeUndefined();
	const [, explain, query] = result.items['Tool Driver'] as Item[];
	expect(explain.error).toMatch(/Kind must be .*host.*not "printer"/);
	expect(query.error).toMatch(/Labels must be a JSON object[\s\S]*\{"cpu": "total"\}/);
});
