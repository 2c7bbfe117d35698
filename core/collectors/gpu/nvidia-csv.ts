import type { GpuInfo } from './types';
import { MIB, toNumber, toText, usedPercent } from './values';

/*
 * Pure parsers for `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` and
 * `--query-compute-apps=...`, and for the tool's error texts. With `noheader,nounits` a row is
 * the values in the order asked for, joined by ", ", with no quoting and no unit suffixes
 * (`631.95`, not `631.95 W`); a value the GPU cannot give is a bracketed word (`[N/A]`).
 */

/** The name drivers since R535 lead with; older drivers only know the throttle spelling. */
export const EVENT_REASONS_FIELD = 'clocks_event_reasons.active';
/** Deprecated alias that R535+ still accept, and the only name before it. */
export const THROTTLE_REASONS_FIELD = 'clocks_throttle_reasons.active';

/** One --query-gpu call asks for all of these; their order is the column order of the answer. */
export const GPU_FIELDS: readonly string[] = [
	'index',
	'uuid',
	'name',
	'driver_version',
	'utilization.gpu',
	'utilization.memory',
	'memory.total',
	'memory.used',
	'memory.free',
	'temperature.gpu',
	'power.draw',
	'power.limit',
	'fan.speed',
	'clocks.gr',
	'clocks.mem',
	'pstate',
	EVENT_REASONS_FIELD,
	'ecc.errors.uncorrected.volatile.total',
	'ecc.errors.corrected.volatile.total',
	'mig.mode.current',
];

/**
 * Fields a driver may not know (old drivers predate MIG, the event-reasons rename, or these ECC
 * totals): when nvidia-smi rejects one, it is dropped and the query asked again. A rejected field
 * outside this set is a real error.
 */
export const OPTIONAL_FIELDS: ReadonlySet<string> = new Set([
	EVENT_REASONS_FIELD,
	THROTTLE_REASONS_FIELD,
	'ecc.errors.uncorrected.volatile.total',
	'ecc.errors.corrected.volatile.total',
	'mig.mode.current',
]);

/** `used_memory` is the short alias of `used_gpu_memory`. */
export const APPS_FIELDS: readonly string[] = ['pid', 'process_name', 'gpu_uuid', 'used_memory'];

export const FORMAT = '--format=csv,noheader,nounits';

export function gpuQueryArgs(fields: readonly string[]): string[] {
	return [`--query-gpu=${fields.join(',')}`, FORMAT];
}

export function appsQueryArgs(): string[] {
	return [`--query-compute-apps=${APPS_FIELDS.join(',')}`, FORMAT];
}

function lines(text: string): string[] {
	return text
		.split('\n')
		.map((l) => l.replace(/\r$/, ''))
		.filter((l) => l.trim() !== '');
}

export interface CsvRows {
	rows: Array<Record<string, string>>;
	/** Lines that are not rows: "Unable to determine the device handle for GPU ...: GPU is lost". */
	other: string[];
}

/** Splits --query-gpu output into one record per GPU, keyed by the field names asked for. */
export function parseGpuCsv(text: string, fields: readonly string[]): CsvRows {
	const rows: Array<Record<string, string>> = [];
	const other: string[] = [];
	for (const line of lines(text)) {
		const values = line.split(',').map((v) => v.trim());
		if (values.length !== fields.length) {
			other.push(line.trim());
			continue;
		}
		const row: Record<string, string> = {};
		fields.forEach((f, i) => (row[f] = values[i]));
		rows.push(row);
	}
	return { rows, other };
}

/** Bit values from nvml.h (nvmlClocksEventReason*); the same bits under the old throttle names. */
export const CLOCK_EVENT_REASONS: ReadonlyArray<[bit: number, name: string]> = [
	[0x1, 'gpu_idle'],
	[0x2, 'applications_clocks_setting'],
	[0x4, 'sw_power_cap'],
	[0x8, 'hw_slowdown'],
	[0x10, 'sync_boost'],
	[0x20, 'sw_thermal_slowdown'],
	[0x40, 'hw_thermal_slowdown'],
	[0x80, 'hw_power_brake_slowdown'],
	[0x100, 'display_clock_setting'],
];

/** `0x0000000000000044` -> ['sw_power_cap', 'hw_thermal_slowdown']; null when not a bitmask. */
export function decodeClockReasons(raw: string | undefined): string[] | null {
	const text = toText(raw);
	if (text === null || !/^0x[0-9a-f]+$/i.test(text)) return null;
	let mask = BigInt(text);
	const reasons: string[] = [];
	for (const [bit, name] of CLOCK_EVENT_REASONS) {
		if (mask & BigInt(bit)) {
			reasons.push(name);
			mask &= ~BigInt(bit);
		}
	}
	// Bits a newer driver may add: named by value rather than lost.
	for (let bit = 0n; mask > 0n; bit++) {
		if (mask & (1n << bit)) {
			reasons.push(`unknown_0x${(1n << bit).toString(16)}`);
			mask &= ~(1n << bit);
		}
	}
	return reasons;
}

