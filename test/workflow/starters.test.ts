import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every starter workflow users import names node types that exist: this package's (from
 * package.json's n8n section, built in dist/) or n8n's own (the pinned n8n-nodes-base's list).
 */
const ROOT = path.join(__dirname, '..', '..');
const CACHE =
	process.env.N8N_MONITORING_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-monitoring');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const own = new Set<string>(
	(pkg.n8n.nodes as string[]).flatMap((file) => {
		const mod = require(path.join(ROOT, file)) as Record<
			string,
			new () => { description: { name: string; usableAsTool?: unknown } }
		>;
		const { description } = new (Object.values(mod)[0])();
		const type = `${pkg.name}.${description.name}`;
		// n8n offers a node with usableAsTool to agents and MCP servers as "<type>Tool".
		return description.usableAsTool ? [type, `${type}Tool`] : [type];
	}),
);
const known = (pkgPath: string) =>
	JSON.parse(
		fs.readFileSync(
			path.join(CACHE, 'n8n-2.40.7', 'node_modules', pkgPath, 'dist', 'known', 'nodes.json'),
			'utf8',
		),
	) as Record<string, unknown>;
const base = known('n8n-nodes-base');
/** n8n's AI nodes (MCP Server Trigger, Chat Trigger, AI Agent, chat models, memory). */
const langchain = known('@n8n/n8n-nodes-langchain');
const files = fs.readdirSync(path.join(ROOT, 'workflows')).filter((f) => f.endsWith('.json'));

test.each(files)(
	'%s names only node types that exist, and saves no successful minute runs',
	(file) => {
		const wf = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as {
			nodes: Array<{ type: string }>;
			settings: Record<string, unknown>;
		};
		for (const node of wf.nodes) {
			const exists =
				own.has(node.type) ||
				(node.type.startsWith('n8n-nodes-base.') &&
					Object.hasOwn(base, node.type.slice('n8n-nodes-base.'.length))) ||
				(node.type.startsWith('@n8n/n8n-nodes-langchain.') &&
					Object.hasOwn(langchain, node.type.slice('@n8n/n8n-nodes-langchain.'.length)));
			expect([node.type, exists]).toEqual([node.type, true]);
		}
		// The reports run once a day or month: their runs are worth keeping.
		if (!['daily-report.json', 'monthly-uptime-report.json'].includes(file))
			expect(wf.settings.saveDataSuccessExecution).toBe('none');
	},
);

/** The credentials npm start creates itself (scripts/start.js); any other is the user's to supply. */
const SET_UP_BY_NPM_START = new Set(['monN8nApiSelf', 'monDashboardLogin', 'monMcpToken']);

test.each(files)(
	'%s is imported inactive, saying so in its note, when it needs a credential only the user has',
	(file) => {
		const wf = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as {
			nodes: Array<{ type: string; credentials?: Record<string, { id: string }> }>;
			meta?: { templateCredsSetupCompleted?: boolean };
		};
		const users = wf.nodes.flatMap((n) =>
			Object.values(n.credentials ?? {}).filter((c) => !SET_UP_BY_NPM_START.has(c.id)),
		);
		const note = wf.nodes
			.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
			.map((n) => String((n as { parameters?: { content?: string } }).parameters?.content))
			.join('\n');
		if (users.length > 0) {
			expect(wf.meta?.templateCredsSetupCompleted).toBe(false);
			expect(note).toMatch(/\*\*Inactive until you set it up:\*\*/);
		} else {
			expect(wf.meta?.templateCredsSetupCompleted).not.toBe(false);
		}
	},
);

test('no two starters listen on the same webhook path (n8n refuses to publish the second)', () => {
	// n8n keys webhooks by method and path alone, whatever the node: the dashboard's GET
	// "monitoring" and an MCP Server Trigger's GET "monitoring" (served under /mcp/) clash.
	const paths = files.flatMap((file) => {
		const wf = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows', file), 'utf8')) as {
			nodes: Array<{ name: string; webhookId?: string; parameters?: { path?: unknown } }>;
		};
		return wf.nodes
			.filter((n) => n.webhookId && typeof n.parameters?.path === 'string')
			.map((n) => `${n.parameters!.path as string} (${file}: ${n.name})`);
	});
	const seen = new Map<string, string>();
	const clashes: string[] = [];
	for (const p of paths) {
		const key = p.split(' ')[0];
		if (seen.has(key)) clashes.push(`${seen.get(key)} and ${p}`);
		seen.set(key, p);
	}
	expect(paths.length).toBeGreaterThanOrEqual(2);
	expect(clashes).toEqual([]);
});
