/*
 * Containers of a Docker engine (or Podman's Docker-compatible socket), read over the engine's
 * unix socket (./engine.ts): engine facts once per run, then per container its inspect record
 * (state, health, restarts, exit code, limits) and, while it runs, one stats read
 * (`one-shot`: the engine answers at once instead of waiting a second for a second sample).
 * CPU, network and block I/O are rates of the counters against the previous collection's, kept
 * per container id in the collector state; a container seen for the first time gets a second
 * stats read 250 ms later, as the host collector does on its first run.
 *
 * No socket at the path is not a failure ("no container engine found", no samples): n8n
 * installs without Docker stay green. Permission denied, a hung engine (its deadline), a path
 * that is not a socket or an engine error fail the collection with a message saying what to do.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { mapLimit } from '../map-limit';
import type { Collector, CollectorOutput, Sample } from '../types';
import {
	EngineError,
	notSocketMessage,
	openEngine,
	permissionMessage,
	probeSocket,
	type Engine,
} from './engine';
import {
	COMPOSE_PROJECT,
	containerName,
	cpuLimitCores,
	healthOf,
	statsCounters,
	statsGauges,
	type ContainerInspect,
	type ContainerStats,
	type ContainerSummary,
	type EngineInfo,
	type EngineVersion,
} from './parse';
import type { ContainerRow } from '../../model';
import { buildContainers, previousOf, type ContainerReading } from './samples';

export type { ContainerRow } from '../../model';

export interface ContainerOptions {
	/** Default /var/run/docker.sock. */
	socketPath?: string;
	/** `running` leaves stopped, exited and created containers out. Default `all`. */
	which?: 'all' | 'running';
	/** The engine's name filter: containers whose name contains this (a regular expression to the engine). */
	name?: string;
	/** `key` or `key=value`; a container must carry every one. */
	labels?: string[];
	/** At most this many containers, by name. Default 50. */
	maxContainers?: number;
	/** Deadline of each request to the engine. Default 10 s. */
	engineTimeoutMs?: number;
	/** Pause between the two stats reads of a container seen for the first time. Default 250 ms. */
	firstReadGapMs?: number;
}

export interface EngineFacts {
	name?: string;
	version?: string;
	apiVersion?: string;
	/** Docker, or Podman when its compat socket says so. */
	product: string;
	operatingSystem?: string;
	kernelVersion?: string;
	cpus?: number;
	memoryBytes?: number;
	storageDriver?: string;
	cgroupVersion?: string;
	containers?: number;
	running?: number;
	paused?: number;
	stopped?: number;
	images?: number;
}

