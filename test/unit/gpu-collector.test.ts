/*
 * The GPU collector end to end through runCollector, with real child processes.
 * Fakes only what this machine cannot have: a GPU. test/fixtures/gpu/fake-nvidia-smi and
 * fake-rocm-smi stand in for the vendor tools (put on PATH under their real names) and answer
 * only the collector's exact command lines, with the real tools' output formats and error texts.
 * The process table join reads this machine's real /proc (a `sleep` child spawned here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { gpuCollector, type GpuOptions, type GpuSnapshot } from '../../core/collectors/gpu';
import { findExecutable } from '../../core/collectors/gpu/exec';
import { resetNvidiaFieldCache } from '../../core/collectors/gpu/nvidia';
import { runCollector } from '../../core/collectors/run';
import type { Collection, CollectorState } from '../../core/collectors/types';

const FIXTURES = join(__dirname, '../fixtures/gpu');
const MIB = 1024 * 1024;
const ORIGINAL_PATH = process.env.PATH;

let dir: string;
let children: ChildProcess[] = [];

function useFakes(env: Record<string, string>, tools: { nvidia?: boolean; amd?: boolean } = {}) {
	const bin = join(dir, 'bin');
	mkdirSync(bin, { recursive: true });
	if (tools.nvidia ?? true) symlinkSync(join(FIXTURES, 'fake-nvidia-smi'), join(bin, 'nvidia-smi'));
	if (tools.amd) symlinkSync(join(FIXTURES, 'fake-rocm-smi'), join(bin, 'rocm-smi'));
	// Only the fakes and node (their interpreter): a real nvidia-smi elsewhere must not answer.
	process.env.PATH = `${bin}:${dirname(process.execPath)}`;
	Object.assign(process.env, env);
}

/** A fixture /sys with one PCI display device of the given vendor. */
function pciTree(vendor: string, driver = 'nvidia'): string {
	const sys = join(dir, 'sys');
	const dev = join(sys, 'bus/pci/devices/0000:3b:00.0');
	mkdirSync(dev, { recursive: true });
	writeFileSync(join(dev, 'vendor'), `${vendor}\n`);
	writeFileSync(join(dev, 'class'), '0x030200\n');
	mkdirSync(join(sys, 'drivers', driver), { recursive: true });
	symlinkSync(join(sys, 'drivers', driver), join(dev, 'driver'));
	return sys;
}

function emptySys(): string {
	const sys = join(dir, 'empty-sys');
	mkdirSync(join(sys, 'bus/pci/devices'), { recursive: true });
	return sys;
}

const collect = (options: GpuOptions = {}, previous?: CollectorState, timeoutMs = 10_000) =>
	runCollector(
		gpuCollector,
		{ sysRoot: emptySys(), ...options },
		{ host: 'test', previous, timeoutMs },
	);

function value(c: Collection, name: string, labels: Record<string, string> = {}) {
	const found = c.samples.filter(
		(s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
	);
	if (found.length > 1)
		throw new Error(`${name} ${JSON.stringify(labels)} matched ${found.length}`);
	return found[0]?.value;
}
const names = (c: Collection) => c.samples.map((s) => s.name);
const snap = (c: Collection) => c.snapshot as GpuSnapshot;

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function gone(pids: number[], ms = 3000): Promise<boolean> {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (pids.every((p) => !alive(p))) return true;
		await new Promise((r) => setTimeout(r, 50));
	}
	return false;
}

function start(cmd: string, args: string[]): ChildProcess {
	const child = spawn(cmd, args, { stdio: 'ignore' });
	children.push(child);
	return child;
}

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'gpu-test-'));
	resetNvidiaFieldCache();
	for (const k of Object.keys(process.env)) if (k.startsWith('FAKE_')) delete process.env[k];
});
afterEach(() => {
	process.env.PATH = ORIGINAL_PATH;
	for (const c of children) c.kill('SIGKILL');
	children = [];
	rmSync(dir, { recursive: true, force: true });
});

