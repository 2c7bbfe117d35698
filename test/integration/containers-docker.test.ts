import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { buildSync } from 'esbuild';

import {
	containerCollector,
	type ContainerOptions,
	type ContainerSnapshot,
} from '../../core/collectors/containers';
import { runCollector } from '../../core/collectors/run';
import type { Collection, CollectorState, Sample } from '../../core/collectors/types';
import { IMAGE, startDocker, type TestDocker } from '../helpers/docker';

/**
 * The container collector against a real Docker engine (Debian's dockerd, started by the test
 * with its own dirs and socket; see helpers/docker.ts) and containers built from busybox: one
 * CPU-bound under --cpus/--memory limits in a compose project, one holding memory, one that
 * crashes until its restart policy gives up, one whose health check fails, one that exited 3,
 * two that ping each other on a private network. The collected values are compared with
 * `docker inspect`, `docker info` and `docker stats --no-stream`. Faults are real too: a hung
 * "engine" (a socket that accepts and never answers), a directory, a missing path, and a socket
 * the collecting user may not open (the collector run as nobody in a child process).
 */
let d: TestDocker;
const NET_SUBNET = '10.254.213.0/24';

const collect = (options: ContainerOptions, previous?: CollectorState, timeoutMs = 30_000) =>
	runCollector(
		containerCollector,
		{ socketPath: d.socket, ...options },
		{
			host: 'docker-test',
			previous,
			timeoutMs,
		},
	) as Promise<Collection<ContainerSnapshot>>;

const value = (c: Collection, name: string, container?: string): number | undefined =>
	c.samples.find(
		(s: Sample) =>
			s.name === name && (container === undefined || s.labels?.container === container),
	)?.value;

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** `docker stats --no-stream` sizes ("20.5MiB", "1.2kB") in bytes. */
function bytes(text: string): number {
	const m = /^([\d.]+)\s*([a-zA-Z]*)$/.exec(text.trim());
	if (!m) throw new Error(`not a size: ${text}`);
	const units: Record<string, number> = {
		B: 1,
		kB: 1e3,
		MB: 1e6,
		GB: 1e9,
		KiB: 1024,
		MiB: 1024 ** 2,
		GiB: 1024 ** 3,
	};
	return Number(m[1]) * (units[m[2] || 'B'] ?? NaN);
}

beforeAll(async () => {
	d = await startDocker();
	/** `docker run -d` with its flags as one string and the command apart. */
	const run = (flags: string, command: string[]) =>
		d.docker('run', '-d', ...flags.split(' '), IMAGE, ...command);
	run(
		'--name busy --cpus 0.5 --memory 64m --network none --label com.docker.compose.project=monproj',
		['sh', '-c', 'yes > /dev/null'],
	);
	// 24 MiB in its /dev/shm: tmpfs pages are charged to the container and are not reclaimable cache.
	run('--name hog --memory 128m --network none', [
		'sh',
		'-c',
		'dd if=/dev/zero of=/dev/shm/fill bs=1M count=24 && sleep 100000',
	]);
	run('--name crashy --restart on-failure:2 --network none', ['sh', '-c', 'exit 1']);
	run('--name sick --network none --health-cmd false --health-interval 1s --health-retries 1', [
		'sleep',
		'100000',
	]);
	run('--name stopped --network none', ['sh', '-c', 'exit 3']);
	d.docker('network', 'create', '--internal', '--subnet', NET_SUBNET, 'mon-net');
	run('--name listener --network mon-net', ['sleep', '100000']);
	const ip = Object.values(
		d.inspect('listener').NetworkSettings.Networks as Record<string, { IPAddress: string }>,
	)[0].IPAddress;
	run('--name talker --network mon-net', ['ping', '-s', '1400', '-i', '0.2', ip]);
	await until('crashy to give up after 2 restarts', () => {
		const s = d.inspect('crashy');
		return s.State.Status === 'exited' && s.RestartCount === 2;
	});
	await until('sick to be unhealthy', () => d.inspect('sick').State.Health?.Status === 'unhealthy');
	await until('stopped to exit', () => d.inspect('stopped').State.Status === 'exited');
	await until('hog to hold its memory', () => {
		const used = d.docker('stats', '--no-stream', '--format', '{{.MemUsage}}', 'hog');
		return bytes(used.split('/')[0]) > 20e6;
	});
}, 180_000);

