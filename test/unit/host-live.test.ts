import { spawn, type ChildProcess } from 'node:child_process';
import { hostCollector } from '../../core/collectors/host';
import { runCollector } from '../../core/collectors/run';
import type { Collector, CollectorOutput } from '../../core/collectors/types';

/* The real collector against this machine's own /proc and /sys. */
const signal = new AbortController().signal;
const values = (out: CollectorOutput, name: string) =>
	out.samples.filter((s) => s.name === name).map((s) => s.value);

describe('host collector on this machine', () => {
	let first: Awaited<ReturnType<typeof hostCollector.collect>>;
	beforeAll(async () => {
		first = await hostCollector.collect({}, { signal });
	});

	it('reports CPU usage per core and in total within 0..100', () => {
		const cpu = first.samples.filter((s) => s.name === 'cpu_usage_percent');
		const count = values(first, 'cpu_count')[0];
		expect(count).toBeGreaterThanOrEqual(1);
		expect(cpu.find((s) => s.labels?.cpu === 'total')).toBeDefined();
		expect(cpu.length).toBe(count + 1);
		for (const s of cpu) {
			expect(s.value).toBeGreaterThanOrEqual(0);
			expect(s.value).toBeLessThanOrEqual(100);
		}
		const modes = values(first, 'cpu_mode_percent');
		expect(modes.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
		expect(values(first, 'load_average')).toHaveLength(3);
	});

	it('reports memory with used <= total', () => {
		const [total] = values(first, 'memory_total_bytes');
		const [used] = values(first, 'memory_used_bytes');
		expect(total).toBeGreaterThan(64 * 1024 * 1024);
		expect(used).toBeGreaterThan(0);
		expect(used).toBeLessThanOrEqual(total);
		expect(values(first, 'memory_used_percent')[0]).toBeLessThanOrEqual(100);
	});

	it('reports the root filesystem', () => {
		const root = first.samples.find(
			(s) => s.name === 'filesystem_size_bytes' && s.labels?.mount === '/',
		);
		expect(root?.value).toBeGreaterThan(0);
		expect(first.snapshot.filesystems?.some((f) => f.mount === '/proc')).toBe(false);
	});

	it('has finite network and disk rates on the first collection', () => {
		const net = first.samples.filter((s) => s.name === 'net_rx_bytes_per_second');
		expect(net.length).toBeGreaterThan(0);
		const rates = first.samples.filter((s) => s.name.endsWith('_per_second'));
		for (const s of rates) {
			expect(Number.isFinite(s.value)).toBe(true);
			expect(s.value).toBeGreaterThanOrEqual(0);
		}
		expect(first.snapshot.intervalSeconds).toBeGreaterThan(0.2);
		expect(Object.keys(first.state!.counters).some((k) => k.startsWith('net:'))).toBe(true);
		expect(values(first, 'uptime_seconds')[0]).toBeGreaterThan(0);
		expect(values(first, 'process_count')[0]).toBeGreaterThan(1);
		expect(first.warnings).toEqual([]);
	});

	it('uses the previous state for the next collection and does not wait', async () => {
		await new Promise((r) => setTimeout(r, 50));
		const next = await hostCollector.collect({}, { signal, previous: first.state });
		// Rates over the time since the previous collection, not over a pause of its own: a second
		// read after a pause would measure from this collection's start, at least 50 ms later.
		// (No stopwatch here: a loaded machine made a 240 ms limit fail.)
		expect(next.snapshot.intervalSeconds).toBeCloseTo(
			(next.state!.time - first.state!.time) / 1000,
			2,
		);
		expect(next.snapshot.intervalSeconds).toBeGreaterThanOrEqual(0.05);
		expect(next.state!.time).toBeGreaterThan(first.state!.time);
		expect(values(next, 'cpu_usage_percent').length).toBeGreaterThan(1);
	});

	it('lists no processes by default', () => {
		expect(first.snapshot.processes).toBeUndefined();
		expect(Object.keys(first.state!.counters).some((k) => k.startsWith('processes:'))).toBe(false);
	});

	describe('with topProcesses', () => {
		let busy: ChildProcess;
		beforeAll(async () => {
			// A process of our own that surely burns CPU, so it must be near the top of the list. Other
			// test workers on a 2-core machine burn CPU too: it may share the top with them.
			busy = spawn(
				process.execPath,
				['-e', 'const end = Date.now() + 20000; while (Date.now() < end);'],
				{
					stdio: 'ignore',
				},
			);
			await new Promise((r) => setTimeout(r, 300));
		});
		afterAll(() => {
			if (busy.pid) process.kill(busy.pid);
		});

		it('lists the top N by CPU and by memory with user, rss and a cut command line', async () => {
			const out = await hostCollector.collect({ topProcesses: 10 }, { signal });
			const p = out.snapshot.processes!;
			expect(p.byMemory).toHaveLength(10);
			expect(p.byCpu.length).toBeGreaterThan(0);
			expect(p.byCpu.length).toBeLessThanOrEqual(10);
			expect(p.byMemory[0].rssBytes).toBeGreaterThanOrEqual(p.byMemory[9].rssBytes);
			const cpu = p.byCpu.map((x) => x.cpuPercent ?? -1);
			expect([...cpu].sort((a, b) => b - a)).toEqual(cpu);
			for (const x of [...p.byCpu, ...p.byMemory])
				expect(x.command.length).toBeLessThanOrEqual(200);
			// Top processes never become per-pid series.
			expect(out.samples.some((s) => s.labels?.pid !== undefined)).toBe(false);
		});

		it('measures a process that burns CPU, however busy the machine is', async () => {
			// A list long enough to hold every process here: under contention from other test
			// workers, n8n and Chromium, the busy loop gets its share of 2 cores, not a whole one, and
			// may rank below ten others; it still burns far more than the idle processes' ~0 %.
			const out = await hostCollector.collect({ topProcesses: 100_000 }, { signal });
			const mine = out.snapshot.processes!.byCpu.find((x) => x.pid === busy.pid);
			expect(mine).toBeDefined();
			expect(mine!.cpuPercent).toBeGreaterThan(1);
			expect(mine!.user).toMatch(/\S/);
			expect(mine!.command).toContain('while');
		});
	});
});

describe('runCollector around the host collector', () => {
	it('wraps a successful collection with collector_up 1', async () => {
		const c = await runCollector(hostCollector, {}, { host: 'test' });
		expect(c.ok).toBe(true);
		expect(c.samples.find((s) => s.name === 'collector_up')?.value).toBe(1);
		expect(c.state?.counters['cpu:total:all']).toBeGreaterThan(0);
	});

	it('turns a collection that reads nothing into ok:false with collector_up 0', async () => {
		const previous = { time: Date.now() - 1000, counters: { 'net:lo:rx_bytes': 1 } };
		const c = await runCollector(
			hostCollector,
			{ procRoot: '/nonexistent-proc', sysRoot: '/nonexistent-sys', cgroupRoot: '/nonexistent-cg' },
			{ host: 'test', previous },
		);
		expect(c.ok).toBe(false);
		expect(c.error).toMatch(/nothing could be read/);
		expect(c.samples.find((s) => s.name === 'collector_up')?.value).toBe(0);
		expect(c.state).toBe(previous);
	});

	it('turns any collector that throws into ok:false', async () => {
		const broken: Collector<unknown> = {
			name: 'broken',
			collect: async () => {
				throw new Error('boom');
			},
		};
		const c = await runCollector(broken, {}, { host: 'test' });
		expect(c).toMatchObject({ ok: false, error: 'boom', snapshot: null });
		expect(c.samples).toContainEqual({
			name: 'collector_up',
			value: 0,
			labels: { collector: 'broken' },
		});
	});
});
