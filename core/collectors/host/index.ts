/*
 * Host collector: CPU, memory, filesystems, disk and network I/O, uptime, temperatures, top
 * processes and the container's cgroup limits, node_exporter style: one small module per part
 * (./cpu.ts, ./memory.ts...) behind the HostPart interface (./part.ts), composed here.
 *
 * What each part reads, and why not systeminformation: its Linux functions mostly spawn child
 * processes on every call (fsSize runs df, processes runs ps, osInfo and cpuTemperature exec cat
 * and sensors, networkStats and disksIO cat files through a shell), about 9x node_exporter's cost
 * per scrape, and its rate functions keep module-global state, which queue-mode workers cannot
 * share. The few that are child-process free (mem reads /proc/meminfo) read the same file we do,
 * without a way to point them at a fixture tree. So every part reads /proc and /sys itself:
 * kernel-made files at once (see part.ts: the promise API cost 6x their CPU), what can wait on
 * hardware or a network (statfs of mounts, hwmon sensors, cmdline) asynchronously with
 * fs.promises: zero child processes per collection.
 *   cpu          /proc/stat jiffies (rates), /proc/loadavg
 *   memory       /proc/meminfo
 *   filesystem   /proc/self/mounts (or mountsFile) + statfs/stat per mount
 *   disk         /proc/diskstats (rates)
 *   net          /proc/net/dev (rates)
 *   uptime       /proc/uptime
 *   temperature  /sys/class/hwmon/*, /sys/class/thermal/*
 *   processes    readdir /proc; with topProcesses > 0 also /proc/PID/stat (rates), cmdline, owner
 *   cgroup       cgroup v2 cpu.max/cpu.stat/memory.* or v1 cfs quota/cpuacct/memory.*
 *   os           node:os and /etc/os-release, read once per process (static)
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { ratesFromCounters } from '../rates';
import type { CollectContext, Collector, CollectorOutput, CounterSet, Sample } from '../types';
import { cgroupPart } from './cgroup';
import { cpuPart } from './cpu';
import { diskioPart } from './diskio';
import { filesystemPart, type FilesystemInfo } from './filesystem';
import { memoryPart, type MemoryRaw } from './memory';
import { networkPart } from './network';
import type { HostEnv, HostFacts, HostPart, PartReading } from './part';
import { processesPart, type TopProcess } from './processes';
import { temperaturePart, type Temperature } from './temperature';
import { uptimePart } from './uptime';

export interface HostOptions {
	/** How many processes to list by CPU and by memory; 0 (the default) turns the lists off. */
	topProcesses?: number;
	procRoot?: string;
	sysRoot?: string;
	cgroupRoot?: string;
	/** Defaults to `${procRoot}/self/mounts`. */
	mountsFile?: string;
}

export interface HostSnapshot {
	cpu?: {
		usagePercent: number | null;
		count: number;
		perCore: Array<{ cpu: string; usagePercent: number }>;
		modes: Record<string, number>;
		load: { '1': number; '5': number; '15': number } | null;
	};
	memory?: MemoryRaw & { usedPercent: number };
	filesystems?: FilesystemInfo[];
	disks?: Array<{
		device: string;
		readBytesPerSecond: number;
		writeBytesPerSecond: number;
		readsPerSecond: number;
		writesPerSecond: number;
	}>;
	network?: Array<{
		interface: string;
		loopback: boolean;
		rxBytesPerSecond: number;
		txBytesPerSecond: number;
		rxPacketsPerSecond: number;
		txPacketsPerSecond: number;
		rxErrorsPerSecond: number;
		txErrorsPerSecond: number;
		rxDropsPerSecond: number;
		txDropsPerSecond: number;
	}>;
	uptimeSeconds?: number;
	temperatures?: Temperature[];
	container?: {
		cgroupVersion: 1 | 2;
		detected: boolean;
		cpuLimitCores: number | null;
		cpuLimited: boolean;
		cpuUsagePercent: number | null;
		memoryLimitBytes: number | null;
		memoryLimited: boolean;
		memoryUsageBytes: number | null;
	};
	processes?: { count: number; byCpu: TopProcess[]; byMemory: TopProcess[] };
	os?: { hostname: string; platform: string; release: string; arch: string; distro: string | null };
	/** Seconds the rates span: the time since the previous collection, or the short first-run wait. */
	intervalSeconds: number | null;
}

/** Order matters: cgroup falls back on what cpu and memory learned. */
const PARTS: HostPart[] = [
	cpuPart,
	memoryPart,
	filesystemPart,
	diskioPart,
	networkPart,
	uptimePart,
	temperaturePart,
	processesPart,
	cgroupPart,
] as HostPart[];

/** Counters older than this make a poor base (a paused workflow): take a fresh pair instead. */
const MAX_PREVIOUS_AGE_MS = 10 * 60_000;
/** Gap between the two counter readings of a first collection. */
const FIRST_INTERVAL_MS = 250;

type Outcome = { reading: PartReading | null } | { error: string };