afterAll(async () => {
	await d?.stop();
}, 60_000);

describe('a real Docker engine', () => {
	let first: Collection<ContainerSnapshot>;
	let second: Collection<ContainerSnapshot>;
	let stats: Record<string, { cpu: number; mem: number; limit: number; pids: number; net: string }>;

	beforeAll(async () => {
		first = await collect({});
		await new Promise((resolve) => setTimeout(resolve, 2000));
		second = await collect({}, first.state);
		stats = {};
		const lines = d.docker(
			'stats',
			'--no-stream',
			'--format',
			'{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}|{{.NetIO}}',
		);
		for (const line of lines.trim().split('\n')) {
			const [name, cpu, mem, pids, netIo] = line.split('|');
			const [used, limit] = mem.split('/');
			stats[name] = {
				cpu: parseFloat(cpu),
				mem: bytes(used),
				limit: bytes(limit),
				pids: Number(pids),
				net: netIo,
			};
		}
	}, 60_000);

	test('every container is there, with its state, restarts, exit code and health', () => {
		expect(first.ok).toBe(true);
		expect(second.ok).toBe(true);
		const rows = Object.fromEntries(second.snapshot!.containers.map((r) => [r.name, r]));
		expect(Object.keys(rows).sort()).toEqual(
			['busy', 'crashy', 'hog', 'listener', 'sick', 'stopped', 'talker'].sort(),
		);
		for (const name of Object.keys(rows)) {
			const inspect = d.inspect(name);
			expect([name, rows[name].state]).toEqual([name, inspect.State.Status]);
			expect([name, rows[name].restarts]).toEqual([name, inspect.RestartCount]);
			expect([name, rows[name].exitCode]).toEqual([name, inspect.State.ExitCode]);
			expect([name, rows[name].id]).toEqual([name, inspect.Id.slice(0, 12)]);
		}
		expect(value(second, 'docker_container_restarts_total', 'crashy')).toBe(2);
		expect(value(second, 'docker_container_exit_code', 'crashy')).toBe(1);
		expect(value(second, 'docker_container_up', 'crashy')).toBe(0);
		expect(value(second, 'docker_container_exit_code', 'stopped')).toBe(3);
		expect(value(second, 'docker_container_up', 'busy')).toBe(1);
		expect(value(second, 'docker_container_healthy', 'sick')).toBe(0);
		expect(rows.sick.health).toBe('unhealthy');
		// No health check: no healthy series at all.
		expect(value(second, 'docker_container_healthy', 'busy')).toBeUndefined();
		expect(rows.crashy.restartPolicy).toBe('on-failure');
		// Uptime as the engine's StartedAt says, give or take the collection.
		const started = Date.parse(d.inspect('busy').State.StartedAt);
		const uptime = value(second, 'docker_container_uptime_seconds', 'busy')!;
		expect(Math.abs(uptime - (second.time - started) / 1000)).toBeLessThan(5);
		expect(value(second, 'docker_container_uptime_seconds', 'stopped')).toBeUndefined();
	});

	test('labels: container, image, and the compose project where there is one', () => {
		const busy = second.samples.find(
			(s) => s.name === 'docker_container_up' && s.labels?.container === 'busy',
		)!;
		expect(busy.labels).toEqual({ container: 'busy', image: IMAGE, project: 'monproj' });
		const hog = second.samples.find(
			(s) => s.name === 'docker_container_up' && s.labels?.container === 'hog',
		)!;
		expect(hog.labels).toEqual({ container: 'hog', image: IMAGE });
	});

	test('CPU: the limited container uses about its half core, as docker stats says', () => {
		const row = second.snapshot!.containers.find((r) => r.name === 'busy')!;
		expect(row.cpuLimitCores).toBe(0.5);
		expect(value(second, 'docker_container_cpu_limit_cores', 'busy')).toBe(0.5);
		// docker stats' CPU % is cores × 100; the quota caps both near 0.5 (less on a busy machine).
		expect(row.cpuCores!).toBeLessThanOrEqual(0.56);
		expect(row.cpuCores!).toBeGreaterThan(0.1);
		expect(Math.abs(row.cpuCores! * 100 - stats.busy.cpu)).toBeLessThan(25);
		const cpus = Number(d.docker('info', '--format', '{{.NCPU}}'));
		expect(value(second, 'docker_container_cpu_percent', 'busy')).toBeCloseTo(
			(row.cpuCores! / cpus) * 100,
			0,
		);
		expect(value(second, 'docker_container_cpu_limit_percent', 'busy')).toBeCloseTo(
			(row.cpuCores! / 0.5) * 100,
			0,
		);
		// A first collection has rates too (a second read moments later), within the same cap.
		const early = first.snapshot!.containers.find((r) => r.name === 'busy')!;
		expect(early.cpuCores!).toBeLessThanOrEqual(0.6);
		expect(value(second, 'docker_container_cpu_limit_percent', 'hog')).toBeUndefined();
	});

	test('memory: used less cache, limit and percent, as docker stats and inspect say', () => {
		const hog = second.snapshot!.containers.find((r) => r.name === 'hog')!;
		expect(hog.memoryLimitBytes).toBe(d.inspect('hog').HostConfig.Memory);
		expect(hog.memoryLimitBytes).toBe(128 * 1024 ** 2);
		expect(hog.memoryUsedBytes!).toBeGreaterThan(20e6);
		// docker stats prints 3 significant digits and reads a moment later.
		expect(Math.abs(hog.memoryUsedBytes! - stats.hog.mem)).toBeLessThan(0.05 * stats.hog.mem);
		expect(hog.memoryPercent).toBeCloseTo((hog.memoryUsedBytes! / hog.memoryLimitBytes!) * 100, 1);
		expect(value(second, 'docker_container_memory_limit_bytes', 'busy')).toBe(64 * 1024 ** 2);
		// Without --memory the engine reports the host's memory as the limit.
		const sick = second.snapshot!.containers.find((r) => r.name === 'sick')!;
		expect(sick.memoryLimited).toBe(false);
		expect(Math.abs(sick.memoryLimitBytes! - stats.sick.limit)).toBeLessThan(
			0.01 * stats.sick.limit,
		);
		// Not sick: its health check execs a process every second, so two reads a moment apart
		// can count 1 or 7 (seen once under load).
		for (const name of ['busy', 'hog', 'listener', 'talker'])
			expect([name, value(second, 'docker_container_pids', name)]).toEqual([
				name,
				stats[name].pids,
			]);
	});

	test('network: the ping between two containers shows as rates on both', () => {
		// ~1,428 bytes each way every 0.2 s.
		for (const name of ['talker', 'listener']) {
			const rx = value(second, 'docker_container_net_rx_bytes_per_second', name)!;
			const tx = value(second, 'docker_container_net_tx_bytes_per_second', name)!;
			expect([name, rx > 3000 && rx < 30_000, tx > 3000 && tx < 30_000]).toEqual([
				name,
				true,
				true,
			]);
			expect(stats[name].net).not.toBe('0B / 0B');
		}
		// --network none: no network, so no network series.
		expect(value(second, 'docker_container_net_rx_bytes_per_second', 'busy')).toBeUndefined();
		expect(value(second, 'docker_container_block_write_bytes_per_second', 'busy')).toBe(0);
	});

	test('stopped containers have state, not figures', () => {
		for (const name of ['crashy', 'stopped'])
			expect([name, value(second, 'docker_container_memory_used_bytes', name)]).toEqual([
				name,
				undefined,
			]);
	});

	test('engine facts once per run, as docker info says', () => {
		const info = JSON.parse(d.docker('info', '--format', '{{json .}}'));
		const engine = second.snapshot!.engine!;
		expect(engine).toMatchObject({
			product: 'Docker',
			version: info.ServerVersion,
			running: info.ContainersRunning,
			stopped: info.ContainersStopped,
			images: 1,
		});
		expect(engine.apiVersion).toMatch(/^1\.\d+$/);
		const running = second.samples.filter(
			(s) => s.name === 'docker_engine_containers' && s.labels?.state === 'running',
		);
		expect(running.map((s) => s.value)).toEqual([info.ContainersRunning]);
		expect(second.samples.filter((s) => s.name === 'docker_engine_images')).toHaveLength(1);
	});
});

