import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { hostCollector } from '../../core/collectors/host';
import { nodeExporterCollector } from '../../core/collectors/prometheus';
import { collectAndStore } from '../../core/pipeline';
import type { LatestValue } from '../../core/store';
import { overview } from '../../core/query/overview';
import { closeAllStores, openStore } from '../../core/store';
import type { StoreConfig } from '../../core/store/config';

/**
 * The Prometheus collector against Debian's real prometheus-node-exporter on 127.0.0.1, stored in
 * a real SQLite file, next to the local Host collector reading the same machine: the remote view
 * must carry the same names and labels and nearly the same values.
 */
jest.setTimeout(60_000);

const EXPORTER = '/usr/bin/prometheus-node-exporter';
/*
 * The local collector's filesystem type excludes (core/collectors/host/filesystem.ts), which keep
 * overlay: in a container "/" is an overlay that node_exporter's defaults would leave out.
 */
const FS_TYPES_EXCLUDE =
	'^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs|nfsd|ramfs|efivarfs|fuse\\.lxcfs|fuse\\.gvfsd-fuse|fuse\\.portal)$';

let tmp: string;
let exporter: ChildProcess;
let url: string;
let store: StoreConfig;

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/** Whether the URL answers 200, on a connection of its own (no keep-alive pool left behind). */
function answers(target: string): Promise<boolean> {
	return new Promise((resolve) => {
		const req = http.get(target, { agent: false }, (res) => {
			res.resume();
			resolve(res.statusCode === 200);
		});
		req.on('error', () => resolve(false));
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	if (!fs.existsSync(EXPORTER)) {
		throw new Error(
			`${EXPORTER} is missing: run scripts/ensure-system-deps.sh node-exporter (as root)`,
		);
	}
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-node-exporter-'));
	store = { type: 'sqlite', filename: path.join(tmp, 'store.sqlite') };
	const port = await freePort();
	exporter = spawn(
		EXPORTER,
		[
			`--web.listen-address=127.0.0.1:${port}`,
			`--collector.filesystem.fs-types-exclude=${FS_TYPES_EXCLUDE}`,
		],
		{ stdio: ['ignore', 'ignore', 'pipe'] },
	);
	let stderr = '';
	exporter.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
	url = `http://127.0.0.1:${port}/metrics`;
	for (let i = 0; i < 100; i++) {
		if (exporter.exitCode !== null) throw new Error(`node_exporter exited: ${stderr}`);
		const ok = await answers(url);
		if (ok) return;
		await sleep(100);
	}
	throw new Error(`node_exporter did not answer on ${url}: ${stderr}`);
});

afterAll(async () => {
	await closeAllStores();
	if (exporter && exporter.exitCode === null) {
		exporter.kill('SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([
			new Promise((r) => exporter.once('exit', r)),
			new Promise((r) => (timer = setTimeout(r, 3000))),
		]);
		clearTimeout(timer);
		if (exporter.exitCode === null && exporter.signalCode === null) exporter.kill('SIGKILL');
	}
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function pick(values: LatestValue[], host: string, metric: string, labels = {}): LatestValue[] {
	return values.filter(
		(v) =>
			v.host === host &&
			v.metric === metric &&
			Object.entries(labels).every(([k, l]) => v.labels[k] === l),
	);
}

test('two scrapes of the real node_exporter land in SQLite as the Host collector names them', async () => {
	const scrape = () =>
		collectAndStore(nodeExporterCollector, {
			host: 'remote-ne',
			options: { url, mode: 'node_exporter' },
			store,
		});
	const first = await scrape();
	expect(first.collection.ok).toBe(true);
	expect(first.stored).toBe(true);
	await sleep(1500);
	const [second, local] = await Promise.all([
		scrape(),
		collectAndStore(hostCollector, { host: 'local', options: {}, store }),
	]);
	expect(second.collection).toMatchObject({ ok: true, collector: 'host', warnings: [] });
	expect(local.collection.ok).toBe(true);

	const db = await openStore(store);
	const now = Date.now();
	const values = await db.samples.latest(now - 60_000, now + 1000);

	const cpu = pick(values, 'remote-ne', 'cpu_usage_percent', { cpu: 'total' });
	expect(cpu).toHaveLength(1);
	expect(cpu[0].value).toBeGreaterThanOrEqual(0);
	expect(cpu[0].value).toBeLessThanOrEqual(100);
	const cores = pick(values, 'remote-ne', 'cpu_usage_percent').filter(
		(v) => v.labels.cpu !== 'total',
	);
	expect(cores.map((v) => v.labels.cpu).sort()).toEqual(
		pick(values, 'local', 'cpu_usage_percent')
			.filter((v) => v.labels.cpu !== 'total')
			.map((v) => v.labels.cpu)
			.sort(),
	);

	// Both read /proc/meminfo of this machine a moment apart: nearly the same figure.
	const remoteMem = pick(values, 'remote-ne', 'memory_used_percent');
	const localMem = pick(values, 'local', 'memory_used_percent');
	expect(remoteMem).toHaveLength(1);
	expect(Math.abs(remoteMem[0].value - localMem[0].value)).toBeLessThan(3);
	expect(pick(values, 'remote-ne', 'memory_total_bytes')[0].value).toBe(
		pick(values, 'local', 'memory_total_bytes')[0].value,
	);

	// The root filesystem under the very labels the local collector writes, and the same size.
	const localRoot = pick(values, 'local', 'filesystem_size_bytes', { mount: '/' });
	const remoteRoot = pick(values, 'remote-ne', 'filesystem_size_bytes', { mount: '/' });
	expect(localRoot).toHaveLength(1);
	expect(remoteRoot).toHaveLength(1);
	expect(remoteRoot[0].labels).toEqual(localRoot[0].labels);
	expect(remoteRoot[0].value).toBe(localRoot[0].value);
	expect(
		Math.abs(
			pick(values, 'remote-ne', 'filesystem_used_percent', { mount: '/' })[0].value -
				pick(values, 'local', 'filesystem_used_percent', { mount: '/' })[0].value,
		),
	).toBeLessThan(1);

	const uptime = pick(values, 'remote-ne', 'uptime_seconds')[0].value;
	expect(Math.abs(uptime - pick(values, 'local', 'uptime_seconds')[0].value)).toBeLessThan(30);
	expect(pick(values, 'remote-ne', 'load_average', { period: '1' })).toHaveLength(1);
	const eth = pick(values, 'remote-ne', 'net_rx_bytes_per_second');
	expect(eth.length).toBeGreaterThan(0);
	for (const v of eth) expect(v.value).toBeGreaterThanOrEqual(0);

	// The dashboard's first screen shows the remote host like the local one: gauges, not stale.
	const view = await overview(db, { now: Date.now() });
	const remote = view.hosts.find((h) => h.host === 'remote-ne')!;
	expect(remote.gauges.cpu.value).toBe(cpu[0].value);
	expect(remote.gauges.memory.value).toBe(remoteMem[0].value);
	expect(remote.gauges.disk.value).not.toBeNull();
	expect(remote.gauges.cpu.stale).toBe(false);
	expect(remote.collectors.map((c) => [c.collector, c.ok])).toEqual([['host', true]]);
});
