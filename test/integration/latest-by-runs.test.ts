import type { Sample } from '../../core/collectors/types';
import { closeAllStores, MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';

/**
 * On SQLite the latest values and the overview's recent samples are looked up at the times of
 * their hosts' runs instead of scanning the hot table's window (core/store/queries/samples.ts).
 * These cases are where that could differ from a scan: a series missing from the newest run, a
 * series of another collector that ran at another time, a run outside the window, and samples
 * already packed. Every store kind must answer the same.
 */
const MIN = 60_000;
const NOW = Date.UTC(2026, 2, 1, 12);

const { backends } = testStores(['sqlite3', 'node:sqlite', 'postgres'], 'mon-latest-runs-');

afterAll(async () => {
	await closeAllStores();
});

describe.each(backends)('latest values through runs (%s)', (_name, newConfig) => {
	let store: MonitoringStore;

	const write = (collector: string, time: number, samples: Array<[string, number, string?]>) =>
		store.writeCollection({
			collector,
			host: 'h',
			time,
			durationMs: 2,
			ok: true,
			warnings: [],
			samples: samples.map(
				([name, value, mount]): Sample => ({ name, value, labels: mount ? { mount } : {} }),
			),
			snapshot: null,
		});

	beforeAll(async () => {
		store = await MonitoringStore.open(newConfig());
		// Outside the 15-minute window: must not count as the latest.
		await write('host', NOW - 20 * MIN, [
			['filesystem_used_percent', 10, '/'],
			['filesystem_used_percent', 11, '/old'],
		]);
		await write('host', NOW - 10 * MIN, [
			['filesystem_used_percent', 20, '/'],
			['filesystem_used_percent', 21, '/gone'],
		]);
		// The newest host run no longer has /gone; a GPU run a minute later has its own series.
		await write('host', NOW - 2 * MIN, [['filesystem_used_percent', 30, '/']]);
		await write('gpu', NOW - MIN, [['gpu_temperature_celsius', 55]]);
		// A run after the window's end: not the latest "as of NOW".
		await write('host', NOW + 5 * MIN, [['filesystem_used_percent', 99, '/']]);
	});

	afterAll(async () => {
		await store.close();
	});

	it('finds each series at the newest run that holds it, within the window', async () => {
		const latest = await store.samples.latest(NOW - 15 * MIN, NOW);
		const got = Object.fromEntries(
			latest.map((l) => [`${l.metric}${l.labels.mount ?? ''}`, [l.ts - NOW, l.value]]),
		);
		expect(got).toEqual({
			'filesystem_used_percent/': [-2 * MIN, 30],
			'filesystem_used_percent/gone': [-10 * MIN, 21],
			gpu_temperature_celsius: [-MIN, 55],
		});
	});

	it('finds series gone from many later runs too (past the seeks, one scan of the window)', async () => {
		// 2,100 series in one run, then 10 runs without them: 21,000 (time, series) pairs.
		const many = Array.from({ length: 2100 }, (_, k): [string, number, string] => [
			'filesystem_used_percent',
			k,
			`/m${k}`,
		]);
		const at = NOW + 20 * MIN;
		await write('containers', at, many);
		for (let m = 1; m <= 10; m++) await write('containers', at + m * 1000, [['processes', m]]);
		const latest = await store.samples.latest(at - 15 * MIN, at + MIN, ['filesystem_used_percent']);
		const mounts = new Map(latest.map((l) => [l.labels.mount, [l.ts - at, l.value]]));
		expect(mounts.size).toBe(2100 + 1); // and / (/gone and /old are older than the window)
		for (const k of [0, 1234, 2099]) expect(mounts.get(`/m${k}`)).toEqual([0, k]);
		// The host's own series keep their newest value in this later window too.
		expect(mounts.get('/')).toEqual([5 * MIN - 20 * MIN, 99]);
	});

	it('reads recent samples exactly as the general reader does', async () => {
		const ids = (await store.samples.all()).map((s) => s.id);
		const from = NOW - 30 * MIN;
		const to = NOW + 10 * MIN;
		const recent = await store.samples.recent(ids, from, to);
		expect(recent).toEqual(await store.samples.raw(ids, from, to));
		expect(recent).toHaveLength(7);
		// A narrower window cuts both the same way.
		expect(await store.samples.recent(ids, NOW - 10 * MIN, NOW)).toEqual(
			await store.samples.raw(ids, NOW - 10 * MIN, NOW),
		);
	});
});
