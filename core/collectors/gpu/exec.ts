import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/*
 * Runs a vendor tool once, asynchronously, and reports what happened as data. Why not
 * execFileSync (as systeminformation does): a GPU whose driver is wedged makes nvidia-smi hang
 * inside the kernel for minutes, and a synchronous call would freeze n8n's whole event loop for
 * that long. Here the child gets a deadline (`timeout`, SIGKILL: a tool stuck in an ioctl
 * ignores SIGTERM) and is also killed when the collection is aborted (runCollector's signal).
 * A process in uninterruptible sleep (state D) cannot be killed by anyone; the promise still
 * settles at the deadline because Node stops waiting for it, and the zombie is reaped whenever
 * the kernel lets it go.
 */

export type ToolRun =
	| { kind: 'exit'; code: number; stdout: string; stderr: string }
	/** The executable does not exist (ENOENT): the vendor's software is not installed. */
	| { kind: 'missing'; path: string }
	| { kind: 'timeout'; timeoutMs: number };

export interface ToolOptions {
	timeoutMs: number;
	signal: AbortSignal;
}

/** Large enough for 8 GPUs and hundreds of processes; nvidia-smi's answer is a few KiB. */
const MAX_BUFFER = 16 * 1024 * 1024;

/**
 * Whether `file` would be found the way execFile finds it (PATH, or the path as given). Asked
 * first because most n8n hosts have no GPU tool: spawning only to get ENOENT forks n8n's whole
 * process, ~80 ms of its main thread each time it was profiled (two tools a minute), where a
 * few access() calls cost microseconds.
 */
export function findExecutable(file: string, path = process.env.PATH ?? ''): string | undefined {
	const candidates = file.includes('/')
		? [file]
		: path.split(delimiter).map((dir) => join(dir || '.', file));
	for (const candidate of candidates) {
		try {
			accessSync(candidate, constants.F_OK);
			return candidate;
		} catch {
			// not here
		}
	}
	return undefined;
}

export function runTool(file: string, args: string[], options: ToolOptions): Promise<ToolRun> {
	return new Promise((resolve, reject) => {
		if (options.signal.aborted) return reject(new Error('aborted'));
		if (!findExecutable(file)) return resolve({ kind: 'missing', path: file });
		let timedOut = false;
		const timer = setTimeout(() => {
			// Our own deadline rather than execFile's `timeout`, so that the result says which of
			// the two (deadline or abort) ended the child.
			timedOut = true;
			child.kill('SIGKILL');
		}, options.timeoutMs);
		const child = execFile(
			file,
			args,
			{
				encoding: 'utf8',
				maxBuffer: MAX_BUFFER,
				killSignal: 'SIGKILL',
				signal: options.signal,
				windowsHide: true,
				// The environment of now, not of when the module was loaded: PATH may change.
				env: process.env,
			},
			(error, stdout, stderr) => {
				clearTimeout(timer);
				if (timedOut) return resolve({ kind: 'timeout', timeoutMs: options.timeoutMs });
				if (!error) return resolve({ kind: 'exit', code: 0, stdout, stderr });
				const e = error as NodeJS.ErrnoException & { code?: unknown; signal?: unknown };
				if (e.code === 'ENOENT') return resolve({ kind: 'missing', path: file });
				if (e.name === 'AbortError') return reject(new Error('aborted'));
				if (typeof e.code === 'number') {
					return resolve({ kind: 'exit', code: e.code, stdout, stderr });
				}
				if (e.signal) {
					return reject(new Error(`${file} was killed by ${String(e.signal)}`));
				}
				reject(new Error(`${file}: ${e.message}`));
			},
		);
	});
}

/** The first few non-empty lines of a tool's output, for an error message. */
export function firstLines(text: string, count = 3): string {
	return text
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean)
		.slice(0, count)
		.join(' | ');
}
