import { readdirSync, readFileSync, statSync, promises as fs } from 'node:fs';
import type { CounterSet, Sample } from '../types';
import { CLOCK_TICKS, readOptionalAsync, round, type HostPart } from './part';

/*
 * process_count is one readdir of /proc. The top lists (off by default) read /proc/PID/stat of
 * every process, then cmdline and owner only for the few that made a list. CPU counters are keyed
 * by pid and start time, so a recycled pid starts fresh instead of looking like a counter reset.
 * Command lines are cut short and values of password/token/secret-like arguments are masked:
 * they end up in the store and on a dashboard.
 */
const COMMAND_MAX = 200;
const SECRET_ARG =
	/((?:pass(?:word|wd)?|secret|token|api[-_]?key|auth|credentials?)[\w-]*[=:\s]\s*)\S+/gi;

export interface ProcStat {
	pid: number;
	name: string;
	key: string;
	ticks: number;
	rssPages: number;
}

export interface ProcessesRaw {
	count: number;
	top: number;
	procs: ProcStat[];
}

export interface TopProcess {
	pid: number;
	name: string;
	user: string;
	cpuPercent: number | null;
	rssBytes: number;
	command: string;
}

let pageSize: number | undefined;
/** The kernel counts RSS in pages; 4 KiB on x86, 16 or 64 KiB on some arm64 kernels. */
export function systemPageSize(): number {
	if (pageSize !== undefined) return pageSize;
	pageSize = 4096;
	try {
		const pages = Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
		const ratio = process.memoryUsage.rss() / pages;
		const candidate = [4096, 16384, 65536].find((p) => Math.abs(ratio - p) / p < 0.25);
		if (candidate) pageSize = candidate;
	} catch {
		// keep 4 KiB
	}
	return pageSize;
}

export function parsePidStat(text: string): Omit<ProcStat, 'key'> & { start: string } {
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	if (open < 0 || close < open) throw new Error('unreadable stat');
	const rest = text.slice(close + 2).split(' ');
	// rest[0] is field 3 (state): utime 14, stime 15, starttime 22, rss 24.
	return {
		pid: Number(text.slice(0, open)),
		name: text.slice(open + 1, close),
		ticks: Number(rest[11]) + Number(rest[12]),
		start: rest[19],
		rssPages: Number(rest[21]),
	};
}

export function cleanCommand(raw: string, fallback: string): string {
	const text = raw
		.replace(/\0+$/, '')
		.replace(/\0/g, ' ')
		.replace(/[\x00-\x1f\x7f]/g, ' ')
		.trim();
	const masked = (text || `[${fallback}]`).replace(SECRET_ARG, '$1***');
	return masked.length > COMMAND_MAX ? `${masked.slice(0, COMMAND_MAX - 1)}…` : masked;
}

export function parsePasswd(text: string): Map<number, string> {
	const users = new Map<number, string>();
	for (const line of text.split('\n')) {
		const [name, , uid] = line.split(':');
		if (name && uid !== undefined && !users.has(Number(uid))) users.set(Number(uid), name);
	}
	return users;
}

function pids(procRoot: string): string[] {
	return readdirSync(procRoot).filter((d) => d.charCodeAt(0) <= 57 && /^\d+$/.test(d));
}

/** /proc/PID/stat is made from the task's counters without the memory map lock: read at once. */
function pidStat(file: string): ReturnType<typeof parsePidStat> | null {
	try {
		return parsePidStat(readFileSync(file, 'utf8'));
	} catch {
		return null; // the process ended between readdir and read
	}
}

/** The owner of /proc/PID (its real uid); a stat of procfs, answered from memory. */
function owner(dir: string): number | undefined {
	try {
		return statSync(dir).uid;
	} catch {
		return undefined;
	}
}

/**
 * Command line and owner of the processes that made a list, per process (pid and start time),
 * kept for a while: the same few processes top the lists collection after collection, and each
 * fresh cmdline read is a thread-pool round trip (~0.1 ms CPU; 20 of them were a third of a
 * Top Processes collection). Only the processes of the latest lists are kept.
 */
