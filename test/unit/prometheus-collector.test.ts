import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import { parseMetricsPage } from '../../core/prometheus-text';
import {
	dcgmCollector,
	genericPrometheusCollector,
	nodeExporterCollector,
	PROMETHEUS_COLLECTORS,
	sanitizeMetricName,
	targetHostName,
	validatePrometheusOptions,
	type PrometheusOptions,
} from '../../core/collectors/prometheus';
import { mapDcgm } from '../../core/collectors/prometheus/dcgm';
import {
	buildNodeExporter,
	readNodeExporter,
} from '../../core/collectors/prometheus/node-exporter';
import { runCollector } from '../../core/collectors/run';
import type { Collection, Sample } from '../../core/collectors/types';
import { selfSignedCertificate } from '../helpers/certificates';

const FIXTURES = path.join(__dirname, '../fixtures/prometheus');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const NODE_A = fixture('node-exporter-1.5.0-a.txt');
const NODE_B = fixture('node-exporter-1.5.0-b.txt');
const DCGM = fixture('dcgm-exporter-3.3.txt');
const MIB = 1024 * 1024;

type Reply = { status?: number; type?: string; body: string } | 'hang';
const servers: http.Server[] = [];
const hanging = new Set<http.ServerResponse>();
let tlsFiles: { key: Buffer; cert: Buffer };
const seenAuth: Array<string | undefined> = [];

function handler(reply: (req: http.IncomingMessage) => Reply) {
	return (req: http.IncomingMessage, res: http.ServerResponse) => {
		seenAuth.push(req.headers.authorization);
		const r = reply(req);
		if (r === 'hang') return void hanging.add(res);
		res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'text/plain; version=0.0.4' });
		res.end(r.body);
	};
}

async function listen(server: http.Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	servers.push(server);
	return (server.address() as AddressInfo).port;
}

async function serve(reply: (req: http.IncomingMessage) => Reply): Promise<string> {
	return `http://127.0.0.1:${await listen(http.createServer(handler(reply)))}/metrics`;
}

beforeAll(() => {
	tlsFiles = selfSignedCertificate();
});

afterAll(async () => {
	for (const res of hanging) res.destroy();
	await Promise.all(
		servers.map((s) => {
			s.closeAllConnections();
			return new Promise((resolve) => s.close(resolve));
		}),
	);
});

function find(samples: Sample[], name: string, labels: Record<string, string> = {}) {
	return samples.filter(
		(s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels?.[k] === v),
	);
}

/** node_cpu_seconds_total of one page, summed per cpu ("total" = all cpus) and mode, by regex. */
function cpuSeconds(text: string): Map<string, Map<string, number>> {
	const out = new Map<string, Map<string, number>>();
	const re = /^node_cpu_seconds_total\{cpu="(\d+)",mode="(\w+)"\} (\S+)$/gm;
	for (const m of text.matchAll(re)) {
		for (const cpu of [m[1], 'total']) {
			const modes = out.get(cpu) ?? new Map<string, number>();
			modes.set(m[2], (modes.get(m[2]) ?? 0) + Number(m[3]));
			out.set(cpu, modes);
		}
	}
	return out;
}

function expectedUsage(cpu: string): number {
	const [a, b] = [cpuSeconds(NODE_A).get(cpu)!, cpuSeconds(NODE_B).get(cpu)!];
	const modes = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];
	const delta = (m: string) => (b.get(m) ?? 0) - (a.get(m) ?? 0);
	const all = modes.reduce((sum, m) => sum + delta(m), 0);
	return Math.round(100 * (1 - (delta('idle') + delta('iowait')) / all) * 100) / 100;
}

const value = (text: string, line: RegExp) => Number(line.exec(text)![1]);

