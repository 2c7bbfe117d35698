/*
 * GPU collector: NVIDIA through nvidia-smi (./nvidia.ts, parsers in ./nvidia-csv.ts), AMD
 * through rocm-smi (./amd.ts), each vendor's answer mapped onto one vendor-neutral view
 * (./types.ts) and one set of sample names (./samples.ts); GPU processes are joined with the
 * host's process table (./processes.ts). Child processes run asynchronously with a deadline
 * (./exec.ts), never blocking n8n's event loop.
 *
 * `vendor: 'auto'` (the default) asks both tools at once and keeps whatever answers. A host
 * without any GPU tool is not a failure: the collection is ok, has no GPU samples, and its
 * snapshot says "no GPU found: ..." with each tool's reason. A tool that is installed but sees
 * no GPU adds gpu_count 0 (a GPU server whose cards vanished should be able to alert on it).
 * A tool that hangs, or a driver that is down while its GPU sits on the PCI bus, fails the
 * collection (collector_up 0) with a message saying which.
 */
import type { Collector, CollectorOutput, CounterSet, Sample } from '../types';
import { collectAmd } from './amd';
import { collectNvidia } from './nvidia';
import { gpuSamples, processSamples } from './samples';
import type { GpuSnapshot, VendorResult } from './types';

export type { GpuInfo, GpuProcess, GpuSnapshot, GpuSource } from './types';

export interface GpuOptions {
	vendor?: 'auto' | 'nvidia' | 'amd';
	/** Defaults to `nvidia-smi`, looked up on PATH at each collection. */
	nvidiaSmiPath?: string;
	/** Defaults to `rocm-smi`, looked up on PATH at each collection. */
	rocmSmiPath?: string;
	/** Deadline for each vendor tool; it is killed after that. Default 10 s. */
	timeoutMs?: number;
	/** List the processes on each GPU (one more nvidia-smi call, run in parallel). Default true. */
	processes?: boolean;
	/** Where to read process details; tests point it elsewhere. */
	procRoot?: string;
	/** Where to look for GPUs on the PCI bus; tests point it at a fixture tree. */
	sysRoot?: string;
}

export const DEFAULT_GPU_TIMEOUT_MS = 10_000;

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export const gpuCollector: Collector<GpuOptions, GpuSnapshot> = {
	name: 'gpu',
	async collect(options, context): Promise<CollectorOutput<GpuSnapshot>> {
		const vendor = options.vendor ?? 'auto';
		const timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_GPU_TIMEOUT_MS);
		const sysRoot = options.sysRoot ?? '/sys';
		const time = Date.now();
		const runs: Array<Promise<VendorResult>> = [];
		if (vendor === 'auto' || vendor === 'nvidia') {
			runs.push(
				collectNvidia(
					{
						nvidiaSmiPath: options.nvidiaSmiPath || 'nvidia-smi',
						timeoutMs,
						processes: options.processes ?? true,
						procRoot: options.procRoot ?? '/proc',
						sysRoot,
					},
					{ signal: context.signal, previous: context.previous },
				),
			);
		}
		if (vendor === 'auto' || vendor === 'amd') {
			runs.push(
				collectAmd(
					{ rocmSmiPath: options.rocmSmiPath || 'rocm-smi', timeoutMs, sysRoot },
					context.signal,
				),
			);
		}
		const settled = await Promise.allSettled(runs);
		const failures = settled.flatMap((s) => (s.status === 'rejected' ? [message(s.reason)] : []));
		// One vendor's outage fails the whole collection: collector_up 0 is the signal to alert on,
		// and a half-filled collection would hide it.
		if (failures.length > 0) throw new Error(failures.join('; '));
		const results = settled.map((s) => (s as PromiseFulfilledResult<VendorResult>).value);

		const gpus = results.flatMap((r) => r.gpus);
		const processes = results.flatMap((r) => r.processes);
		const warnings = results.flatMap((r) => r.warnings);
		const counters: CounterSet = {};
		for (const r of results) Object.assign(counters, r.counters);

		const samples: Sample[] = gpuSamples(gpus);
		for (const r of results) {
			if (r.processesCollected) samples.push(...processSamples(r.gpus, r.processes));
		}
		if (results.some((r) => r.source.status !== 'absent')) {
			samples.push({ name: 'gpu_count', value: gpus.length });
		}

		const snapshot: GpuSnapshot = {
			gpus,
			processes,
			processesCollected: results.some((r) => r.processesCollected),
			sources: results.map((r) => r.source),
		};
		if (gpus.length === 0) {
			snapshot.message = `no GPU found: ${results
				.map((r) => r.source.message ?? `${r.source.tool} listed no GPU`)
				.join('; ')}`;
		}
		return { samples, snapshot, state: { time, counters }, warnings };
	},
};
