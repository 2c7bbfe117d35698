/**
 * Containers written into a real store through MonitoringStore.writeCollection, in the shape the
 * containers collector writes (ContainerSnapshot), for the server and browser tests:
 * - docker-1: host figures, and a containers collector every minute for an hour; its latest
 *   snapshot lists web (running, healthy, 512 MB limit), api (running, unhealthy, no memory
 *   limit), flappy (restarting, 4 restarts), old (exited 1) and EVIL_CONTAINER (running);
 *   web has every series
 * - bare-1: host figures only (no containers collector)
 * - noengine-1: host figures, and a containers collector that found no engine at its socket
 */
import type { ContainerRow, ContainerSnapshot } from '../../core/collectors/containers';
import type { Sample } from '../../core/collectors/types';
import { MonitoringStore, type StoreConfig } from '../../core/store';
import { exitedWithError } from '../../core/model';

export const EVIL_CONTAINER = '<img src=x onerror=alert(3)>';
export const NO_ENGINE = 'no container engine found: /var/run/docker.sock does not exist';
export const CONTAINER_HOST = 'docker-1';
/** A host that collects its containers and nothing else (no host collector). */
export const CONTAINERS_ONLY_HOST = 'ctronly-1';
const MIN = 60_000;
const MB = 2 ** 20;

const base = {
	exitCode: 0,
	oomKilled: false,
	restarts: 0,
	memoryLimited: false,
	health: 'none',
};

export function containerRows(): ContainerRow[] {
	return [
		{
			...base,
			name: 'web',
			id: 'aaaaaaaaaaaa',
			image: 'shop/web:1.4',
			project: 'shop',
			state: 'running',
			status: 'Up 59 minutes (healthy)',
			health: 'healthy',
			restarts: 1,
			restartPolicy: 'unless-stopped',
			uptimeSeconds: 3540,
			cpuPercent: 12.5,
			memoryUsedBytes: 100 * MB,
			memoryLimitBytes: 512 * MB,
			memoryPercent: 19.53,
			memoryLimited: true,
			netRxBytesPerSecond: 2048,
			netTxBytesPerSecond: 1024,
		},
		{
			...base,
			name: 'api',
			id: 'bbbbbbbbbbbb',
			image: 'shop/api:2.0',
			state: 'running',
			status: 'Up 20 minutes (unhealthy)',
			health: 'unhealthy',
			uptimeSeconds: 1200,
			cpuPercent: 3,
			memoryUsedBytes: 50 * MB,
			memoryLimitBytes: 16 * 1024 * MB,
			memoryPercent: 0.31,
			netRxBytesPerSecond: 0,
			netTxBytesPerSecond: 0,
		},
		{
			...base,
			name: 'flappy',
			id: 'cccccccccccc',
			image: 'busybox:test',
			state: 'restarting',
			status: 'Restarting (1) 5 seconds ago',
			restarts: 4,
			exitCode: 1,
			restartPolicy: 'always',
		},
		{
			...base,
			name: 'old',
			id: 'dddddddddddd',
			image: 'busybox:test',
			state: 'exited',
			status: 'Exited (1) 2 hours ago',
			exitCode: 1,
		},
		{
			// docker stop: sleep as PID 1 ignored SIGTERM and was killed (137); not a failure.
			...base,
			name: 'halted',
			id: 'ffffffffffff',
			image: 'busybox:test',
			state: 'exited',
			status: 'Exited (137) 5 minutes ago',
			exitCode: 137,
		},
		{
			...base,
			name: EVIL_CONTAINER,
			id: 'eeeeeeeeeeee',
			image: '<b>evil</b>:latest',
			state: 'running',
			status: 'Up 3 days',
			uptimeSeconds: 3 * 86_400 + 4 * 3600,
			cpuPercent: 0.5,
			memoryUsedBytes: 8 * MB,
			memoryLimitBytes: 16 * 1024 * MB,
			memoryPercent: 0.05,
			netRxBytesPerSecond: 10,
			netTxBytesPerSecond: 20,
		},
	];
}

