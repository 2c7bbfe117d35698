import { firstLines, runTool } from './exec';
import { pciGpus } from './pci';
import type { GpuInfo, VendorResult } from './types';
import { toNumber, toText, usedPercent } from './values';

/*
 * AMD GPUs through one `rocm-smi ... --json` call. Not --showallinfo: that also walks firmware
 * versions, topology, RAS and page tables; the flags below ask only for what maps onto the GPU
 * sample names, in one process. rocm-smi's JSON has one object per card ("card0": {...}) whose
 * keys are its display labels, and a "system" object (driver version). Labels changed between
 * ROCm releases (6.1 split "GPU memory use (%)" into "GPU Memory Allocated (VRAM%)" and
 * "GPU Memory Read/Write Activity (%)"; MI300 reports "Current Socket Graphics Package Power"
 * and has no edge sensor), so each value is looked up under its known spellings.
 *
 * Not mapped, because AMD has no equivalent in this output: pstate, throttle reasons, MIG, and
 * ECC totals (rocm-smi reports those per RAS block under a separate flag). Processes
 * (--showpids) are not parsed yet: AMD GPUs have no gpu_process_* series.
 *
 * Without the amdgpu driver rocm-smi prints "ERROR:root:Driver not initialized (amdgpu not
 * found in modules)" on stderr, nothing on stdout, and exits 0; like nvidia-smi's "no driver",
 * that is "no GPU" unless the PCI bus shows an AMD display device, and then a failure.
 */

export const ROCM_SMI_ARGS: readonly string[] = [
	'--showuniqueid',
	'--showproductname',
	'--showbus',
	'--showdriverversion',
	'--showuse',
	'--showmemuse',
	'--showtemp',
	'--showpower',
	'--showmaxpower',
	'--showfan',
	'--showclocks',
	'--showmeminfo',
	'vram',
	'--json',
];

export interface AmdOptions {
	rocmSmiPath: string;
	timeoutMs: number;
	sysRoot: string;
}

type Card = Record<string, string>;

function pick(card: Card, ...keys: string[]): string | undefined {
	for (const k of keys) if (card[k] !== undefined && toText(card[k]) !== null) return card[k];
	return undefined;
}

/** `(1725Mhz)` -> 1725. */
export function parseClock(raw: string | undefined): number | null {
	const m = /(\d+(?:\.\d+)?)\s*Mhz/i.exec(raw ?? '');
	return m ? Number(m[1]) : null;
}

/** The JSON object in rocm-smi's output; warnings may be printed before it. */
export function extractJson(stdout: string): Record<string, unknown> | null {
	const start = stdout.indexOf('{');
	const end = stdout.lastIndexOf('}');
	if (start < 0 || end < start) return null;
	try {
		const value = JSON.parse(stdout.slice(start, end + 1)) as unknown;
		return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

/** One card object -> the vendor-neutral GPU view. */
export function gpuFromCard(id: string, card: Card, driverVersion: string | null): GpuInfo {
	const index = /^card(\d+)$/.exec(id)?.[1] ?? id;
	const total = toNumber(card['VRAM Total Memory (B)']);
	const used = toNumber(card['VRAM Total Used Memory (B)']);
	const edge = toNumber(card['Temperature (Sensor edge) (C)']);
	const junction = toNumber(card['Temperature (Sensor junction) (C)']);
	const uuid = toText(card['Unique ID']) ?? toText(card['PCI Bus']) ?? `amd-card${index}`;
	return {
		vendor: 'amd',
		index,
		uuid,
		name: toText(pick(card, 'Device Name', 'Card Series', 'Card series', 'Card SKU')),
		driverVersion,
		utilizationPercent: toNumber(card['GPU use (%)']),
		// Memory controller activity: what NVIDIA's utilization.memory means.
		memoryUtilizationPercent: toNumber(
			pick(card, 'GPU Memory Read/Write Activity (%)', 'GPU memory use (%)'),
		),
		memoryTotalBytes: total,
		memoryUsedBytes: used,
		memoryFreeBytes: total !== null && used !== null ? total - used : null,
		memoryUsedPercent: usedPercent(used, total),
		temperatureCelsius: edge ?? junction,
		temperatureSensor: edge !== null ? 'edge' : junction !== null ? 'junction' : undefined,
		powerDrawWatts: toNumber(
			pick(card, 'Average Graphics Package Power (W)', 'Current Socket Graphics Package Power (W)'),
		),
		powerLimitWatts: toNumber(card['Max Graphics Package Power (W)']),
		fanSpeedPercent: toNumber(card['Fan speed (%)']),
		clockGraphicsMhz: parseClock(card['sclk clock speed:']),
		clockMemoryMhz: parseClock(card['mclk clock speed:']),
		pstate: null,
		throttleReasons: null,
		throttled: null,
		eccErrorsUncorrected: null,
		eccErrorsCorrected: null,
		migEnabled: null,
	};
}

/** All cards of a rocm-smi JSON document, in card order. */
export function parseRocmSmiJson(doc: Record<string, unknown>): GpuInfo[] {
	const system = (doc.system ?? {}) as Card;
	const driver = toText(system['Driver version']);
	return Object.keys(doc)
		.filter((k) => /^card\d+$/.test(k))
		.sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
		.map((k) => gpuFromCard(k, doc[k] as Card, driver));
}

function noGpu(path: string, status: 'absent' | 'no-device', message: string): VendorResult {
	return {
		source: { vendor: 'amd', tool: path, status, message },
		gpus: [],
		processes: [],
		warnings: [],
	};
}

export async function collectAmd(options: AmdOptions, signal: AbortSignal): Promise<VendorResult> {
	const path = options.rocmSmiPath;
	const run = await runTool(path, [...ROCM_SMI_ARGS], { timeoutMs: options.timeoutMs, signal });
	if (run.kind === 'missing') {
		return noGpu(
			path,
			'absent',
			path.includes('/')
				? `rocm-smi is not installed (${path} does not exist)`
				: `rocm-smi is not installed (not found on PATH=${process.env.PATH ?? ''})`,
		);
	}
	if (run.kind === 'timeout') {
		throw new Error(
			`${path} did not answer within ${run.timeoutMs} ms and was killed; the amdgpu driver may be hung`,
		);
	}
	const said = firstLines(`${run.stdout}\n${run.stderr}`) || `no output, exit code ${run.code}`;
	const doc = extractJson(run.stdout);
	const gpus = doc ? parseRocmSmiJson(doc) : [];
	if (gpus.length === 0) {
		if (run.code !== 0 && !/Driver not initialized|amdgpu not found/i.test(said)) {
			throw new Error(`${path} failed with exit code ${run.code}: ${said}`);
		}
		const onBus = await pciGpus(options.sysRoot, 'amd');
		if (onBus.length > 0 && /Driver not initialized|amdgpu not found/i.test(said)) {
			throw new Error(
				`amdgpu driver not loaded although ${onBus.length} AMD GPU(s) sit on the PCI bus ` +
					`(${onBus.join(', ')}): ${said}`,
			);
		}
		return noGpu(path, 'no-device', `rocm-smi found no AMD GPU (${said})`);
	}
	const warnings = run.code !== 0 ? [`rocm-smi exited with code ${run.code}: ${said}`] : [];
	return {
		source: { vendor: 'amd', tool: path, status: 'ok' },
		gpus,
		processes: [],
		warnings,
	};
}
