import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { closeAllStores, type StoreError } from '../../core/store';
import { parseArgs, parseStore, UsageError } from '../../dashboard/server/cli';
import { storeConfigFromCredentials } from '../../nodes/shared/store-config';
import { SECRET, seedStatusStore, statusConfig } from '../helpers/status-seed';

/**
 * The `n8n-nodes-monitoring dashboard` command, spawned as a user would run it (bin/ requires the
 * compiled dist/dashboard/server/cli.js; it is compiled here first when missing or older than
 * its sources, so the test never runs yesterday's build).
 */
const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'n8n-nodes-monitoring.js');
let tmp: string;
let storeFile: string;
const children: ChildProcess[] = [];

function newestSource(dir: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
		else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
	}
	return newest;
}

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-cli-'));
	storeFile = path.join(tmp, 'store.sqlite');
	const compiled = path.join(root, 'dist', 'dashboard', 'server', 'cli.js');
	const sources = Math.max(
		newestSource(path.join(root, 'dashboard', 'server')),
		newestSource(path.join(root, 'core')),
	);
	if (!fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < sources) {
		// The build's compiler options, on the command line: a tsconfig outside the repository
		// would look for @types next to itself.
		const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
		const args = [
			...['--outDir', 'dist', '--rootDir', '.', '--target', 'ES2022', '--module', 'commonjs'],
			...['--moduleResolution', 'node', '--types', 'node', '--sourceMap', 'false'],
			...['--strict', '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule'],
			path.join('dashboard', 'server', 'cli.ts'),
		];
		try {
			execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'pipe' });
		} catch (error) {
			const out = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
			throw new Error(`compiling dashboard/server/cli.ts failed:\n${out}`);
		}
	}
}, 120_000);

afterAll(() => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
	child: ChildProcess;
	stdout: () => string;
	stderr: () => string;
	exit: Promise<number | null>;
}