const DETAILS_MAX_AGE_MS = 10 * 60_000;
let details = new Map<string, { command: string; uid: number | undefined; at: number }>();

let passwd: { mtimeMs: number; users: Map<number, string> } | undefined;
/** /etc/passwd, parsed again only when it changed. */
async function users(): Promise<Map<number, string>> {
	let mtimeMs: number;
	try {
		mtimeMs = statSync('/etc/passwd').mtimeMs;
	} catch {
		return new Map();
	}
	if (passwd?.mtimeMs !== mtimeMs) {
		const text = await readOptionalAsync('/etc/passwd').catch(() => undefined);
		passwd = { mtimeMs, users: parsePasswd(text ?? '') };
	}
	return passwd.users;
}

export const processesPart: HostPart<ProcessesRaw> = {
	name: 'processes',
	hasCounters: true,
	async read(env) {
		const all = pids(env.procRoot);
		const counters: CounterSet = {};
		const procs: ProcStat[] = [];
		if (env.topProcesses > 0) {
			for (const pid of all) {
				const s = pidStat(`${env.procRoot}/${pid}/stat`);
				if (!s || !Number.isFinite(s.ticks)) continue;
				const key = `${s.pid}@${s.start}`;
				counters[key] = s.ticks;
				procs.push({ pid: s.pid, name: s.name, key, ticks: s.ticks, rssPages: s.rssPages });
			}
		}
		return { counters, raw: { count: all.length, top: env.topProcesses, procs } };
	},
	async build({ raw, rates, env }) {
		const samples: Sample[] = [{ name: 'process_count', value: raw.count }];
		if (raw.top <= 0) return { samples, snapshot: {} };
		const cpu = (p: ProcStat) => rates[p.key];
		const byCpuRaw = raw.procs
			.filter((p) => cpu(p) !== undefined)
			.sort((a, b) => cpu(b) - cpu(a) || b.rssPages - a.rssPages)
			.slice(0, raw.top);
		const byMemRaw = [...raw.procs].sort((a, b) => b.rssPages - a.rssPages).slice(0, raw.top);
		const chosen = new Map<number, ProcStat>();
		for (const p of [...byCpuRaw, ...byMemRaw]) chosen.set(p.pid, p);
		const names = await users();
		const page = systemPageSize();
		const now = Date.now();
		const known = details;
		details = new Map();
		const top = new Map<number, TopProcess>();
		await Promise.all(
			[...chosen.values()].map(async (p) => {
				const cacheKey = `${env.procRoot}/${p.key}`;
				let seen = known.get(cacheKey);
				if (!seen || now - seen.at > DETAILS_MAX_AGE_MS) {
					// cmdline reads the process's memory under its map lock, which a process stuck in
					// a page fault holds: asynchronous, so such a process cannot stall n8n.
					const cmdline = await fs
						.readFile(`${env.procRoot}/${p.pid}/cmdline`, 'utf8')
						.catch(() => '');
					seen = {
						command: cleanCommand(cmdline, p.name),
						uid: owner(`${env.procRoot}/${p.pid}`),
						at: now,
					};
				}
				details.set(cacheKey, seen);
				const rate = cpu(p);
				top.set(p.pid, {
					pid: p.pid,
					name: p.name,
					user: seen.uid === undefined ? '' : (names.get(seen.uid) ?? String(seen.uid)),
					cpuPercent: rate === undefined ? null : round((100 * rate) / CLOCK_TICKS),
					rssBytes: p.rssPages * page,
					command: seen.command,
				});
			}),
		);
		const pick = (list: ProcStat[]) => list.map((p) => top.get(p.pid)!);
		return {
			samples,
			snapshot: {
				processes: { count: raw.count, byCpu: pick(byCpuRaw), byMemory: pick(byMemRaw) },
			},
		};
	},
};