describe('node_exporter page -> Host collector names (real node_exporter 1.5.0 output)', () => {
	it('maps memory, the root filesystem, load and uptime from one scrape, without rates yet', async () => {
		const reading = readNodeExporter(parseMetricsPage(NODE_A));
		const { samples } = await buildNodeExporter(reading, {}, 0);
		const total = value(NODE_A, /^node_memory_MemTotal_bytes (\S+)$/m);
		const available = value(NODE_A, /^node_memory_MemAvailable_bytes (\S+)$/m);
		expect(find(samples, 'memory_total_bytes')[0].value).toBe(total);
		expect(find(samples, 'memory_used_bytes')[0].value).toBe(total - available);
		expect(find(samples, 'memory_used_percent')[0].value).toBeCloseTo(
			(100 * (total - available)) / total,
			1,
		);
		const root = find(samples, 'filesystem_used_percent', { mount: '/' });
		expect(root).toHaveLength(1);
		expect(root[0].labels).toEqual({ mount: '/', device: '/dev/vda', fstype: 'ext4' });
		const size = value(NODE_A, /^node_filesystem_size_bytes\{[^}]*mountpoint="\/"\} (\S+)$/m);
		expect(find(samples, 'filesystem_size_bytes', { mount: '/' })[0].value).toBe(size);
		expect(find(samples, 'load_average', { period: '1' })[0].value).toBe(
			value(NODE_A, /^node_load1 (\S+)$/m),
		);
		const uptime =
			value(NODE_A, /^node_time_seconds (\S+)$/m) -
			value(NODE_A, /^node_boot_time_seconds (\S+)$/m);
		expect(find(samples, 'uptime_seconds')[0].value).toBeCloseTo(uptime, 1);
		expect(find(samples, 'cpu_count')[0].value).toBe(2);
		expect(find(samples, 'cpu_usage_percent')).toHaveLength(0); // a first scrape has no rates
	});

	it('turns CPU, disk and network counters into rates against the previous scrape', async () => {
		const phase = { page: NODE_A };
		const url = await serve(() => ({ body: phase.page }));
		const options: PrometheusOptions = { url, mode: 'node_exporter' };
		const first = await runCollector(nodeExporterCollector, options, { host: 'remote' });
		expect(first.ok).toBe(true);
		phase.page = NODE_B;
		// The counters of the first scrape, two seconds older, as the store would hand them back.
		const previous = { ...first.state!, time: first.state!.time - 2000 };
		const second = await runCollector(nodeExporterCollector, options, { host: 'remote', previous });
		expect(second).toMatchObject({ ok: true, collector: 'host' });
		const s = second.samples;
		expect(find(s, 'cpu_usage_percent', { cpu: 'total' })[0].value).toBe(expectedUsage('total'));
		expect(find(s, 'cpu_usage_percent', { cpu: '0' })[0].value).toBe(expectedUsage('0'));
		expect(find(s, 'cpu_usage_percent', { cpu: '1' })[0].value).toBe(expectedUsage('1'));
		expect(find(s, 'cpu_mode_percent').map((x) => x.labels!.mode)).toContain('iowait');
		const rx = (t: string) =>
			value(t, /^node_network_receive_bytes_total\{device="eth0"\} (\S+)$/m);
		const eth0 = find(s, 'net_rx_bytes_per_second', { interface: 'eth0' });
		expect(eth0[0].value).toBeCloseTo((rx(NODE_B) - rx(NODE_A)) / 2, 1);
		expect(find(s, 'net_tx_drops_per_second', { interface: 'ifb0' })[0].value).toBe(0);
		// vda is a whole disk; zram0 is left out as the local collector leaves it out.
		expect(find(s, 'disk_write_bytes_per_second', { device: 'vda' })).toHaveLength(1);
		expect(find(s, 'disk_read_bytes_per_second', { device: 'zram0' })).toHaveLength(0);
		expect(second.snapshot).toMatchObject({ mode: 'node_exporter', seriesDropped: 0 });
		expect(second.snapshot?.intervalSeconds as number).toBeGreaterThan(1.9);
		// Counters from two hours ago are no base: no rates rather than a two-hour average.
		const stale = { ...first.state!, time: first.state!.time - 2 * 3_600_000 };
		const late = await runCollector(nodeExporterCollector, options, { host: 'r', previous: stale });
		expect(late.ok).toBe(true);
		expect(find(late.samples, 'cpu_usage_percent')).toEqual([]);
		expect(find(late.samples, 'memory_used_percent')).toHaveLength(1);
		expect(late.state!.counters['node_exporter/cpu:total:all']).toBeGreaterThan(0);
		// The local host collector's jiffies under the same host name are no base either.
		const local = {
			time: previous.time,
			counters: { 'cpu:total:all': 5e6, 'cpu:total:inactive': 1 },
		};
		const mixed = await runCollector(nodeExporterCollector, options, {
			host: 'r',
			previous: local,
		});
		expect(find(mixed.samples, 'cpu_usage_percent')).toEqual([]);
	});

	it('names temperature sensors and keeps filesystems as the local host collector does', async () => {
		const page = parseMetricsPage(
			[
				'node_hwmon_chip_names{chip="platform_coretemp_0",chip_name="coretemp"} 1',
				'node_hwmon_sensor_label{chip="platform_coretemp_0",label="Package id 0",sensor="temp1"} 1',
				'node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"} 47',
				'node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp2"} -273',
				'node_thermal_zone_temp{type="x86_pkg_temp",zone="0"} 46.5',
				'node_memory_MemTotal_bytes 1000',
				'node_memory_MemAvailable_bytes 250',
				'node_processes_pids 321',
				'node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 100',
				'node_filesystem_free_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 40',
				'node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 30',
				'node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/srv/bind"} 100',
				'node_filesystem_size_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 50',
				'node_filesystem_free_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 50',
				'node_filesystem_avail_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 50',
				'node_filesystem_size_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/dev/shm"} 50',
				'node_filesystem_size_bytes{device="nsfs",fstype="nsfs",mountpoint="/x"} 50',
				'node_filesystem_size_bytes{device="/dev/sdb1",fstype="xfs",mountpoint="/data"} 100',
				'node_filesystem_device_error{device="/dev/sdb1",fstype="xfs",mountpoint="/data"} 1',
				'',
			].join('\n'),
		);
		const { samples } = await buildNodeExporter(readNodeExporter(page), {}, 0);
		expect(find(samples, 'temperature_celsius').map((t) => [t.labels!.sensor, t.value])).toEqual([
			['coretemp/Package id 0', 47],
			['thermal_zone0/x86_pkg_temp', 46.5],
		]);
		expect(find(samples, 'process_count')[0].value).toBe(321);
		expect(find(samples, 'memory_used_percent')[0].value).toBe(75);
		const mounts = find(samples, 'filesystem_used_percent').map((f) => f.labels!.mount);
		expect(mounts).toEqual(['/', '/run']); // bind mount once, /dev and nsfs and errors left out
		// df's formula: used / (used + available), the root-reserved blocks in neither.
		expect(find(samples, 'filesystem_used_percent', { mount: '/' })[0].value).toBeCloseTo(
			(100 * 60) / 90,
			2,
		);
		expect(find(samples, 'filesystem_free_bytes', { mount: '/' })[0].value).toBe(30);
	});
});