function start(args: string[], node = process.execPath, nodeArgs: string[] = []): Run {
	const child = spawn(node, [...nodeArgs, bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	children.push(child);
	let out = '';
	let err = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (err += d));
	const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor(run: Run, pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
	const deadline = Date.now() + ms;
	for (;;) {
		const match = run.stdout().match(pattern);
		if (match) return match;
		if (run.child.exitCode !== null || Date.now() > deadline)
			throw new Error(`no ${pattern} in output:\n${run.stdout()}\n${run.stderr()}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

it('serves with a given token on loopback and closes cleanly on SIGTERM', async () => {
	const run = start(['dashboard', '--store', storeFile, '--port', '0', '--token', 'tok-123']);
	const [, base] = await waitFor(run, /Open (http:\/\/127\.0\.0\.1:\d+\/)\?token=tok-123\n/);
	expect((await fetch(`${base}api/hosts`)).status).toBe(401);
	const ok = await fetch(`${base}api/hosts`, { headers: { Authorization: 'Bearer tok-123' } });
	expect(ok.status).toBe(200);
	expect(await ok.json()).toEqual({ hosts: [] });
	run.child.kill('SIGTERM');
	expect(await run.exit).toBe(0);
	expect(run.stdout()).toContain('SIGTERM: closing');
});

it('makes a token when none is given and prints the URL that carries it', async () => {
	const run = start(['dashboard', '--store', storeFile, '--port=0']);
	const [, base, token] = await waitFor(
		run,
		/Open (http:\/\/127\.0\.0\.1:\d+\/)\?token=([\w-]{20,})\n/,
	);
	const page = await fetch(`${base}?token=${token}`);
	expect(page.status).toBe(200);
	expect(await page.text()).toContain('<mon-app base="" refresh="30">');
	run.child.kill('SIGINT');
	expect(await run.exit).toBe(0);
});

it('serves an SQLite store on every Node.js on PATH (Node 20 through the sqlite3 binary)', async () => {
	const nodes = new Set(
		execFileSync('bash', ['-c', 'which -a node'], { encoding: 'utf8' }).trim().split('\n'),
	);
	for (const node of nodes) {
		const run = start(['dashboard', '--store', storeFile, '--port', '0', '--no-auth'], node);
		const [, base] = await waitFor(run, /Open (http:\/\/127\.0\.0\.1:\d+\/)\n/);
		const hosts = await fetch(`${base}api/hosts`);
		expect([node, hosts.status]).toEqual([node, 200]);
		run.child.kill('SIGINT');
		expect(await run.exit).toBe(0);
	}
});

it('refuses to serve, with what to do, where no SQLite driver loads (a Node.js 20 without the binary)', async () => {
	// Stands in for such a Node.js: a preload makes both drivers fail to load, as they do there.
	const preload = path.join(tmp, 'no-sqlite.js');
	fs.writeFileSync(
		preload,
		`const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
	if (request === 'sqlite3' || request === 'node:sqlite')
		throw new Error('Could not locate the bindings file (simulated)');
	return load.call(this, request, ...rest);
};`,
	);
	const run = start(['dashboard', '--store', storeFile, '--port', '0'], process.execPath, [
		'-r',
		preload,
	]);
	expect(await run.exit).toBe(1);
	expect(run.stdout()).not.toMatch(/Open http/);
	expect(run.stderr()).toMatch(/cannot open .*store\.sqlite: No SQLite driver can be loaded/);
	expect(run.stderr()).toMatch(
		/Node\.js 22\.5 or later.*npm rebuild sqlite3 --ignore-scripts=false/s,
	);
});

it('warns with --no-auth', async () => {
	const run = start(['dashboard', '--store', storeFile, '--port', '0', '--no-auth']);
	const [, base] = await waitFor(run, /Open (http:\/\/127\.0\.0\.1:\d+\/)\n/);
	expect(run.stderr()).toMatch(/WARNING: --no-auth/);
	expect((await fetch(`${base}api/overview`)).status).toBe(200);
	run.child.kill('SIGINT');
	expect(await run.exit).toBe(0);
});

it.each([
	[
		['dashboard', '--store', 'x.sqlite', '--host', '0.0.0.0'],
		/refusing to listen on 0\.0\.0\.0.*--allow-remote/,
	],
	[['dashboard', '--port', '0'], /--store is required/],
	[['dashboard', '--store', 'x', '--bogus'], /unknown option: --bogus/],
	[['serve'], /unknown command: serve/],
	[
		['dashboard', '--store', 'postgres://mon:p@db/metrics?schema=a.b'],
		/--store: The store credential's schema name "a\.b" contains a dot/,
	],
])('exits 2 with a message for %j', async (args, message) => {
	const run = start(args as string[]);
	expect(await run.exit).toBe(2);
	expect(run.stderr()).toMatch(message);
});

describe('argument parsing', () => {
	it('reads PostgreSQL URLs and SQLite paths', () => {
		expect(parseStore('postgres://mon:p%40ss@db.example:6543/metrics?schema=mon&ssl=true')).toEqual(
			{
				type: 'postgres',
				host: 'db.example',
				port: 6543,
				database: 'metrics',
				user: 'mon',
				password: 'p@ss',
				ssl: true,
				schema: 'mon',
			},
		);
		expect(parseStore('data/m.sqlite')).toEqual({
			type: 'sqlite',
			filename: path.resolve('data/m.sqlite'),
		});
		expect(() => parseStore('postgres://host-only')).toThrow(UsageError);
	});

	it('refuses what the Monitoring Store credential refuses, with the same message', () => {
		const refused = (fields: Record<string, string>) => {
			try {
				storeConfigFromCredentials(fields);
			} catch (error) {
				return `${(error as StoreError).message}. ${(error as StoreError).hint}`;
			}
			throw new Error(`the credential took ${JSON.stringify(fields)}`);
		};
		const base = { type: 'postgres', host: 'db', database: 'metrics', user: 'mon', password: 'p' };
		const dotted = refused({ ...base, schema: 'a.b' });
		expect(dotted).toMatch(/contains a dot/);
		expect(() => parseStore('postgres://mon:p@db/metrics?schema=a.b')).toThrow(
			new UsageError(`--store: ${dotted}`),
		);
		const long = 's'.repeat(64);
		expect(() => parseStore(`postgres://mon:p@db/metrics?schema=${long}`)).toThrow(
			new UsageError(`--store: ${refused({ ...base, schema: long })}`),
		);
		expect(() => parseStore(tmp)).toThrow(
			new UsageError(`--store: ${refused({ type: 'sqlite', sqlitePath: tmp })}`),
		);
	});

	it('allows a remote address only with --allow-remote, and a token or --no-auth', () => {
		const o = parseArgs(
			['dashboard', '--store', 'a', '--host', '0.0.0.0', '--allow-remote'],
			() => 'R',
		);
		expect(o).toMatchObject({
			host: '0.0.0.0',
			port: 8080,
			auth: { type: 'token', token: 'R' },
			generatedToken: true,
		});
		expect(() => parseArgs(['dashboard', '--store', 'a', '--token', 't', '--no-auth'])).toThrow(
			/exclude/,
		);
		expect(() => parseArgs(['dashboard', '--store', 'a', '--port', '70000'])).toThrow(/--port/);
	});
});

