import type { CollectorState, CounterSet } from '../types';
import { firstLines, runTool, type ToolRun } from './exec';
import {
	appsQueryArgs,
	EVENT_REASONS_FIELD,
	gpuFromRow,
	GPU_FIELDS,
	gpuQueryArgs,
	OPTIONAL_FIELDS,
	parseAppsCsv,
	parseGpuCsv,
	rejectedField,
	saysDriverUnreachable,
	saysNoDevices,
	THROTTLE_REASONS_FIELD,
} from './nvidia-csv';
import { pciGpus } from './pci';
import { joinProcesses } from './processes';
import type { GpuSource, VendorResult } from './types';

/*
 * NVIDIA GPUs through nvidia-smi, at most two child processes per collection, run at the same
 * time: one `--query-gpu=<all fields>` for every GPU and one `--query-compute-apps=...` for the
 * processes. They cannot be one call: nvidia-smi takes exactly one --query-* option per run, and
 * the one call that covers both (`-q -x`, the full XML report) queries every sensor of every GPU
 * and costs several times as much. Run concurrently, the two cost one call's wall time.
 *
 * Outcomes, and why:
 *   nvidia-smi not installed (ENOENT)         -> no GPU, not a failure: most n8n hosts have none.
 *   "No devices were found" (exit 6)          -> no GPU, not a failure: the driver is loaded and
 *                                                sees nothing (a container given no GPU).
 *   driver unreachable (exit 9, NVML init)    -> no GPU when the PCI bus has no NVIDIA display
 *                                                device; a FAILURE when it has one, because then
 *                                                a GPU exists and its driver is down (crashed, not
 *                                                rebuilt for a new kernel, version mismatch after
 *                                                an upgrade): exactly what monitoring must flag.
 *   no answer within timeoutMs                -> FAILURE "driver may be hung", child SIGKILLed.
 *   some rows plus error lines / exit != 0    -> the GPUs that answered, with warnings (one GPU
 *                                                fallen off the bus does not hide the others).
 *   a field this driver does not know         -> the query is asked again without it (or with
 *                                                the old throttle name); the accepted list is
 *                                                remembered per nvidia-smi path for this process.
 */

export interface NvidiaOptions {
	nvidiaSmiPath: string;
	timeoutMs: number;
	processes: boolean;
	procRoot: string;
	sysRoot: string;
}

export interface NvidiaContext {
	signal: AbortSignal;
	previous?: CollectorState;
}

/**
 * Field list each nvidia-smi (by path) accepted. A capability of the installed driver, not
 * collection state: losing it (a restart, another worker) costs one rejected call, nothing more.
 */
const acceptedFields = new Map<string, readonly string[]>();

/** Forget what drivers accepted (tests switch fakes under the same path). */
export function resetNvidiaFieldCache(): void {
	acceptedFields.clear();
}

/** Enough for the event-reasons swap plus dropping every optional field once. */
const MAX_FIELD_RETRIES = OPTIONAL_FIELDS.size + 1;

function noGpu(path: string, status: GpuSource['status'], message: string): VendorResult {
	return {
		source: { vendor: 'nvidia', tool: path, status, message },
		gpus: [],
		processes: [],
		warnings: [],
	};
}

function timeoutError(path: string, ms: number, what: string): Error {
	return new Error(
		`${path} did not answer ${what} within ${ms} ms and was killed; the NVIDIA driver may be ` +
			'hung (a GPU in a bad state makes every nvidia-smi call hang; check dmesg for Xid errors)',
	);
}

function notInstalled(path: string): string {
	return path.includes('/')
		? `nvidia-smi is not installed (${path} does not exist)`
		: `nvidia-smi is not installed (not found on PATH=${process.env.PATH ?? ''})`;
}

export async function collectNvidia(
	options: NvidiaOptions,
	context: NvidiaContext,
): Promise<VendorResult> {
	const path = options.nvidiaSmiPath;
	const deadline = Date.now() + options.timeoutMs;
	const now = Date.now();

	// Started at once so that both calls wait on the driver together.
	const appsRun: Promise<ToolRun> | null = options.processes
		? runTool(path, appsQueryArgs(), { timeoutMs: options.timeoutMs, signal: context.signal })
		: null;
	// Its outcome is read below, or dropped when the GPU query decides first; never unhandled.
	appsRun?.catch(() => undefined);

	const { run, fields, dropped } = await queryGpus(path, deadline, context.signal);
	if (run.kind === 'missing') return noGpu(path, 'absent', notInstalled(path));
	if (run.kind === 'timeout') throw timeoutError(path, options.timeoutMs, 'the GPU query');

	const parsed = parseGpuCsv(run.stdout, fields);
	if (parsed.rows.length === 0) return noRows(path, run, options.sysRoot);
	const warnings: string[] = [];
	if (run.code !== 0) warnings.push(`nvidia-smi exited with code ${run.code}`);
	for (const line of parsed.other) warnings.push(`nvidia-smi: ${line}`);
	if (dropped.length > 0 || acceptedFields.has(path)) acceptedFields.set(path, fields);

	const gpus = parsed.rows.map(gpuFromRow);
	const apps = appsRun
		? await readProcesses(await appsRun, {
				options,
				warnings,
				indexByUuid: new Map(gpus.map((g) => [g.uuid, g.index])),
				previous: context.previous,
				now,
			})
		: undefined;
	return {
		source: sourceOf(path, fields),
		gpus,
		processes: apps?.processes ?? [],
		warnings,
		counters: apps?.counters ?? {},
		processesCollected: apps !== undefined,
	};
}

