import {
	IncidentInputError,
	MAX_INCIDENT_MESSAGE,
	openIncident,
	postIncidentUpdate,
} from '../../core/alerts/incidents';
import {
	listIncidents,
	QueryError,
	type IncidentUpdateStatus,
	type UptimeTarget,
} from '../../core/query';
import { MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';

/**
 * Incidents grouped from the alert history of chosen targets, on SQLite and PostgreSQL: two
 * endpoints and their host on host `h`, alerts written through the store as the triggers and
 * the Alert resource write them; then incidents opened by hand and updates posted by people.
 */
const MIN = 60_000;
const DAY = Date.UTC(2026, 2, 1);
const NOW = DAY + 2 * 24 * 60 * MIN;
const at = (minute: number) => DAY + minute * MIN;

const { backends } = testStores(['sqlite', 'postgres'], 'mon-incidents-');

/** Two endpoints and their host on host `h`, with alerts as the triggers write them; their ids. */
async function seed(store: MonitoringStore): Promise<Record<string, number>> {
	const ids = await store.bulk.series([
		{ metric: 'endpoint_up', host: 'h', labels: { endpoint: 'api' } },
		{ metric: 'endpoint_up', host: 'h', labels: { endpoint: 'web' } },
		{ metric: 'collector_up', host: 'h', labels: { collector: 'host' } },
	]);
	await store.bulk.samples(ids.map((id) => [id, at(0), 1] as [number, number, number]));
	const alertIds: Record<string, number> = {};
	const alert = async (
		key: string,
		severity: 'warning' | 'critical',
		labels: Record<string, string>,
		fromMinute: number,
		toMinute: number | null,
	) => {
		const { id } = await store.alerts.open({
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
		alertIds[key] = id;
		if (toMinute !== null) await store.alerts.close(key, at(toMinute));
	};
	await alert('api-1', 'warning', { endpoint: 'api' }, 600, 620);
	await alert('web-1', 'critical', { endpoint: 'web' }, 610, 640); // overlaps api-1: one incident
	await alert('host-1', 'critical', {}, 900, 905); // the host itself
	await alert('other', 'critical', { endpoint: 'elsewhere' }, 100, 200); // not asked for
	await alert('api-2', 'warning', { endpoint: 'api' }, 2000, null); // still open
	return alertIds;
}

describe.each(backends)('incidents on %s', (_name, config) => {
	let store: MonitoringStore;
	beforeAll(async () => {
		store = await MonitoringStore.open(config());
		await seed(store);
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

describe.each(backends)('incidents written by people on %s', (_name, config) => {
	let store: MonitoringStore;
	let alerts: Record<string, number>;
	const endpoints = [{ kind: 'endpoint' as const, host: 'h' }];
	const list = (targets: UptimeTarget[] = endpoints, from = DAY, to = NOW) =>
		listIncidents(store, { from, to, now: NOW, targets });
	beforeAll(async () => {
		store = await MonitoringStore.open(config());
		alerts = await seed(store);
	}, 60_000);
	afterAll(async () => await store.close());

	test('an incident opened by hand is listed by its targets and period, its updates in its timeline', async () => {
		const hostile = '<script>alert(1)</script> & "quotes"\nsecond line ';
		const opened = await openIncident(store, {
			title: 'Checkout is slow',
			severity: 'critical',
			targets: [
				{ kind: 'endpoint', host: 'h', name: 'api' },
				{ kind: 'database', host: 'db-1', name: 'orders' },
			],
			status: 'investigating',
			message: hostile,
			author: 'Ops',
			startedAt: at(995),
			now: at(1000),
		});
		expect(opened).toMatchObject({
			source: 'manual',
			title: 'Checkout is slow',
			severity: 'critical',
			startedAt: at(995),
			resolvedAt: null,
			alertIds: [],
		});
		expect(opened.id).toMatch(/^m\d+$/);
		// Kept as given: the page escapes it.
		expect(opened.timeline).toEqual([
			{ at: at(1000), kind: 'update', status: 'investigating', message: hostile, author: 'Ops' },
		]);

		const post = (status: IncidentUpdateStatus, minute: number, message: string = status) =>
			postIncidentUpdate(store, { incident: opened.id, status, message, now: at(minute) });
		expect((await post('identified', 1010)).resolvedAt).toBeNull();
		expect((await post('resolved', 1030)).resolvedAt).toBe(at(1030));
		expect((await post('update', 1035, 'post-mortem to follow')).resolvedAt).toBe(at(1030));
		expect((await post('monitoring', 1040)).resolvedAt).toBeNull(); // it came back
		const last = await post('resolved', 1050);
		expect([last.resolvedAt, last.durationMs]).toEqual([at(1050), 55 * MIN]);
		expect(last.timeline.map((e) => [(e.at - DAY) / MIN, e.status, e.author ?? null])).toEqual([
			[1000, 'investigating', 'Ops'],
			[1010, 'identified', null],
			[1030, 'resolved', null],
			[1035, 'update', null],
			[1040, 'monitoring', null],
			[1050, 'resolved', null],
		]);

		// Listed for the endpoints of h, naming only the asked targets; not for the web endpoint.
		const listed = (await list()).find((i) => i.id === opened.id);
		expect(listed?.targets).toEqual([{ kind: 'endpoint', host: 'h', name: 'api' }]);
		expect(listed?.timeline).toHaveLength(6);
		expect((await list()).map((i) => i.id)).toEqual([
			expect.stringMatching(/^a/), // api-2, minute 2000
			opened.id, // minute 995
			expect.stringMatching(/^a/), // api-1 + web-1, minute 600
		]);
		expect(
			(await list([{ kind: 'endpoint', host: 'h', name: 'web' }])).map((i) => i.id),
		).not.toContain(opened.id);
		expect((await list([])).find((i) => i.id === opened.id)?.targets).toHaveLength(2);
		// Only in its period.
		expect((await list(endpoints, at(1051), NOW)).map((i) => i.id)).not.toContain(opened.id);
		expect((await list(endpoints, at(1050), NOW)).map((i) => i.id)).toContain(opened.id);
		expect((await list(endpoints, DAY, at(995))).map((i) => i.id)).not.toContain(opened.id);
	});

	test('an update posted with any alert id of a grouped incident belongs to that incident', async () => {
		const web = alerts['web-1'];
		const api = alerts['api-1'];
		// The alertId of a trigger's event, as a number and as text, and the incident's own id.
		const first = await postIncidentUpdate(store, {
			incident: web,
			status: 'identified',
			message: 'The load balancer dropped the API pool',
			author: null,
			now: at(630),
		});
		expect([first.id, first.alertIds, first.resolvedAt]).toEqual([`a${api}`, [api, web], at(640)]);
		await postIncidentUpdate(store, {
			incident: String(api),
			status: 'monitoring',
			message: 'Pool restored',
			now: at(645),
		});
		// A 'resolved' update on an alert-grouped incident is words only: its alerts decide.
		await postIncidentUpdate(store, {
			incident: `a${api}`,
			status: 'resolved',
			message: 'Fixed',
			now: at(2100),
		});
		const grouped = (await list()).find((i) => i.id === `a${api}`)!;
		expect(
			grouped.timeline.map((e) => [(e.at - DAY) / MIN, e.kind, e.status ?? e.target?.name]),
		).toEqual([
			[600, 'down', 'api'],
			[610, 'down', 'web'],
			[620, 'up', 'api'],
			[630, 'update', 'identified'],
			[640, 'up', 'web'],
			[645, 'update', 'monitoring'],
			[2100, 'update', 'resolved'],
		]);
		expect(grouped.resolvedAt).toBe(at(640));
		// Asked for the web endpoint only, the incident is web-1 alone and still has the update
		// posted on web-1, not those posted on api-1.
		const webOnly = (await list([{ kind: 'endpoint', host: 'h', name: 'web' }]))[0];
		expect([webOnly.id, webOnly.timeline.filter((e) => e.kind === 'update').length]).toEqual([
			`a${web}`,
			1,
		]);
		// Still no alert text anywhere.
		expect(JSON.stringify(await list([]))).not.toContain('secret detail');
	});

	test('an alert about no target (a workflow alert without a host) is an incident of its own', async () => {
		const { id } = await store.alerts.open({
			source: 'workflow',
			key: 'workflow|nightly-import',
			rule: 'Nightly import',
			severity: 'warning',
			host: null,
			metric: null,
			labels: {},
			value: null,
			threshold: null,
			message: 'import failed',
			link: null,
			scope: '',
			startedAt: at(3000),
			now: at(3000),
		});
		const incident = await postIncidentUpdate(store, {
			incident: id,
			status: 'investigating',
			message: 'Looking into it',
			now: at(3001),
		});
		expect(incident).toMatchObject({
			id: `a${id}`,
			targets: [],
			alertIds: [id],
			resolvedAt: null,
			severity: 'warning',
		});
		expect(incident.timeline.map((e) => e.kind)).toEqual(['down', 'update']);
	});

	test.each([
		[{ incident: 'm999999' }, /No incident m999999 in the store/],
		[{ incident: 999999 }, /No incident alert 999999 in the store/],
		[{ incident: 'x12' }, /"x12" is not an incident or alert id/],
		[{ incident: '' }, /"" is not an incident or alert id/],
		[{ message: '   ' }, /Message is empty/],
		[
			{ message: 'x'.repeat(MAX_INCIDENT_MESSAGE + 1) },
			/Message is 2001 characters long; at most 2000/,
		],
		[
			{ status: 'fixed' },
			/Status must be one of investigating, identified, monitoring, update, resolved, not "fixed"/,
		],
		[{ message: 'a\u0000b' }, /cannot be stored/],
	])('a bad update %# is refused, saying what to do, and stores nothing', async (bad, error) => {
		const before = await store.incidents.updates({ alertIds: Object.values(alerts) });
		const attempt = postIncidentUpdate(store, {
			incident: `a${alerts['api-1']}`,
			status: 'update',
			message: 'fine',
			now: NOW,
			...bad,
		} as Parameters<typeof postIncidentUpdate>[1]);
		await expect(attempt).rejects.toThrow(IncidentInputError);
		await expect(attempt).rejects.toThrow(error);
		expect(await store.incidents.updates({ alertIds: Object.values(alerts) })).toEqual(before);
	});

	test.each([
		[{ title: ' ' }, /Title is empty/],
		[{ targets: [] }, /at least one target/],
		[
			{ targets: [{ kind: 'endpoint', host: 'h', name: '' }] },
			/Name of the endpoint target is empty/,
		],
		[{ targets: [{ kind: 'printer', host: 'h', name: 'p' }] }, /kind must be one of/],
		[{ severity: 'urgent' }, /Severity must be info, warning or critical/],
		[{ startedAt: NOW + 3_600_000 }, /Started At is in the future/],
	])('a bad incident %# is refused', async (bad, error) => {
		await expect(
			openIncident(store, {
				title: 'T',
				severity: 'warning',
				targets: [{ kind: 'host', host: 'h', name: 'h' }],
				status: 'investigating',
				message: 'm',
				now: NOW,
				...bad,
			} as Parameters<typeof openIncident>[1]),
		).rejects.toThrow(error);
	});
});
