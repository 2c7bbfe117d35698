// A private MariaDB server: mariadb-install-db + mariadbd on a spare port in a temp folder, for
// tests. Real server, nothing mocked; stop() kills it and removes the folder.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './postgres';

export interface TestMariadb {
	host: string;
	port: number;
	/** `root` over TCP, with `password`; the socket's root has none. */
	user: string;
	password: string;
	database: string;
	socket: string;
	/** Runs SQL through the mariadb client as root over the socket; returns tab-separated rows. */
	sql(sql: string, database?: string): string;
	stop(): Promise<void>;
}

const MARIADBD = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => fs.existsSync(p));
const isRoot = () => process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The client runs over the unix socket as root, which install-db left without a password
// (--auth-root-authentication-method=normal), so the harness never needs to know one.
function client(socket: string, sql: string, database?: string): string {
	const args = ['--no-defaults', '-uroot', `--socket=${socket}`, '-N', '-B', '-e', sql];
	if (database) args.push(database);
	const result = spawnSync('mariadb', args, { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`mariadb: ${result.stderr || result.stdout}`);
	return result.stdout;
}

export async function startMariadb(options: { args?: string[] } = {}): Promise<TestMariadb> {
	if (!MARIADBD) throw new Error('MariaDB server not found: apt-get install -y mariadb-server');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-maria-'));
	fs.chmodSync(dir, 0o755);
	const data = path.join(dir, 'data');
	const socket = path.join(dir, 'sock');
	const user = isRoot() ? ['--user=mysql'] : [];
	if (isRoot()) execFileSync('chown', ['-R', 'mysql:mysql', dir]);
	const install = spawnSync(
		'mariadb-install-db',
		[
			'--no-defaults',
			...user,
			`--datadir=${data}`,
			'--auth-root-authentication-method=normal',
			'--skip-test-db',
			'--skip-name-resolve',
		],
		{ encoding: 'utf8' },
	);
	if (install.status !== 0)
		throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
	const port = await freePort();
	const child = spawn(
		MARIADBD,
		[
			'--no-defaults',
			...user,
			`--datadir=${data}`,
			`--socket=${socket}`,
			`--port=${port}`,
			'--bind-address=127.0.0.1',
			'--performance-schema=ON',
			'--skip-log-bin',
			'--innodb-buffer-pool-size=32M',
			'--innodb-log-file-size=16M',
			'--innodb-flush-log-at-trx-commit=0',
			'--skip-name-resolve',
			`--log-error=${path.join(dir, 'error.log')}`,
			`--pid-file=${path.join(dir, 'pid')}`,
			...(options.args ?? []),
		],
		{ stdio: 'ignore' },
	);
	let exited = false;
	child.on('exit', () => (exited = true));
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (exited) {
			const log = fs.readFileSync(path.join(dir, 'error.log'), 'utf8').slice(-2000);
			fs.rmSync(dir, { recursive: true, force: true });
			throw new Error(`mariadbd exited at start: ${log}`);
		}
		try {
			client(socket, 'SELECT 1');
			break;
		} catch (error) {
			if (Date.now() > deadline) {
				child.kill('SIGKILL');
				throw error;
			}
			await sleep(100);
		}
	}
	const password = 'test-secret-' + Math.random().toString(36).slice(2);
	client(
		socket,
		`CREATE DATABASE monitoring; ` +
			`CREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY '${password}'; ` +
			`GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;`,
	);
	return {
		host: '127.0.0.1',
		port,
		user: 'root',
		password,
		database: 'monitoring',
		socket,
		sql: (sql: string, database = 'monitoring') => client(socket, sql, database),
		async stop() {
			try {
				if (!exited) {
					const gone = new Promise((resolve) => child.once('exit', resolve));
					child.kill('SIGKILL');
					await gone;
				}
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}
