import type { Knex } from 'knex';

import * as initial from '../../migrations/001_initial';
import * as executions from '../../migrations/002_executions';
import { MIGRATIONS_TABLE, migrationSource } from '../../migrations';
import { querySeries } from '../../core/query';
import { MonitoringStore } from '../../core/store';
import { createKnex } from '../../core/store/connection';
import { testStores } from '../helpers/backends';
import { tables } from '../helpers/tables';

/**
 * A store created by the first released schema (migrations 001 and 002, as the first release
 * shipped them) and filled the way that release wrote, then opened by this version: it migrates
 * forward and every value reads back the same.
 */
const FIRST_RELEASE: Record<string, Knex.Migration> = {
	'001_initial': initial,
	'002_executions': executions,
};
const firstReleaseSource: Knex.MigrationSource<string> = {
	getMigrations: async () => Object.keys(FIRST_RELEASE).sort(),
	getMigrationName: (name) => name,
	getMigration: async (name) => FIRST_RELEASE[name],
};

const MIN = 60_000;
// Recent enough that no retention setting may have removed any of it yet.
const T0 = Math.floor((Date.now() - 4 * 24 * 60 * MIN) / (60 * MIN)) * 60 * MIN;
const { backends } = testStores(['sqlite', 'postgres'], 'mon-upgrade-');

/** Three days of one-minute CPU samples of one host and their rollups, as release 1 wrote them. */
async function fillFirstRelease(knex: Knex) {
	const [series] = await knex('mon_series')
		.insert({ metric: 'cpu_usage_percent', host: 'old-host', labels: '{"cpu":"total"}' })
		.returning('id');
	const id = Number(typeof series === 'object' ? series.id : series);
	const samples: Array<{ series_id: number; ts: number; value: number }> = [];
	for (let m = 0; m < 3 * 24 * 60; m++)
		samples.push({
			series_id: id,
			ts: T0 + m * MIN,
			value: Math.round(((m * 7.3) % 100) * 1000) / 1000,
		});
	for (let i = 0; i < samples.length; i += 500)
		await knex('mon_samples').insert(samples.slice(i, i + 500));
	for (const [table, bucket] of [
		['mon_rollup_5m', 5 * MIN],
		['mon_rollup_1h', 60 * MIN],
	] as const) {
		const rows = new Map<number, { min: number; max: number; sum: number; count: number }>();
		for (const s of samples) {
			const b = s.ts - (s.ts % bucket);
			const r = rows.get(b) ?? { min: Infinity, max: -Infinity, sum: 0, count: 0 };
			rows.set(b, {
				min: Math.min(r.min, s.value),
				max: Math.max(r.max, s.value),
				sum: r.sum + s.value,
				count: r.count + 1,
			});
		}
		const list = [...rows].map(([ts, r]) => ({ series_id: id, ts, ...r }));
		for (let i = 0; i < list.length; i += 500) await knex(table).insert(list.slice(i, i + 500));
	}
	await knex('mon_collections').insert({
		host: 'old-host',
		collector: 'host',
		ts: samples.at(-1)!.ts,
		duration_ms: 5,
		ok: true,
		sample_count: 1,
	});
	await knex('mon_collector_state').insert({
		host: 'old-host',
		collector: 'host',
		ts: samples.at(-1)!.ts,
		state: JSON.stringify({ time: samples.at(-1)!.ts, counters: { 'cpu.total': 12345 } }),
		snapshot: '{"cpu":1}',
	});
	await knex('mon_executions').insert({
		instance: 'n8n',
		id: '7',
		workflow_id: 'w',
		workflow_name: 'Old',
		status: 'success',
		mode: 'trigger',
		started_at: T0,
		stopped_at: T0 + 1000,
		duration_ms: 1000,
		waited_ms: 0,
		synced_at: T0,
	});
	return samples;
}

describe.each(backends)('%s', (_name, makeConfig) => {
	test('a first-release store migrates forward with its data intact, and takes new writes', async () => {
		const config = makeConfig();
		const { knex } = createKnex(config);
		let samples: Awaited<ReturnType<typeof fillFirstRelease>>;
		try {
			await knex.migrate.latest({
				migrationSource: firstReleaseSource,
				tableName: MIGRATIONS_TABLE,
				schemaName: config.type === 'postgres' ? config.schema : undefined,
			});
			samples = await fillFirstRelease(knex);
		} finally {
			await knex.destroy();
		}

		const store = await MonitoringStore.open(config);
		try {
			const done = (await tables(store)(MIGRATIONS_TABLE).orderBy('name').select('name')).map(
				(r) => r.name,
			);
			expect(done).toEqual(await migrationSource.getMigrations([]));
			// Every raw value of a day, exactly.
			const day = await querySeries(store, {
				host: 'old-host',
				metric: 'cpu_usage_percent',
				from: T0 + 24 * 60 * MIN,
				to: T0 + 2 * 24 * 60 * MIN - MIN,
				maxPoints: 1440,
			});
			expect(day.resolution).toBe('raw');
			expect(day.series[0].points).toEqual(samples!.slice(1440, 2880).map((s) => [s.ts, s.value]));
			// The three days as hourly rollups: averages of the raw values.
			const hours = await querySeries(store, {
				host: 'old-host',
				metric: 'cpu_usage_percent',
				from: T0,
				to: T0 + 3 * 24 * 60 * MIN - MIN,
				maxPoints: 72,
			});
			expect(hours.series[0].points).toHaveLength(72);
			const firstHour = samples!.slice(0, 60).reduce((a, s) => a + s.value, 0) / 60;
			expect(hours.series[0].points[0][1]).toBeCloseTo(firstHour, 9);
			expect((await store.loadState('old-host', 'host'))?.counters).toEqual({ 'cpu.total': 12345 });
			expect(
				await tables(store)('mon_executions').where({ id: '7' }).first('workflow_name'),
			).toEqual({
				workflow_name: 'Old',
			});
			// New writes go on from there.
			await store.writeCollection({
				collector: 'host',
				host: 'old-host',
				time: T0 + 3 * 24 * 60 * MIN,
				durationMs: 1,
				ok: true,
				warnings: [],
				samples: [{ name: 'cpu_usage_percent', value: 42, labels: { cpu: 'total' } }],
				snapshot: null,
			});
			const last = await querySeries(store, {
				host: 'old-host',
				metric: 'cpu_usage_percent',
				from: T0 + 3 * 24 * 60 * MIN - 2 * MIN,
				to: T0 + 3 * 24 * 60 * MIN,
			});
			expect(last.series[0].points.map((p) => p[1])).toEqual([
				samples!.at(-2)!.value,
				samples!.at(-1)!.value,
				42,
			]);
		} finally {
			await store.close();
		}
	}, 120_000);
});
