import { decodeClockReasons, isThrottled } from '../gpu/nvidia-csv';
import { gpuSamples } from '../gpu/samples';
import type { GpuInfo, GpuSnapshot } from '../gpu/types';
import { MIB, usedPercent } from '../gpu/values';
import type { MetricsPage, PromSample } from '../../prometheus-text';
import type { Sample } from '../types';

/*
 * NVIDIA dcgm-exporter's page -> the GPU collector's samples and snapshot, so a remote GPU looks
 * like a local one (same names, same {gpu, uuid} labels: dcgm-exporter's `gpu` is the NVML index
 * nvidia-smi shows, its `UUID` the same GPU-… id). Each GPU is rebuilt as a GpuInfo and handed to
 * the GPU collector's own gpuSamples(), so the two cannot drift apart.
 *
 *   gpu_utilization_percent           DCGM_FI_DEV_GPU_UTIL
 *   gpu_memory_utilization_percent    DCGM_FI_DEV_MEM_COPY_UTIL
 *   gpu_memory_used/free_bytes        DCGM_FI_DEV_FB_USED / DCGM_FI_DEV_FB_FREE (MiB)
 *   gpu_memory_total_bytes            DCGM_FI_DEV_FB_TOTAL, else used + free + DCGM_FI_DEV_FB_RESERVED
 *   gpu_temperature_celsius           DCGM_FI_DEV_GPU_TEMP
 *   gpu_power_draw_watts              DCGM_FI_DEV_POWER_USAGE
 *   gpu_power_limit_watts             DCGM_FI_DEV_POWER_MGMT_LIMIT / DCGM_FI_DEV_ENFORCED_POWER_LIMIT
 *   gpu_fan_speed_percent             DCGM_FI_DEV_FAN_SPEED
 *   gpu_clock_graphics/memory_mhz     DCGM_FI_DEV_SM_CLOCK / DCGM_FI_DEV_MEM_CLOCK
 *   gpu_pstate                        DCGM_FI_DEV_PSTATE
 *   gpu_throttled                     DCGM_FI_DEV_CLOCKS_EVENT_REASONS / DCGM_FI_DEV_CLOCK_THROTTLE_REASONS
 *   gpu_ecc_errors_(un)corrected_total  DCGM_FI_DEV_ECC_DBE_VOL_TOTAL / DCGM_FI_DEV_ECC_SBE_VOL_TOTAL
 *   gpu_mig_enabled                   DCGM_FI_DEV_MIG_MODE
 * Fields dcgm-exporter is not configured to export are simply absent (no sample), as a value
 * nvidia-smi cannot give, and so is a DCGM "blank" (a field the GPU does not support is exported as
 * a sentinel from 0x7ffffff0 up, e.g. MEMORY_TEMP 9223372036854775794 in NVIDIA's README): no
 * mapped field comes near 2^31 in its unit. Series of MIG instances (GPU_I_ID label) describe a slice, not the GPU,
 * and are left out. Processes are not on dcgm-exporter's page: the snapshot has none.
 */

type Field = keyof Pick<
	GpuInfo,
	| 'utilizationPercent'
	| 'memoryUtilizationPercent'
	| 'temperatureCelsius'
	| 'powerDrawWatts'
	| 'powerLimitWatts'
	| 'fanSpeedPercent'
	| 'clockGraphicsMhz'
	| 'clockMemoryMhz'
	| 'pstate'
	| 'eccErrorsUncorrected'
	| 'eccErrorsCorrected'
>;

const PLAIN: ReadonlyArray<[Field, readonly string[]]> = [
	['utilizationPercent', ['DCGM_FI_DEV_GPU_UTIL']],
	['memoryUtilizationPercent', ['DCGM_FI_DEV_MEM_COPY_UTIL']],
	['temperatureCelsius', ['DCGM_FI_DEV_GPU_TEMP']],
	['powerDrawWatts', ['DCGM_FI_DEV_POWER_USAGE']],
	['powerLimitWatts', ['DCGM_FI_DEV_POWER_MGMT_LIMIT', 'DCGM_FI_DEV_ENFORCED_POWER_LIMIT']],
	['fanSpeedPercent', ['DCGM_FI_DEV_FAN_SPEED']],
	['clockGraphicsMhz', ['DCGM_FI_DEV_SM_CLOCK']],
	['clockMemoryMhz', ['DCGM_FI_DEV_MEM_CLOCK']],
	['pstate', ['DCGM_FI_DEV_PSTATE']],
	['eccErrorsUncorrected', ['DCGM_FI_DEV_ECC_DBE_VOL_TOTAL']],
	['eccErrorsCorrected', ['DCGM_FI_DEV_ECC_SBE_VOL_TOTAL']],
];