describe('dcgm-exporter page -> GPU collector names', () => {
	it('maps each whole GPU onto gpu_* with {gpu, uuid} labels and leaves out blanks and MIG slices', () => {
		const { samples, snapshot } = mapDcgm(parseMetricsPage(DCGM));
		const g0 = { gpu: '0', uuid: 'GPU-927d7444-b45a-7c49-8402-5e686e46a026' };
		const g1 = { gpu: '1', uuid: 'GPU-34319582-d595-d1c7-d1d2-179bcfa61660' };
		const v = (name: string, labels: Record<string, string>) => {
			const found = find(samples, name, labels);
			expect(found).toHaveLength(1);
			expect(found[0].labels).toEqual(labels);
			return found[0].value;
		};
		expect(v('gpu_utilization_percent', g0)).toBe(97);
		expect(v('gpu_memory_utilization_percent', g0)).toBe(41);
		expect(v('gpu_memory_used_bytes', g0)).toBe(64172 * MIB);
		expect(v('gpu_memory_free_bytes', g0)).toBe(16383 * MIB);
		expect(v('gpu_memory_total_bytes', g0)).toBe((64172 + 16383 + 534) * MIB);
		expect(v('gpu_memory_used_percent', g0)).toBeCloseTo((100 * 64172) / (64172 + 16383 + 534), 2);
		expect(v('gpu_temperature_celsius', g0)).toBe(61);
		expect(v('gpu_power_draw_watts', g0)).toBe(409.692);
		expect(v('gpu_power_limit_watts', g0)).toBe(700);
		expect(v('gpu_clock_graphics_mhz', g0)).toBe(1980);
		expect(v('gpu_clock_memory_mhz', g0)).toBe(2619);
		expect(v('gpu_pstate', g0)).toBe(0);
		expect(v('gpu_throttled', g0)).toBe(1); // 0x4: sw_power_cap
		expect(v('gpu_ecc_errors_corrected_total', g0)).toBe(2);
		expect(v('gpu_mig_enabled', g0)).toBe(0);
		expect(v('gpu_throttled', g1)).toBe(0); // 0x1: only idle
		expect(v('gpu_mig_enabled', g1)).toBe(1);
		expect(v('gpu_utilization_percent', g1)).toBe(0);
		expect(new Set(samples.map((s) => s.labels!.gpu))).toEqual(new Set(['0', '1']));
		// An H100 has no fan: DCGM exports its int32 blank, which must not read as 2 billion %.
		expect(find(samples, 'gpu_fan_speed_percent')).toEqual([]);
		expect(snapshot.gpus.map((g) => [g.index, g.name, g.driverVersion])).toEqual([
			['0', 'NVIDIA H100 80GB HBM3', '535.183.01'],
			['1', 'NVIDIA H100 80GB HBM3', '535.183.01'],
		]);
		expect(snapshot.gpus[0].throttleReasons).toEqual(['sw_power_cap']);
		expect(snapshot.processes).toEqual([]);
	});

	it('collects as the gpu collector, and a page without DCGM series is a failed collection', async () => {
		const dcgm = await serve(() => ({ body: DCGM }));
		const ok = await runCollector(dcgmCollector, { url: dcgm, mode: 'dcgm' }, { host: 'g' });
		expect(ok).toMatchObject({ ok: true, collector: 'gpu' });
		expect(find(ok.samples, 'gpu_utilization_percent', { gpu: '0' })[0].value).toBe(97);
		const node = await serve(() => ({ body: NODE_A }));
		const wrong = await runCollector(dcgmCollector, { url: node, mode: 'dcgm' }, { host: 'g' });
		expect(wrong.ok).toBe(false);
		expect(wrong.error).toMatch(/no DCGM_FI_\* series/);
		const back = await runCollector(
			nodeExporterCollector,
			{ url: dcgm, mode: 'node_exporter' },
			{
				host: 'g',
			},
		);
		expect(back.ok).toBe(false);
		expect(back.error).toMatch(/is it node_exporter/);
	});
});