/** Any reason other than "the GPU is idle" means the clocks are held below what work asks for. */
export function isThrottled(reasons: string[] | null): boolean | null {
	return reasons === null ? null : reasons.some((r) => r !== 'gpu_idle');
}

/** `P0` -> 0 ... `P12` -> 12. */
export function parsePstate(raw: string | undefined): number | null {
	const m = /^P(\d{1,2})$/.exec(toText(raw) ?? '');
	return m ? Number(m[1]) : null;
}

function parseEnabled(raw: string | undefined): boolean | null {
	const text = toText(raw);
	if (text === 'Enabled') return true;
	if (text === 'Disabled') return false;
	return null;
}

/** One --query-gpu record -> the vendor-neutral GPU view. */
export function gpuFromRow(row: Record<string, string>): GpuInfo {
	const totalMiB = toNumber(row['memory.total']);
	const usedMiB = toNumber(row['memory.used']);
	const freeMiB = toNumber(row['memory.free']);
	const reasons = decodeClockReasons(row[EVENT_REASONS_FIELD] ?? row[THROTTLE_REASONS_FIELD]);
	return {
		vendor: 'nvidia',
		index: toText(row.index) ?? '',
		uuid: toText(row.uuid) ?? '',
		name: toText(row.name),
		driverVersion: toText(row.driver_version),
		utilizationPercent: toNumber(row['utilization.gpu']),
		memoryUtilizationPercent: toNumber(row['utilization.memory']),
		memoryTotalBytes: totalMiB === null ? null : totalMiB * MIB,
		memoryUsedBytes: usedMiB === null ? null : usedMiB * MIB,
		memoryFreeBytes: freeMiB === null ? null : freeMiB * MIB,
		memoryUsedPercent: usedPercent(usedMiB, totalMiB),
		temperatureCelsius: toNumber(row['temperature.gpu']),
		powerDrawWatts: toNumber(row['power.draw']),
		powerLimitWatts: toNumber(row['power.limit']),
		fanSpeedPercent: toNumber(row['fan.speed']),
		clockGraphicsMhz: toNumber(row['clocks.gr']),
		clockMemoryMhz: toNumber(row['clocks.mem']),
		pstate: parsePstate(row.pstate),
		throttleReasons: reasons,
		throttled: isThrottled(reasons),
		eccErrorsUncorrected: toNumber(row['ecc.errors.uncorrected.volatile.total']),
		eccErrorsCorrected: toNumber(row['ecc.errors.corrected.volatile.total']),
		migEnabled: parseEnabled(row['mig.mode.current']),
	};
}

export interface ComputeApp {
	pid: number;
	name: string;
	uuid: string;
	usedMemoryBytes: number | null;
}

/**
 * Parses --query-compute-apps=pid,process_name,gpu_uuid,used_memory. A process name may itself
 * hold ", " (it is the command's argv[0]), so the name is whatever lies between the first column
 * and the last two rather than a fixed column.
 */
export function parseAppsCsv(text: string): { apps: ComputeApp[]; other: string[] } {
	const apps: ComputeApp[] = [];
	const other: string[] = [];
	for (const line of lines(text)) {
		const parts = line.split(',');
		const pid = Number(parts[0]?.trim());
		if (parts.length < APPS_FIELDS.length || !Number.isInteger(pid) || pid <= 0) {
			// "No running processes found" on some drivers, or an error line.
			if (!/no running processes found/i.test(line)) other.push(line.trim());
			continue;
		}
		const usedMiB = toNumber(parts[parts.length - 1]);
		apps.push({
			pid,
			name: parts
				.slice(1, parts.length - 2)
				.join(',')
				.trim(),
			uuid: parts[parts.length - 2].trim(),
			usedMemoryBytes: usedMiB === null ? null : usedMiB * MIB,
		});
	}
	return { apps, other };
}

/** `Field "clocks_event_reasons.active" is not a valid field to query.` -> the field. */
export function rejectedField(output: string): string | null {
	return /Field "([^"]+)" is not a valid field to query/.exec(output)?.[1] ?? null;
}

/** nvidia-smi's answer on a machine whose driver sees no GPU (exit code 6). */
export function saysNoDevices(output: string): boolean {
	return /No devices were found/i.test(output);
}

/**
 * The driver cannot be reached: not loaded (exit code 9, "NVIDIA-SMI has failed because it
 * couldn't communicate with the NVIDIA driver"), or user space and kernel module disagree after
 * an upgrade without reboot ("Failed to initialize NVML: Driver/library version mismatch").
 */
export function saysDriverUnreachable(code: number, output: string): boolean {
	return (
		code === 9 ||
		/couldn't communicate with the NVIDIA driver/i.test(output) ||
		/Failed to initialize NVML/i.test(output)
	);
}