/** Every value of one GPU by DCGM field name, with the labels that name the GPU. */
interface GpuFields {
	labels: Record<string, string>;
	values: Map<string, number>;
}

/** DCGM_INT32_BLANK; the int64 and fp64 blanks are larger still. */
const DCGM_BLANK = 0x7ffffff0;

function isWholeGpu(s: PromSample): boolean {
	return s.labels.gpu !== undefined && !s.labels.GPU_I_ID;
}

function byGpu(page: MetricsPage): Map<string, GpuFields> {
	const gpus = new Map<string, GpuFields>();
	for (const [name, list] of page) {
		if (!name.startsWith('DCGM_FI_')) continue;
		for (const s of list) {
			if (!isWholeGpu(s)) continue;
			const key = s.labels.UUID || s.labels.gpu;
			let g = gpus.get(key);
			if (!g) gpus.set(key, (g = { labels: s.labels, values: new Map() }));
			// A GPU shared by several pods has one series per pod, all with the same value.
			if (!g.values.has(name) && Number.isFinite(s.value) && Math.abs(s.value) < DCGM_BLANK) {
				g.values.set(name, s.value);
			}
		}
	}
	return gpus;
}

function first(values: Map<string, number>, names: readonly string[]): number | null {
	for (const n of names) if (values.has(n)) return values.get(n)!;
	return null;
}

function gpuInfo(g: GpuFields): GpuInfo {
	const v = g.values;
	const usedMiB = first(v, ['DCGM_FI_DEV_FB_USED']);
	const freeMiB = first(v, ['DCGM_FI_DEV_FB_FREE']);
	const reservedMiB = first(v, ['DCGM_FI_DEV_FB_RESERVED']) ?? 0;
	const totalMiB =
		first(v, ['DCGM_FI_DEV_FB_TOTAL']) ??
		(usedMiB !== null && freeMiB !== null ? usedMiB + freeMiB + reservedMiB : null);
	const mask = first(v, ['DCGM_FI_DEV_CLOCKS_EVENT_REASONS', 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS']);
	const reasons =
		mask !== null && Number.isSafeInteger(mask) && mask >= 0
			? decodeClockReasons(`0x${mask.toString(16)}`)
			: null;
	const mig = first(v, ['DCGM_FI_DEV_MIG_MODE']);
	const info: GpuInfo = {
		vendor: 'nvidia',
		index: g.labels.gpu,
		uuid: g.labels.UUID || `gpu${g.labels.gpu}`,
		name: g.labels.modelName || null,
		driverVersion: g.labels.DCGM_FI_DRIVER_VERSION || null,
		utilizationPercent: null,
		memoryUtilizationPercent: null,
		memoryTotalBytes: totalMiB === null ? null : totalMiB * MIB,
		memoryUsedBytes: usedMiB === null ? null : usedMiB * MIB,
		memoryFreeBytes: freeMiB === null ? null : freeMiB * MIB,
		memoryUsedPercent: usedPercent(usedMiB, totalMiB),
		temperatureCelsius: null,
		powerDrawWatts: null,
		powerLimitWatts: null,
		fanSpeedPercent: null,
		clockGraphicsMhz: null,
		clockMemoryMhz: null,
		pstate: null,
		throttleReasons: reasons,
		throttled: isThrottled(reasons),
		eccErrorsUncorrected: null,
		eccErrorsCorrected: null,
		migEnabled: mig === null ? null : mig === 1,
	};
	for (const [field, names] of PLAIN) info[field] = first(v, names);
	return info;
}

export interface DcgmResult {
	samples: Sample[];
	snapshot: GpuSnapshot;
}

/** GPUs in index order, their samples, and a GPU-collector-shaped snapshot. */
export function mapDcgm(page: MetricsPage): DcgmResult {
	const gpus = [...byGpu(page).values()]
		.map(gpuInfo)
		.sort((a, b) => a.index.localeCompare(b.index, 'en', { numeric: true }));
	const snapshot: GpuSnapshot = {
		gpus,
		processes: [],
		processesCollected: false,
		sources: [
			{ vendor: 'nvidia', tool: 'dcgm-exporter', status: gpus.length ? 'ok' : 'no-device' },
		],
		...(gpus.length
			? {}
			: { message: 'no GPU found: the page has no DCGM_FI_* series with a gpu label' }),
	};
	return { samples: gpuSamples(gpus), snapshot };
}