describe('security of the standalone server', () => {
	const basic = (user: string, password: string) =>
		`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

	it('token: every path refuses no and wrong credentials, and takes the right ones', async () => {
		const token = 'Tok-' + Math.random().toString(36).slice(2);
		const run = start(['dashboard', '--store', storeFile, '--port', '0', '--token', token]);
		const [, base] = await waitFor(run, /Open (http:\/\/127\.0\.0\.1:\d+\/)\?token=/);
		try {
			for (const route of ['', 'app.js', 'api/overview', 'api/hosts', 'api/alerts', 'metrics']) {
				const at = base + route;
				const refused = [
					await fetch(at),
					await fetch(at, { headers: { Authorization: 'Bearer wrong' } }),
					await fetch(at, { headers: { Authorization: `Bearer ${token}x` } }),
					await fetch(at, { headers: { Authorization: basic('user', token) } }),
					await fetch(`${at}?token=${token.slice(0, -1)}`),
					await fetch(at, { headers: { Cookie: `mon_token=wrong` } }),
				].map((r) => r.status);
				expect([route, refused]).toEqual([route, [401, 401, 401, 401, 401, 401]]);
				const ok = await fetch(at, { headers: { Authorization: `Bearer ${token}` } });
				expect([route, ok.status]).toEqual([route, route === 'app.js' ? ok.status : 200]);
			}
			// A deep link's ?token= sets an HttpOnly cookie that then stands for the token.
			const deep = await fetch(`${base}?token=${token}`);
			expect(deep.status).toBe(200);
			const cookie = deep.headers.get('set-cookie')!;
			expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
			const withCookie = await fetch(`${base}api/hosts`, {
				headers: { Cookie: cookie.split(';')[0] },
			});
			expect(withCookie.status).toBe(200);
			// A refusal never echoes the token.
			const refusal = await (await fetch(`${base}api/hosts?token=x${token}`)).text();
			expect(refusal).not.toContain(token);
		} finally {
			run.child.kill('SIGTERM');
			await run.exit;
		}
	});

	it('--no-auth serves without credentials', async () => {
		const run = start(['dashboard', '--store', storeFile, '--port', '0', '--no-auth']);
		const [, base] = await waitFor(run, /Open (http:\/\/127\.0\.0\.1:\d+\/)\n/);
		try {
			expect((await fetch(`${base}api/hosts`)).status).toBe(200);
			expect((await fetch(base)).status).toBe(200);
		} finally {
			run.child.kill('SIGTERM');
			await run.exit;
		}
	});

	/** An address of this machine that other machines reach, or a private one when it has none. */
	function lanAddress(): string {
		for (const list of Object.values(os.networkInterfaces()))
			for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
		return '192.168.1.23';
	}

	it.each([['0.0.0.0'], ['::'], ['::ffff:0.0.0.0'], [lanAddress()]])(
		'refuses to bind %j without --allow-remote, with a message that says why',
		async (host) => {
			const run = start(['dashboard', '--store', storeFile, '--port', '0', '--host', host]);
			expect(await run.exit).toBe(2);
			expect(run.stderr()).toContain(`refusing to listen on ${host}:`);
			expect(run.stderr()).toContain('reachable from other machines');
			expect(run.stderr()).toContain('--allow-remote');
			expect(run.stdout()).not.toMatch(/Open http/);
		},
	);

	it('binds 0.0.0.0 with --allow-remote, still behind the token', async () => {
		const run = start([
			'dashboard',
			'--store',
			storeFile,
			'--port',
			'0',
			'--host',
			'0.0.0.0',
			'--allow-remote',
			'--token',
			'remote-tok',
		]);
		const [, port] = await waitFor(run, /Open http:\/\/[^/]*:(\d+)\//);
		try {
			const at = `http://127.0.0.1:${port}/api/hosts`;
			expect((await fetch(at)).status).toBe(401);
			const ok = await fetch(at, { headers: { Authorization: 'Bearer remote-tok' } });
			expect(ok.status).toBe(200);
		} finally {
			run.child.kill('SIGTERM');
			await run.exit;
		}
	});

	it('never prints the password of a PostgreSQL store, not even when it cannot connect', async () => {
		const secret = 'PgUrlSecret-' + Math.random().toString(36).slice(2);
		const run = start([
			'dashboard',
			'--store',
			`postgres://mon:${secret}@127.0.0.1:1/metrics`,
			'--port',
			'0',
			'--token',
			'pg-tok',
		]);
		const [, base] = await waitFor(run, /Open (http:\/\/127\.0\.0\.1:\d+\/)\?token=/);
		try {
			const res = await fetch(`${base}api/overview`, {
				headers: { Authorization: 'Bearer pg-tok' },
			});
			expect(res.status).toBe(503);
			const body = await res.text();
			expect(body).toMatch(/refused|connect/i);
			expect(body).not.toContain(secret);
		} finally {
			run.child.kill('SIGTERM');
			await run.exit;
		}
		expect(run.stdout() + run.stderr()).not.toContain(secret);
	});
});