describe('NVIDIA through the fake nvidia-smi', () => {
	it('collects one H100 with its processes', async () => {
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'single' });
		const c = await collect({ vendor: 'nvidia' });
		expect(c.error).toBeUndefined();
		expect(c.ok).toBe(true);
		const gpu0 = { gpu: '0', uuid: 'GPU-00000000-0000-0000-0000-000000000000' };
		expect(value(c, 'gpu_count')).toBe(1);
		expect(value(c, 'gpu_utilization_percent', gpu0)).toBe(100);
		expect(value(c, 'gpu_memory_utilization_percent', gpu0)).toBe(11);
		expect(value(c, 'gpu_memory_total_bytes', gpu0)).toBe(81559 * MIB);
		expect(value(c, 'gpu_memory_used_bytes', gpu0)).toBe(19818 * MIB);
		expect(value(c, 'gpu_memory_free_bytes', gpu0)).toBe(61263 * MIB);
		expect(value(c, 'gpu_memory_used_percent', gpu0)).toBe(24.3);
		expect(value(c, 'gpu_temperature_celsius', gpu0)).toBe(59);
		expect(value(c, 'gpu_power_draw_watts', gpu0)).toBe(631.95);
		expect(value(c, 'gpu_power_limit_watts', gpu0)).toBe(700);
		expect(value(c, 'gpu_fan_speed_percent', gpu0)).toBeUndefined(); // [N/A] on an H100
		expect(value(c, 'gpu_clock_graphics_mhz', gpu0)).toBe(1980);
		expect(value(c, 'gpu_clock_memory_mhz', gpu0)).toBe(2619);
		expect(value(c, 'gpu_pstate', gpu0)).toBe(0);
		expect(value(c, 'gpu_throttled', gpu0)).toBe(0);
		expect(value(c, 'gpu_ecc_errors_uncorrected_total', gpu0)).toBe(0);
		expect(value(c, 'gpu_ecc_errors_corrected_total', gpu0)).toBe(0);
		expect(value(c, 'gpu_mig_enabled', gpu0)).toBe(0);
		expect(value(c, 'gpu_process_count', gpu0)).toBe(3);
		expect(value(c, 'gpu_processes_memory_bytes', gpu0)).toBe((2566 + 1542 + 15690) * MIB);
		expect(value(c, 'collector_up', { collector: 'gpu' })).toBe(1);
		const s = snap(c);
		expect(s.gpus[0].name).toBe('NVIDIA H100 80GB HBM3');
		expect(s.gpus[0].driverVersion).toBe('590.48.01');
		expect(s.sources).toEqual([
			expect.objectContaining({
				vendor: 'nvidia',
				status: 'ok',
				throttleField: 'clocks_event_reasons.active',
				droppedFields: [],
			}),
		]);
		expect(s.processes.map((p) => [p.pid, p.name, p.gpu])).toEqual([
			[11327, '/root/tools/memhog', '0'],
			[11328, '/root/tools/memhog', '0'],
			[11345, './gpu_burn', '0'],
		]);
		// Recorded on another machine: these pids are not memhog/gpu_burn here.
		for (const p of s.processes) {
			expect(p.inProcessTable).toBe(false);
			expect(p.user).toBeUndefined();
		}
		expect(s.message).toBeUndefined();
	});

	it('collects 8 GPUs and 50 processes, joining a real process of this machine', async () => {
		const sleeper = start('sleep', ['300']);
		const secret = start(process.execPath, [
			'-e',
			'setTimeout(() => {}, 300000)',
			'--',
			'--password=hunter2',
		]);
		await new Promise((r) => setTimeout(r, 200));
		const uuid2 = 'GPU-5e9b0c3d-2a7f-4d61-8c4e-f0a1b2c3d4e5';
		const apps = join(dir, 'apps.csv');
		writeFileSync(
			apps,
			readFileSync(join(FIXTURES, 'nvidia/eight.apps.csv'), 'utf8') +
				`${sleeper.pid}, sleep, ${uuid2}, 1024\n${secret.pid}, ${process.execPath}, ${uuid2}, 512\n`,
		);
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'eight', FAKE_NVIDIA_SMI_APPS: apps });
		const c = await collect();
		expect(c.ok).toBe(true);
		expect(value(c, 'gpu_count')).toBe(8);
		expect(c.samples.filter((s) => s.name === 'gpu_utilization_percent')).toHaveLength(8);
		const g = (i: number) => ({ gpu: String(i) });
		expect(value(c, 'gpu_throttled', g(3))).toBe(1); // sw_power_cap
		expect(value(c, 'gpu_throttled', g(5))).toBe(1); // thermal
		expect(value(c, 'gpu_throttled', g(6))).toBe(0); // idle only
		expect(value(c, 'gpu_ecc_errors_corrected_total', g(7))).toBe(12);
		expect(value(c, 'gpu_ecc_errors_uncorrected_total', g(7))).toBe(1);
		expect(value(c, 'gpu_process_count', g(0))).toBe(8);
		expect(value(c, 'gpu_process_count', g(2))).toBe(9);
		expect(value(c, 'gpu_process_count', g(6))).toBe(0);
		expect(value(c, 'gpu_processes_memory_bytes', g(6))).toBe(0);
		const s = snap(c);
		expect(s.gpus[5].throttleReasons).toEqual(['sw_thermal_slowdown', 'hw_thermal_slowdown']);
		expect(s.processes).toHaveLength(52);
		const memory2 = s.processes
			.filter((p) => p.gpu === '2')
			.reduce((a, p) => a + p.usedMemoryBytes!, 0);
		expect(value(c, 'gpu_processes_memory_bytes', g(2))).toBe(memory2);

		const me = userInfo().username;
		const sleep = s.processes.find((p) => p.pid === sleeper.pid)!;
		expect(sleep).toMatchObject({ inProcessTable: true, user: me, command: 'sleep 300', gpu: '2' });
		expect(sleep.usedMemoryBytes).toBe(1024 * MIB);
		expect(sleep.rssBytes).toBeGreaterThan(0);
		expect(sleep.cpuSeconds).toBeGreaterThanOrEqual(0);
		expect(sleep.cpuPercent).toBeNull(); // no previous counters yet
		const node = s.processes.find((p) => p.pid === secret.pid)!;
		expect(node.inProcessTable).toBe(true);
		expect(node.command).toContain('--password=***');
		expect(node.command).not.toContain('hunter2');
		for (const p of s.processes) {
			if (p.pid !== sleeper.pid && p.pid !== secret.pid && !existsSync(`/proc/${p.pid}`)) {
				expect(p.inProcessTable).toBe(false);
			}
		}
		// The CPU counters carry over: the next collection has a CPU % for the joined processes.
		expect(Object.keys(c.state!.counters).some((k) => k.startsWith(`${sleeper.pid}@`))).toBe(true);
		const again = await collect({}, { time: c.state!.time - 5000, counters: c.state!.counters });
		const sleepAgain = snap(again).processes.find((p) => p.pid === sleeper.pid)!;
		expect(sleepAgain.cpuPercent).toBe(0);
	});

	it('reads a MIG-enabled GPU: mode on, utilization absent, memory present', async () => {
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'mig' });
		const c = await collect({ vendor: 'nvidia' });
		expect(c.ok).toBe(true);
		expect(value(c, 'gpu_mig_enabled', { gpu: '0' })).toBe(1);
		expect(value(c, 'gpu_utilization_percent', { gpu: '0' })).toBeUndefined();
		expect(value(c, 'gpu_memory_utilization_percent', { gpu: '0' })).toBeUndefined();
		expect(value(c, 'gpu_memory_used_bytes', { gpu: '0' })).toBe(11125 * MIB);
		expect(value(c, 'gpu_process_count', { gpu: '0' })).toBe(3);
	});

	it('leaves out the samples a GPU cannot give and keeps the rest', async () => {
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'na' });
		const c = await collect({ vendor: 'nvidia' });
		expect(c.ok).toBe(true);
		const g0 = { gpu: '0' };
		for (const n of [
			'gpu_utilization_percent',
			'gpu_temperature_celsius',
			'gpu_power_draw_watts',
			'gpu_fan_speed_percent',
			'gpu_pstate',
			'gpu_throttled',
			'gpu_ecc_errors_uncorrected_total',
			'gpu_mig_enabled',
			'gpu_processes_memory_bytes',
		]) {
			expect([n, value(c, n, g0)]).toEqual([n, undefined]);
		}
		expect(value(c, 'gpu_memory_utilization_percent', g0)).toBe(3);
		expect(value(c, 'gpu_power_limit_watts', g0)).toBe(250);
		expect(value(c, 'gpu_process_count', g0)).toBe(1);
		expect(value(c, 'gpu_temperature_celsius', { gpu: '1' })).toBe(45);
		expect(value(c, 'gpu_fan_speed_percent', { gpu: '1' })).toBe(38);
		expect(snap(c).processes[0]).toMatchObject({
			name: '[Not Found]',
			usedMemoryBytes: null,
			inProcessTable: false,
		});
	});

	it('falls back to clocks_throttle_reasons on an old driver, once', async () => {
		const pids = join(dir, 'pids');
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'legacy', FAKE_NVIDIA_SMI_PIDFILE: pids });
		const first = await collect({ vendor: 'nvidia' });
		expect(first.ok).toBe(true);
		expect(snap(first).sources[0].throttleField).toBe('clocks_throttle_reasons.active');
		expect(snap(first).sources[0].droppedFields).toEqual([]);
		expect(value(first, 'gpu_throttled', { gpu: '0' })).toBe(0);
		// rejected query + retried query + process query
		expect(readFileSync(pids, 'utf8').trim().split('\n')).toHaveLength(3);
		const second = await collect({ vendor: 'nvidia' });
		expect(value(second, 'gpu_throttled', { gpu: '0' })).toBe(0);
		expect(readFileSync(pids, 'utf8').trim().split('\n')).toHaveLength(5);
	});

	it('fails within its timeout on a hung driver and kills nvidia-smi', async () => {
		const pids = join(dir, 'pids');
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'hang', FAKE_NVIDIA_SMI_PIDFILE: pids });
		const started = Date.now();
		// Deadlines well above a Node.js start on a loaded 2-core machine, so the fake has surely
		// started (and written its pid) before it is killed.
		const c = await collect({ vendor: 'nvidia', timeoutMs: 2000 });
		expect(c.ok).toBe(false);
		expect(c.error).toMatch(
			/did not answer the GPU query within 2000 ms and was killed; the NVIDIA driver may be hung/,
		);
		expect(Date.now() - started).toBeLessThan(4500);
		expect(value(c, 'collector_up', { collector: 'gpu' })).toBe(0);
		const started2 = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
		expect(started2).toHaveLength(2); // GPU query and process query, run together
		expect(await gone(started2)).toBe(true);
	});

	it('kills nvidia-smi when runCollector aborts the collection first', async () => {
		const pids = join(dir, 'pids');
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'hang', FAKE_NVIDIA_SMI_PIDFILE: pids });
		const c = await collect({ vendor: 'nvidia', timeoutMs: 60_000 }, undefined, 2000);
		expect(c.ok).toBe(false);
		expect(c.error).toBe('gpu collector timed out after 2000 ms');
		await new Promise((r) => setTimeout(r, 100));
		const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
		expect(started.length).toBeGreaterThan(0);
		expect(await gone(started)).toBe(true);
	});

	it('reports no GPU, not a failure, when nvidia-smi is not installed', async () => {
		useFakes({}, { nvidia: false });
		const c = await collect({ vendor: 'nvidia' });
		expect(c.ok).toBe(true);
		expect(names(c).sort()).toEqual(['collector_duration_seconds', 'collector_up']);
		expect(snap(c).message).toBe(
			`no GPU found: nvidia-smi is not installed (not found on PATH=${process.env.PATH})`,
		);
		expect(snap(c).sources[0].status).toBe('absent');
		const explicit = await collect({
			vendor: 'nvidia',
			nvidiaSmiPath: join(dir, 'nope/nvidia-smi'),
		});
		expect(explicit.ok).toBe(true);
		expect(snap(explicit).message).toContain('does not exist');
	});

	it('reports no GPU when the driver sees none', async () => {
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'nodevice' });
		const c = await collect({ vendor: 'nvidia', sysRoot: pciTree('0x10de') });
		expect(c.ok).toBe(true);
		expect(value(c, 'gpu_count')).toBe(0);
		expect(snap(c).message).toBe(
			'no GPU found: nvidia-smi found no NVIDIA GPU (No devices were found)',
		);
	});

	it('no driver: no GPU when the PCI bus has no NVIDIA GPU, a failure when it has one', async () => {
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'nodriver' });
		const none = await collect({ vendor: 'nvidia' });
		expect(none.ok).toBe(true);
		expect(value(none, 'gpu_count')).toBe(0);
		expect(snap(none).message).toMatch(
			/^no GPU found: no NVIDIA GPU on the PCI bus; .*couldn't communicate/,
		);

		const down = await collect({ vendor: 'nvidia', sysRoot: pciTree('0x10de') });
		expect(down.ok).toBe(false);
		expect(down.error).toMatch(
			/^NVIDIA driver unreachable although 1 NVIDIA GPU\(s\) sit on the PCI bus \(0000:3b:00\.0\)/,
		);
		expect(value(down, 'collector_up', { collector: 'gpu' })).toBe(0);
	});

	it("no driver with the GPU handed to a VM (vfio-pci) is not this host's failure", async () => {
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'nodriver' });
		const c = await collect({ vendor: 'nvidia', sysRoot: pciTree('0x10de', 'vfio-pci') });
		expect(c.ok).toBe(true);
	});

	it('omits the process series when processes are off', async () => {
		const pids = join(dir, 'pids');
		useFakes({ FAKE_NVIDIA_SMI_SCENARIO: 'single', FAKE_NVIDIA_SMI_PIDFILE: pids });
		const c = await collect({ vendor: 'nvidia', processes: false });
		expect(c.ok).toBe(true);
		expect(names(c)).not.toContain('gpu_process_count');
		expect(snap(c).processesCollected).toBe(false);
		expect(readFileSync(pids, 'utf8').trim().split('\n')).toHaveLength(1);
	});
});