/**
 * The GPU query, asked again without each optional field this driver rejects (or with the old
 * throttle name). Returns the last run and the fields it asked.
 */
async function queryGpus(
	path: string,
	deadline: number,
	signal: AbortSignal,
): Promise<{ run: ToolRun; fields: readonly string[]; dropped: string[] }> {
	let fields = acceptedFields.get(path) ?? GPU_FIELDS;
	const dropped: string[] = [];
	let run: ToolRun;
	for (let attempt = 0; ; attempt++) {
		run = await runTool(path, gpuQueryArgs(fields), {
			timeoutMs: Math.max(1, deadline - Date.now()),
			signal,
		});
		if (run.kind !== 'exit' || run.code === 0) break;
		const field = rejectedField(`${run.stdout}\n${run.stderr}`);
		if (!field || attempt >= MAX_FIELD_RETRIES) break;
		if (!OPTIONAL_FIELDS.has(field) || !fields.includes(field)) {
			throw new Error(
				`${path} rejected the field "${field}": ${firstLines(run.stdout + run.stderr)}`,
			);
		}
		dropped.push(field);
		fields =
			field === EVENT_REASONS_FIELD
				? fields.map((f) => (f === field ? THROTTLE_REASONS_FIELD : f))
				: fields.filter((f) => f !== field);
	}
	return { run, fields, dropped };
}

/** A GPU query that listed no GPU: no GPU (absent, none seen, no driver and none on the bus) or a failure. */
async function noRows(
	path: string,
	run: Extract<ToolRun, { kind: 'exit' }>,
	sysRoot: string,
): Promise<VendorResult> {
	const output = `${run.stdout}\n${run.stderr}`;
	const said = firstLines(output) || `no output, exit code ${run.code}`;
	if (saysNoDevices(output)) {
		return noGpu(path, 'no-device', `nvidia-smi found no NVIDIA GPU (${said})`);
	}
	if (saysDriverUnreachable(run.code, output)) {
		const onBus = await pciGpus(sysRoot, 'nvidia');
		if (onBus.length > 0) {
			throw new Error(
				`NVIDIA driver unreachable although ${onBus.length} NVIDIA GPU(s) sit on the PCI bus ` +
					`(${onBus.join(', ')}): ${said}`,
			);
		}
		return noGpu(
			path,
			'no-device',
			`no NVIDIA GPU on the PCI bus; nvidia-smi is installed but reaches no driver (${said})`,
		);
	}
	if (run.code === 0) return noGpu(path, 'no-device', 'nvidia-smi listed no GPU');
	throw new Error(`${path} failed with exit code ${run.code}: ${said}`);
}

function sourceOf(path: string, fields: readonly string[]): GpuSource {
	return {
		vendor: 'nvidia',
		tool: path,
		status: 'ok',
		throttleField: fields.includes(EVENT_REASONS_FIELD)
			? EVENT_REASONS_FIELD
			: fields.includes(THROTTLE_REASONS_FIELD)
				? THROTTLE_REASONS_FIELD
				: undefined,
		// The throttle spelling standing in for the event-reasons one is a rename, not a loss.
		droppedFields: GPU_FIELDS.filter(
			(f) =>
				!fields.includes(f) &&
				!(f === EVENT_REASONS_FIELD && fields.includes(THROTTLE_REASONS_FIELD)),
		),
	};
}

/**
 * The process query's rows joined to their GPUs and /proc, or undefined (with a warning) when it
 * timed out or failed: the GPU rows came back, so the driver answers; keep them, say what is missing.
 */
async function readProcesses(
	apps: ToolRun,
	{
		options,
		warnings,
		indexByUuid,
		previous,
		now,
	}: {
		options: NvidiaOptions;
		warnings: string[];
		indexByUuid: Map<string, string>;
		previous: CollectorState | undefined;
		now: number;
	},
): Promise<{ processes: VendorResult['processes']; counters: CounterSet } | undefined> {
	if (apps.kind === 'timeout') {
		warnings.push(
			`processes: ${timeoutError(options.nvidiaSmiPath, options.timeoutMs, 'the process query').message}`,
		);
		return undefined;
	}
	if (apps.kind !== 'exit') return undefined;
	if (apps.code !== 0) {
		warnings.push(
			`processes: nvidia-smi exited with code ${apps.code}: ${firstLines(apps.stdout + apps.stderr)}`,
		);
		return undefined;
	}
	const table = parseAppsCsv(apps.stdout);
	for (const line of table.other) warnings.push(`processes: nvidia-smi: ${line}`);
	return joinProcesses({
		vendor: 'nvidia',
		apps: table.apps,
		indexByUuid,
		procRoot: options.procRoot,
		previous,
		now,
	});
}