describe('generic mode', () => {
	it('stores every series as it is, names made safe, labels and counters kept', async () => {
		const url = await serve(() => ({
			body: [
				'# TYPE vllm:num_requests_running gauge',
				'vllm:num_requests_running{model_name="m"} 3',
				'# TYPE http_requests_total counter',
				'http_requests_total{code="200"} 1027',
				'http_requests_total{code="500"} 3',
				'# TYPE rpc_duration_seconds summary',
				'rpc_duration_seconds{quantile="0.5"} 0.05',
				'rpc_duration_seconds_sum 17.5',
				'rpc_duration_seconds_count 350',
				'up 1',
				'',
			].join('\n'),
		}));
		const c = await runCollector(
			genericPrometheusCollector,
			{ url, mode: 'generic' },
			{ host: 'x' },
		);
		expect(c).toMatchObject({ ok: true, collector: 'prometheus' });
		expect(find(c.samples, 'vllm_num_requests_running')[0]).toEqual({
			name: 'vllm_num_requests_running',
			value: 3,
			labels: { model_name: 'm' },
		});
		expect(find(c.samples, 'http_requests_total', { code: '200' })[0].value).toBe(1027);
		expect(find(c.samples, 'rpc_duration_seconds', { quantile: '0.5' })[0].value).toBe(0.05);
		expect(find(c.samples, 'rpc_duration_seconds_count')[0].value).toBe(350);
		expect(find(c.samples, 'up')[0].value).toBe(1);
		const filtered = await runCollector(
			genericPrometheusCollector,
			{ url, mode: 'generic', include: '^(http|up)', prefixes: ['http_'] },
			{ host: 'x' },
		);
		const names = filtered.samples
			.filter((s) => !s.name.startsWith('collector_'))
			.map((s) => s.name);
		expect(names).toEqual(['http_requests_total', 'http_requests_total']);
	});

	it('sanitises names and takes the default host name from the URL', () => {
		expect(sanitizeMetricName('vllm:e2e-latency.seconds')).toBe('vllm_e2e_latency_seconds');
		expect(sanitizeMetricName('9lives')).toBe('_9lives');
		expect(targetHostName('http://gpu01.lan:9100/metrics')).toBe('gpu01.lan');
		expect(targetHostName('http://[::1]:9100/metrics')).toBe('::1');
	});
});

