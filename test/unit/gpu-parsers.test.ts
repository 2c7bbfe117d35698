/*
 * The GPU collector's pure parsers on the fixture text (test/fixtures/gpu, sources in its
 * README): exact values, no child processes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractJson, parseClock, parseRocmSmiJson } from '../../core/collectors/gpu/amd';
import {
	decodeClockReasons,
	gpuFromRow,
	GPU_FIELDS,
	gpuQueryArgs,
	isThrottled,
	parseAppsCsv,
	parseGpuCsv,
	parsePstate,
	rejectedField,
	saysDriverUnreachable,
	saysNoDevices,
	THROTTLE_REASONS_FIELD,
} from '../../core/collectors/gpu/nvidia-csv';
import { parseStatusUid, sameProgram } from '../../core/collectors/gpu/processes';
import { gpuSamples } from '../../core/collectors/gpu/samples';

const FIXTURES = join(__dirname, '../fixtures/gpu');
const text = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');
const MIB = 1024 * 1024;

describe('nvidia-smi --query-gpu parsing', () => {
	it('reads the recorded H100 row into exact values', () => {
		const { rows, other } = parseGpuCsv(text('nvidia/single.gpu.csv'), GPU_FIELDS);
		expect(other).toEqual([]);
		expect(rows).toHaveLength(1);
		expect(gpuFromRow(rows[0])).toEqual({
			vendor: 'nvidia',
			index: '0',
			uuid: 'GPU-00000000-0000-0000-0000-000000000000',
			name: 'NVIDIA H100 80GB HBM3',
			driverVersion: '590.48.01',
			utilizationPercent: 100,
			memoryUtilizationPercent: 11,
			memoryTotalBytes: 81559 * MIB,
			memoryUsedBytes: 19818 * MIB,
			memoryFreeBytes: 61263 * MIB,
			memoryUsedPercent: 24.3,
			temperatureCelsius: 59,
			powerDrawWatts: 631.95,
			powerLimitWatts: 700,
			fanSpeedPercent: null,
			clockGraphicsMhz: 1980,
			clockMemoryMhz: 2619,
			pstate: 0,
			throttleReasons: [],
			throttled: false,
			eccErrorsUncorrected: 0,
			eccErrorsCorrected: 0,
			migEnabled: false,
		});
	});

	it('keeps the values a consumer card has and nulls the ones it lacks', () => {
		const { rows } = parseGpuCsv(text('nvidia/consumer.gpu.csv'), GPU_FIELDS);
		const g = gpuFromRow(rows[0]);
		expect(g.fanSpeedPercent).toBe(38);
		expect(g.pstate).toBe(2);
		expect(g.powerDrawWatts).toBe(111.5);
		expect(g.eccErrorsUncorrected).toBeNull();
		expect(g.eccErrorsCorrected).toBeNull();
		expect(g.migEnabled).toBeNull();
	});

	it('treats every bracketed word and N/A as a missing value, not as 0', () => {
		const { rows } = parseGpuCsv(text('nvidia/na.gpu.csv'), GPU_FIELDS);
		const g = gpuFromRow(rows[0]);
		expect(g.utilizationPercent).toBeNull(); // [N/A]
		expect(g.temperatureCelsius).toBeNull(); // [Unknown Error]
		expect(g.powerDrawWatts).toBeNull(); // [Not Supported]
		expect(g.fanSpeedPercent).toBeNull(); // N/A
		expect(g.throttleReasons).toBeNull(); // [Unknown Error]
		expect(g.throttled).toBeNull();
		expect(g.memoryUtilizationPercent).toBe(3);
		expect(g.powerLimitWatts).toBe(250);
		const names = gpuSamples([g]).map((s) => s.name);
		expect(names).not.toContain('gpu_utilization_percent');
		expect(names).not.toContain('gpu_temperature_celsius');
		expect(names).not.toContain('gpu_throttled');
		expect(names).toContain('gpu_memory_utilization_percent');
		expect(names).toContain('gpu_power_limit_watts');
	});

	it('reads MIG mode and the utilization MIG hides', () => {
		const { rows } = parseGpuCsv(text('nvidia/mig.gpu.csv'), GPU_FIELDS);
		const g = gpuFromRow(rows[0]);
		expect(g.migEnabled).toBe(true);
		expect(g.utilizationPercent).toBeNull();
		expect(g.memoryUsedBytes).toBe(11125 * MIB);
	});

	it('sets lines that are not rows apart (a GPU fallen off the bus) and keeps the others', () => {
		const good = text('nvidia/single.gpu.csv').trim();
		const lost = 'Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error';
		const { rows, other } = parseGpuCsv(`${lost}\n${good}\n`, GPU_FIELDS);
		expect(rows).toHaveLength(1);
		expect(other).toEqual([lost]);
	});

	it('maps columns by the field list asked for, including the old throttle name', () => {
		const fields = GPU_FIELDS.map((f) => (f.includes('reasons') ? THROTTLE_REASONS_FIELD : f));
		const row = text('nvidia/eight.gpu.csv').split('\n')[5];
		const g = gpuFromRow(parseGpuCsv(row, fields).rows[0]);
		expect(g.index).toBe('5');
		expect(g.throttleReasons).toEqual(['sw_thermal_slowdown', 'hw_thermal_slowdown']);
	});

	it('builds the exact command line', () => {
		expect(gpuQueryArgs(['index', 'uuid'])).toEqual([
			'--query-gpu=index,uuid',
			'--format=csv,noheader,nounits',
		]);
	});
});

describe('clock event reasons, pstate', () => {
	it('decodes the nvml.h bits', () => {
		expect(decodeClockReasons('0x0000000000000000')).toEqual([]);
		expect(decodeClockReasons('0x0000000000000001')).toEqual(['gpu_idle']);
		expect(decodeClockReasons('0x0000000000000004')).toEqual(['sw_power_cap']);
		expect(decodeClockReasons('0x00000000000000C8')).toEqual([
			'hw_slowdown',
			'hw_thermal_slowdown',
			'hw_power_brake_slowdown',
		]);
		expect(decodeClockReasons('0x0000000000000401')).toEqual(['gpu_idle', 'unknown_0x400']);
		expect(decodeClockReasons('[N/A]')).toBeNull();
		expect(decodeClockReasons('Active')).toBeNull();
	});

	it('counts anything but idle as throttled', () => {
		expect(isThrottled(['gpu_idle'])).toBe(false);
		expect(isThrottled([])).toBe(false);
		expect(isThrottled(['gpu_idle', 'sw_power_cap'])).toBe(true);
		expect(isThrottled(null)).toBeNull();
	});

	it('reads P-states', () => {
		expect(parsePstate('P0')).toBe(0);
		expect(parsePstate('P12')).toBe(12);
		expect(parsePstate('[N/A]')).toBeNull();
		expect(parsePstate('8')).toBeNull();
	});
});

describe('nvidia-smi --query-compute-apps parsing', () => {
	it('reads the recorded processes', () => {
		const { apps, other } = parseAppsCsv(text('nvidia/single.apps.csv'));
		expect(other).toEqual([]);
		expect(apps).toEqual([
			{
				pid: 11327,
				name: '/root/tools/memhog',
				uuid: 'GPU-00000000-0000-0000-0000-000000000000',
				usedMemoryBytes: 2566 * MIB,
			},
			{
				pid: 11328,
				name: '/root/tools/memhog',
				uuid: 'GPU-00000000-0000-0000-0000-000000000000',
				usedMemoryBytes: 1542 * MIB,
			},
			{
				pid: 11345,
				name: './gpu_burn',
				uuid: 'GPU-00000000-0000-0000-0000-000000000000',
				usedMemoryBytes: 15690 * MIB,
			},
		]);
	});

	it('keeps a process name with commas whole and a memory of [N/A] as unknown', () => {
		const { apps } = parseAppsCsv('77, /opt/my, odd, app, GPU-1, [N/A]\n');
		expect(apps).toEqual([
			{ pid: 77, name: '/opt/my, odd, app', uuid: 'GPU-1', usedMemoryBytes: null },
		]);
	});

	it('ignores "No running processes found" and reports other noise', () => {
		const { apps, other } = parseAppsCsv('No running processes found\nsomething odd\n');
		expect(apps).toEqual([]);
		expect(other).toEqual(['something odd']);
	});
});

describe('nvidia-smi error texts', () => {
	it('finds the rejected field', () => {
		expect(
			rejectedField('Field "clocks_event_reasons.active" is not a valid field to query.\n'),
		).toBe('clocks_event_reasons.active');
		expect(rejectedField('No devices were found')).toBeNull();
	});

	it('tells no device from no driver', () => {
		expect(saysNoDevices('No devices were found\n')).toBe(true);
		expect(saysNoDevices('NVIDIA-SMI has failed')).toBe(false);
		const down =
			"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";
		expect(saysDriverUnreachable(9, down)).toBe(true);
		expect(
			saysDriverUnreachable(18, 'Failed to initialize NVML: Driver/library version mismatch'),
		).toBe(true);
		expect(saysDriverUnreachable(6, 'No devices were found')).toBe(false);
	});
});

describe('process table join helpers', () => {
	it('reads the real uid from /proc/PID/status', () => {
		expect(parseStatusUid('Name:\tsleep\nUid:\t1000\t1001\t1001\t1001\nGid:\t0\t0\t0\t0\n')).toBe(
			1000,
		);
		expect(parseStatusUid('Name:\tsleep\n')).toBeNull();
	});

	it('matches the program by argv[0] or comm, and refuses a stranger', () => {
		expect(sameProgram('/usr/bin/python3', 'pt_main_thread', '/usr/bin/python3\0train.py\0')).toBe(
			true,
		);
		expect(sameProgram('python3', 'python3', 'python3\0x.py\0')).toBe(true);
		expect(sameProgram('./gpu_burn', 'gpu_burn', './gpu_burn\0')).toBe(true);
		expect(sameProgram('/opt/a/very_long_program_name', 'very_long_progr', '')).toBe(true);
		expect(sameProgram('/root/tools/memhog', 'bash', '/bin/bash\0')).toBe(false);
		expect(sameProgram('[Not Found]', 'bash', '/bin/bash\0')).toBe(false);
	});
});

describe('rocm-smi --json parsing', () => {
	it('reads four MI100 cards in card order with exact values', () => {
		const gpus = parseRocmSmiJson(extractJson(text('amd/multi.json'))!);
		expect(gpus.map((g) => g.index)).toEqual(['0', '1', '2', '3']);
		expect(gpus.map((g) => g.uuid)).toEqual([
			'0x79ccd55167a2124a',
			'0x4edfb117a17a07d',
			'0xd4a9ec48d03d261d',
			'0x1b9dd972253c3736',
		]);
		expect(gpus.map((g) => g.powerDrawWatts)).toEqual([36, 44, 43, 39]);
		expect(gpus[1]).toMatchObject({
			vendor: 'amd',
			name: 'Arcturus GL-XL [Instinct MI100]',
			driverVersion: '6.3.6',
			utilizationPercent: 0,
			memoryUtilizationPercent: 0,
			memoryTotalBytes: 34342961152,
			memoryUsedBytes: 6750208,
			memoryFreeBytes: 34342961152 - 6750208,
			memoryUsedPercent: 0.02,
			temperatureCelsius: 55,
			temperatureSensor: 'edge',
			powerLimitWatts: 290,
			fanSpeedPercent: null,
			clockGraphicsMhz: 300,
			clockMemoryMhz: 1200,
			pstate: null,
			migEnabled: null,
		});
	});

	it('reads ROCm 6.1 labels and falls back to the PCI bus when there is no unique id', () => {
		const [g] = parseRocmSmiJson(extractJson(text('amd/navi.json'))!);
		expect(g.name).toBe('Navi 22 [Radeon RX 6700/6700 XT / 6800M]');
		expect(g.uuid).toBe('0000:07:00.0');
		expect(g.memoryUsedBytes).toBe(1572745216);
		expect(g.memoryUsedPercent).toBe(12.22);
		expect(g.clockMemoryMhz).toBe(96);
	});

	it('takes the junction sensor when a card has no edge sensor', () => {
		const [g] = parseRocmSmiJson({
			card0: {
				'Temperature (Sensor edge) (C)': 'N/A',
				'Temperature (Sensor junction) (C)': '61.0',
			},
		});
		expect(g.temperatureCelsius).toBe(61);
		expect(g.temperatureSensor).toBe('junction');
	});

	it('finds the JSON after warnings and reads clock strings', () => {
		expect(extractJson('WARNING: something\n{"card0": {"GPU use (%)": "7"}}\n')).toEqual({
			card0: { 'GPU use (%)': '7' },
		});
		expect(extractJson('')).toBeNull();
		expect(parseClock('(1725Mhz)')).toBe(1725);
		expect(parseClock('N/A')).toBeNull();
	});
});
