// @ts-check
// A private PostgreSQL cluster: initdb + pg_ctl as the postgres user on a spare port in a temp
// folder, for tests and benchmarks. Real server, nothing mocked; stop() removes it all.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))
		: [];
	for (const v of versions) {
		const dir = path.join(base, v, 'bin');
		if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
	}
	throw new Error(
		'PostgreSQL server binaries not found: run `bash scripts/ensure-system-deps.sh postgres`',
	);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

const isRoot = () => process.getuid?.() === 0;

// initdb refuses to run as root, so as root everything runs as the postgres user.
function asPostgres(args) {
	const [cmd, ...rest] = isRoot() ? ['runuser', '-u', 'postgres', '--', ...args] : args;
	const result = spawnSync(cmd, rest, { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(`${args.join(' ')} failed: ${result.stderr || result.stdout}`);
	return result.stdout;
}

async function startPostgres(options = {}) {
	const bin = postgresBinDir();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-pg-'));
	fs.chmodSync(dir, 0o755);
	const data = path.join(dir, 'data');
	const password = 'test-secret-' + Math.random().toString(36).slice(2);
	const pwfile = path.join(dir, 'pw');
	fs.writeFileSync(pwfile, password);
	if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	asPostgres([
		path.join(bin, 'initdb'),
		'-D',
		data,
		'-U',
		'postgres',
		'-A',
		'scram-sha-256',
		'--pwfile',
		pwfile,
		'-E',
		'UTF8',
		'--no-sync',
	]);
	const port = await freePort();
	const opts = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off'];
	if (options.preload?.length)
		opts.push(`-c shared_preload_libraries=${options.preload.join(',')}`);
	const startServer = () =>
		asPostgres([
			path.join(bin, 'pg_ctl'),
			'-D',
			data,
			'-l',
			path.join(dir, 'log'),
			'-o',
			opts.join(' '),
			'-w',
			'-t',
			'30',
			'start',
		]);
	startServer();
	const env = { ...process.env, PGPASSWORD: password };
	const psql = (sql, database = 'postgres') =>
		execFileSync(
			'psql',
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				database,
				'-v',
				'ON_ERROR_STOP=1',
				'-Atc',
				sql,
			],
			{ env, encoding: 'utf8' },
		);
	psql('CREATE DATABASE monitoring');
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		password,
		database: 'monitoring',
		psql,
		// A server that goes away and comes back (fault tests): an immediate stop is what a crash
		// or a lost network looks like to clients; the data stays for the restart on the same port.
		async halt() {
			asPostgres([path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
		},
		async resume() {
			startServer();
		},
		async stop() {
			try {
				asPostgres([path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}

module.exports = { startPostgres, postgresBinDir, freePort };