describe('which containers', () => {
	test('running only, by name, by label, and at most N', async () => {
		const names = (c: Collection<ContainerSnapshot>) =>
			c.snapshot!.containers.map((r) => r.name).sort();
		const running = await collect({ which: 'running' });
		expect(names(running)).toEqual(['busy', 'hog', 'listener', 'sick', 'talker']);
		expect(names(await collect({ name: 'hog' }))).toEqual(['hog']);
		expect(names(await collect({ labels: ['com.docker.compose.project=monproj'] }))).toEqual([
			'busy',
		]);
		const two = await collect({ maxContainers: 2 });
		expect(names(two)).toEqual(['busy', 'crashy']);
		expect(two.snapshot!.matched).toBe(7);
		expect(two.warnings.join()).toContain('7 containers matched; the first 2');
	});

	test('a container that vanishes leaves no series; one recreated under its name starts afresh', async () => {
		d.docker('run', '-d', '--name', 'brief', '--network', 'none', IMAGE, 'sleep', '100000');
		const oldId = d.inspect('brief').Id.slice(0, 12);
		const before = await collect({ name: 'brief' });
		expect(Object.keys(before.state!.counters).some((k) => k.startsWith(oldId))).toBe(true);
		d.docker('rm', '-f', 'brief');
		const gone = await collect({ name: 'brief' }, before.state);
		expect(gone.snapshot!.containers).toEqual([]);
		expect(gone.samples.filter((s) => s.labels?.container === 'brief')).toEqual([]);
		expect(Object.keys(gone.state!.counters)).toEqual([]);
		// Same name, new container: its rates come from its own two reads, not the old counters.
		d.docker('run', '-d', '--name', 'brief', '--network', 'none', IMAGE, 'sleep', '100000');
		const again = await collect({ name: 'brief' }, before.state);
		const row = again.snapshot!.containers[0];
		expect(row.id).not.toBe(oldId);
		expect(row.cpuCores!).toBeLessThan(0.2);
		expect(Object.keys(again.state!.counters).some((k) => k.startsWith(oldId))).toBe(false);
		d.docker('rm', '-f', 'brief');
	});
});

