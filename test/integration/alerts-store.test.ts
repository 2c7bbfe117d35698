import {
	buildRule,
	listAlerts,
	pollAlerts,
	raiseAlert,
	resolveAlert,
	type AlertRule,
} from '../../core/alerts';
import type { Sample } from '../../core/collectors/types';
import { MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';
import { tables } from '../helpers/tables';

/** Alert rules judged on a real store (SQLite file and PostgreSQL), written the way collectors write. */
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const { backends } = testStores(['sqlite', 'postgres'], 'mon-alerts-');

async function write(store: MonitoringStore, host: string, time: number, samples: Sample[]) {
	await store.writeCollection({
		collector: 'host',
		host,
		time,
		durationMs: 1,
		ok: true,
		warnings: [],
		samples,
		snapshot: null,
	});
}

const cpu = (v: number): Sample[] => [
	{ name: 'cpu_usage_percent', value: v, labels: { cpu: 'total' } },
];

describe.each(backends)('%s', (_name, config) => {
	let store: MonitoringStore;
	beforeEach(async () => {
		store = await MonitoringStore.open(config());
	});
	afterEach(async () => {
		await store.close();
	});

	const rule: AlertRule = buildRule({ preset: 'cpuHigh', forMinutes: '2', windowMinutes: '1' });

	test('fires once per host, hands each event over once, resolves once; a new cursor skips history', async () => {
		let cursor: number | undefined;
		const delivered: string[] = [];
		const values = [50, 95, 96, 97, 98, 99, 60, 50];
		for (const [m, v] of values.entries()) {
			const now = T0 + m * MIN;
			await write(store, 'web-1', now, cpu(v));
			await write(store, 'web-2', now, cpu(40));
			const result = await pollAlerts(store, {
				scope: 'wf1:node1',
				rules: [rule],
				includeWorkflowAlerts: true,
				cursor,
				dashboardUrl: 'http://n8n.test/webhook/monitoring/',
				now,
			});
			cursor = result.cursor;
			delivered.push(...result.events.map((e) => `${e.status}:${e.host}@${m}`));
			if (m === 3) {
				const [e] = result.events;
				expect(e.message).toMatch(/^Firing: CPU busy on web-1: 9\d(\.\d+)? % \(average\) > 90 %/);
				expect(e.link).toBe('http://n8n.test/webhook/monitoring/#/host/web-1');
				expect(e.since).toBe(T0 + MIN);
				const { active } = await listAlerts(store, { from: T0, to: now });
				expect(active.map((a) => [a.host, a.status])).toEqual([['web-1', 'firing']]);
			}
		}
		// Pending from minute 1, fired at 3 (2 minutes), resolved when the average fell below 80.
		expect(delivered).toEqual(['firing:web-1@3', 'resolved:web-1@6']);
		const { active, history } = await listAlerts(store, { from: T0, to: T0 + 60 * MIN });
		expect(active).toEqual([]);
		expect(history.map((a) => [a.host, a.status, a.resolvedAt])).toEqual([
			['web-1', 'resolved', T0 + 6 * MIN],
		]);
		// Another trigger starting now does not replay the history.
		const fresh = await pollAlerts(store, {
			scope: 'wf2:node1',
			rules: [buildRule({ preset: 'memoryHigh' })],
			includeWorkflowAlerts: true,
			cursor: undefined,
			now: T0 + 8 * MIN,
		});
		// memory_used_percent is not stored here: the preset waits for it, and says so.
		expect(fresh.events).toEqual([]);
		expect(fresh.inactive).toEqual([
			expect.objectContaining({ rule: 'Memory almost used up', metric: 'memory_used_percent' }),
		]);
	});

	test('a poll repeated with the same cursor (n8n restarted before committing it) hands the same events again, nothing new', async () => {
		for (const [m, v] of [95, 96, 97].entries()) await write(store, 'h', T0 + m * MIN, cpu(v));
		const r = buildRule({ preset: 'cpuHigh', forMinutes: '0', windowMinutes: '1' });
		const opts = { scope: 's', rules: [r], includeWorkflowAlerts: false, now: T0 + 2 * MIN };
		const first = await pollAlerts(store, { ...opts, cursor: 0 });
		expect(first.events.map((e) => e.status)).toEqual(['firing']);
		const again = await pollAlerts(store, { ...opts, cursor: 0 });
		expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
		const after = await pollAlerts(store, { ...opts, cursor: first.cursor });
		expect(after.events).toEqual([]);
	});

	test('unknown metrics name the closest ones; a window shorter than the collection interval is refused', async () => {
		for (let m = 0; m < 6; m++) await write(store, 'h', T0 + m * 5 * MIN, cpu(10));
		const base = { scope: 's', includeWorkflowAlerts: false, cursor: 0, now: T0 + 30 * MIN };
		const typo = buildRule({ preset: 'custom', metric: 'cpu_usage_percnt', threshold: 1 });
		await expect(pollAlerts(store, { ...base, rules: [typo] })).rejects.toThrow(
			/"cpu_usage_percnt".*not in the store/,
		);
		const error = await pollAlerts(store, { ...base, rules: [typo] }).catch((e) => e);
		expect(error.hint).toMatch(/Did you mean "cpu_usage_percent"/);
		const short = buildRule({
			preset: 'custom',
			metric: 'cpu_usage_percent',
			threshold: 1,
			windowMinutes: 2,
		});
		await expect(pollAlerts(store, { ...base, rules: [short] })).rejects.toThrow(
			/shorter than the interval "cpu_usage_percent" is collected at \(300 s\)/,
		);
	});

	test('workflow alerts: raise twice is one alert, resolve closes it, triggers hand both over', async () => {
		await write(store, 'h', T0, cpu(10));
		const rules = [buildRule({ preset: 'cpuHigh', windowMinutes: '1' })];
		const start = await pollAlerts(store, {
			scope: 's',
			rules,
			includeWorkflowAlerts: true,
			cursor: undefined,
			now: T0,
		});
		const a = await raiseAlert(store, {
			key: "import'; DROP TABLE mon_alerts; --",
			severity: 'critical',
			message: '<script>alert(1)</script> failed',
			host: 'etl-1',
			now: T0 + MIN,
		});
		const b = await raiseAlert(store, {
			key: "import'; DROP TABLE mon_alerts; --",
			severity: 'critical',
			message: 'failed again',
			now: T0 + 2 * MIN,
		});
		expect([a.created, b.created, b.alertId]).toEqual([true, false, a.alertId]);
		const polled = await pollAlerts(store, {
			scope: 's',
			rules,
			includeWorkflowAlerts: true,
			cursor: start.cursor,
			now: T0 + 3 * MIN,
		});
		expect(polled.events.map((e) => [e.status, e.key, e.message])).toEqual([
			['firing', "import'; DROP TABLE mon_alerts; --", '<script>alert(1)</script> failed'],
		]);
		expect(
			await resolveAlert(store, {
				key: "import'; DROP TABLE mon_alerts; --",
				now: T0 + 4 * MIN,
			}),
		).toEqual({ resolved: true, alertId: a.alertId });
		expect(
			(
				await resolveAlert(store, {
					key: "import'; DROP TABLE mon_alerts; --",
					now: T0 + 5 * MIN,
				})
			).resolved,
		).toBe(false);
		const closed = await pollAlerts(store, {
			scope: 's',
			rules,
			includeWorkflowAlerts: true,
			cursor: polled.cursor,
			now: T0 + 6 * MIN,
		});
		expect(closed.events.map((e) => e.status)).toEqual(['resolved']);
		// A trigger that leaves workflow alerts out sees none of it.
		const other = await pollAlerts(store, {
			scope: 'other',
			rules,
			includeWorkflowAlerts: false,
			cursor: start.cursor,
			now: T0 + 6 * MIN,
		});
		expect(other.events).toEqual([]);
	});

	test('a workflow alert carries the title people read, and keeps its key for deduplication', async () => {
		const start = await pollAlerts(store, {
			scope: 't',
			rules: [],
			includeWorkflowAlerts: true,
			cursor: undefined,
			now: T0,
		});
		const raised = await raiseAlert(store, {
			key: 'workflow-error:monN8nExecuts01',
			title: 'Nightly import failed at Read orders',
			severity: 'critical',
			message: 'connection refused',
			now: T0 + MIN,
		});
		await resolveAlert(store, { key: 'workflow-error:monN8nExecuts01', now: T0 + 2 * MIN });
		const polled = await pollAlerts(store, {
			scope: 't',
			rules: [],
			includeWorkflowAlerts: true,
			cursor: start.cursor,
			now: T0 + 3 * MIN,
		});
		expect(polled.events.map((e) => [e.status, e.key, e.rule])).toEqual([
			['firing', 'workflow-error:monN8nExecuts01', 'Nightly import failed at Read orders'],
			['resolved', 'workflow-error:monN8nExecuts01', 'Nightly import failed at Read orders'],
		]);
		const row = await tables(store)('mon_alerts').where({ id: raised.alertId }).first();
		expect(row.rule).toBe('Nightly import failed at Read orders');
	});

	test('a workflow alert with "resolve after" resolves itself at a poll', async () => {
		await write(store, 'h', T0, cpu(10));
		const rules = [buildRule({ preset: 'cpuHigh', windowMinutes: '1' })];
		await raiseAlert(store, {
			key: 'k',
			severity: 'info',
			message: 'm',
			resolveAfterMs: 10 * MIN,
			now: T0,
		});
		const before = await pollAlerts(store, {
			scope: 's',
			rules,
			includeWorkflowAlerts: true,
			cursor: 0,
			now: T0 + 5 * MIN,
		});
		expect(before.events.map((e) => e.status)).toEqual(['firing']);
		const after = await pollAlerts(store, {
			scope: 's',
			rules,
			includeWorkflowAlerts: true,
			cursor: before.cursor,
			now: T0 + 11 * MIN,
		});
		expect(after.events.map((e) => [e.status, e.reason])).toEqual([['resolved', 'expired']]);
	});

	test('a preset waits while its metric is not collected, and fires once it is', async () => {
		const gpuHot = buildRule({ preset: 'gpuHot', forMinutes: '0' });
		const base = { scope: 'gpu', rules: [gpuHot], includeWorkflowAlerts: false };
		for (let m = 0; m < 3; m++) await write(store, 'h', T0 + m * MIN, cpu(10));
		const waiting = await pollAlerts(store, { ...base, cursor: 0, now: T0 + 3 * MIN });
		expect(waiting.events).toEqual([]);
		expect(waiting.inactive.map((r) => [r.rule, r.metric])).toEqual([
			['GPU hot', 'gpu_temperature_celsius'],
		]);
		expect(await tables(store)('mon_alert_state').where('scope', 'gpu')).toEqual([]);
		const gpu = (v: number): Sample[] => [
			{ name: 'gpu_temperature_celsius', value: v, labels: { gpu: '0' } },
		];
		for (let m = 3; m < 6; m++) await write(store, 'h', T0 + m * MIN, gpu(92));
		const firing = await pollAlerts(store, {
			...base,
			cursor: waiting.cursor,
			now: T0 + 6 * MIN,
		});
		expect(firing.inactive).toEqual([]);
		expect(firing.events.map((e) => [e.status, e.rule, e.host])).toEqual([
			['firing', 'GPU hot', 'h'],
		]);
	});

	test('store pool exhausted: fires on a stored stretch of waiting queries, not on a busy minute', async () => {
		const pool = buildRule({ preset: 'poolExhausted' });
		const base = { scope: 'pool', rules: [pool], includeWorkflowAlerts: false };
		const pending = (v: number): Sample[] => [
			{ name: 'store_pool_pending', value: v, labels: { store: 'sqlite' } },
		];
		// n8n-a: queries wait at every collection; n8n-b: one busy minute in each five.
		for (let m = 0; m < 12; m++) {
			await write(store, 'n8n-a', T0 + m * MIN, pending(m < 2 ? 0 : 3));
			await write(store, 'n8n-b', T0 + m * MIN, pending(m % 5 === 4 ? 6 : 0));
		}
		const first = await pollAlerts(store, { ...base, cursor: 0, now: T0 + 11 * MIN });
		expect(first.inactive).toEqual([]);
		expect(first.events.map((e) => [e.status, e.rule, e.host, e.value])).toEqual([
			['firing', 'Store pool exhausted', 'n8n-a', 3],
		]);
		// The queue drains: one collection without waiters resolves it.
		await write(store, 'n8n-a', T0 + 12 * MIN, pending(0));
		await write(store, 'n8n-b', T0 + 12 * MIN, pending(0));
		const drained = await pollAlerts(store, {
			...base,
			cursor: first.cursor,
			now: T0 + 12 * MIN,
		});
		expect(drained.events.map((e) => [e.status, e.host])).toEqual([['resolved', 'n8n-a']]);
	});

	test('host stopped reporting and workflow without success', async () => {
		await write(store, 'quiet-host', T0, cpu(10));
		await write(store, 'busy-host', T0 + 20 * MIN, cpu(10));
		const silent = buildRule({ preset: 'hostSilent' });
		const r = await pollAlerts(store, {
			scope: 's',
			rules: [silent],
			includeWorkflowAlerts: false,
			cursor: 0,
			now: T0 + 21 * MIN,
		});
		expect(r.events.map((e) => [e.host, Math.round(e.value!)])).toEqual([['quiet-host', 21]]);
		await tables(store)('mon_executions').insert([
			{
				instance: 'n8n',
				id: '1',
				workflow_id: 'w1',
				workflow_name: 'Import',
				status: 'success',
				mode: 'trigger',
				started_at: T0 - 30 * 60 * MIN,
				synced_at: T0,
			},
			{
				instance: 'n8n',
				id: '2',
				workflow_id: 'w1',
				workflow_name: 'Import',
				status: 'error',
				mode: 'trigger',
				started_at: T0 - MIN,
				synced_at: T0,
			},
			{
				instance: 'n8n',
				id: '3',
				workflow_id: 'w2',
				workflow_name: 'Fine',
				status: 'success',
				mode: 'trigger',
				started_at: T0 - MIN,
				synced_at: T0,
			},
		]);
		const ws = buildRule({ preset: 'workflowWithoutSuccess' });
		const w = await pollAlerts(store, {
			scope: 's2',
			rules: [ws],
			includeWorkflowAlerts: false,
			cursor: 0,
			now: T0,
		});
		expect(w.events.map((e) => [e.labels.workflow_name, Math.round(e.value!)])).toEqual([
			['Import', 30],
		]);
		expect(w.events[0].link).toBeNull();
	});
});
