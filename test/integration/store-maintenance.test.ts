import path from 'node:path';

import type { Collection } from '../../core/collectors/types';
import { querySeries } from '../../core/query';
import { overview } from '../../core/query/overview';
import * as initial from '../../migrations/001_initial';
import * as executions from '../../migrations/002_executions';
import { MIGRATIONS_TABLE } from '../../migrations';
import { MonitoringStore, StoreError } from '../../core/store';
import type { RetentionDays, StoreConfig } from '../../core/store/config';
import { createKnex } from '../../core/store/connection';
import { testStores } from '../helpers/backends';
import { tables } from '../helpers/tables';

/**
 * Packed history and retention on every backend (SQLite through sqlite3 and node:sqlite, a real
 * PostgreSQL): what is read back is exactly what was written, retention removes only what is
 * past it and only once its rollups exist, and a long backlog is worked off in bounded runs.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const stores = testStores(['sqlite3', 'node:sqlite', 'postgres'], 'mon-maint-');
const { backends } = stores;
const pgConfig = backends.find(([name]) => name === 'postgres')![1];
let counter = 0;

function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const VALUE_KINDS: Array<(r: () => number) => number> = [
	(r) => Math.round(r() * 10_000) / 100,
	(r) => -r() * 1e6,
	(r) => (r() - 0.5) * 1e300,
	(r) => (r() - 0.5) * 1e-300,
	(r) => Math.floor(r() * 2 ** 53) - 2 ** 52,
	() => Number.NaN, // dropped at write
	(r) => (r() - 0.5) * r(),
];

function collection(
	time: number,
	values: Array<[string, Record<string, string>, number]>,
	host = 'h1',
	collector = 'test',
): Collection {
	return {
		collector,
		host,
		time,
		durationMs: 1,
		ok: true,
		warnings: [],
		samples: values.map(([name, labels, value]) => ({ name, labels, value })),
		snapshot: null,
		state: { time, counters: {} },
	};
}

async function seriesIds(store: MonitoringStore, metric: string): Promise<Map<string, number>> {
	const rows = await tables(store)('mon_series').where({ metric }).select('id', 'labels');
	return new Map(rows.map((r) => [String(r.labels), Number(r.id)]));
}

const count = async (store: MonitoringStore, table: string) =>
	Number((await tables(store)(table).count({ n: '*' }))[0].n);

describe.each(backends)('packed history on %s', (_name, makeConfig) => {
	let store: MonitoringStore;

	afterEach(async () => {
		await store?.close();
	});

	it('reads back exactly what was written, from packed hours and the hot table together', async () => {
		store = await MonitoringStore.open(makeConfig());
		const r = random(1234);
		const base = Date.UTC(2026, 5, 1, 0, 0, 0);
		const expected = new Map<string, Array<[number, number]>>();
		const write = async (time: number) => {
			const values: Array<[string, Record<string, string>, number]> = [];
			for (let s = 0; s < VALUE_KINDS.length; s++) {
				const value = VALUE_KINDS[s](r);
				values.push(['mixed', { s: String(s) }, value]);
				if (Number.isFinite(value)) {
					const key = JSON.stringify({ s: String(s) });
					expected.set(key, [...(expected.get(key) ?? []), [time, value]]);
				}
			}
			await store.writeCollection(collection(time, values));
		};
		let t = base + Math.floor(r() * 60_000);
		while (t < base + 6 * HOUR) {
			await write(t);
			t += 1 + Math.floor(r() * 150_000);
		}
		const report = await store.maintain({ now: t, budgetMs: 60_000 });
		expect(report.done).toBe(true);
		expect(report.packedSamples).toBeGreaterThan(0);
		expect(await count(store, 'mon_chunks')).toBeGreaterThan(0);
		expect(await count(store, 'mon_samples')).toBeGreaterThan(0);
		// A late sample for an hour that is packed already, and a repeat of a packed time (the
		// first value stays, as the hot table's key would keep it).
		const late = base + HOUR + 17_001;
		await write(late);
		for (const list of expected.values()) list.sort((a, b) => a[0] - b[0]);
		const firstKey = JSON.stringify({ s: '0' });
		const repeated = expected.get(firstKey)![3];
		await store.writeCollection(collection(repeated[0], [['mixed', { s: '0' }, 123456.5]]));

		const check = async () => {
			const ids = await seriesIds(store, 'mixed');
			const samples = await store.samples.raw([...ids.values()], base - HOUR, t + HOUR);
			for (const [labels, id] of ids) {
				const got = samples.filter((x) => x.seriesId === id).map((x) => [x.ts, x.value]);
				const want = expected.get(labels) ?? [];
				expect(got.length).toBe(want.length);
				for (let i = 0; i < want.length; i++) {
					expect(got[i][0]).toBe(want[i][0]);
					if (!Object.is(got[i][1], want[i][1]))
						throw new Error(`${labels} at ${want[i][0]}: wrote ${want[i][1]}, read ${got[i][1]}`);
				}
			}
		};
		await check(); // the late sample is still hot, its hour packed
		await store.maintain({ now: t, budgetMs: 60_000 });
		await check(); // merged into the packed hour
		expect(
			Number(
				(
					await tables(store)('mon_samples')
						.where('ts', '<', t - 2 * HOUR)
						.count({ n: '*' })
				)[0].n,
			),
		).toBe(0);

		// A chart at 5-minute resolution over packed and hot hours: rollups plus hot samples.
		const chart = await querySeries(store, {
			host: 'h1',
			metric: 'mixed',
			labels: { s: '0' },
			from: base,
			to: t,
			maxPoints: 100,
		});
		expect(chart.resolution).toBe('5m');
		const want = new Map<number, number[]>();
		for (const [ts, v] of expected.get(firstKey)!) {
			const b = ts - (ts % 300_000);
			want.set(b, [...(want.get(b) ?? []), v]);
		}
		const points = chart.series[0].points.filter((p) => p[1] !== null);
		expect(points.map((p) => p[0])).toEqual([...want.keys()]);
		for (const [i, [b, list]] of [...want.entries()].entries()) {
			expect(points[i][0]).toBe(b);
			expect(points[i][1]).toBeCloseTo(list.reduce((a, x) => a + x, 0) / list.length, 6);
			expect(chart.series[0].min![i][1]).toBe(Math.min(...list));
			expect(chart.series[0].max![i][1]).toBe(Math.max(...list));
		}
	});

	it('finds latest values and overview figures in packed hours as well as hot ones', async () => {
		store = await MonitoringStore.open(makeConfig());
		const base = Date.UTC(2026, 5, 2, 0, 0, 0);
		const end = base + 5 * HOUR;
		for (let t = base; t <= end; t += 60_000) {
			const minute = (t - base) / 60_000;
			// Each through the collector that writes it in life: a target's state follows its
			// collector's runs (a target whose collector stopped is no data).
			await store.writeCollection(
				collection(t, [['cpu_usage_percent', { cpu: 'total' }, minute % 100]], 'h1', 'host'),
			);
			await store.writeCollection(
				collection(
					t,
					// down for the last 30 minutes of the third hour, up again since the fourth
					[['endpoint_up', { endpoint: 'api' }, minute >= 150 && minute < 180 ? 0 : 1]],
					'h1',
					'endpoint',
				),
			);
		}
		await store.maintain({ now: end, budgetMs: 60_000 });
		expect(
			Number((await tables(store)('mon_samples').min({ ts: 'ts' }))[0].ts),
		).toBeGreaterThanOrEqual(end - 2 * HOUR);

		// A window that lies wholly in packed hours.
		const old = await store.samples.latest(base + HOUR, base + HOUR + 30 * 60_000, [
			'cpu_usage_percent',
		]);
		expect(old.map((l) => [l.ts, l.value])).toEqual([[base + HOUR + 30 * 60_000, 90]]);
		const now = await store.samples.latest(end - 15 * 60_000, end, ['cpu_usage_percent']);
		expect(now.map((l) => [l.ts, l.value])).toEqual([[end, 300 % 100]]);

		// Overview at a time whose last hour and last day span packed and hot data.
		const at = end - 30 * 60_000;
		const o = await overview(store, { now: at });
		const host = o.hosts.find((h) => h.host === 'h1')!;
		expect(host.sparkline).toHaveLength(60);
		expect(host.sparkline[59]).toEqual([at, ((at - base) / 60_000) % 100]);
		const api = o.targets.find((x) => x.name === 'api')!;
		expect(api.status).toBe('ok');
		expect(api.since).toBe(base + 180 * 60_000);
	});

	it('deletes only what is past retention, only after its rollups exist, in bounded runs', async () => {
		const retention: RetentionDays = { raw: 1, rollup5m: 2, rollup1h: 4, records: 3 };
		store = await MonitoringStore.open({ ...makeConfig(), retention });
		const base = Date.UTC(2026, 6, 1);
		const end = base + 6 * DAY;
		const written: Array<[number, number]> = [];
		// Every 20 minutes for 6 days, written while maintenance waits (its interval has not passed
		// since the first write): the backlog a long-stopped maintenance would find.
		for (let t = base; t <= end; t += 20 * 60_000) {
			const v = Math.round(Math.sin(t / HOUR) * 1000) / 10;
			written.push([t, v]);
			await store.writeCollection(collection(t, [['m', {}, v]]));
		}
		expect(await count(store, 'mon_samples')).toBe(written.length);
		let runs = 0;
		for (;;) {
			runs++;
			const report = await store.maintain({ now: end, budgetMs: 1 });
			if (report.done) break;
			expect(runs).toBeLessThan(1000);
		}
		expect(runs).toBeGreaterThan(10); // one hour of packing per run, at most a step or two more
		const again = await store.maintain({ now: end, budgetMs: 1 });
		expect(again).toMatchObject({ done: true, packedSamples: 0, deleted: {} });

		const [id] = (await seriesIds(store, 'm')).values();
		const rawCutoff = Math.floor((end - retention.raw * DAY) / HOUR) * HOUR;
		const raw = await store.samples.raw([id], 0, end);
		expect(raw.map((s) => [s.ts, s.value])).toEqual(written.filter(([t]) => t >= rawCutoff));
		const hours = await store.samples.rollupRows('1h', [id], 0, end);
		const hourCutoff = end - retention.rollup1h * DAY;
		// Hours are packed (and rolled up) once they ended an hour before `end`.
		const packedUntil = Math.floor((end - HOUR) / HOUR) * HOUR;
		const wantHours = new Map<number, number>();
		for (const [t] of written) {
			const hour = t - (t % HOUR);
			if (hour >= hourCutoff && hour < packedUntil)
				wantHours.set(hour, (wantHours.get(hour) ?? 0) + 1);
		}
		// every packed hour still within the hourly retention has its rollup, including the hours
		// whose raw samples are gone
		const got = new Map(hours.map((h) => [Number(h.ts), Number(h.count)]));
		expect(wantHours.size).toBeGreaterThan(24);
		for (const [hour, n] of wantHours) expect([hour, got.get(hour)]).toEqual([hour, n]);
		// Rollups are packed a block per series (a week of hours, a day of 5-minute buckets) and a
		// block goes once all of it is past retention: at most one block more is kept.
		expect(Math.min(...got.keys())).toBeGreaterThanOrEqual(hourCutoff - 7 * DAY);
		const fiveMinRows = await store.samples.rollupRows('5m', [id], 0, end);
		const fiveMin = Math.min(...fiveMinRows.map((r) => r.ts));
		expect(fiveMin).toBeGreaterThanOrEqual(end - retention.rollup5m * DAY - DAY);
		expect(fiveMin).toBeLessThanOrEqual(end - retention.rollup5m * DAY);
		const firstRun = Number((await tables(store)('mon_collections').min({ ts: 'ts' }))[0].ts);
		expect(firstRun).toBeGreaterThanOrEqual(end - retention.records * DAY);
		expect(firstRun).toBeLessThan(end - retention.records * DAY + 20 * 60_000);
	});
});

describe.each(backends)(
	'upgrading a store written before packed history, on %s',
	(_name, makeConfig) => {
		it('counts the rows rolled up at write time once, before and after they are packed', async () => {
			// The store as the previous version left it: migrations 001 and 002, samples and their
			// rollups written together.
			const config = makeConfig();
			const { knex } = createKnex(config);
			const schemaName = config.type === 'postgres' ? config.schema : undefined;
			const old: Record<string, unknown> = { '001_initial': initial, '002_executions': executions };
			await knex.migrate.latest({
				tableName: MIGRATIONS_TABLE,
				schemaName,
				migrationSource: {
					getMigrations: async () => Object.keys(old),
					getMigrationName: (name: string) => name,
					getMigration: async (name: string) => old[name] as never,
				},
			});
			const base = Date.UTC(2026, 3, 1);
			const [{ id }] = await knex('mon_series').insert({ metric: 'm', host: 'h1', labels: '{}' }, [
				'id',
			]);
			const written: Array<[number, number]> = [];
			for (let t = base; t < base + 3 * HOUR; t += 10 * 60_000)
				written.push([t, (t - base) / 60_000]);
			await knex('mon_samples').insert(
				written.map(([ts, value]) => ({ series_id: id, ts, value })),
			);
			for (const [table, width] of [
				['mon_rollup_5m', 300_000],
				['mon_rollup_1h', HOUR],
			] as const) {
				const buckets = new Map<number, number[]>();
				for (const [t, v] of written)
					buckets.set(t - (t % width), [...(buckets.get(t - (t % width)) ?? []), v]);
				await knex(table).insert(
					[...buckets].map(([ts, list]) => ({
						series_id: id,
						ts,
						min: Math.min(...list),
						max: Math.max(...list),
						sum: list.reduce((a, b) => a + b, 0),
						count: list.length,
					})),
				);
			}
			await knex.destroy();

			const store = await MonitoringStore.open(config);
			// One more sample in the last old hour, written after the upgrade (so not rolled up yet).
			const late = base + 2 * HOUR + 55 * 60_000;
			await store.writeCollection(collection(late, [['m', {}, 1000]]));
			const chart = async () => {
				const r = await querySeries(store, {
					host: 'h1',
					metric: 'm',
					from: base,
					to: base + 3 * HOUR - 1,
					maxPoints: 10,
				});
				expect(r.resolution).toBe('1h');
				return r.series[0].points;
			};
			const hourly = (list: Array<[number, number]>) => {
				const sums = new Map<number, number[]>();
				for (const [t, v] of list)
					sums.set(t - (t % HOUR), [...(sums.get(t - (t % HOUR)) ?? []), v]);
				return [...sums].map(([t, l]) => [t, l.reduce((a, b) => a + b, 0) / l.length]);
			};
			const all = [...written, [late, 1000] as [number, number]];
			const before = await store.readHourly('h1', 'm', base);
			expect(before[0].points).toEqual(hourly(all));
			expect(await chart()).toEqual(hourly(all));
			// (The write above already ran maintenance once, at its own time: the first hour is packed.)
			expect(await count(store, 'mon_chunks')).toBe(1);
			await store.maintain({ now: base + 5 * HOUR, budgetMs: 60_000 });
			expect(await count(store, 'mon_samples')).toBe(0);
			expect(await count(store, 'mon_chunks')).toBe(3);
			expect((await store.readHourly('h1', 'm', base))[0].points).toEqual(hourly(all));
			expect(await chart()).toEqual(hourly(all));
			const raw = await store.samples.raw([Number(id)], 0, base + 5 * HOUR);
			expect(raw.map((x) => [x.ts, x.value])).toEqual(all);
			await store.close();
		});
	},
);

describe('retention settings', () => {
	const open = (retention: Record<string, unknown>) =>
		MonitoringStore.open({
			type: 'sqlite',
			filename: path.join(stores.tmp, `bad${++counter}.sqlite`),
			retention: retention as Partial<RetentionDays>,
		});

	it.each([
		[
			{ raw: 0.001 },
			/Raw Samples Retention \(Days\) is 0.001, shorter than 5 minutes/,
			/at least 0.0035/,
		],
		[{ rollup5m: 0.02 }, /5-Minute Rollups Retention .* shorter than 1 hour/, /at least 0.0417/],
		[{ rollup1h: 0 }, /Hourly Rollups Retention .* shorter than 1 hour/, /at least 0.0417/],
		[{ raw: 'a week' }, /must be a number of days, not "a week"/, /a number such as 7/],
		[{ records: Number.NaN }, /Run Records Retention \(Days\) must be a number/, /such as 90/],
	])('refuses %j and says what to change', async (retention, message, hint) => {
		const error = await open(retention).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StoreError);
		expect((error as StoreError).message).toMatch(message);
		expect((error as StoreError).hint).toMatch(hint);
		expect((error as StoreError).hint).toMatch(/Monitoring Store credential/);
	});

	it('takes numbers given as text, as a credential or environment variable may hold them', async () => {
		const store = await open({ raw: '2.5', rollup5m: 30 });
		expect(store.retention).toEqual({ raw: 2.5, rollup5m: 30, rollup1h: 730, records: 90 });
		await store.close();
	});
});

describe('maintenance on a PostgreSQL server that goes away', () => {
	it('resumes on the next run and loses nothing', async () => {
		const store = await MonitoringStore.open(pgConfig());
		const base = Date.UTC(2026, 7, 1);
		const end = base + 12 * HOUR;
		const labels = Array.from({ length: 20 }, (_, i) => ({ i: String(i) }));
		for (let t = base; t <= end; t += 5 * 60_000)
			await store.writeCollection(
				collection(
					t,
					labels.map((l, i) => ['m', l, t / 1000 + i * 0.25]),
				),
			);
		const first = await store.maintain({ now: end, budgetMs: 1 });
		expect(first.done).toBe(false);
		const packedBefore = await count(store, 'mon_chunks');
		expect(packedBefore).toBeGreaterThan(0);

		// Hold the next step inside its transaction (a lock on a table it writes), then stop the
		// server under it, as a crash or a lost network would.
		const { default: knexFactory } = await import('knex');
		const config = store.config as Extract<StoreConfig, { type: 'postgres' }>;
		const blocker = knexFactory({
			client: 'pg',
			connection: {
				host: config.host,
				port: config.port,
				user: config.user,
				password: config.password,
				database: config.database,
			},
		});
		const trx = await blocker.transaction();
		await trx.raw(`LOCK TABLE ${config.schema}.mon_rollup_1h_blocks IN ACCESS EXCLUSIVE MODE`);
		const running = store.maintain({ now: end, budgetMs: 60_000 }).then(
			() => 'finished',
			(e: unknown) => e,
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
		await stores.pg.halt();
		const failure = await running;
		expect(failure).toBeInstanceOf(Error);
		await trx.rollback().catch(() => undefined);
		await blocker.destroy().catch(() => undefined);
		await stores.pg.resume();

		// The pool's connections died with the server; the next runs reconnect and finish the job.
		let report;
		for (let run = 0; run < 5; run++) {
			report = await store.maintain({ now: end, budgetMs: 60_000 }).catch((e: unknown) => e);
			if (!(report instanceof Error)) break;
		}
		expect(report).toMatchObject({ done: true });
		const ids = [...(await seriesIds(store, 'm')).values()];
		const raw = await store.samples.raw(ids, 0, end);
		expect(raw).toHaveLength(labels.length * (12 * 12 + 1));
		const byId = new Map<number, number[]>();
		for (const s of raw) byId.set(s.seriesId, [...(byId.get(s.seriesId) ?? []), s.ts]);
		for (const list of byId.values())
			expect(list).toEqual(Array.from({ length: 145 }, (_, k) => base + k * 5 * 60_000));
		const hours = await store.samples.rollupRows('1h', ids, 0, end);
		// every packed hour of every series has its rollup, with all 12 samples
		expect(hours.length).toBe(labels.length * 11);
		expect(hours.every((h) => Number(h.count) === 12)).toBe(true);
		await store.close();
	}, 60_000);
});
