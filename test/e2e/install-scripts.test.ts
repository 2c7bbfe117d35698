// The install step that once failed on every new machine: building n8n's sqlite3 inside
// `npm start` / `npm test`, where npm hands the project's ignore-scripts=true to every script as
// npm_config_ignore_scripts=true and a user's npm has no nodedir setting. Here the cached n8n is
// copied (hard links; sqlite3 itself as a real copy without its binary) into a new cache, marked
// downloaded but not built, and ensure-n8n.sh runs in an empty home with exactly that environment.
// It must build sqlite3 from the downloaded Node.js's own headers without downloading n8n again,
// say so in one line, and n8n must then start on it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT, removeTempDir, requireBuild, runtime } from './helpers';

const MINUTE = 60_000;
const NODE_VERSION = '24.21.0';

/** The environment a user's `npm start` gives its scripts: no machine npm settings, no node 24. */
function userEnv(home: string, cache: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_|^NODE_|^JEST_|^N8N_/i.test(key)) continue;
		env[key] = value;
	}
	const systemPath = (process.env.PATH ?? '')
		.split(':')
		.filter((dir) => !dir.includes(`node-${NODE_VERSION}`))
		.join(':');
	return {
		...env,
		PATH: systemPath,
		HOME: home,
		N8N_MONITORING_CACHE: cache,
		npm_config_ignore_scripts: 'true',
		// The machine's own npm settings (nodedir=/usr here) must not help: a user's npm has none.
		npm_config_userconfig: path.join(home, '.npmrc'),
		npm_config_globalconfig: path.join(home, 'global-npmrc'),
	};
}

describe('ensure-n8n.sh in an empty home, with ignore-scripts as npm sets it and no nodedir', () => {
	let work: string;
	let cache: string;
	let home: string;

	beforeAll(() => {
		requireBuild();
		const { cacheDir, nodeDir, n8nDir } = runtime.ensureRuntime();
		// Inside the real cache, so hard links stay on one file system.
		work = fs.mkdtempSync(path.join(cacheDir, '.install-test-'));
		cache = path.join(work, 'cache');
		home = path.join(work, 'home');
		fs.mkdirSync(cache);
		fs.mkdirSync(home);
		const copy = path.join(cache, path.basename(n8nDir));
		execFileSync('cp', ['-al', nodeDir, path.join(cache, path.basename(nodeDir))]);
		execFileSync('cp', ['-al', n8nDir, copy]);
		const sqlite3 = path.join(copy, 'node_modules', 'sqlite3');
		fs.rmSync(sqlite3, { recursive: true });
		execFileSync('cp', ['-r', path.join(n8nDir, 'node_modules', 'sqlite3'), sqlite3]);
		fs.rmSync(path.join(sqlite3, 'build'), { recursive: true, force: true });
		fs.rmSync(path.join(copy, '.complete'));
		expect(fs.existsSync(path.join(copy, '.downloaded'))).toBe(true);
	}, 5 * MINUTE);

	afterAll(() => removeTempDir(work));

	it(
		'builds sqlite3 once, in one line, without downloading n8n again, and n8n starts on it',
		async () => {
			const script = path.join(REPO_ROOT, 'scripts', 'ensure-n8n.sh');
			const env = userEnv(home, cache);
			expect(
				execFileSync('npm', ['config', 'get', 'nodedir'], { env, encoding: 'utf8' }).trim(),
			).not.toBe('/usr');
			const run = spawnSync('bash', [script], { env, encoding: 'utf8', timeout: 15 * MINUTE });
			expect([run.status, run.stderr]).toEqual([0, expect.any(String)]);
			expect(run.stdout.trim().split('\n').pop()).toBe(cache);
			expect(run.stderr.trim().split('\n')).toEqual([
				expect.stringMatching(/^\[build-sqlite3\] building sqlite3 from source for v24\./),
			]);
			const n8nDir = path.join(cache, 'n8n-2.40.7');
			expect(fs.existsSync(path.join(n8nDir, '.complete'))).toBe(true);
			const nodeBin = path.join(cache, `node-${NODE_VERSION}`, 'bin', 'node');
			// Built against the cached Node.js's headers, not /usr's.
			const gypConfig = fs.readFileSync(
				path.join(n8nDir, 'node_modules', 'sqlite3', 'build', 'config.gypi'),
				'utf8',
			);
			expect(gypConfig).toContain(`"nodedir": "${path.join(cache, `node-${NODE_VERSION}`)}"`);
			execFileSync(nodeBin, ['-e', "require('sqlite3')"], { cwd: n8nDir });

			// A second run has nothing to do and says nothing.
			const again = spawnSync('bash', [script], { env, encoding: 'utf8' });
			expect([again.status, again.stderr]).toEqual([0, '']);

			// n8n itself opens its database through this sqlite3.
			const port = await runtime.findFreePort();
			const userFolder = path.join(work, 'user');
			const n8n = spawn(
				nodeBin,
				[path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'), 'start'],
				{
					env: {
						...env,
						PATH: `${path.dirname(nodeBin)}:${env.PATH}`,
						N8N_USER_FOLDER: userFolder,
						N8N_PORT: String(port),
						N8N_RUNNERS_BROKER_PORT: String(await runtime.findFreePort()),
						N8N_LISTEN_ADDRESS: '127.0.0.1',
						N8N_DIAGNOSTICS_ENABLED: 'false',
					},
					stdio: 'ignore',
					detached: true,
				},
			);
			try {
				await runtime.waitForHealth(`http://127.0.0.1:${port}`, {
					timeoutMs: 2 * MINUTE,
					child: n8n,
				});
				expect(fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'))).toBe(true);
			} finally {
				process.kill(-n8n.pid!, 'SIGKILL');
			}
		},
		20 * MINUTE,
	);

	it('stops with one clear line when a build cannot work', () => {
		const script = path.join(REPO_ROOT, 'scripts', 'build-sqlite3.sh');
		const noHeaders = path.join(work, 'no-headers');
		fs.mkdirSync(noHeaders, { recursive: true });
		const run = spawnSync('bash', [script, REPO_ROOT, noHeaders, process.execPath], {
			env: userEnv(home, cache),
			encoding: 'utf8',
		});
		expect(run.status).toBe(1);
		expect(run.stderr.trim().split('\n')).toEqual([
			`[build-sqlite3] FAILED: no Node.js headers in ${noHeaders}/include/node; delete ${noHeaders} and run again`,
		]);
	});
});
