import { accessSync } from 'node:fs';
import type { CounterSet, Sample } from '../types';
import { readOptional, round, type HostPart } from './part';

/*
 * The container's own view: its CPU limit in cores (CFS quota / period, narrowed by its cpuset),
 * CPU usage as a percent of that limit, and memory limit and usage. Usage leaves out inactive
 * page cache, as `docker stats` does, since the kernel reclaims that before an OOM kill.
 * Without a limit the effective limit is the host's (cpu count, memory total), and the snapshot
 * says so (`cpuLimited: false`), so a gauge of "percent of limit" always has a denominator.
 *
 * Reported when running in a container (/.dockerenv, /run/.containerenv, a container runtime in
 * /proc/1/cgroup) or when a limit is set; on a bare host nothing is reported.
 */
const CONTAINER_HINT = /docker|kubepods|containerd|libpod|lxc|garden|crio|ecs/;
/** cgroup v1 reports "no limit" as the largest page-aligned int64 (about 2^63). */
const V1_UNLIMITED = 2 ** 60;

export interface CgroupRaw {
	version: 1 | 2;
	inContainer: boolean;
	quotaCores: number | null;
	cpusetCount: number | null;
	memoryLimitBytes: number | null;
	memoryCurrentBytes: number | null;
	inactiveFileBytes: number;
}

async function num(file: string): Promise<number | null> {
	const text = (await readOptional(file))?.trim();
	if (text === undefined || text === '' || text === 'max') return null;
	const value = Number(text);
	return Number.isFinite(value) ? value : null;
}

/** cgroup and /proc paths: answered by the kernel from memory, so checked at once. */
async function exists(file: string): Promise<boolean> {
	try {
		accessSync(file);
		return true;
	} catch {
		return false;
	}
}

async function firstDir(...dirs: string[]): Promise<string | undefined> {
	for (const dir of dirs) if (await exists(dir)) return dir;
	return undefined;
}

/** "0-3,6,8-9" -> 7 */
export function cpusetSize(text: string | undefined): number | null {
	if (!text?.trim()) return null;
	let count = 0;
	for (const part of text.trim().split(',')) {
		const [a, b] = part.split('-').map(Number);
		if (!Number.isFinite(a)) return null;
		count += b === undefined ? 1 : b - a + 1;
	}
	return count > 0 ? count : null;
}

function statField(text: string | undefined, key: string): number | undefined {
	const match = text && new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
	return match ? Number(match[1]) : undefined;
}

/** The v2 cgroup of this process: the mount root inside a cgroup namespace, else its own path. */
async function v2Dir(root: string, procRoot: string): Promise<string> {
	const self = await readOptional(`${procRoot}/self/cgroup`).catch(() => undefined);
	const path = self && /^0::(\/\S*)$/m.exec(self)?.[1];
	if (path && path !== '/' && (await exists(`${root}${path}/cpu.stat`))) return `${root}${path}`;
	return root;
}

async function readV2(root: string, procRoot: string) {
	const dir = await v2Dir(root, procRoot);
	const [cpuMax, cpuStat, memMax, memCurrent, memStat, cpuset] = await Promise.all([
		readOptional(`${dir}/cpu.max`),
		readOptional(`${dir}/cpu.stat`),
		num(`${dir}/memory.max`),
		num(`${dir}/memory.current`),
		readOptional(`${dir}/memory.stat`),
		readOptional(`${dir}/cpuset.cpus.effective`),
	]);
	const [quota, period] = (cpuMax ?? 'max').trim().split(/\s+/);
	const quotaCores = quota !== 'max' && Number(period) > 0 ? Number(quota) / Number(period) : null;
	const usageUsec = statField(cpuStat, 'usage_usec');
	return {
		quotaCores,
		cpusetCount: cpusetSize(cpuset),
		memoryLimitBytes: memMax,
		memoryCurrentBytes: memCurrent,
		inactiveFileBytes: statField(memStat, 'inactive_file') ?? 0,
		usageUsec,
	};
}

