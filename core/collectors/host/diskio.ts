import type { CounterSet, Sample } from '../types';
import { readText, round, type HostPart } from './part';
import type { MetricName } from '../../catalog/metrics';

/*
 * node_exporter's default device exclude, plus mmcblk partitions: RAM disks, loop devices and
 * partitions are dropped so that each byte is counted once, at its whole disk (dm-* and md* kept).
 * /proc/diskstats counts sectors of 512 bytes whatever the device's real sector size.
 */
export const EXCLUDED_DISK_DEVICES =
	/^(z?ram|loop|fd|(h|s|v|xv)d[a-z]+|nvme\d+n\d+p|mmcblk\d+p)\d+$/;
const SECTOR = 512;
const FIELDS = ['read_bytes', 'write_bytes', 'reads', 'writes'] as const;

export interface DiskRaw {
	devices: string[];
}

export function parseDiskstats(text: string): { counters: CounterSet; devices: string[] } {
	const counters: CounterSet = {};
	const devices: string[] = [];
	for (const line of text.split('\n')) {
		const f = line.trim().split(/\s+/);
		if (f.length < 14) continue;
		const name = f[2];
		if (EXCLUDED_DISK_DEVICES.test(name)) continue;
		devices.push(name);
		counters[`${name}:reads`] = Number(f[3]);
		counters[`${name}:read_bytes`] = Number(f[5]) * SECTOR;
		counters[`${name}:writes`] = Number(f[7]);
		counters[`${name}:write_bytes`] = Number(f[9]) * SECTOR;
	}
	return { counters, devices };
}

const SAMPLE: Record<(typeof FIELDS)[number], MetricName> = {
	read_bytes: 'disk_read_bytes_per_second',
	write_bytes: 'disk_write_bytes_per_second',
	reads: 'disk_reads_per_second',
	writes: 'disk_writes_per_second',
};

export const diskioPart: HostPart<DiskRaw> = {
	name: 'disk',
	hasCounters: true,
	async read(env) {
		const { counters, devices } = parseDiskstats(await readText(`${env.procRoot}/diskstats`));
		return { counters, raw: { devices } };
	},
	build({ raw, rates }) {
		const samples: Sample[] = [];
		const disks: Array<Record<string, number | string>> = [];
		for (const device of raw.devices) {
			if (FIELDS.some((k) => rates[`${device}:${k}`] === undefined)) continue; // new device
			const row: Record<string, number | string> = { device };
			for (const k of FIELDS) {
				const value = round(rates[`${device}:${k}`]);
				row[camel(SAMPLE[k])] = value;
				samples.push({ name: SAMPLE[k], value, labels: { device } });
			}
			disks.push(row);
		}
		return { samples, snapshot: { disks } };
	},
};

/** disk_read_bytes_per_second -> readBytesPerSecond */
function camel(name: string): string {
	return name.replace(/^(disk|net)_/, '').replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
}

export { camel };
