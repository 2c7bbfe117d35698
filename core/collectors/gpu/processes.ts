import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { CLOCK_TICKS } from '../host/part';
import { cleanCommand, parsePasswd, parsePidStat, systemPageSize } from '../host/processes';
import { ratesFromCounters } from '../rates';
import type { CollectorState, CounterSet } from '../types';
import type { ComputeApp } from './nvidia-csv';
import type { GpuProcess, GpuVendor } from './types';
import { round } from './values';

/*
 * Joins the processes a GPU tool lists with this machine's process table: /proc/PID/stat (CPU
 * ticks, RSS, start time), /proc/PID/status (the real uid, named through /etc/passwd) and
 * /proc/PID/cmdline (cut and masked like the host collector's top processes, since it lands in
 * the store and on a dashboard). Only the few GPU pids are read, never all of /proc.
 *
 * nvidia-smi reports pids as the driver sees them, i.e. in the host's PID namespace. When n8n
 * runs in a container the same number may be missing here or belong to another program; a pid
 * whose program does not match the name nvidia-smi gave is therefore left unjoined
 * (inProcessTable: false) instead of showing a stranger's command line.
 */

interface ProcRead {
	comm: string;
	key: string;
	ticks: number;
	rssPages: number;
	uid: number | null;
	cmdline: string;
}

/** `Uid:\t1000\t1000\t1000\t1000` (real, effective, saved, fs) -> the real uid. */
export function parseStatusUid(text: string): number | null {
	const m = /^Uid:\s+(\d+)/m.exec(text);
	return m ? Number(m[1]) : null;
}

/**
 * Whether the process in our table is the program the GPU tool named. The tool gives argv[0]
 * (`/usr/bin/python3`, `./gpu_burn`, `ffmpeg`); comm is the executable name cut to 15 bytes, and
 * some programs rename it (PyTorch's `pt_main_thread`), so argv[0] is compared first.
 */
export function sameProgram(toolName: string, comm: string, cmdline: string): boolean {
	const name = toolName.trim();
	if (!name || name.startsWith('[')) return false;
	const argv0 = cmdline.split('\0')[0] ?? '';
	if (argv0 && (argv0 === name || basename(argv0) === basename(name))) return true;
	return comm === basename(name).slice(0, 15);
}

async function readProc(procRoot: string, pid: number): Promise<ProcRead | null> {
	const dir = `${procRoot}/${pid}`;
	const [stat, status, cmdline] = await Promise.all([
		fs.readFile(`${dir}/stat`, 'utf8').catch(() => null),
		fs.readFile(`${dir}/status`, 'utf8').catch(() => null),
		fs.readFile(`${dir}/cmdline`, 'utf8').catch(() => ''),
	]);
	if (stat === null) return null;
	try {
		const s = parsePidStat(stat);
		return {
			comm: s.name,
			key: `${pid}@${s.start}`,
			ticks: s.ticks,
			rssPages: s.rssPages,
			uid: status === null ? null : parseStatusUid(status),
			cmdline,
		};
	} catch {
		return null;
	}
}

export interface JoinInput {
	vendor: GpuVendor;
	apps: ComputeApp[];
	/** GPU uuid -> index (the `gpu` label). */
	indexByUuid: Map<string, string>;
	procRoot: string;
	previous?: CollectorState;
	/** Time of this reading, Unix ms. */
	now: number;
}

/** Counters older than this make a poor base for CPU %, like the host collector's. */
const MAX_PREVIOUS_AGE_MS = 10 * 60_000;

export async function joinProcesses(
	input: JoinInput,
): Promise<{ processes: GpuProcess[]; counters: CounterSet }> {
	const counters: CounterSet = {};
	if (input.apps.length === 0) return { processes: [], counters };
	const pids = [...new Set(input.apps.map((a) => a.pid))];
	const reads = new Map<number, ProcRead | null>();
	await Promise.all(pids.map(async (pid) => reads.set(pid, await readProc(input.procRoot, pid))));
	const users = await fs
		.readFile('/etc/passwd', 'utf8')
		.then(parsePasswd)
		.catch(() => new Map<number, string>());

	for (const r of reads.values()) if (r) counters[r.key] = r.ticks;
	const previous = input.previous;
	const age = previous ? input.now - previous.time : NaN;
	const rates =
		previous && age > 0 && age <= MAX_PREVIOUS_AGE_MS
			? ratesFromCounters(previous.counters, counters, age / 1000)
			: {};
	const page = systemPageSize();

	const processes = input.apps.map((app): GpuProcess => {
		const base: GpuProcess = {
			vendor: input.vendor,
			gpu: input.indexByUuid.get(app.uuid) ?? null,
			uuid: app.uuid,
			pid: app.pid,
			name: app.name,
			usedMemoryBytes: app.usedMemoryBytes,
			inProcessTable: false,
		};
		const r = reads.get(app.pid);
		if (!r || !sameProgram(app.name, r.comm, r.cmdline)) return base;
		const rate = rates[r.key];
		return {
			...base,
			inProcessTable: true,
			user: r.uid === null ? undefined : (users.get(r.uid) ?? String(r.uid)),
			command: cleanCommand(r.cmdline, r.comm),
			rssBytes: r.rssPages * page,
			cpuSeconds: round(r.ticks / CLOCK_TICKS),
			cpuPercent: rate === undefined ? null : round((100 * rate) / CLOCK_TICKS),
		};
	});
	return { processes, counters };
}