describe('faults become failed collections with their reason', () => {
	const collect = async (options: Partial<PrometheusOptions> & { url: string }) =>
		runCollector(
			PROMETHEUS_COLLECTORS[options.mode ?? 'generic'],
			{ mode: 'generic', ...options } as PrometheusOptions,
			{ host: 'remote' },
		);

	it('an HTML page and a JSON answer are "not Prometheus text format" with their first bytes', async () => {
		const html = await serve(() => ({
			type: 'text/html; charset=utf-8',
			body: '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Login</body></html>\n',
		}));
		const c = await collect({ url: html, mode: 'node_exporter' });
		expect(c.ok).toBe(false);
		expect(c.error).toContain('not Prometheus text format');
		expect(c.error).toContain('<!DOCTYPE html> <html><head><title>Sign in');
		expect(c.samples.find((s) => s.name === 'collector_up')?.value).toBe(0);
		const json = await serve(() => ({ type: 'application/json', body: '{"status":"success"}' }));
		const j = await collect({ url: json });
		expect(j.error).toMatch(/not Prometheus text format \(application\/json\): "\{"status"/);
	});

	it('HTTP errors, refused connections and timeouts name what went wrong', async () => {
		const err = await serve(() => ({ status: 503, body: 'exporter is restarting' }));
		expect((await collect({ url: err })).error).toMatch(/HTTP 503.*exporter is restarting/);
		const closed = http.createServer();
		const port = await listen(closed);
		await new Promise((resolve) => closed.close(resolve));
		servers.splice(servers.indexOf(closed), 1);
		expect((await collect({ url: `http://127.0.0.1:${port}/metrics` })).error).toMatch(
			/connection refused/,
		);
		const slow = await serve(() => 'hang');
		const t = await collect({ url: slow, timeoutMs: 300 });
		expect(t.ok).toBe(false);
		expect(t.error).toMatch(/no answer within 300 ms/);
	});

	it('a page cut mid-line fails instead of storing a wrong value', async () => {
		const cut = await serve(() => ({ body: 'up 1\nnode_load1 0.' }));
		expect((await collect({ url: cut })).error).toMatch(/cut off/);
	});

	it('sends the Authorization header and keeps it out of every message', async () => {
		const token = 'Bearer s3cr3t-token-value';
		const url = await serve((req) => ({
			status: 401,
			body: `unauthorized: got ${req.headers.authorization}`,
		}));
		seenAuth.length = 0;
		const c = await collect({ url, headers: { authorization: token } });
		expect(seenAuth).toEqual([token]);
		expect(c.error).toMatch(/HTTP 401/);
		expect(c.error).not.toContain('s3cr3t');
	});

	it('a self-signed certificate fails unless TLS errors are ignored', async () => {
		const port = await listen(
			https.createServer(
				tlsFiles,
				handler(() => ({ body: 'up 1\n' })),
			) as unknown as http.Server,
		);
		const url = `https://127.0.0.1:${port}/metrics`;
		const strict = await collect({ url });
		expect(strict.ok).toBe(false);
		expect(strict.error).toMatch(/self-signed certificate/);
		const relaxed = await collect({ url, ignoreTlsErrors: true });
		expect(relaxed.ok).toBe(true);
		expect(find(relaxed.samples, 'up')[0].value).toBe(1);
	});
});

describe('a target with 100,000 series', () => {
	let url: string;
	beforeAll(async () => {
		const lines = ['# TYPE big_series gauge'];
		for (let i = 0; i < 100_000; i++) lines.push(`big_series{n="${i}"} ${i}`);
		lines.push('# TYPE wanted_total counter', 'wanted_total 42', '');
		const body = lines.join('\n');
		url = await serve(() => ({ body }));
	});

	const stored = (c: Collection) => c.samples.filter((s) => !s.name.startsWith('collector_'));

	it('keeps the first 10,000 by default and says how many were dropped and how to filter', async () => {
		const c = await runCollector(
			genericPrometheusCollector,
			{ url, mode: 'generic' },
			{ host: 'b' },
		);
		expect(c.ok).toBe(true);
		const kept = stored(c);
		expect(kept).toHaveLength(10_000);
		expect(kept[0].labels).toEqual({ n: '0' });
		expect(kept[9_999].labels).toEqual({ n: '9999' });
		expect(c.warnings).toHaveLength(1);
		expect(c.warnings[0]).toMatch(/100001 series; kept the first 10000 and dropped 90001/);
		expect(c.warnings[0]).toMatch(/Include Metrics .* or Metric Prefixes/);
		expect(c.snapshot).toMatchObject({
			seriesOnPage: 100_001,
			seriesKept: 10_000,
			seriesDropped: 90_001,
		});
	});

	it('a raised cap or a filter keeps what is asked for', async () => {
		const raised = await runCollector(
			genericPrometheusCollector,
			{ url, mode: 'generic', maxSeries: 50_000 },
			{ host: 'b' },
		);
		expect(stored(raised)).toHaveLength(50_000);
		const filtered = await runCollector(
			genericPrometheusCollector,
			{ url, mode: 'generic', prefixes: ['wanted_'] },
			{ host: 'b' },
		);
		expect(stored(filtered)).toEqual([{ name: 'wanted_total', value: 42 }]);
		expect(filtered.warnings).toEqual([]);
	});
});

describe('validatePrometheusOptions', () => {
	const base: PrometheusOptions = { url: 'http://gpu01:9100/metrics', mode: 'node_exporter' };
	it.each<[Partial<PrometheusOptions>, RegExp]>([
		[{ url: 'ftp://gpu01/metrics' }, /use http:\/\/ or https:\/\//],
		[{ url: 'gpu01:9100' }, /use http:\/\/ or https:\/\//],
		[{ url: 'not a url' }, /is not a URL/],
		[{ url: 'http://user:pw@gpu01:9100/metrics' }, /Basic Auth credential/],
		[{ maxSeries: 0 }, /Max Series must be a whole number from 1 to 50000/],
		[{ maxSeries: 50_001 }, /Max Series must be a whole number from 1 to 50000/],
		[{ maxSeries: 1.5 }, /Max Series/],
		[{ include: 'node_(cpu' }, /not a valid regular expression/],
		[{ mode: 'snmp' as never }, /mode "snmp" is not known/],
	])('%j is refused with what to change', (change, message) => {
		const problems = validatePrometheusOptions({ ...base, ...change });
		expect(problems.join('; ')).toMatch(message);
	});
	it('accepts good options', () => {
		expect(
			validatePrometheusOptions({ ...base, maxSeries: 50_000, include: '^node_', timeoutMs: 5000 }),
		).toEqual([]);
	});
});