async function readV1(root: string) {
	const [cpuDir, acctDir] = await Promise.all([
		firstDir(`${root}/cpu`, `${root}/cpu,cpuacct`),
		firstDir(`${root}/cpuacct`, `${root}/cpu,cpuacct`),
	]);
	const [quota, period, usageNs, memLimit, memUsage, memStat, cpuset] = await Promise.all([
		cpuDir ? num(`${cpuDir}/cpu.cfs_quota_us`) : null,
		cpuDir ? num(`${cpuDir}/cpu.cfs_period_us`) : null,
		acctDir ? num(`${acctDir}/cpuacct.usage`) : null,
		num(`${root}/memory/memory.limit_in_bytes`),
		num(`${root}/memory/memory.usage_in_bytes`),
		readOptional(`${root}/memory/memory.stat`),
		readOptional(`${root}/cpuset/cpuset.cpus`),
	]);
	return {
		quotaCores: quota !== null && quota > 0 && period ? quota / period : null,
		cpusetCount: cpusetSize(cpuset),
		memoryLimitBytes: memLimit !== null && memLimit < V1_UNLIMITED ? memLimit : null,
		memoryCurrentBytes: memUsage,
		inactiveFileBytes: statField(memStat, 'total_inactive_file') ?? 0,
		usageUsec: usageNs === null ? undefined : usageNs / 1000,
	};
}

async function containerHint(procRoot: string, live: boolean): Promise<boolean> {
	if (live && ((await exists('/.dockerenv')) || (await exists('/run/.containerenv')))) return true;
	const init = await readOptional(`${procRoot}/1/cgroup`).catch(() => undefined);
	return !!init && CONTAINER_HINT.test(init);
}

export const cgroupPart: HostPart<CgroupRaw> = {
	name: 'cgroup',
	hasCounters: true,
	async read(env) {
		const root = env.cgroupRoot;
		let version: 1 | 2;
		if (await exists(`${root}/cgroup.controllers`)) version = 2;
		else if (await firstDir(`${root}/cpu`, `${root}/cpu,cpuacct`, `${root}/memory`)) version = 1;
		else return null;
		const [values, inContainer] = await Promise.all([
			version === 2 ? readV2(root, env.procRoot) : readV1(root),
			containerHint(env.procRoot, env.live),
		]);
		if (!inContainer && values.quotaCores === null && values.memoryLimitBytes === null) return null;
		const { usageUsec, ...rest } = values;
		const counters: CounterSet = usageUsec === undefined ? {} : { usage_usec: usageUsec };
		return {
			counters,
			raw: { version, inContainer, ...rest },
		};
	},
	build({ raw, rates, facts }) {
		const hostCores = facts.cpuCount ?? null;
		const candidates = [raw.quotaCores, raw.cpusetCount, hostCores].filter(
			(v): v is number => v !== null && v > 0,
		);
		const limitCores = candidates.length ? Math.min(...candidates) : null;
		const cpuLimited =
			raw.quotaCores !== null ||
			(raw.cpusetCount !== null && hostCores !== null && raw.cpusetCount < hostCores);
		const usageRate = rates.usage_usec;
		const cpuUsagePercent =
			usageRate !== undefined && limitCores
				? round(Math.max(0, usageRate / 1e6 / limitCores) * 100)
				: null;
		const memoryLimitBytes = raw.memoryLimitBytes ?? facts.memoryTotalBytes ?? null;
		const memoryUsageBytes =
			raw.memoryCurrentBytes !== null
				? Math.max(0, raw.memoryCurrentBytes - raw.inactiveFileBytes)
				: (facts.memoryUsedBytes ?? null);
		const samples: Sample[] = [];
		if (limitCores !== null)
			samples.push({ name: 'container_cpu_limit_cores', value: round(limitCores, 3) });
		if (cpuUsagePercent !== null)
			samples.push({ name: 'container_cpu_usage_percent', value: cpuUsagePercent });
		if (memoryLimitBytes !== null)
			samples.push({ name: 'container_memory_limit_bytes', value: memoryLimitBytes });
		if (memoryUsageBytes !== null)
			samples.push({ name: 'container_memory_usage_bytes', value: memoryUsageBytes });
		return {
			samples,
			snapshot: {
				container: {
					cgroupVersion: raw.version,
					detected: raw.inContainer,
					cpuLimitCores: limitCores === null ? null : round(limitCores, 3),
					cpuLimited,
					cpuUsagePercent,
					memoryLimitBytes,
					memoryLimited: raw.memoryLimitBytes !== null,
					memoryUsageBytes,
				},
			},
		};
	},
};
