import { promises as fs } from 'node:fs';
import http from 'node:http';

/*
 * A few GETs of the Docker Engine API over its unix socket (Podman's Docker-compatible socket
 * answers the same). Why not systeminformation's docker functions: its lib/dockerSocket.js
 * reads DOCKER_SOCKET once, when the module loads, into a constant (so one process could never
 * watch two engines, nor a path chosen per node), answers every failure with `{}` (no socket,
 * permission denied, a hung engine and an HTTP error all read as "no containers"), and waits
 * 30 s on a silent socket. Node's own http client over `socketPath` is no more code than the
 * workarounds, and it starts no child process either.
 */

/** A failure of the engine fit to show as the collection's error. */
export class EngineError extends Error {}

export interface EngineOptions {
	socketPath: string;
	/** Deadline of each request; an engine that hangs fails the collection at it. */
	timeoutMs: number;
	signal: AbortSignal;
	/** Requests at once. */
	maxSockets: number;
}

/** An answer this large is not the engine's. */
const MAX_BODY = 32 * 1024 * 1024;

export interface Engine {
	/** GET a path; null on 404 (a container removed between two requests). */
	get<T>(path: string): Promise<T | null>;
	close(): void;
}

/** What is at the socket path: nothing (no engine here), a socket, or something else. */
export type SocketProbe =
	| { kind: 'absent' }
	| { kind: 'socket'; mode: number; uid: number; gid: number }
	| { kind: 'other'; what: string };

export async function probeSocket(socketPath: string): Promise<SocketProbe> {
	let stat: Awaited<ReturnType<typeof fs.stat>>;
	try {
		stat = await fs.stat(socketPath);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
		if (code === 'EACCES') throw new EngineError(permissionMessage(socketPath));
		throw new EngineError(`cannot read ${socketPath}: ${(error as Error).message}`);
	}
	if (stat.isSocket()) return { kind: 'socket', mode: stat.mode, uid: stat.uid, gid: stat.gid };
	const what = stat.isDirectory()
		? 'a directory'
		: stat.isFile()
			? 'a regular file'
			: stat.isFIFO()
				? 'a named pipe'
				: 'not a socket';
	return { kind: 'other', what };
}

export function notSocketMessage(socketPath: string, what: string): string {
	return (
		`${socketPath} is ${what}, not a socket: set Socket Path to the container engine's socket ` +
		'(Docker: /var/run/docker.sock; Podman as root: /run/podman/podman.sock, rootless: ' +
		'$XDG_RUNTIME_DIR/podman/podman.sock)'
	);
}

/** What to do about EACCES, with the socket's owner when it is known. */
export function permissionMessage(
	socketPath: string,
	owner?: { gid: number; mode: number },
): string {
	const uid = process.getuid?.();
	const who = uid === undefined ? 'the n8n process' : `the n8n process (uid ${uid})`;
	const group = owner
		? `the socket's group (gid ${owner.gid}, usually "docker")`
		: `the socket's group`;
	const mode = owner ? ` (mode ${(owner.mode & 0o777).toString(8)})` : '';
	return (
		`permission denied on ${socketPath}${mode}: ${who} may not use the container engine. ` +
		`Give n8n access: add the user n8n runs as to ${group} and restart n8n, or, with n8n in ` +
		`Docker, mount the socket read-only (-v ${socketPath}:/var/run/docker.sock:ro) and add ` +
		`that group to the container (--group-add <gid>). Either grants root-equivalent access to the engine`
	);
}

function describe(error: NodeJS.ErrnoException, socketPath: string): string {
	switch (error.code) {
		case 'EACCES':
		case 'EPERM':
			return permissionMessage(socketPath);
		case 'ECONNREFUSED':
			return `nothing listens on ${socketPath} (connection refused): the container engine is stopped, or the socket was left behind`;
		case 'ENOENT':
			return `no container engine found: ${socketPath} vanished`;
		default:
			return `${socketPath}: ${error.message}`;
	}
}

/**
 * An engine client for one collection: its own agent, so that connections are reused within the
 * collection and none outlives it (close()).
 */
export function openEngine(options: EngineOptions): Engine {
	const { socketPath, timeoutMs, signal } = options;
	const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
	function get<T>(path: string): Promise<T | null> {
		return new Promise((resolve, reject) => {
			if (signal.aborted) return reject(new EngineError('aborted'));
			let settled = false;
			const finish = (fn: () => void) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				signal.removeEventListener('abort', onAbort);
				fn();
			};
			const request = http.get(
				{ socketPath, path, agent, headers: { host: 'docker', accept: 'application/json' } },
				(response) => {
					const chunks: Buffer[] = [];
					let size = 0;
					response.on('data', (chunk: Buffer) => {
						size += chunk.length;
						if (size > MAX_BODY) {
							request.destroy();
							finish(() =>
								reject(new EngineError(`GET ${path}: the answer passed ${MAX_BODY} bytes`)),
							);
						} else chunks.push(chunk);
					});
					response.on('error', (error) =>
						finish(() => reject(new EngineError(`GET ${path}: ${error.message}`))),
					);
					response.on('end', () =>
						finish(() => {
							const body = Buffer.concat(chunks).toString('utf8');
							const status = response.statusCode ?? 0;
							if (status === 404) return resolve(null);
							if (status < 200 || status >= 300) {
								return reject(
									new EngineError(
										`the container engine answered GET ${path} with HTTP ${status}${engineMessage(body)}`,
									),
								);
							}
							try {
								resolve(JSON.parse(body) as T);
							} catch {
								reject(new EngineError(`GET ${path}: the engine's answer is not JSON`));
							}
						}),
					);
				},
			);
			request.on('error', (error: NodeJS.ErrnoException) =>
				finish(() => reject(new EngineError(describe(error, socketPath)))),
			);
			const timer = setTimeout(() => {
				request.destroy();
				finish(() =>
					reject(
						new EngineError(
							`the container engine at ${socketPath} did not answer GET ${path} within ${timeoutMs / 1000} s`,
						),
					),
				);
			}, timeoutMs);
			const onAbort = () => {
				request.destroy();
				finish(() => reject(new EngineError('aborted')));
			};
			signal.addEventListener('abort', onAbort);
		});
	}
	return { get, close: () => agent.destroy() };
}

function engineMessage(body: string): string {
	try {
		const message = (JSON.parse(body) as { message?: unknown }).message;
		if (typeof message === 'string' && message) return `: ${message.slice(0, 300)}`;
	} catch {
		// not JSON: say nothing more than the status
	}
	return '';
}