describe('status-page command', () => {
	/** The seeded store's page written as a user writes page.json: dates as text. */
	function writePage(file: string, now: number) {
		const config = statusConfig(now);
		const page = {
			...config,
			maintenance: config.maintenance!.map((w) => ({
				...w,
				from: new Date(w.from).toISOString(),
				to: new Date(w.to).toISOString(),
			})),
		};
		fs.writeFileSync(file, JSON.stringify(page));
	}

	it('serves the public page, its JSON, feed and badge from the store, without any private field', async () => {
		const now = Date.now();
		const file = path.join(tmp, 'status-store.sqlite');
		await seedStatusStore({ type: 'sqlite', filename: file }, now);
		await closeAllStores();
		const pageFile = path.join(tmp, 'page.json');
		writePage(pageFile, now);
		const run = start(['status-page', '--store', file, '--page', pageFile, '--port', '0']);
		const [, base] = await waitFor(run, /Open (http:\/\/127\.0\.0\.1:\d+\/)\n/);
		expect(run.stdout()).toMatch(/public: no login/);
		const html = await fetch(base);
		expect(html.status).toBe(200);
		const text = await html.text();
		expect(text).toContain('Example status');
		expect(text).toContain('Public API');
		// A hostile display name is text, never markup.
		expect(text).not.toContain('<script>window.__xss');
		const json = (await (await fetch(`${base}status.json`)).json()) as {
			groups: Array<{ items: Array<{ name: string; status: string }> }>;
		};
		expect(json.groups[0].items[0]).toMatchObject({ name: 'Public API', status: 'down' });
		const feed = await fetch(`${base}feed.atom`);
		expect(feed.headers.get('content-type')).toMatch(/atom/);
		const badge = await fetch(`${base}badge.svg?item=public-api`);
		expect(badge.status).toBe(200);
		expect(await badge.text()).toMatch(/<svg/);
		for (const route of ['', 'status.json', 'feed.atom', 'badge.svg?item=public-api']) {
			const body = await (await fetch(base + route)).text();
			expect([route, body.includes(SECRET)]).toEqual([route, false]);
		}
		expect((await fetch(`${base}api/overview`)).status).toBe(404);
		run.child.kill('SIGTERM');
		expect(await run.exit).toBe(0);
	}, 60_000);

	it('a page file with a mistake: exit 2 and what is wrong, before listening', async () => {
		const pageFile = path.join(tmp, 'bad-page.json');
		fs.writeFileSync(
			pageFile,
			JSON.stringify({
				title: 'S',
				groups: [{ items: [{ kind: 'endpoint', displayName: 'API' }] }],
			}),
		);
		const run = start(['status-page', '--store', storeFile, '--page', pageFile, '--port', '0']);
		expect(await run.exit).toBe(2);
		expect(run.stderr()).toMatch(/API has no Host Name\. Enter the host whose collector checks it/);
		expect(() => parseArgs(['status-page', '--store', 'a'])).toThrow(/--page is required/);
		fs.writeFileSync(pageFile, '{"groups": "web"}');
		expect(() => parseArgs(['status-page', '--store', 'a', '--page', pageFile])).toThrow(
			/groups must be a list/,
		);
		fs.writeFileSync(pageFile, '{ not json');
		expect(() => parseArgs(['status-page', '--store', 'a', '--page', pageFile])).toThrow(
			/--page .*bad-page\.json: .*JSON/,
		);
		fs.writeFileSync(pageFile, '{"maintenance": [{"from": "soon", "to": "later"}]}');
		expect(() => parseArgs(['status-page', '--store', 'a', '--page', pageFile])).toThrow(
			/maintenance\[0\]\.from is not a date/,
		);
		fs.writeFileSync(pageFile, '{}');
		expect(() =>
			parseArgs(['status-page', '--store', 'a', '--page', pageFile, '--language', 'fr']),
		).toThrow(/--language/);
		expect(() =>
			parseArgs(['status-page', '--store', 'a', '--page', pageFile, '--token', 't']),
		).toThrow(/unknown option: --token/);
		expect(() =>
			parseArgs(['status-page', '--store', 'a', '--page', pageFile, '--host', '0.0.0.0']),
		).toThrow(/status page would be reachable/);
		expect(parseArgs(['status-page', '--store', 'a', '--page', pageFile])).toMatchObject({
			command: 'status-page',
			port: 8081,
			language: 'auto',
			cacheSeconds: 30,
			page: { title: 'Status', groups: [] },
		});
	});
});
