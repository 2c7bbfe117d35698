import { listIncidents, QueryError } from '../../core/query';
import { MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';

/**
 * Incidents grouped from the alert history of chosen targets, on SQLite and PostgreSQL: two
 * endpoints and their host on host `h`, alerts written through the store as the triggers and
 * the Alert resource write them.
 */
const MIN = 60_000;
const DAY = Date.UTC(2026, 2, 1);
const NOW = DAY + 2 * 24 * 60 * MIN;
const at = (minute: number) => DAY + minute * MIN;

const { backends } = testStores(['sqlite', 'postgres'], 'mon-incidents-');

describe.each(backends)('incidents on %s', (_name, config) => {
	let store: MonitoringStore;
	beforeAll(async () => {
		store = await MonitoringStore.open(config());
		const ids = await store.bulk.series([
			{ metric: 'endpoint_up', host: 'h', labels: { endpoint: 'api' } },
			{ metric: 'endpoint_up', host: 'h', labels: { endpoint: 'web' } },
			{ metric: 'collector_up', host: 'h', labels: { collector: 'host' } },
		]);
		await store.bulk.samples(ids.map((id) => [id, at(0), 1] as [number, number, number]));
		const alert = async (
			key: string,
			severity: 'warning' | 'critical',
			labels: Record<string, string>,
			fromMinute: number,
			toMinute: number | null,
		) => {
			await store.alerts.open({
				source: 'rule',
				key,
				rule: 'down',
				severity,
				host: 'h',
				metric: 'endpoint_up',
				labels,
				value: 0,
				threshold: 1,
				message: 'secret detail https://10.0.0.1/',
				link: null,
				scope: 'test',
				startedAt: at(fromMinute),
				now: at(fromMinute),
			});
			if (toMinute !== null) await store.alerts.close(key, at(toMinute));
		};
		await alert('api-1', 'warning', { endpoint: 'api' }, 600, 620);
		await alert('web-1', 'critical', { endpoint: 'web' }, 610, 640); // overlaps api-1: one incident
		await alert('host-1', 'critical', {}, 900, 905); // the host itself
		await alert('other', 'critical', { endpoint: 'elsewhere' }, 100, 200); // not asked for
		await alert('api-2', 'warning', { endpoint: 'api' }, 2000, null); // still open
	}, 60_000);
	afterAll(async () => await store.close());

	test('overlapping alerts of the targets are one incident, newest first, open until resolved', async () => {
		const incidents = await listIncidents(store, {
			from: DAY,
			to: NOW,
			now: NOW,
			targets: [
				{ kind: 'endpoint', host: 'h' },
				{ kind: 'host', host: 'h' },
			],
		});
		expect(
			incidents.map((i) => [
				i.severity,
				i.targets.map((t) => `${t.kind}:${t.name}`),
				(i.startedAt - DAY) / MIN,
				i.resolvedAt === null ? null : (i.resolvedAt - DAY) / MIN,
				i.durationMs / MIN,
			]),
		).toEqual([
			['warning', ['endpoint:api'], 2000, null, 2 * 24 * 60 - 2000],
			['critical', ['host:h'], 900, 905, 5],
			['critical', ['endpoint:api', 'endpoint:web'], 600, 640, 40],
		]);
		const merged = incidents[2];
		expect(merged.timeline.map((e) => [(e.at - DAY) / MIN, e.kind, e.target?.name])).toEqual([
			[600, 'down', 'api'],
			[610, 'down', 'web'],
			[620, 'up', 'api'],
			[640, 'up', 'web'],
		]);
		// No alert text reaches an incident: rule messages hold internal details.
		expect(JSON.stringify(incidents)).not.toContain('secret detail');
	});

	test('only the asked targets, only the period', async () => {
		const incidents = await listIncidents(store, {
			from: at(800),
			to: at(1000),
			now: NOW,
			targets: [{ kind: 'endpoint', host: 'h', name: 'web' }],
		});
		expect(incidents).toEqual([]);
		const web = await listIncidents(store, {
			from: DAY,
			to: NOW,
			now: NOW,
			targets: [{ kind: 'endpoint', host: 'h', name: 'web' }],
		});
		expect(web.map((i) => [i.id.startsWith('a'), i.targets.length, i.alertIds.length])).toEqual([
			[true, 1, 1],
		]);
	});

	test('a bad period is a QueryError', async () => {
		await expect(
			listIncidents(store, { from: NOW, to: DAY, now: NOW, targets: [] }),
		).rejects.toThrow(QueryError);
	});
});
