import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A private PostgreSQL cluster for one test file: initdb + pg_ctl as the postgres user on a
 * spare port in a temp folder, stopped and removed afterwards. Real server, nothing mocked.
 */
export interface TestPostgres {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	stop(): Promise<void>;
	/** Runs SQL through psql as the superuser. */
	psql(sql: string, database?: string): string;
}

export function postgresBinDir(): string {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))
		: [];
	for (const v of versions) {
		const dir = path.join(base, v, 'bin');
		if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
	}
	throw new Error(
		'PostgreSQL server binaries not found: run `bash scripts/ensure-system-deps.sh` (apt-get install postgresql)',
	);
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

function asPostgres(args: string[], input?: string) {
	const isRoot = process.getuid?.() === 0;
	const [cmd, ...rest] = isRoot ? ['runuser', '-u', 'postgres', '--', ...args] : args;
	const result = spawnSync(cmd, rest, { input, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${args.join(' ')} failed: ${result.stderr || result.stdout}`);
	}
	return result.stdout;
}

export async function startPostgres(options: { preload?: string[] } = {}): Promise<TestPostgres> {
	const bin = postgresBinDir();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-pg-'));
	fs.chmodSync(dir, 0o755);
	const data = path.join(dir, 'data');
	const isRoot = process.getuid?.() === 0;
	if (isRoot) execFileSync('chown', ['postgres:postgres', dir]);
	const password = 'test-secret-' + Math.random().toString(36).slice(2);
	const pwfile = path.join(dir, 'pw');
	fs.writeFileSync(pwfile, password);
	if (isRoot) execFileSync('chown', ['postgres:postgres', pwfile]);
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
	const opts = [`-p ${port}`, `-k ${dir}`, `-c listen_addresses=127.0.0.1`, '-c fsync=off'];
	if (options.preload?.length)
		opts.push(`-c shared_preload_libraries=${options.preload.join(',')}`);
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
	const env = { ...process.env, PGPASSWORD: password };
	const psql = (sql: string, database = 'postgres') =>
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
		async stop() {
			try {
				asPostgres([path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}
