import {
	containerCollector,
	type ContainerOptions,
	type ContainerSnapshot,
} from '../../core/collectors/containers';
import { runCollector } from '../../core/collectors/run';
import type { Collection, CollectorState, Sample } from '../../core/collectors/types';
import { IMAGE, PODMAN_RUN_FLAGS, startPodman, type TestDocker } from '../helpers/docker';

/**
 * The container collector against rootful Podman's Docker-compatible API (Debian's podman 4,
 * `podman system service` on a private socket with its own storage; see scripts/docker-engine.js),
 * so the node's "Podman works the same way" is a tested claim: one container under CPU and
 * memory limits, one that exited 3, one stopped by `podman stop`. Values are compared with
 * `podman inspect`. (Podman runs health checks from systemd timers, which this machine lacks:
 * health is covered by the Docker test.)
 */
let p: TestDocker;

const collect = (options: Partial<ContainerOptions> = {}, previous?: CollectorState) =>
	runCollector(
		containerCollector,
		{ socketPath: p.socket, ...options },
		{ host: 'podman-test', previous, timeoutMs: 30_000 },
	) as Promise<Collection<ContainerSnapshot>>;

const value = (c: Collection, name: string, container: string): number | undefined =>
	c.samples.find((s: Sample) => s.name === name && s.labels?.container === container)?.value;

let first: Collection<ContainerSnapshot>;
let second: Collection<ContainerSnapshot>;

beforeAll(async () => {
	p = await startPodman();
	const run = (...args: string[]) =>
		p.docker('run', '-d', '--network', 'none', ...PODMAN_RUN_FLAGS, ...args);
	run(
		'--name',
		'busy',
		'--cpus',
		'0.5',
		'--memory',
		'64m',
		IMAGE,
		'sh',
		'-c',
		'while :; do :; done',
	);
	run('--name', 'crash', IMAGE, 'sh', '-c', 'exit 3');
	run('--name', 'halted', IMAGE, 'sleep', '100000');
	p.docker('stop', '-t', '1', 'halted');
	const deadline = Date.now() + 60_000;
	while (p.inspect('crash').State.Status !== 'exited') {
		if (Date.now() > deadline) throw new Error('crash did not exit in 60 s');
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	first = await collect();
	await new Promise((resolve) => setTimeout(resolve, 2000));
	second = await collect({}, first.state);
}, 180_000);

afterAll(async () => {
	await p?.stop();
}, 60_000);

test('the engine is Podman, with its version and counts', () => {
	expect(second.ok).toBe(true);
	const version = p.docker('version', '--format', '{{.Server.Version}}').trim();
	expect(second.snapshot!.engine).toMatchObject({
		product: 'Podman',
		version,
		running: 1,
		stopped: 2,
		images: 1,
	});
});

test('each container with its state, exit code and verdict, as podman inspect says', () => {
	const rows = Object.fromEntries(second.snapshot!.containers.map((r) => [r.name, r]));
	expect(Object.keys(rows).sort()).toEqual(['busy', 'crash', 'halted']);
	for (const name of Object.keys(rows)) {
		const state = p.inspect(name).State;
		expect([name, rows[name].state, rows[name].exitCode]).toEqual([
			name,
			state.Status,
			state.ExitCode,
		]);
		// Podman says "" where Docker says nothing: both are "no health check".
		expect([name, rows[name].health]).toEqual([name, 'none']);
	}
	expect(rows.halted.exitCode).toBe(137);
	expect(value(second, 'docker_container_failed', 'crash')).toBe(1);
	expect(value(second, 'docker_container_failed', 'halted')).toBe(0);
	expect(value(second, 'docker_container_up', 'busy')).toBe(1);
});

test('limits and usage of the running one: CPU against its --cpus, memory against its --memory', () => {
	const busy = second.snapshot!.containers.find((r) => r.name === 'busy')!;
	expect(busy.cpuLimitCores).toBe(0.5);
	expect(busy.memoryLimited).toBe(true);
	expect(busy.memoryLimitBytes).toBe(64 * 1024 ** 2);
	expect(busy.memoryUsedBytes).toBeGreaterThan(0);
	expect(busy.pids).toBe(1);
	// A busy loop: a rate from the two reads, above nothing and within its limit.
	expect(busy.cpuLimitPercent).toBeGreaterThan(1);
	expect(busy.cpuLimitPercent).toBeLessThanOrEqual(105);
	expect(value(second, 'docker_container_cpu_percent', 'busy')).toBeGreaterThan(0);
});
