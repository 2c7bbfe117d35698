import {
	buildRule,
	dispatchAlerts,
	type DispatchState,
	listAlerts,
	pollAlerts,
	type AlertRule,
} from '../../core/alerts';
import type { Sample } from '../../core/collectors/types';
import { MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';

/**
 * Inhibition and grouping on a real store (SQLite file and PostgreSQL): the held-back mark the
 * dashboard reads (migration 008), the firing alerts and host states inhibition reads, and the
 * logged events a release or a group is built from.
 */
const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
const { backends } = testStores(['sqlite', 'postgres'], 'mon-dispatch-');

async function write(
	store: MonitoringStore,
	host: string,
	collector: string,
	time: number,
	samples: Sample[],
	ok = true,
) {
	await store.writeCollection({
		collector,
		host,
		time,
		durationMs: 1,
		ok,
		...(ok ? {} : { error: 'timeout' }),
		warnings: [],
		samples,
		snapshot: null,
	});
}

describe.each(backends)('%s', (_name, config) => {
	let store: MonitoringStore;
	beforeEach(async () => {
		store = await MonitoringStore.open(config());
	});
	afterEach(async () => {
		await store.close();
	});

	const rule: AlertRule = buildRule({ preset: 'databaseDown' });
	const scope = 'wf1:node1';

	test('held while its host is down, marked for the dashboard, released once from the log', async () => {
		let cursor: number | undefined;
		let state: DispatchState | undefined;
		const sent: string[] = [];
		// Minute 0..5: the host collector fails from minute 1 to 3; the database is down from 1 on.
		for (let m = 0; m <= 5; m++) {
			const now = T0 + m * MIN;
			await write(store, 'db-host', 'host', now, [], m < 1 || m > 3);
			await write(store, 'db-host', 'database', now, [
				{ name: 'db_up', value: m >= 1 ? 0 : 1, labels: { db: 'orders' } },
			]);
			const polled = await pollAlerts(store, {
				scope,
				rules: [rule],
				includeWorkflowAlerts: false,
				cursor,
				now,
			});
			cursor = polled.cursor;
			const out = await dispatchAlerts(store, {
				scope,
				now,
				events: polled.events,
				state,
				quiet: false,
				inhibition: { hostDown: true, rules: [] },
			});
			state = JSON.parse(JSON.stringify(out.state)) as DispatchState;
			sent.push(
				...out.items.map(
					(i) => `${m}: ${i.status}${'released' in i && i.released ? ' released' : ''}`,
				),
			);
			const { active } = await listAlerts(store, { from: T0, to: now });
			if (m === 2)
				expect(active.map((a) => [a.rule, a.inhibitedBy])).toEqual([
					['Database down', 'db-host down (host collector failing)'],
				]);
			if (m === 4) expect(active.map((a) => a.inhibitedBy)).toEqual([null]);
		}
		// Fired at minute 2 (2 failed checks) while the host was down; released when it was back.
		expect(sent).toEqual(['4: firing released']);
	});

	test('a group built from the log after a restart holds every alert that waited', async () => {
		const cpu = buildRule({ preset: 'cpuHigh', forMinutes: '0', windowMinutes: '1' });
		const grouping = {
			by: ['host' as const],
			labels: [],
			waitMs: 2 * MIN,
			intervalMs: 5 * MIN,
			repeatMs: 0,
		};
		let cursor: number | undefined;
		let state: DispatchState | undefined;
		const items: Array<{ m: number; keys: string; n: number }> = [];
		for (let m = 0; m <= 3; m++) {
			const now = T0 + m * MIN;
			for (const host of ['web-1', 'web-2'])
				await write(store, host, 'host', now, [
					{ name: 'cpu_usage_percent', value: m >= 1 ? 97 : 10, labels: { cpu: 'total' } },
				]);
			const polled = await pollAlerts(store, {
				scope,
				rules: [cpu],
				includeWorkflowAlerts: false,
				cursor,
				now,
			});
			cursor = polled.cursor;
			const out = await dispatchAlerts(store, {
				scope,
				now,
				events: polled.events,
				state,
				quiet: false,
				grouping,
			});
			// Through JSON, as n8n keeps static data: the payloads come back from the log.
			state = JSON.parse(JSON.stringify(out.state)) as DispatchState;
			for (const i of out.items)
				if ('groupKey' in i) items.push({ m, keys: i.groupKey, n: i.alerts.length });
		}
		expect(items.sort((a, b) => a.keys.localeCompare(b.keys))).toEqual([
			{ m: 3, keys: 'host=web-1', n: 1 },
			{ m: 3, keys: 'host=web-2', n: 1 },
		]);
	});
});
