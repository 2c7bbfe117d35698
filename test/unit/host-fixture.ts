import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway directory tree of real files that stands in for /proc, /sys and /sys/fs/cgroup. */
export class FixtureTree {
	readonly root = mkdtempSync(join(tmpdir(), 'host-fixture-'));
	readonly proc = join(this.root, 'proc');
	readonly sys = join(this.root, 'sys');
	readonly cgroup = join(this.root, 'cgroup');

	constructor() {
		mkdirSync(this.proc, { recursive: true });
		mkdirSync(this.sys, { recursive: true });
		mkdirSync(this.cgroup, { recursive: true });
	}

	write(path: string, content: string): void {
		const file = join(this.root, path);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, content);
	}

	remove(path: string): void {
		rmSync(join(this.root, path), { recursive: true, force: true });
	}

	/** A file replaced by a directory: reading it fails with EISDIR, even as root. */
	breakFile(path: string): void {
		this.remove(path);
		mkdirSync(join(this.root, path), { recursive: true });
	}

	options(extra: Record<string, unknown> = {}) {
		return { procRoot: this.proc, sysRoot: this.sys, cgroupRoot: this.cgroup, ...extra };
	}

	cleanup(): void {
		rmSync(this.root, { recursive: true, force: true });
	}
}

export interface ProcCounters {
	/** user nice system idle iowait irq softirq steal, for the total line; cores split it evenly. */
	cpu: number[];
	net: Record<string, { rxBytes: number; txBytes: number; rxPackets?: number }>;
	disks: Record<
		string,
		{ sectorsRead: number; sectorsWritten: number; reads: number; writes: number }
	>;
}

export function procStat(cpu: number[], cores = 4): string {
	const line = (name: string, v: number[]) => `${name} ${v.join(' ')} 0 0`;
	const lines = [line('cpu ', cpu)];
	for (let i = 0; i < cores; i++)
		lines.push(
			line(
				`cpu${i}`,
				cpu.map((v) => v / cores),
			),
		);
	return `${lines.join('\n')}\nintr 12345 0 0\nctxt 999\nbtime 1700000000\nprocesses 4242\n`;
}

export function netDev(net: ProcCounters['net']): string {
	const head =
		'Inter-|   Receive                                                |  Transmit\n' +
		' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
	return (
		head +
		Object.entries(net)
			.map(
				([name, n]) =>
					`${name.padStart(6)}: ${n.rxBytes} ${n.rxPackets ?? 10} 0 0 0 0 0 0 ${n.txBytes} 5 0 0 0 0 0 0`,
			)
			.join('\n') +
		'\n'
	);
}

export function diskstats(disks: ProcCounters['disks']): string {
	const rows = Object.entries(disks).map(
		([name, d], i) =>
			`   8 ${i * 16} ${name} ${d.reads} 0 ${d.sectorsRead} 10 ${d.writes} 0 ${d.sectorsWritten} 20 0 30 40 0 0 0 0 0 0`,
	);
	// Entries node_exporter drops by default: a partition, a loop device, a RAM disk.
	rows.push('   8 1 sda1 5 0 40 1 5 0 40 1 0 2 2 0 0 0 0 0 0');
	rows.push('   7 0 loop0 5 0 40 1 5 0 40 1 0 2 2 0 0 0 0 0 0');
	rows.push(' 253 0 zram0 5 0 40 1 5 0 40 1 0 2 2 0 0 0 0 0 0');
	return `${rows.join('\n')}\n`;
}

export const MEMINFO = `MemTotal:        8000000 kB
MemFree:         1000000 kB
MemAvailable:    5000000 kB
Buffers:          200000 kB
Cached:          2000000 kB
SwapCached:            0 kB
SReclaimable:     300000 kB
SwapTotal:       1000000 kB
SwapFree:         750000 kB
HugePages_Total:       0
`;

/** Writes a complete, plausible /proc (4 cores) and an empty /sys into the tree. */
export function writeProc(tree: FixtureTree, counters: ProcCounters, mounts?: string): void {
	tree.write('proc/stat', procStat(counters.cpu));
	tree.write('proc/loadavg', '0.50 0.75 1.25 2/345 6789\n');
	tree.write('proc/meminfo', MEMINFO);
	tree.write('proc/uptime', '12345.67 40000.00\n');
	tree.write('proc/net/dev', netDev(counters.net));
	tree.write('proc/diskstats', diskstats(counters.disks));
	tree.write('proc/self/mounts', mounts ?? `/dev/root / ext4 rw,relatime 0 0\n`);
	tree.write('proc/1/cgroup', '0::/\n');
}
