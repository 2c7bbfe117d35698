import type { Sample } from '../types';
import type { GpuInfo, GpuProcess } from './types';
import type { MetricName } from '../../catalog/metrics';

/*
 * GPU views -> samples. Labels stay small ({gpu, uuid}): the index is what people say ("GPU 3"),
 * the uuid keeps series apart when indexes shift (a GPU removed, a second vendor's card 0) and
 * follows the card across reboots. The name lives in the snapshot, not in every series. A value
 * the GPU could not give (null) produces no sample rather than a 0 that would read as data.
 */

const GAUGES: ReadonlyArray<[name: MetricName, value: (g: GpuInfo) => number | boolean | null]> = [
	['gpu_utilization_percent', (g) => g.utilizationPercent],
	['gpu_memory_utilization_percent', (g) => g.memoryUtilizationPercent],
	['gpu_memory_total_bytes', (g) => g.memoryTotalBytes],
	['gpu_memory_used_bytes', (g) => g.memoryUsedBytes],
	['gpu_memory_free_bytes', (g) => g.memoryFreeBytes],
	['gpu_memory_used_percent', (g) => g.memoryUsedPercent],
	['gpu_temperature_celsius', (g) => g.temperatureCelsius],
	['gpu_power_draw_watts', (g) => g.powerDrawWatts],
	['gpu_power_limit_watts', (g) => g.powerLimitWatts],
	['gpu_fan_speed_percent', (g) => g.fanSpeedPercent],
	['gpu_clock_graphics_mhz', (g) => g.clockGraphicsMhz],
	['gpu_clock_memory_mhz', (g) => g.clockMemoryMhz],
	['gpu_pstate', (g) => g.pstate],
	['gpu_throttled', (g) => g.throttled],
	['gpu_ecc_errors_uncorrected_total', (g) => g.eccErrorsUncorrected],
	['gpu_ecc_errors_corrected_total', (g) => g.eccErrorsCorrected],
	['gpu_mig_enabled', (g) => g.migEnabled],
];

export function gpuLabels(g: { index: string; uuid: string }): Record<string, string> {
	return { gpu: g.index, uuid: g.uuid };
}

export function gpuSamples(gpus: GpuInfo[]): Sample[] {
	const samples: Sample[] = [];
	for (const g of gpus) {
		const labels = gpuLabels(g);
		for (const [name, get] of GAUGES) {
			const v = get(g);
			if (v === null) continue;
			samples.push({ name, value: typeof v === 'boolean' ? Number(v) : v, labels });
		}
	}
	return samples;
}

/** Per GPU: how many processes hold memory on it, and how much they hold together. */
export function processSamples(gpus: GpuInfo[], processes: GpuProcess[]): Sample[] {
	const samples: Sample[] = [];
	for (const g of gpus) {
		const mine = processes.filter((p) => p.vendor === g.vendor && p.uuid === g.uuid);
		const labels = gpuLabels(g);
		samples.push({ name: 'gpu_process_count', value: mine.length, labels });
		const known = mine.filter((p) => p.usedMemoryBytes !== null);
		if (known.length > 0 || mine.length === 0) {
			const bytes = known.reduce((sum, p) => sum + (p.usedMemoryBytes ?? 0), 0);
			samples.push({ name: 'gpu_processes_memory_bytes', value: bytes, labels });
		}
	}
	return samples;
}