async function readParts(parts: HostPart[], env: HostEnv): Promise<Map<string, Outcome>> {
	const settled = await Promise.allSettled(parts.map((p) => p.read(env)));
	const out = new Map<string, Outcome>();
	settled.forEach((r, i) =>
		out.set(
			parts[i].name,
			r.status === 'fulfilled' ? { reading: r.value } : { error: message(r.reason) },
		),
	);
	return out;
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function prefixed(part: string, counters: CounterSet, into: CounterSet): void {
	for (const [key, value] of Object.entries(counters)) into[`${part}:${key}`] = value;
}

/** Splits `net:eth0:rx_bytes` style keys back into per-part maps. */
function byPart(rates: Record<string, number>): Map<string, Record<string, number>> {
	const out = new Map<string, Record<string, number>>();
	for (const [key, value] of Object.entries(rates)) {
		const colon = key.indexOf(':');
		const part = key.slice(0, colon);
		let group = out.get(part);
		if (!group) out.set(part, (group = {}));
		group[key.slice(colon + 1)] = value;
	}
	return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(new Error('aborted'));
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(new Error('aborted'));
		};
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

let distro: Promise<string | null> | undefined;
function osInfo(): Promise<HostSnapshot['os']> {
	distro ??= fs
		.readFile('/etc/os-release', 'utf8')
		.then((text) => /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? null)
		.catch(() => null);
	return distro.then((d) => ({
		hostname: os.hostname(),
		platform: os.platform(),
		release: os.release(),
		arch: os.arch(),
		distro: d,
	}));
}

async function collect(
	options: HostOptions,
	context: CollectContext,
): Promise<CollectorOutput<HostSnapshot>> {
	const procRoot = options.procRoot ?? '/proc';
	const cgroupRoot = options.cgroupRoot ?? '/sys/fs/cgroup';
	const env: HostEnv = {
		procRoot,
		sysRoot: options.sysRoot ?? '/sys',
		cgroupRoot,
		mountsFile: options.mountsFile ?? `${procRoot}/self/mounts`,
		topProcesses: Math.max(0, Math.floor(options.topProcesses ?? 0)),
		live: procRoot === '/proc' && cgroupRoot === '/sys/fs/cgroup',
		signal: context.signal,
	};
	const warnings: string[] = [];

	const previous = context.previous;
	let time = Date.now();
	const age = previous ? time - previous.time : NaN;
	const usable = previous !== undefined && age > 0 && age <= MAX_PREVIOUS_AGE_MS;

	let outcomes = await readParts(PARTS, env);
	const baseCounters: CounterSet = usable ? previous.counters : {};
	let elapsedSeconds = usable ? age / 1000 : 0;
	if (!usable) {
		// No usable base: read the counters twice, a short moment apart, so rates exist on the first run.
		const counterParts = PARTS.filter((p) => p.hasCounters);
		for (const p of counterParts) {
			const o = outcomes.get(p.name);
			if (o && 'reading' in o && o.reading) prefixed(p.name, o.reading.counters, baseCounters);
		}
		const firstTime = time;
		await sleep(FIRST_INTERVAL_MS, context.signal);
		time = Date.now();
		elapsedSeconds = (time - firstTime) / 1000;
		const again = await readParts(counterParts, env);
		outcomes = new Map([...outcomes, ...again]);
	}

	const counters: CounterSet = {};
	for (const p of PARTS) {
		const o = outcomes.get(p.name);
		if (o && 'reading' in o && o.reading) prefixed(p.name, o.reading.counters, counters);
	}
	const rates = byPart(ratesFromCounters(baseCounters, counters, elapsedSeconds));

	const samples: Sample[] = [];
	const snapshot: Record<string, unknown> = {};
	const facts: HostFacts = {};
	let read = 0;
	for (const p of PARTS) {
		const o = outcomes.get(p.name)!;
		if ('error' in o) {
			warnings.push(`${p.name}: ${o.error}`);
			continue;
		}
		if (!o.reading) continue;
		read++;
		try {
			const result = await p.build({
				raw: o.reading.raw,
				rates: rates.get(p.name) ?? {},
				elapsedSeconds,
				env,
				facts,
			});
			samples.push(...result.samples);
			Object.assign(snapshot, result.snapshot);
			if (result.warnings) warnings.push(...result.warnings);
		} catch (error) {
			warnings.push(`${p.name}: ${message(error)}`);
		}
	}
	if (read === 0) throw new Error(`host: nothing could be read (${warnings.join('; ')})`);

	snapshot.temperatures ??= [];
	snapshot.os = await osInfo();
	snapshot.intervalSeconds = elapsedSeconds > 0 ? Math.round(elapsedSeconds * 1000) / 1000 : null;
	return {
		samples,
		snapshot: snapshot as unknown as HostSnapshot,
		state: { time, counters },
		warnings,
	};
}

export const hostCollector: Collector<HostOptions, HostSnapshot> = {
	name: 'host',
	collect,
};