export interface ContainerSnapshot {
	socketPath: string;
	engine: EngineFacts | null;
	containers: ContainerRow[];
	/** Containers the filters matched, before Max Containers. */
	matched: number;
	/** Set when no engine was found at the socket path. */
	message?: string;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';
export const DEFAULT_ENGINE_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_CONTAINERS = 50;
/**
 * Requests to the engine at once. dockerd 20.10 answers a one-shot stats read at the next tick of
 * its once-a-second stats loop, whatever the number of readers, so they are best asked together.
 */
const CONCURRENCY = 32;

export const containerCollector: Collector<ContainerOptions, ContainerSnapshot> = {
	name: 'containers',
	async collect(options, context): Promise<CollectorOutput<ContainerSnapshot>> {
		const socketPath = options.socketPath || DEFAULT_SOCKET;
		const time = Date.now();
		const probe = await probeSocket(socketPath);
		if (probe.kind === 'absent') {
			return {
				samples: [],
				snapshot: {
					socketPath,
					engine: null,
					containers: [],
					matched: 0,
					message: `no container engine found: ${socketPath} does not exist`,
				},
				state: { time, counters: {} },
			};
		}
		if (probe.kind === 'other') throw new EngineError(notSocketMessage(socketPath, probe.what));
		const engine = openEngine({
			socketPath,
			timeoutMs: Math.max(1, options.engineTimeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS),
			signal: context.signal,
			maxSockets: CONCURRENCY,
		});
		try {
			return await collectFrom(engine, socketPath, options, context.previous?.counters);
		} catch (error) {
			// Say who owns the socket when it refused us.
			if (error instanceof EngineError && error.message.startsWith('permission denied'))
				throw new EngineError(permissionMessage(socketPath, probe));
			throw error;
		} finally {
			engine.close();
		}
	},
};

async function collectFrom(
	engine: Engine,
	socketPath: string,
	options: ContainerOptions,
	previous: Record<string, number> | undefined,
): Promise<CollectorOutput<ContainerSnapshot>> {
	const [info, version, list] = await Promise.all([
		engine.get<EngineInfo>('/info'),
		engine.get<EngineVersion>('/version'),
		engine.get<ContainerSummary[]>(listPath(options)),
	]);
	const facts = engineFacts(info ?? {}, version ?? {});
	const all = (list ?? []).slice().sort((a, b) => containerName(a).localeCompare(containerName(b)));
	const max = options.maxContainers ?? DEFAULT_MAX_CONTAINERS;
	const chosen = all.slice(0, max);
	const warnings: string[] = [];
	if (all.length > chosen.length) {
		warnings.push(
			`${all.length} containers matched; the first ${chosen.length} by name were collected (raise Max Containers or narrow the filter)`,
		);
	}

	const read = await mapLimit(chosen, CONCURRENCY, (c) => readContainer(engine, c));
	const readings = read.filter((r): r is ContainerReading => r !== null);
	// A container seen for the first time: a second read moments later gives its rates now
	// rather than a collection later.
	const fresh = readings.filter((r) => r.stats && !previousOf(r.id, previous));
	if (fresh.length > 0) {
		await sleep(options.firstReadGapMs ?? 250);
		await mapLimit(fresh, CONCURRENCY, async (r) => {
			const again = await engine.get<ContainerStats>(statsPath(r.id));
			const counters = again ? statsCounters(again) : null;
			if (!again || !counters || counters.readMs <= r.stats!.counters.readMs) return;
			r.before = r.stats!.counters;
			r.stats = { counters, gauges: statsGauges(again) };
		});
	}

	const now = Date.now();
	const built = buildContainers(readings, previous, now, facts.cpus);
	const samples: Sample[] = [...built.samples, ...engineSamples(facts)];
	return {
		samples,
		snapshot: { socketPath, engine: facts, containers: built.rows, matched: all.length },
		state: { time: now, counters: built.counters },
		warnings,
	};
}

function listPath(options: ContainerOptions): string {
	const filters: Record<string, string[]> = {};
	if (options.which === 'running') filters.status = ['running'];
	if (options.name) filters.name = [options.name];
	if (options.labels?.length) filters.label = options.labels;
	const query = new URLSearchParams();
	if (options.which !== 'running') query.set('all', '1');
	if (Object.keys(filters).length) query.set('filters', JSON.stringify(filters));
	const q = query.toString();
	return `/containers/json${q ? `?${q}` : ''}`;
}

const statsPath = (id: string) =>
	`/containers/${encodeURIComponent(id)}/stats?stream=false&one-shot=true`;

async function readContainer(
	engine: Engine,
	c: ContainerSummary,
): Promise<ContainerReading | null> {
	const inspect = await engine.get<ContainerInspect>(
		`/containers/${encodeURIComponent(c.Id)}/json`,
	);
	if (!inspect) return null; // removed since the list
	const state = inspect.State?.Status ?? c.State ?? 'unknown';
	const labels = inspect.Config?.Labels ?? c.Labels ?? {};
	const startedAtMs = inspect.State?.StartedAt ? Date.parse(inspect.State.StartedAt) : NaN;
	const policy = inspect.HostConfig?.RestartPolicy?.Name;
	const reading: ContainerReading = {
		id: c.Id,
		name: containerName(c),
		image: c.Image || inspect.Config?.Image || 'unknown',
		...(labels[COMPOSE_PROJECT] ? { project: labels[COMPOSE_PROJECT] } : {}),
		state,
		status: c.Status ?? state,
		// Podman 4 answers "" for a container without a health check.
		health: inspect.State?.Health?.Status || 'none',
		healthy: healthOf(inspect),
		restarts: inspect.RestartCount ?? 0,
		exitCode: inspect.State?.ExitCode ?? 0,
		oomKilled: inspect.State?.OOMKilled ?? false,
		...(startedAtMs > 0 ? { startedAtMs } : {}),
		...(policy && policy !== 'no' ? { restartPolicy: policy } : {}),
		cpuLimitCores: cpuLimitCores(inspect.HostConfig),
		memoryLimited: (inspect.HostConfig?.Memory ?? 0) > 0,
	};
	if (state === 'running') {
		const stats = await engine.get<ContainerStats>(statsPath(c.Id));
		const counters = stats ? statsCounters(stats) : null;
		if (stats && counters) reading.stats = { counters, gauges: statsGauges(stats) };
	}
	return reading;
}

function engineFacts(info: EngineInfo, version: EngineVersion): EngineFacts {
	const podman = (version.Components ?? []).some((c) => /podman/i.test(c.Name ?? ''));
	return {
		product: podman ? 'Podman' : 'Docker',
		name: info.Name,
		version: info.ServerVersion ?? version.Version,
		apiVersion: version.ApiVersion,
		operatingSystem: info.OperatingSystem,
		kernelVersion: info.KernelVersion,
		cpus: info.NCPU,
		memoryBytes: info.MemTotal,
		storageDriver: info.Driver,
		cgroupVersion: info.CgroupVersion,
		containers: info.Containers,
		running: info.ContainersRunning,
		paused: info.ContainersPaused,
		stopped: info.ContainersStopped,
		images: info.Images,
	};
}

function engineSamples(facts: EngineFacts): Sample[] {
	const samples: Sample[] = [];
	for (const state of ['running', 'paused', 'stopped'] as const) {
		const value = facts[state];
		if (typeof value === 'number')
			samples.push({ name: 'docker_engine_containers', value, labels: { state } });
	}
	if (typeof facts.images === 'number')
		samples.push({ name: 'docker_engine_images', value: facts.images });
	return samples;
}