describe('how a container stopped', () => {
	test('a docker stop is not a failure; a kill by its memory limit is, with the same exit code 137', async () => {
		// sleep as PID 1 ignores SIGTERM: docker stop SIGKILLs it after the timeout (exit 137).
		d.docker('run', '-d', '--name', 'halted', '--network', 'none', IMAGE, 'sleep', '100000');
		d.docker('stop', '-t', '1', 'halted');
		// A shell doubling a string until its 16 MiB limit (no swap) has the kernel kill it.
		d.docker(
			'run',
			'-d',
			'--name',
			'oomed',
			'--memory',
			'16m',
			'--memory-swap',
			'16m',
			'--network',
			'none',
			IMAGE,
			'sh',
			'-c',
			'x=a; while true; do x="$x$x"; done',
		);
		await until('oomed to be killed', () => d.inspect('oomed').State.Status === 'exited');
		try {
			const c = await collect({});
			const rows = Object.fromEntries(c.snapshot!.containers.map((r) => [r.name, r]));
			for (const name of ['halted', 'oomed']) {
				const state = d.inspect(name).State;
				expect([name, rows[name].exitCode, rows[name].oomKilled]).toEqual([
					name,
					state.ExitCode,
					state.OOMKilled,
				]);
			}
			expect([rows.halted.exitCode, rows.halted.oomKilled]).toEqual([137, false]);
			expect([rows.oomed.exitCode, rows.oomed.oomKilled]).toEqual([137, true]);
			expect(value(c, 'docker_container_failed', 'halted')).toBe(0);
			expect(value(c, 'docker_container_failed', 'oomed')).toBe(1);
			// The fixtures above: exit 1 after its restarts, exit 3: failures; running ones are not.
			expect(value(c, 'docker_container_failed', 'crashy')).toBe(1);
			expect(value(c, 'docker_container_failed', 'stopped')).toBe(1);
			expect(value(c, 'docker_container_failed', 'busy')).toBe(0);
		} finally {
			d.docker('rm', '-f', 'halted', 'oomed');
		}
	}, 60_000);
});

