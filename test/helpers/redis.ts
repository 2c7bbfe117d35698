// A private Redis server on a spare loopback port, in memory only, for the queue-mode test (n8n's
// Bull queue). Real server, nothing mocked; stop() kills it.
import { spawn } from 'node:child_process';
import net from 'node:net';

import { freePort } from './postgres';

export interface TestRedis {
	host: string;
	port: number;
	output(): string;
	stop(): Promise<void>;
}

/** One PING over a fresh connection; resolves true on +PONG. */
function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('data', (d) => done(String(d).startsWith('+PONG')));
		socket.on('connect', () => socket.write('PING\r\n'));
	});
}

export async function startRedis(): Promise<TestRedis> {
	const port = await freePort();
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let output = '';
	child.stdout.on('data', (d) => (output = (output + d).slice(-20_000)));
	child.stderr.on('data', (d) => (output = (output + d).slice(-20_000)));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.once('error', (error) => (output += String(error)));
	const deadline = Date.now() + 20_000;
	while (!(await ping(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(
				`redis-server did not start (apt-get install -y redis-server, or bash scripts/ensure-system-deps.sh redis): ${output}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		host: '127.0.0.1',
		port,
		output: () => output,
		async stop() {
			if (child.exitCode === null) child.kill('SIGKILL');
			await exited;
		},
	};
}
