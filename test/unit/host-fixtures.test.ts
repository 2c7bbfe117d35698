import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostCollector, type HostOptions, type HostSnapshot } from '../../core/collectors/host';
import { parseMounts } from '../../core/collectors/host/filesystem';
import type { CollectorOutput, CollectorState, Sample } from '../../core/collectors/types';
import { FixtureTree, writeProc, type ProcCounters } from './host-fixture';

const signal = new AbortController().signal;
const collect = (options: HostOptions, previous?: CollectorState) =>
	hostCollector.collect(options, { signal, previous });

function value(out: CollectorOutput, name: string, labels: Record<string, string> = {}) {
	const found = out.samples.filter(
		(s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
	);
	return found.length === 1 ? found[0].value : undefined;
}
const named = (out: CollectorOutput, name: string): Sample[] =>
	out.samples.filter((s) => s.name === name);

/** A state that claims its counters were read `seconds` ago, so rates are over a known interval. */
const aged = (state: CollectorState | undefined, seconds: number): CollectorState => ({
	counters: state!.counters,
	time: Date.now() - seconds * 1000,
});

const BASE: ProcCounters = {
	cpu: [4000, 0, 2000, 32000, 400, 0, 0, 0],
	net: { lo: { rxBytes: 1000, txBytes: 1000 }, eth0: { rxBytes: 50_000, txBytes: 20_000 } },
	disks: { sda: { sectorsRead: 1000, sectorsWritten: 2000, reads: 100, writes: 200 } },
};

let tree: FixtureTree;
beforeEach(() => {
	tree = new FixtureTree();
});
afterEach(() => tree.cleanup());

describe('host collector on fixture trees', () => {
	it('computes CPU, disk and network rates against the previous state', async () => {
		writeProc(tree, BASE);
		const first = await collect(tree.options());
		writeProc(tree, {
			// +1000 jiffies: user +300, system +100, idle +500, iowait +100
			cpu: [4300, 0, 2100, 32500, 500, 0, 0, 0],
			net: { lo: { rxBytes: 1000, txBytes: 1000 }, eth0: { rxBytes: 150_000, txBytes: 20_000 } },
			disks: { sda: { sectorsRead: 3000, sectorsWritten: 2000, reads: 300, writes: 200 } },
		});
		const second = await collect(tree.options(), aged(first.state, 10));
		expect(value(second, 'cpu_usage_percent', { cpu: 'total' })).toBeCloseTo(40, 5);
		expect(value(second, 'cpu_usage_percent', { cpu: '3' })).toBeCloseTo(40, 5);
		expect(value(second, 'cpu_mode_percent', { mode: 'user' })).toBeCloseTo(30, 5);
		expect(value(second, 'cpu_mode_percent', { mode: 'iowait' })).toBeCloseTo(10, 5);
		expect(value(second, 'cpu_count')).toBe(4);
		expect(value(second, 'load_average', { period: '15' })).toBe(1.25);
		// Rates are over the interval the collector measured: the 10 s the state was aged plus the
		// moments between the two collections, which a busy machine stretches.
		const seconds = second.snapshot.intervalSeconds as number; // rounded to the millisecond
		expect(seconds).toBeGreaterThan(9.9);
		expect(seconds).toBeLessThan(20);
		const near = (actual: number | undefined, expected: number) =>
			expect(Math.abs((actual ?? NaN) - expected) / expected).toBeLessThan(1e-3);
		near(value(second, 'net_rx_bytes_per_second', { interface: 'eth0' }), 100_000 / seconds);
		expect(value(second, 'net_tx_bytes_per_second', { interface: 'eth0' })).toBe(0);
		expect(value(second, 'net_rx_bytes_per_second', { interface: 'lo' })).toBe(0);
		near(value(second, 'disk_read_bytes_per_second', { device: 'sda' }), (2000 * 512) / seconds);
		near(value(second, 'disk_reads_per_second', { device: 'sda' }), 200 / seconds);
		// Partitions, loop devices and RAM disks are not reported.
		const devices = named(second, 'disk_reads_per_second').map((s) => s.labels?.device);
		expect(devices).toEqual(['sda']);
		expect(second.snapshot.intervalSeconds).toBeGreaterThan(9.9);
		expect(second.warnings).toEqual([]);
	});

	it('reports memory from /proc/meminfo the way `free` does', async () => {
		writeProc(tree, BASE);
		const out = await collect(tree.options());
		expect(value(out, 'memory_total_bytes')).toBe(8_000_000 * 1024);
		expect(value(out, 'memory_available_bytes')).toBe(5_000_000 * 1024);
		expect(value(out, 'memory_used_bytes')).toBe(3_000_000 * 1024);
		expect(value(out, 'memory_cached_bytes')).toBe(2_300_000 * 1024);
		expect(value(out, 'memory_buffers_bytes')).toBe(200_000 * 1024);
		expect(value(out, 'memory_used_percent')).toBe(37.5);
		expect(value(out, 'swap_total_bytes')).toBe(1_000_000 * 1024);
		expect(value(out, 'swap_used_bytes')).toBe(250_000 * 1024);
		expect(value(out, 'uptime_seconds')).toBe(12345.67);
	});

	it('has rates on a first collection, read over a short interval', async () => {
		writeProc(tree, BASE);
		const started = Date.now();
		const out = await collect(tree.options());
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
		expect(out.snapshot.intervalSeconds).toBeGreaterThan(0.2);
		expect(out.snapshot.intervalSeconds).toBeLessThan(2);
		// Unchanged files between the two reads: rates exist and are zero.
		expect(value(out, 'net_rx_bytes_per_second', { interface: 'eth0' })).toBe(0);
		expect(value(out, 'cpu_usage_percent', { cpu: 'total' })).toBeUndefined(); // no jiffies passed
		expect(out.state?.counters['net:eth0:rx_bytes']).toBe(50_000);
		expect(out.state?.counters['cpu:total:user']).toBe(4000);
	});

	it('takes a fresh pair of readings when the previous state is too old or from the future', async () => {
		writeProc(tree, BASE);
		const first = await collect(tree.options());
		for (const time of [Date.now() - 11 * 60_000, Date.now() + 60_000]) {
			const out = await collect(tree.options(), { counters: first.state!.counters, time });
			expect(out.snapshot.intervalSeconds).toBeLessThan(2);
		}
	});

	it('never reports a negative rate across a counter reset', async () => {
		writeProc(tree, BASE);
		const first = await collect(tree.options());
		writeProc(tree, {
			cpu: [40, 0, 20, 320, 4, 0, 0, 0],
			net: { lo: { rxBytes: 10, txBytes: 10 }, eth0: { rxBytes: 500, txBytes: 200 } },
			disks: { sda: { sectorsRead: 10, sectorsWritten: 20, reads: 1, writes: 2 } },
		});
		const out = await collect(tree.options(), aged(first.state, 10));
		const rates = out.samples.filter((s) => /_per_second$|_percent$/.test(s.name));
		expect(rates.length).toBeGreaterThan(20);
		for (const s of rates) expect(s.value).toBeGreaterThanOrEqual(0);
		for (const s of named(out, 'cpu_usage_percent')) expect(s.value).toBeLessThanOrEqual(100);
		expect(value(out, 'net_rx_bytes_per_second', { interface: 'eth0' })).toBeCloseTo(50, 0);
	});

	it('gives an interface that appears no rate that run, and drops one that vanished', async () => {
		writeProc(tree, BASE);
		const first = await collect(tree.options());
		const withEth1 = { ...BASE, net: { lo: BASE.net.lo, eth1: { rxBytes: 10, txBytes: 10 } } };
		writeProc(tree, withEth1);
		const second = await collect(tree.options(), aged(first.state, 10));
		const ifaces = (out: CollectorOutput) =>
			named(out, 'net_rx_bytes_per_second').map((s) => s.labels?.interface);
		expect(ifaces(second)).toEqual(['lo']);
		expect(second.state?.counters['net:eth0:rx_bytes']).toBeUndefined();
		expect(second.state?.counters['net:eth1:rx_bytes']).toBe(10);
		writeProc(tree, {
			...withEth1,
			net: { ...withEth1.net, eth1: { rxBytes: 1010, txBytes: 10 } },
		});
		const third = await collect(tree.options(), aged(second.state, 10));
		expect(ifaces(third)).toEqual(['lo', 'eth1']);
		expect(value(third, 'net_rx_bytes_per_second', { interface: 'eth1' })).toBeCloseTo(100, 0);
	});

	it('reports no temperatures and no warning without hwmon or thermal zones', async () => {
		writeProc(tree, BASE);
		const out = await collect(tree.options());
		expect(named(out, 'temperature_celsius')).toEqual([]);
		expect(out.snapshot.temperatures).toEqual([]);
		expect(out.warnings).toEqual([]);
	});

	it('reads hwmon sensors with their labels and thermal zones', async () => {
		writeProc(tree, BASE);
		tree.write('sys/class/hwmon/hwmon0/name', 'coretemp\n');
		tree.write('sys/class/hwmon/hwmon0/temp1_input', '45500\n');
		tree.write('sys/class/hwmon/hwmon0/temp1_label', 'Package id 0\n');
		tree.write('sys/class/hwmon/hwmon0/temp2_input', '51000\n');
		tree.write('sys/class/hwmon/hwmon1/name', 'nvme\n');
		tree.write('sys/class/hwmon/hwmon1/temp1_input', '-273000\n'); // unplugged channel
		tree.write('sys/class/thermal/thermal_zone0/temp', '38000\n');
		tree.write('sys/class/thermal/thermal_zone0/type', 'acpitz\n');
		const out = await collect(tree.options());
		expect(value(out, 'temperature_celsius', { sensor: 'coretemp/Package id 0' })).toBe(45.5);
		expect(value(out, 'temperature_celsius', { sensor: 'coretemp/temp2' })).toBe(51);
		expect(value(out, 'temperature_celsius', { sensor: 'thermal_zone0/acpitz' })).toBe(38);
		expect(named(out, 'temperature_celsius')).toHaveLength(3);
	});

	it('turns an unreadable part into a warning and collects the rest', async () => {
		writeProc(tree, BASE);
		tree.breakFile('proc/meminfo');
		tree.breakFile('proc/net/dev');
		const out = await collect(tree.options());
		expect(out.warnings).toEqual(
			expect.arrayContaining([expect.stringMatching(/^memory: /), expect.stringMatching(/^net: /)]),
		);
		expect(out.warnings).toHaveLength(2);
		expect(value(out, 'memory_total_bytes')).toBeUndefined();
		expect(named(out, 'net_rx_bytes_per_second')).toEqual([]);
		expect(value(out, 'cpu_count')).toBe(4);
		expect(value(out, 'uptime_seconds')).toBe(12345.67);
		expect(named(out, 'filesystem_size_bytes').length).toBeGreaterThan(0);
	});

	it('throws only when nothing at all could be read', async () => {
		await expect(
			collect({
				procRoot: join(tree.root, 'nothing'),
				sysRoot: join(tree.root, 'nothing'),
				cgroupRoot: join(tree.root, 'nothing'),
			}),
		).rejects.toThrow(/nothing could be read/);
	});
});

describe('top processes', () => {
	/** /proc/PID/stat with utime, start time and RSS where the parser reads them. */
	const pidStat = (pid: number, name: string, ticks: number, start: number) =>
		`${pid} (${name}) S 1 1 1 0 -1 0 0 0 0 0 ${ticks} 0 0 0 20 0 1 0 ${start} 1000 250\n`;

	it('reads a listed process command line once per process, again when the pid is reused', async () => {
		writeProc(tree, BASE);
		tree.write('proc/4242/stat', pidStat(4242, 'worker', 100, 5000));
		tree.write('proc/4242/cmdline', 'worker\0--first\0');
		const first = await collect(tree.options({ topProcesses: 1 }));
		const command = (out: CollectorOutput<HostSnapshot>) =>
			out.snapshot.processes!.byMemory[0].command;
		expect(command(first)).toBe('worker --first');

		// The same process (pid and start time): its command line is not read again.
		tree.write('proc/4242/stat', pidStat(4242, 'worker', 150, 5000));
		tree.write('proc/4242/cmdline', 'worker\0--changed\0');
		let second = await collect(tree.options({ topProcesses: 1 }), aged(first.state, 1));
		expect(command(second)).toBe('worker --first');
		expect(second.snapshot.processes!.byCpu[0].cpuPercent).toBe(50);

		// Another process under the same pid (a new start time) is read afresh.
		tree.write('proc/4242/stat', pidStat(4242, 'worker', 10, 9000));
		second = await collect(tree.options({ topProcesses: 1 }), aged(second.state, 1));
		expect(command(second)).toBe('worker --changed');
	});
});

describe('filesystems', () => {
	it('skips pseudo filesystems and bind mounts, and unescapes mount points', () => {
		const entries = parseMounts(
			[
				'proc /proc proc rw 0 0',
				'sysfs /sys sysfs rw 0 0',
				'tmpfs /dev/shm tmpfs rw 0 0',
				'cgroup2 /sys/fs/cgroup cgroup2 rw 0 0',
				'overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0',
				'overlay / overlay rw 0 0',
				'tmpfs /run tmpfs rw 0 0',
				'/dev/sdb1 /mnt/my\\040disk ext4 rw 0 0',
			].join('\n'),
		);
		expect(entries.map((e) => e.mount)).toEqual(['/', '/run', '/mnt/my disk']);
	});

	it('measures real mounts with statfs, once per filesystem, and warns about a broken one', async () => {
		writeProc(tree, BASE);
		const spaced = join(tree.root, 'my disk');
		mkdirSync(spaced);
		tree.write(
			'mounts',
			[
				'/dev/root / ext4 rw 0 0',
				`/dev/root ${spaced.replace(/ /g, '\\040')} ext4 rw 0 0`, // a bind mount of "/"'s filesystem
				'proc /proc proc rw 0 0',
				`/dev/gone ${join(tree.root, 'missing')} ext4 rw 0 0`,
			].join('\n'),
		);
		const out = await collect(tree.options({ mountsFile: join(tree.root, 'mounts') }));
		const sizes = named(out, 'filesystem_size_bytes');
		// The temp dir may sit on its own filesystem (tmpfs), then both are real and kept.
		const mounts = sizes.map((s) => s.labels?.mount);
		expect(mounts[0]).toBe('/');
		expect(mounts).not.toContain('/proc');
		expect(mounts).not.toContain(join(tree.root, 'missing'));
		expect(out.warnings).toEqual([
			expect.stringContaining(`filesystem ${join(tree.root, 'missing')}`),
		]);
		const root = { mount: '/', device: '/dev/root', fstype: 'ext4' };
		const size = value(out, 'filesystem_size_bytes', root)!;
		const used = value(out, 'filesystem_used_bytes', root)!;
		const free = value(out, 'filesystem_free_bytes', root)!;
		expect(size).toBeGreaterThan(0);
		expect(used + free).toBeLessThanOrEqual(size);
		expect(value(out, 'filesystem_used_percent', root)).toBeCloseTo(
			(100 * used) / (used + free),
			1,
		);
		expect(value(out, 'filesystem_inodes_used', root)!).toBeLessThanOrEqual(
			value(out, 'filesystem_inodes_total', root)!,
		);
	});
});

describe('container limits from cgroups', () => {
	it('reads cgroup v2 limits and usage', async () => {
		writeProc(tree, BASE);
		tree.write('cgroup/cgroup.controllers', 'cpu memory pids\n');
		tree.write('cgroup/cpu.max', '150000 100000\n');
		tree.write('cgroup/cpu.stat', 'usage_usec 10000000\nuser_usec 6000000\nsystem_usec 4000000\n');
		tree.write('cgroup/memory.max', '536870912\n');
		tree.write('cgroup/memory.current', '268435456\n');
		tree.write('cgroup/memory.stat', 'anon 100\nfile 200\ninactive_file 67108864\nactive_file 1\n');
		const first = await collect(tree.options());
		expect(value(first, 'container_cpu_limit_cores')).toBe(1.5);
		tree.write('cgroup/cpu.stat', 'usage_usec 15000000\n'); // +5 s of CPU in 10 s = 0.5 cores
		const out = await collect(tree.options(), aged(first.state, 10));
		expect(value(out, 'container_cpu_limit_cores')).toBe(1.5);
		expect(value(out, 'container_cpu_usage_percent')).toBeCloseTo(33.33, 0);
		expect(value(out, 'container_memory_limit_bytes')).toBe(536870912);
		expect(value(out, 'container_memory_usage_bytes')).toBe(268435456 - 67108864);
		expect(out.snapshot.container).toMatchObject({
			cgroupVersion: 2,
			cpuLimited: true,
			memoryLimited: true,
		});
	});

	it('follows this process own v2 cgroup when the namespace shows the host root', async () => {
		writeProc(tree, BASE);
		tree.write('proc/self/cgroup', '0::/system.slice/n8n.service\n');
		tree.write('cgroup/cgroup.controllers', 'cpu memory\n');
		tree.write('cgroup/cpu.stat', 'usage_usec 1\n');
		tree.write('cgroup/system.slice/n8n.service/cpu.stat', 'usage_usec 1\n');
		tree.write('cgroup/system.slice/n8n.service/cpu.max', '50000 100000\n');
		tree.write('cgroup/system.slice/n8n.service/memory.max', 'max\n');
		const out = await collect(tree.options());
		expect(value(out, 'container_cpu_limit_cores')).toBe(0.5);
		// No memory limit: the effective limit is the host's memory.
		expect(value(out, 'container_memory_limit_bytes')).toBe(8_000_000 * 1024);
	});

	it('reports nothing on a bare host with no limits', async () => {
		writeProc(tree, BASE);
		tree.write('cgroup/cgroup.controllers', 'cpu memory\n');
		tree.write('cgroup/cpu.stat', 'usage_usec 10\n');
		const out = await collect(tree.options());
		expect(out.samples.filter((s) => s.name.startsWith('container_'))).toEqual([]);
		expect(out.snapshot.container).toBeUndefined();
	});

	it('reads cgroup v1 quota, cpuacct and memory, narrowed by the cpuset', async () => {
		writeProc(tree, BASE);
		tree.write('cgroup/cpu/cpu.cfs_quota_us', '300000\n');
		tree.write('cgroup/cpu/cpu.cfs_period_us', '100000\n');
		tree.write('cgroup/cpuacct/cpuacct.usage', '1000000000\n');
		tree.write('cgroup/cpuset/cpuset.cpus', '0-1\n');
		tree.write('cgroup/memory/memory.limit_in_bytes', '1073741824\n');
		tree.write('cgroup/memory/memory.usage_in_bytes', '536870912\n');
		tree.write('cgroup/memory/memory.stat', 'cache 5\ntotal_inactive_file 134217728\n');
		const first = await collect(tree.options());
		// quota allows 3 cores, but the cpuset has only 2
		expect(value(first, 'container_cpu_limit_cores')).toBe(2);
		tree.write('cgroup/cpuacct/cpuacct.usage', '11000000000\n'); // +10 s of CPU in 10 s = 1 core
		const out = await collect(tree.options(), aged(first.state, 10));
		expect(value(out, 'container_cpu_usage_percent')).toBeCloseTo(50, 0);
		expect(value(out, 'container_memory_limit_bytes')).toBe(1073741824);
		expect(value(out, 'container_memory_usage_bytes')).toBe(536870912 - 134217728);
		expect(out.snapshot.container?.cgroupVersion).toBe(1);
	});

	it('reports a v1 container without limits against the host (cores, memory)', async () => {
		writeProc(tree, BASE);
		tree.write('proc/1/cgroup', '4:memory:/docker/0123abcd\n1:cpu:/docker/0123abcd\n');
		tree.write('cgroup/cpu/cpu.cfs_quota_us', '-1\n');
		tree.write('cgroup/cpu/cpu.cfs_period_us', '100000\n');
		tree.write('cgroup/cpuacct/cpuacct.usage', '1000\n');
		tree.write('cgroup/memory/memory.limit_in_bytes', '9223372036854771712\n');
		tree.write('cgroup/memory/memory.usage_in_bytes', '1048576\n');
		const out = await collect(tree.options());
		expect(value(out, 'container_cpu_limit_cores')).toBe(4);
		expect(value(out, 'container_memory_limit_bytes')).toBe(8_000_000 * 1024);
		expect(out.snapshot.container).toMatchObject({
			detected: true,
			cpuLimited: false,
			memoryLimited: false,
		});
	});
});
