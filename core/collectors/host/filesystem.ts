import { promises as fs, statfsSync, statSync } from 'node:fs';
import type { Sample } from '../types';
import { clampPercent, readText, round, type HostPart } from './part';

/*
 * node_exporter's default excludes (collector/filesystem_linux.go), with one change: overlay is
 * kept, because n8n often runs in a container whose "/" is an overlay, and the host-side overlay
 * mounts of other containers are dropped by the /var/lib/docker mount-point rule anyway. tmpfs is
 * kept as node_exporter does (/run and /tmp filling up is worth seeing); the ones under /dev, /sys
 * and /proc are dropped by the mount-point rule, and a filesystem with zero blocks is skipped.
 * Bind mounts of one filesystem (same st_dev) are reported once, at the shortest mount point.
 */
const EXCLUDED_TYPES =
	/^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs|nfsd|ramfs|efivarfs|fuse\.lxcfs|fuse\.gvfsd-fuse|fuse\.portal)$/;
const EXCLUDED_MOUNTS =
	/^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;
/** A hung network mount must not stall the whole collection. */
const STATFS_TIMEOUT_MS = 5_000;
/**
 * Disk and memory filesystems answer statfs from counters the kernel keeps in memory, so they are
 * asked at once (a thread-pool round trip costs more CPU than the call). Any other type (NFS, CIFS,
 * FUSE, Ceph...) may hang on its server and is asked asynchronously, with a deadline.
 */
const LOCAL_TYPES =
	/^(ext[234]|xfs|btrfs|zfs|f2fs|bcachefs|jfs|reiserfs|nilfs2|tmpfs|overlay|vfat|exfat|ntfs3?|hfsplus)$/;

export interface MountEntry {
	device: string;
	mount: string;
	fstype: string;
}

export interface FilesystemInfo extends MountEntry {
	sizeBytes: number;
	usedBytes: number;
	freeBytes: number;
	usedPercent: number;
	inodesTotal: number;
	inodesUsed: number;
}

export interface FilesystemRaw {
	filesystems: FilesystemInfo[];
	warnings: string[];
}

/** The kernel escapes space, tab, newline and backslash in mount fields as octal. */
function unescapeMount(field: string): string {
	return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Whether a mount is reported (not a pseudo filesystem, not under /dev, /proc, /sys...). */
export function isReportedMount(entry: MountEntry): boolean {
	return !EXCLUDED_TYPES.test(entry.fstype) && !EXCLUDED_MOUNTS.test(entry.mount);
}

export function parseMounts(text: string): MountEntry[] {
	const out: MountEntry[] = [];
	for (const line of text.split('\n')) {
		const [device, mount, fstype] = line.trim().split(/\s+/);
		if (!device || !mount || !fstype) continue;
		const entry = { device: unescapeMount(device), mount: unescapeMount(mount), fstype };
		if (isReportedMount(entry)) out.push(entry);
	}
	return out;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} timed out`)), STATFS_TIMEOUT_MS);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function measure(entry: MountEntry) {
	const [st, stat] = LOCAL_TYPES.test(entry.fstype)
		? [statfsSync(entry.mount), statSync(entry.mount)]
		: await withTimeout(
				Promise.all([fs.statfs(entry.mount), fs.stat(entry.mount)]),
				`statfs ${entry.mount}`,
			);
	if (!(st.blocks > 0)) return null;
	const usedBytes = (st.blocks - st.bfree) * st.bsize;
	const freeBytes = st.bavail * st.bsize;
	const info: FilesystemInfo = {
		...entry,
		sizeBytes: st.blocks * st.bsize,
		usedBytes,
		freeBytes,
		// df's formula: the root-reserved blocks count neither as used nor as available.
		usedPercent: round(clampPercent((100 * usedBytes) / (usedBytes + freeBytes || 1))),
		inodesTotal: st.files,
		inodesUsed: Math.max(0, st.files - st.ffree),
	};
	return { info, dev: stat.dev };
}

export const filesystemPart: HostPart<FilesystemRaw> = {
	name: 'filesystem',
	hasCounters: false,
	async read(env) {
		const entries = parseMounts(await readText(env.mountsFile));
		const results = await Promise.allSettled(entries.map(measure));
		const byDev = new Map<number, FilesystemInfo>();
		const warnings: string[] = [];
		results.forEach((result, i) => {
			if (result.status === 'rejected') {
				warnings.push(`filesystem ${entries[i].mount}: ${(result.reason as Error).message}`);
				return;
			}
			if (!result.value) return;
			const { info, dev } = result.value;
			const seen = byDev.get(dev);
			if (!seen || info.mount.length < seen.mount.length) byDev.set(dev, info);
		});
		if (entries.length > 0 && byDev.size === 0 && warnings.length === entries.length) {
			throw new Error(warnings.join('; '));
		}
		const filesystems = [...byDev.values()].sort((a, b) => a.mount.localeCompare(b.mount));
		return { counters: {}, raw: { filesystems, warnings } };
	},
	build({ raw }) {
		const samples: Sample[] = [];
		for (const f of raw.filesystems) {
			const labels = { mount: f.mount, device: f.device, fstype: f.fstype };
			samples.push(
				{ name: 'filesystem_size_bytes', value: f.sizeBytes, labels },
				{ name: 'filesystem_used_bytes', value: f.usedBytes, labels },
				{ name: 'filesystem_free_bytes', value: f.freeBytes, labels },
				{ name: 'filesystem_used_percent', value: f.usedPercent, labels },
				{ name: 'filesystem_inodes_total', value: f.inodesTotal, labels },
				{ name: 'filesystem_inodes_used', value: f.inodesUsed, labels },
			);
		}
		return { samples, snapshot: { filesystems: raw.filesystems }, warnings: raw.warnings };
	},
};