const hostSamples = (cpu: number): Sample[] => [
	{ name: 'cpu_usage_percent', value: cpu, labels: { cpu: 'total' } },
	{ name: 'memory_used_percent', value: 40, labels: {} },
	{ name: 'filesystem_used_percent', value: 35, labels: { mount: '/' } },
];

/** web's series at minute i of the hour: a wave, so the charts draw lines, not flat rules. */
function webSamples(i: number): Sample[] {
	const labels = { container: 'web', image: 'shop/web:1.4', project: 'shop' };
	const s = (name: string, value: number): Sample => ({ name, value, labels });
	return [
		s('docker_container_up', 1),
		s('docker_container_healthy', 1),
		// It restarted once, a minute into the hour (its uptime since is 59 minutes).
		s('docker_container_restarts_total', i === 0 ? 0 : 1),
		s('docker_container_cpu_percent', 10 + 5 * Math.sin(i / 5)),
		s('docker_container_cpu_limit_percent', 40 + 20 * Math.sin(i / 5)),
		s('docker_container_memory_used_bytes', (90 + i / 3) * MB),
		s('docker_container_memory_limit_bytes', 512 * MB),
		s('docker_container_memory_percent', ((90 + i / 3) / 512) * 100),
		s('docker_container_net_rx_bytes_per_second', 2000 + 500 * Math.sin(i / 4)),
		s('docker_container_net_tx_bytes_per_second', 1000 + 300 * Math.cos(i / 4)),
		s('docker_container_block_read_bytes_per_second', i % 10 === 0 ? 4096 : 0),
		s('docker_container_block_write_bytes_per_second', 1024 * (i % 3)),
	];
}

export async function seedContainers(config: StoreConfig, now = Date.now()): Promise<void> {
	const store = await MonitoringStore.open(config);
	const write = (
		host: string,
		collector: string,
		time: number,
		samples: Sample[],
		snapshot: unknown = null,
	) =>
		store.writeCollection({
			collector,
			host,
			time,
			durationMs: 3,
			ok: true,
			warnings: [],
			samples,
			snapshot,
		});
	try {
		for (let i = 0; i <= 60; i++) {
			const t = now - (60 - i) * MIN;
			for (const host of [CONTAINER_HOST, 'bare-1', 'noengine-1'])
				await write(host, 'host', t, hostSamples(20 + (i % 7)));
			const snapshot: ContainerSnapshot = {
				socketPath: '/var/run/docker.sock',
				engine: { product: 'Docker', version: '20.10.24', running: 3, paused: 0, stopped: 3 },
				containers: containerRows(),
				matched: 6,
			};
			// Every container has its up, restarts and exit code, as the collector writes them.
			const everyone = containerRows()
				.filter((r) => r.name !== 'web')
				.flatMap((r): Sample[] => {
					const labels = { container: r.name, image: r.image };
					return [
						{ name: 'docker_container_up', value: r.state === 'running' ? 1 : 0, labels },
						{ name: 'docker_container_restarts_total', value: r.restarts, labels },
						{ name: 'docker_container_exit_code', value: r.exitCode, labels },
						{ name: 'docker_container_failed', value: exitedWithError(r) ? 1 : 0, labels },
					];
				});
			await write(CONTAINER_HOST, 'containers', t, [...webSamples(i), ...everyone], snapshot);
			await write(CONTAINERS_ONLY_HOST, 'containers', t, webSamples(i), {
				...snapshot,
				containers: containerRows().filter((r) => r.name === 'web'),
				matched: 1,
			});
			const none: ContainerSnapshot = {
				socketPath: '/var/run/docker.sock',
				engine: null,
				containers: [],
				matched: 0,
				message: NO_ENGINE,
			};
			await write('noengine-1', 'containers', t, [], none);
		}
	} finally {
		await store.close();
	}
}