describe('AMD through the fake rocm-smi', () => {
	it('collects one MI50', async () => {
		useFakes({ FAKE_ROCM_SMI_SCENARIO: 'single' }, { nvidia: false, amd: true });
		const c = await collect({ vendor: 'amd' });
		expect(c.ok).toBe(true);
		const g = { gpu: '0', uuid: '0x2f048617326b1ea' };
		expect(value(c, 'gpu_count')).toBe(1);
		expect(value(c, 'gpu_utilization_percent', g)).toBe(0);
		expect(value(c, 'gpu_temperature_celsius', g)).toBe(36);
		expect(value(c, 'gpu_power_draw_watts', g)).toBe(26);
		expect(value(c, 'gpu_power_limit_watts', g)).toBe(225);
		expect(value(c, 'gpu_fan_speed_percent', g)).toBe(0);
		expect(value(c, 'gpu_clock_graphics_mhz', g)).toBe(1725);
		expect(value(c, 'gpu_clock_memory_mhz', g)).toBe(1000);
		expect(value(c, 'gpu_memory_total_bytes', g)).toBe(34342961152);
		expect(value(c, 'gpu_memory_used_bytes', g)).toBe(10850304);
		expect(value(c, 'gpu_memory_free_bytes', g)).toBe(34342961152 - 10850304);
		expect(value(c, 'gpu_pstate', g)).toBeUndefined();
		expect(names(c)).not.toContain('gpu_process_count');
		expect(snap(c).gpus[0]).toMatchObject({
			vendor: 'amd',
			name: 'Radeon Instinct MI50 32GB',
			driverVersion: '5.9.17',
		});
	});

	it('collects four MI100s', async () => {
		useFakes({ FAKE_ROCM_SMI_SCENARIO: 'multi' }, { nvidia: false, amd: true });
		const c = await collect({ vendor: 'amd' });
		expect(c.ok).toBe(true);
		expect(value(c, 'gpu_count')).toBe(4);
		expect(c.samples.filter((s) => s.name === 'gpu_power_draw_watts').map((s) => s.value)).toEqual([
			36, 44, 43, 39,
		]);
		expect(value(c, 'gpu_temperature_celsius', { gpu: '3' })).toBe(51);
	});

	it('no amdgpu driver: no GPU, or a failure when an AMD GPU is on the PCI bus', async () => {
		useFakes({ FAKE_ROCM_SMI_SCENARIO: 'nodriver' }, { nvidia: false, amd: true });
		const none = await collect({ vendor: 'amd' });
		expect(none.ok).toBe(true);
		expect(snap(none).message).toContain('amdgpu not found in modules');
		const down = await collect({ vendor: 'amd', sysRoot: pciTree('0x1002', 'none') });
		expect(down.ok).toBe(false);
		expect(down.error).toMatch(/^amdgpu driver not loaded although 1 AMD GPU/);
	});
});