describe('faults', () => {
	test('no socket at the path: "no container engine found", not a failure', async () => {
		const c = await collect({ socketPath: path.join(d.dir, 'nothing.sock') });
		expect(c.ok).toBe(true);
		expect(c.snapshot!.message).toBe(
			`no container engine found: ${path.join(d.dir, 'nothing.sock')} does not exist`,
		);
		expect(c.samples.map((s) => s.name)).toEqual(['collector_up', 'collector_duration_seconds']);
	});

	test('a path that is not a socket: a failed collection saying so', async () => {
		const c = await collect({ socketPath: d.dir });
		expect(c.ok).toBe(false);
		expect(c.error).toContain(`${d.dir} is a directory, not a socket`);
		expect(value(c, 'collector_up')).toBe(0);
	});

	test('an engine that accepts and never answers fails at its deadline', async () => {
		const socketPath = path.join(d.dir, 'hung.sock');
		const held: net.Socket[] = [];
		const server = net.createServer((s) => held.push(s));
		await new Promise<void>((resolve) => server.listen(socketPath, resolve));
		try {
			const c = await collect({ socketPath, engineTimeoutMs: 500 });
			expect(c.ok).toBe(false);
			expect(c.error).toMatch(/did not answer GET \/\S+ within 0\.5 s/);
			expect(c.durationMs).toBeLessThan(10_000);
		} finally {
			for (const s of held) s.destroy();
			await new Promise((resolve) => server.close(resolve));
		}
	});

	test('permission denied (the collector run as nobody): a failed collection saying how to give access', async () => {
		// The socket's dir must be passable for nobody; the socket itself stays root:root 660.
		fs.chmodSync(d.dir, 0o755);
		const bundle = path.join(d.dir, 'collector.js');
		buildSync({
			entryPoints: [path.join(__dirname, '..', '..', 'core', 'collectors', 'run.ts')],
			bundle: true,
			platform: 'node',
			format: 'cjs',
			outfile: bundle,
			logLevel: 'silent',
		});
		const collectorBundle = path.join(d.dir, 'containers.js');
		buildSync({
			entryPoints: [
				path.join(__dirname, '..', '..', 'core', 'collectors', 'containers', 'index.ts'),
			],
			bundle: true,
			platform: 'node',
			format: 'cjs',
			outfile: collectorBundle,
			logLevel: 'silent',
		});
		fs.chmodSync(bundle, 0o644);
		fs.chmodSync(collectorBundle, 0o644);
		const script = `
			const { runCollector } = require(${JSON.stringify(bundle)});
			const { containerCollector } = require(${JSON.stringify(collectorBundle)});
			runCollector(containerCollector, { socketPath: ${JSON.stringify(d.socket)} }, { host: 'h' })
				.then((c) => process.stdout.write(JSON.stringify(c)));`;
		// The Node.js the tests run on may sit in root's temp dir; the system's is reachable by nobody.
		const node = fs.existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
		const child = spawn(node, ['-e', script], { uid: 65534, gid: 65534 });
		let out = '';
		let err = '';
		child.stdout.on('data', (b) => (out += b));
		child.stderr.on('data', (b) => (err += b));
		await new Promise((resolve, reject) => {
			child.once('exit', resolve);
			child.once('error', reject);
		});
		expect(err).toBe('');
		const c = JSON.parse(out) as Collection;
		expect(c.ok).toBe(false);
		expect(c.error).toContain(`permission denied on ${d.socket}`);
		expect(c.error).toContain('uid 65534');
		expect(c.error).toContain("add the user n8n runs as to the socket's group");
		expect(c.error).toContain(':ro');
		expect(execFileSync('stat', ['-c', '%a', d.socket], { encoding: 'utf8' }).trim()).toBe('660');
	});
});
