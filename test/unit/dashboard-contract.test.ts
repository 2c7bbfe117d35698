/**
 * The wire contract between the dashboard server and the browser: the browser takes only types
 * from core/ (so no server code reaches the bundle) but for the metric catalog, which is plain
 * data, and its request builders ask the server with the parameter names the server reads.
 */
import fs from 'node:fs';
import path from 'node:path';

import { apiRequest } from '../../dashboard/web/src/api';
import { seriesNeeds } from '../../dashboard/web/src/requests';
import { parseHash } from '../../dashboard/web/src/router';

const ROOT = path.resolve(__dirname, '..', '..');
const WEB = path.join(ROOT, 'dashboard', 'web', 'src');

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
	});
}

/** Every import statement of a file: whether it is type-only, and what it names. */
function imports(file: string): Array<{ typeOnly: boolean; from: string; text: string }> {
	const text = fs.readFileSync(file, 'utf8');
	const out: Array<{ typeOnly: boolean; from: string; text: string }> = [];
	for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms))
		out.push({ typeOnly: Boolean(m[1]), from: m[2], text: m[0] });
	return out;
}

describe('the browser code and core/', () => {
	const files = sources(WEB);

	it('finds the browser sources', () => {
		expect(files.length).toBeGreaterThan(20);
	});

	it('takes nothing from core/ but types of the contract, the metric catalog and the windows', () => {
		const crossing: string[] = [];
		for (const file of files) {
			for (const imp of imports(file)) {
				if (!imp.from.startsWith('.')) continue;
				const target = path.resolve(path.dirname(file), imp.from);
				if (target.startsWith(WEB + path.sep)) continue;
				const rel = path.relative(ROOT, target);
				const allowed =
					rel === path.join('core', 'catalog', 'metrics') ||
					rel === path.join('core', 'contract', 'windows') ||
					(imp.typeOnly && rel === path.join('core', 'contract', 'dashboard-api'));
				if (!allowed) crossing.push(`${path.relative(ROOT, file)}: ${imp.text.split('\n')[0]}`);
			}
		}
		expect(crossing).toEqual([]);
	});

	it('keeps the catalog and the windows free of imports, so nothing else comes with them', () => {
		for (const file of [
			path.join(ROOT, 'core', 'catalog', 'metrics.ts'),
			path.join(ROOT, 'core', 'contract', 'windows.ts'),
		])
			expect(fs.readFileSync(file, 'utf8')).not.toMatch(/^\s*import\b/m);
	});

	it('keeps the contract free of runtime code', () => {
		const text = fs.readFileSync(path.join(ROOT, 'core', 'contract', 'dashboard-api.ts'), 'utf8');
		const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
		expect(code).not.toMatch(/^\s*(export\s+)?(const|let|var|function|class|enum|import)\b/m);
	});
});

describe('request builders', () => {
	const query = (path: string) => Object.fromEntries(new URL(path, 'http://x').searchParams);

	it('sends series queries with the names the server reads', () => {
		const r = apiRequest('series', {
			host: 'web-1',
			metric: 'cpu_usage_percent',
			labels: { cpu: 'total' },
			from: 1000.4,
			to: 2000.6,
		});
		expect(r.route).toBe('series');
		expect(r.path.startsWith('/api/series?')).toBe(true);
		expect(query(r.path)).toEqual({
			host: 'web-1',
			metric: 'cpu_usage_percent',
			from: '1000',
			to: '2001',
			points: '1500',
			labels: '{"cpu":"total"}',
		});
		expect(
			query(apiRequest('series', { host: 'h', metric: 'm', labels: {}, maxPoints: 60 }).path),
		).toEqual({ host: 'h', metric: 'm', points: '60' });
	});

	it('names executions by workflow and leaves out what is not asked', () => {
		const r = apiRequest('executions', { instance: 'prod', workflowId: 'wf1', limit: 50 });
		expect(r.path).toBe('/api/executions?instance=prod&workflow=wf1&limit=50');
	});

	it('builds the other routes', () => {
		expect(apiRequest('status', { kind: 'host', host: 'a b' }).path).toBe(
			'/api/status?kind=host&host=a+b',
		);
		expect(apiRequest('status', { kind: 'endpoint', host: 'h', name: 'api' }).path).toBe(
			'/api/status?kind=endpoint&host=h&name=api',
		);
		expect(apiRequest('snapshot', { host: 'h', collector: 'gpu' }).path).toBe(
			'/api/snapshot?host=h&collector=gpu',
		);
		expect(
			apiRequest('overview', {
				sort: 'cpu',
				limit: 50,
				offset: 100,
				filter: 'web',
				status: ['critical'],
			}).path,
		).toBe('/api/overview?sort=cpu&limit=50&offset=100&filter=web&status=critical');
		expect(apiRequest('alerts', { from: 1, to: 2 }).path).toBe('/api/alerts?from=1&to=2');
		expect(
			apiRequest('expected', { host: 'h', metric: 'm', labels: { cpu: 'total' }, from: 1, to: 2 })
				.path,
		).toBe('/api/expected?host=h&metric=m&from=1&to=2&labels=%7B%22cpu%22%3A%22total%22%7D');
	});

	it('moves a view’s series window with the clock, not its key', () => {
		const route = parseHash('#/host/web-1?range=24h', { host: { arity: 1 } });
		const needs = seriesNeeds(
			route,
			{ cpu: { host: 'web-1', metric: 'cpu_usage_percent' } },
			{ status: apiRequest('status', { kind: 'host', host: 'web-1' }) },
		);
		const first = needs.requests();
		expect(Object.keys(first)).toEqual(['status', 'cpu']);
		expect(first.cpu.route).toBe('series');
		const { from, to } = query(first.cpu.path);
		expect(Number(to) - Number(from)).toBe(86_400_000);
		expect(needs.key).toBe('#/host/web-1?range=24h');
	});
});

describe('routes from the view registry', () => {
	// The registry's own shape (views.ts), without its components, which need a DOM.
	const views = {
		overview: { arity: 0 },
		alerts: { arity: 0 },
		host: { arity: 1 },
		database: { arity: 2 },
	};
	const parse = (hash: string) => {
		const { view, args } = parseHash(hash, views);
		return { view, args };
	};

	it('takes as many path segments as the view’s arity', () => {
		expect(parse('#/host/web-1/extra')).toEqual({ view: 'host', args: ['web-1'] });
		expect(parse('#/database/h%201/app')).toEqual({ view: 'database', args: ['h 1', 'app'] });
		expect(parse('#/alerts?range=7d')).toEqual({ view: 'alerts', args: [] });
	});

	it('falls back to the overview and knows a view too short or not registered', () => {
		expect(parse('')).toEqual({ view: 'overview', args: [] });
		expect(parse('#/overview/x')).toEqual({ view: 'overview', args: [] });
		expect(parse('#/database/h').view).toBe('unknown');
		expect(parse('#/gpu/h').view).toBe('unknown');
		expect(parse('#/constructor').view).toBe('unknown');
	});
});
