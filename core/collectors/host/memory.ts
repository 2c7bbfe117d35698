import type { Sample } from '../types';
import { clampPercent, readText, round, type HostPart } from './part';

export interface MemoryRaw {
	totalBytes: number;
	availableBytes: number;
	usedBytes: number;
	cachedBytes: number;
	buffersBytes: number;
	swapTotalBytes: number;
	swapUsedBytes: number;
}

/** /proc/meminfo values in bytes, by key. */
export function parseMeminfo(text: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const line of text.split('\n')) {
		const match = /^([\w()]+):\s+(\d+)(?:\s+kB)?/.exec(line);
		if (match) out[match[1]] = Number(match[2]) * (line.trimEnd().endsWith('kB') ? 1024 : 1);
	}
	return out;
}

/*
 * "Used" is total minus MemAvailable, the kernel's own estimate of what can be handed out without
 * swapping (what `free` shows since procps 4). "Cached" is page cache plus reclaimable slab, as in
 * `free`'s buff/cache column. Kernels older than 3.14 lack MemAvailable: free + buffers + cached then.
 */
export function memoryFromMeminfo(m: Record<string, number>): MemoryRaw {
	const totalBytes = m.MemTotal;
	if (!(totalBytes > 0)) throw new Error('no MemTotal in /proc/meminfo');
	const cachedBytes = (m.Cached ?? 0) + (m.SReclaimable ?? 0);
	const buffersBytes = m.Buffers ?? 0;
	const availableBytes = m.MemAvailable ?? (m.MemFree ?? 0) + buffersBytes + cachedBytes;
	const swapTotalBytes = m.SwapTotal ?? 0;
	return {
		totalBytes,
		availableBytes,
		usedBytes: Math.max(0, totalBytes - availableBytes),
		cachedBytes,
		buffersBytes,
		swapTotalBytes,
		swapUsedBytes: Math.max(0, swapTotalBytes - (m.SwapFree ?? swapTotalBytes)),
	};
}

export const memoryPart: HostPart<MemoryRaw> = {
	name: 'memory',
	hasCounters: false,
	async read(env) {
		return {
			counters: {},
			raw: memoryFromMeminfo(parseMeminfo(await readText(`${env.procRoot}/meminfo`))),
		};
	},
	build({ raw, facts }) {
		facts.memoryTotalBytes = raw.totalBytes;
		facts.memoryUsedBytes = raw.usedBytes;
		const usedPercent = round(clampPercent((100 * raw.usedBytes) / raw.totalBytes));
		const samples: Sample[] = [
			{ name: 'memory_total_bytes', value: raw.totalBytes },
			{ name: 'memory_used_bytes', value: raw.usedBytes },
			{ name: 'memory_available_bytes', value: raw.availableBytes },
			{ name: 'memory_cached_bytes', value: raw.cachedBytes },
			{ name: 'memory_buffers_bytes', value: raw.buffersBytes },
			{ name: 'memory_used_percent', value: usedPercent },
			{ name: 'swap_total_bytes', value: raw.swapTotalBytes },
			{ name: 'swap_used_bytes', value: raw.swapUsedBytes },
		];
		return { samples, snapshot: { memory: { ...raw, usedPercent } } };
	},
};