describe('auto', () => {
	it('merges NVIDIA and AMD GPUs', async () => {
		useFakes(
			{ FAKE_NVIDIA_SMI_SCENARIO: 'single', FAKE_ROCM_SMI_SCENARIO: 'multi' },
			{ amd: true },
		);
		const c = await collect();
		expect(c.ok).toBe(true);
		expect(value(c, 'gpu_count')).toBe(5);
		// Index 0 of each vendor: told apart by uuid.
		expect(
			value(c, 'gpu_power_draw_watts', {
				gpu: '0',
				uuid: 'GPU-00000000-0000-0000-0000-000000000000',
			}),
		).toBe(631.95);
		expect(value(c, 'gpu_power_draw_watts', { gpu: '0', uuid: '0x79ccd55167a2124a' })).toBe(36);
		expect(snap(c).sources.map((s) => s.status)).toEqual(['ok', 'ok']);
	});

	it('looks tools up on PATH as execFile would, so a missing one is never spawned', () => {
		useFakes({}, { nvidia: true });
		const bin = join(dir, 'bin');
		expect(findExecutable('nvidia-smi')).toBe(join(bin, 'nvidia-smi'));
		expect(findExecutable('rocm-smi')).toBeUndefined();
		expect(findExecutable(join(bin, 'nvidia-smi'), '')).toBe(join(bin, 'nvidia-smi'));
		expect(findExecutable(join(bin, 'rocm-smi'), bin)).toBeUndefined();
		expect(findExecutable('nvidia-smi', `/nonexistent${delimiter}${bin}`)).toBe(
			join(bin, 'nvidia-smi'),
		);
	});

	it('with no tool at all: ok, no GPU samples, says why', async () => {
		useFakes({}, { nvidia: false });
		const c = await collect();
		expect(c.ok).toBe(true);
		expect(names(c).sort()).toEqual(['collector_duration_seconds', 'collector_up']);
		expect(snap(c).message).toMatch(
			/^no GPU found: nvidia-smi is not installed .*; rocm-smi is not installed/,
		);
	});
});
