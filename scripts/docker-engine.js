// @ts-check
// A private Docker engine for the container tests: Debian's dockerd as root with its own data
// root, exec root and socket in a temp dir (the machine's /var/run/docker.sock is never used), no
// iptables rules and no default bridge. No registry is reachable, so the one image is built from
// nothing: a static busybox imported with `docker import`. stop() removes every container, stops
// the engine and deletes its dirs. startPodman() does the same with Podman's Docker-compatible
// API service (`podman system service`), for the claim that the collector reads Podman too.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const IMAGE = 'mon-busybox:test';

/** @param {string} socketPath @returns {Promise<boolean>} */
function ping(socketPath) {
	return new Promise((resolve) => {
		const req = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
			res.resume();
			resolve(res.statusCode === 200);
		});
		req.on('error', () => resolve(false));
		req.on('timeout', () => {
			req.destroy();
			resolve(false);
		});
	});
}

/** @returns {Promise<import('./docker-engine').TestDocker>} */
async function startDocker() {
	if (process.getuid?.() !== 0)
		throw new Error('the container tests start their own dockerd, which needs root');
	try {
		execFileSync('bash', [path.join(__dirname, 'ensure-system-deps.sh'), 'docker'], {
			stdio: ['ignore', 'ignore', 'pipe'],
		});
	} catch (error) {
		throw new Error(`docker.io and busybox-static are missing: ${String(error)}`);
	}
	// Short: containerd's sockets live under the exec root and a unix socket path has 107 bytes.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-dkr-'));
	const socket = path.join(dir, 'docker.sock');
	const child = spawn(
		'dockerd',
		[
			'--data-root',
			path.join(dir, 'data'),
			'--exec-root',
			path.join(dir, 'exec'),
			'--pidfile',
			path.join(dir, 'dockerd.pid'),
			'-H',
			`unix://${socket}`,
			'--iptables=false',
			'--bridge=none',
			// vfs: plain copies, no overlay mounts left behind if the test dies; the image is 2 MB.
			'--storage-driver=vfs',
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let output = '';
	const keep = (/** @type {Buffer} */ d) => (output = (output + d).slice(-40_000));
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	child.once('error', (error) => (output += String(error)));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const deadline = Date.now() + 60_000;
	while (!(await ping(socket))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`dockerd did not start: ${output.slice(-4000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
	const docker = (/** @type {string[]} */ ...args) =>
		execFileSync('docker', args, { env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

	const rootfs = path.join(dir, 'rootfs');
	fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
	fs.copyFileSync('/bin/busybox', path.join(rootfs, 'bin', 'busybox'));
	for (const cmd of ['sh', 'sleep', 'yes', 'head', 'cat', 'true', 'false', 'ping', 'dd', 'sync'])
		fs.symlinkSync('busybox', path.join(rootfs, 'bin', cmd));
	execFileSync('bash', ['-c', `tar -C ${rootfs} -c . | docker import - ${IMAGE}`], {
		env,
		stdio: ['ignore', 'ignore', 'pipe'],
	});

	return {
		socket,
		dir,
		docker,
		inspect: (name) => JSON.parse(docker('inspect', name))[0],
		output: () => output,
		async stop() {
			try {
				const ids = docker('ps', '-aq').split('\n').filter(Boolean);
				if (ids.length) docker('rm', '-f', ...ids);
				for (const n of docker('network', 'ls', '-q', '--filter', 'type=custom')
					.split('\n')
					.filter(Boolean))
					docker('network', 'rm', n);
			} catch {
				// the engine is gone already; its dirs go anyway
			}
			if (child.exitCode === null) child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(killer);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * Podman's Docker-compatible API on a private socket, with its own storage root and run root.
 * `docker(...)` runs the podman CLI on the same storage. Containers need explicit nofile/nproc
 * limits where the machine's hard limits are below Podman's defaults (runc refuses to raise
 * them): PODMAN_RUN_FLAGS, for every `run`.
 * @returns {Promise<import('./docker-engine').TestDocker>}
 */
async function startPodman() {
	if (process.getuid?.() !== 0) throw new Error('the Podman test runs rootful Podman, as root');
	try {
		execFileSync('bash', [path.join(__dirname, 'ensure-system-deps.sh'), 'podman'], {
			stdio: ['ignore', 'ignore', 'pipe'],
		});
	} catch (error) {
		throw new Error(`podman and busybox-static are missing: ${String(error)}`);
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-pdm-'));
	const socket = path.join(dir, 'podman.sock');
	// vfs and cgroupfs: no overlay mounts, no systemd needed; events to a file (no journald here).
	const global = [
		'--root',
		path.join(dir, 'root'),
		'--runroot',
		path.join(dir, 'run'),
		'--storage-driver',
		'vfs',
		'--cgroup-manager',
		'cgroupfs',
		'--events-backend',
		'file',
		'--tmpdir',
		path.join(dir, 'tmp'),
	];
	const child = spawn('podman', [...global, 'system', 'service', '--time=0', `unix://${socket}`], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const keep = (/** @type {Buffer} */ d) => (output = (output + d).slice(-40_000));
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	child.once('error', (error) => (output += String(error)));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const deadline = Date.now() + 60_000;
	while (!(await ping(socket))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`podman system service did not start: ${output.slice(-4000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	const podman = (/** @type {string[]} */ ...args) =>
		execFileSync('podman', [...global, ...args], {
			encoding: 'utf8',
			stdio: ['pipe', 'pipe', 'pipe'],
		});
	const rootfs = path.join(dir, 'rootfs');
	fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
	fs.copyFileSync('/bin/busybox', path.join(rootfs, 'bin', 'busybox'));
	for (const cmd of ['sh', 'sleep', 'true', 'false'])
		fs.symlinkSync('busybox', path.join(rootfs, 'bin', cmd));
	execFileSync(
		'bash',
		['-c', `tar -C ${rootfs} -c . | podman ${global.join(' ')} import - ${IMAGE}`],
		{
			stdio: ['ignore', 'ignore', 'pipe'],
		},
	);
	return {
		socket,
		dir,
		docker: podman,
		inspect: (name) => JSON.parse(podman('inspect', name))[0],
		output: () => output,
		async stop() {
			try {
				podman('rm', '-af', '-t', '0');
			} catch {
				// the service is gone already; its dirs go anyway
			}
			if (child.exitCode === null) child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(killer);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** `run` flags every Podman container needs on machines with low hard limits (see startPodman). */
const PODMAN_RUN_FLAGS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

module.exports = { IMAGE, PODMAN_RUN_FLAGS, startDocker, startPodman };
