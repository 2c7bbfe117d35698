// The packed package, installed the way n8n 2.40's Settings > Community Nodes installs it
// (CommunityPackagesService.downloadPackage), loads in an n8n without N8N_CUSTOM_EXTENSIONS and
// stores samples, although install scripts never ran: sqlite3 has no native binary there, so the
// store must fall back to Node's built-in node:sqlite.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sqlite3 from 'sqlite3';

import {
	CLI_TIMEOUT_MS,
	HOST_WORKFLOW_FILE,
	HOST_WORKFLOW_ID,
	MONITORING_NODE_TYPE,
	REPO_ROOT,
	collections,
	expectSaneHostSamples,
	makeTempDir,
	n8nOptions,
	removeTempDir,
	requireBuild,
	runtime,
	samples,
	stopServer,
	withServerLog,
} from './helpers';

const host = os.hostname();
const INSTALL_TIMEOUT_MS = 300_000;

/** Runs npm from the Node.js 24 that n8n runs on, as n8n's own npm calls do. */
function npm(args: string[], cwd: string): string {
	return execFileSync('npm', args, {
		cwd,
		encoding: 'utf8',
		env: runtime.n8nEnv({ env: { npm_config_ignore_scripts: 'true' } }),
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: INSTALL_TIMEOUT_MS,
	});
}

/** What n8n writes to its database when a package is installed from the UI. */
async function recordInstalledPackage(
	databaseFile: string,
	pkg: { name: string; version: string; author?: { name?: string; email?: string } },
	nodes: Array<{ displayName: string; name: string; version: number }>,
): Promise<void> {
	const db = await new Promise<sqlite3.Database>((resolve, reject) => {
		const handle = new sqlite3.Database(databaseFile, (error) =>
			error ? reject(error) : resolve(handle),
		);
	});
	const run = (sql: string, params: unknown[]) =>
		new Promise<void>((resolve, reject) =>
			db.run(sql, params, (error) => (error ? reject(error) : resolve())),
		);
	try {
		db.configure('busyTimeout', 5_000);
		await run(
			'INSERT INTO installed_packages ("packageName", "installedVersion", "authorName", "authorEmail") VALUES (?, ?, ?, ?)',
			[pkg.name, pkg.version, pkg.author?.name ?? null, pkg.author?.email ?? null],
		);
		for (const node of nodes) {
			await run(
				'INSERT INTO installed_nodes ("name", "type", "latestVersion", "package") VALUES (?, ?, ?, ?)',
				[node.displayName, `${pkg.name}.${node.name}`, node.version, pkg.name],
			);
		}
	} finally {
		await new Promise<void>((resolve) => db.close(() => resolve()));
	}
}

describe('community install of the packed package', () => {
	let workDir: string;
	let userFolder: string;
	let packageDir: string;
	let server: runtime.N8nServer | undefined;
	let startedAt: number;

	beforeAll(() => {
		requireBuild();
		runtime.ensureRuntime();
		workDir = makeTempDir('community');
		userFolder = path.join(workDir, 'home');
		fs.mkdirSync(userFolder);
	});

	afterAll(async () => {
		await stopServer(server);
		removeTempDir(workDir);
	}, 30_000);

	it(
		'unpacks and installs like n8n does, without install scripts',
		() => {
			const [packed] = JSON.parse(
				npm(['pack', '--json', '--pack-destination', workDir], REPO_ROOT),
			) as Array<{ filename: string; files: Array<{ path: string }> }>;
			const tarball = path.join(workDir, packed.filename);
			expect(packed.files.map((f) => f.path)).toContain('workflows/host-metrics.json');

			const nodesDir = runtime.nodesDir(userFolder);
			packageDir = path.join(nodesDir, 'node_modules', runtime.PACKAGE_NAME);
			fs.mkdirSync(packageDir, { recursive: true });
			execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);

			const packageJsonPath = path.join(packageDir, 'package.json');
			const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } =
				JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
			void devDependencies;
			void peerDependencies;
			void optionalDependencies;
			fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));

			npm(
				[
					'install',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--ignore-scripts=true',
					'--package-lock=false',
				],
				packageDir,
			);
			// n8n keeps its own manifest of installed packages next to node_modules.
			fs.writeFileSync(
				path.join(nodesDir, 'package.json'),
				JSON.stringify(
					{
						name: 'installed-nodes',
						private: true,
						dependencies: { [packageJson.name]: packageJson.version },
					},
					null,
					2,
				),
			);

			for (const dependency of Object.keys(packageJson.dependencies ?? {})) {
				expect(fs.existsSync(path.join(packageDir, 'node_modules', dependency))).toBe(true);
			}
			// The condition this test is about: no install script built sqlite3's binding.
			expect(
				fs.existsSync(
					path.join(packageDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
				),
			).toBe(false);
		},
		INSTALL_TIMEOUT_MS + 60_000,
	);

	it(
		'is loaded by n8n started without N8N_CUSTOM_EXTENSIONS',
		async () => {
			expect(packageDir).toBeDefined();
			const options = n8nOptions(userFolder);
			// The import creates n8n's database, which the UI install's records go into.
			await runtime.importWorkflow(HOST_WORKFLOW_FILE, options);
			const packageJson = JSON.parse(
				fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
			);
			await recordInstalledPackage(path.join(userFolder, '.n8n', 'database.sqlite'), packageJson, [
				{ displayName: 'Monitoring', name: 'monitoring', version: 1 },
			]);

			server = await runtime.startN8n(options);
			console.log(`n8n start to healthy (community package): ${server.startupMs} ms`);
			const client = await withServerLog(server, () =>
				runtime.setupOwner(server!.baseUrl, {
					email: 'owner@example.com',
					password: runtime.generatePassword(),
				}),
			);

			const types = await client.request('GET', '/types/nodes.json');
			expect(types.status).toBe(200);
			const names = (types.json as Array<{ name: string }>).map((t) => t.name);
			expect(names).toContain(MONITORING_NODE_TYPE);

			const listed = await client.request('GET', '/rest/community-packages');
			expect(listed.status).toBe(200);
			const entry = (
				listed.json.data as Array<{ packageName: string; failedLoading: boolean }>
			).find((p) => p.packageName === runtime.PACKAGE_NAME);
			expect(entry).toMatchObject({ packageName: runtime.PACKAGE_NAME, failedLoading: false });

			await server.stop(10_000);
			server = undefined;
		},
		3 * CLI_TIMEOUT_MS,
	);

	it(
		'collects and stores samples through node:sqlite',
		async () => {
			startedAt = Math.floor(Date.now() / 1000);
			const result = await runtime.executeWorkflow(HOST_WORKFLOW_ID, n8nOptions(userFolder));
			const [item] = runtime.nodeOutput(result.run, 'Collect host metrics');
			expect(item).toMatchObject({ collector: 'host', host, ok: true, stored: true });
			// The store names the driver it opened with: the fallback, since sqlite3 has no binary.
			expect(item.store).toMatch(/\(node:sqlite\)$/);

			const rows = await collections(userFolder, host);
			expect(rows).toHaveLength(1);
			expect(rows[0].ok).toBe(1);
			expectSaneHostSamples(
				await samples(userFolder, 'cpu_usage_percent', host),
				await samples(userFolder, 'memory_used_bytes', host),
				startedAt,
			);
		},
		CLI_TIMEOUT_MS,
	);
});
