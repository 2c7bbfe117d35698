import {
	acknowledgeAlert,
	buildRule,
	createSilence,
	expireSilence,
	listAlerts,
	listSilences,
	parseEscalation,
	pollAlerts,
	raiseAlert,
	resolveAlert,
	verifyLink,
	LINK_SECRET,
	type AlertEvent,
	type PollOptions,
} from '../../core/alerts';
import type { Sample } from '../../core/collectors/types';
import { MonitoringStore } from '../../core/store';
import type { StoreConfig } from '../../core/store/config';
import { testStores } from '../helpers/backends';
import { tables } from '../helpers/tables';

/**
 * Acknowledge, escalate and silence on a real store (SQLite file and PostgreSQL). Every poll
 * opens the store anew and the cursor is all the trigger keeps, as across restarts of n8n.
 */
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const DASH = 'http://n8n.test/webhook/monitoring/';
const { backends } = testStores(['sqlite', 'postgres'], 'mon-lifecycle-');

const cpu = (v: number): Sample[] => [
	{ name: 'cpu_usage_percent', value: v, labels: { cpu: 'total' } },
];

/** A Monitoring Trigger as n8n runs it: a cursor in static data, everything else in the store. */
function trigger(config: () => StoreConfig, extra: Partial<PollOptions> = {}, repeatMinutes = '0') {
	const cfg = config();
	let cursor: number | undefined;
	const handed: AlertEvent[] = [];
	// The latest value over a day: samples come at any minute the test picks, so no window
	// shorter than the gaps between them (the trigger refuses those).
	const rule = buildRule({
		preset: 'custom',
		name: 'CPU busy',
		metric: 'cpu_usage_percent',
		labels: 'cpu=total',
		aggregation: 'last',
		windowMinutes: '1440',
		comparison: '>',
		threshold: '90',
		resolveThreshold: '80',
		forMinutes: '0',
		repeatMinutes,
	});
	return {
		cfg,
		handed,
		/** Writes one CPU sample per host at minute `m` and polls, each through a fresh store. */
		async at(m: number, values: Record<string, number>, options: Partial<PollOptions> = {}) {
			const store = await MonitoringStore.open(cfg);
			try {
				const now = T0 + m * MIN;
				for (const [host, v] of Object.entries(values))
					await store.writeCollection({
						collector: 'host',
						host,
						time: now,
						durationMs: 1,
						ok: true,
						warnings: [],
						samples: cpu(v),
						snapshot: null,
					});
				const result = await pollAlerts(store, {
					scope: 'wf:trigger',
					rules: [rule],
					includeWorkflowAlerts: true,
					cursor,
					dashboardUrl: DASH,
					now,
					...extra,
					...options,
				});
				cursor = result.cursor;
				handed.push(...result.events);
				return result.events;
			} finally {
				await store.close();
			}
		},
		async with<T>(work: (store: MonitoringStore) => Promise<T>): Promise<T> {
			const store = await MonitoringStore.open(cfg);
			try {
				return await work(store);
			} finally {
				await store.close();
			}
		},
	};
}

const brief = (events: AlertEvent[]) =>
	events.map((e) =>
		[e.status, e.host ?? e.key, e.repeat ? 'repeat' : '', e.escalationLevel ?? '']
			.filter((x) => x !== '')
			.join(':'),
	);

describe.each(backends)('%s', (_name, config) => {
	test('acknowledge: stops the repeat, is handed over once, and the link in the firing item is signed for that alert', async () => {
		const t = trigger(config, {}, '10');
		await t.at(0, { 'web-1': 10 });
		const [fired] = await t.at(1, { 'web-1': 95 });
		expect(fired.status).toBe('firing');
		expect(fired.ackLink).toMatch(
			/^http:\/\/n8n\.test\/webhook\/monitoring\/ack\?alert=\d+&exp=\d+&sig=[\w-]+$/,
		);
		const link = new URL(fired.ackLink!);
		const secret = await t.with((s) => s.alerts.lifecycle.secret(LINK_SECRET, T0));
		const check = verifyLink(
			secret,
			'ack',
			{
				subject: link.searchParams.get('alert'),
				exp: link.searchParams.get('exp'),
				sig: link.searchParams.get('sig'),
			},
			T0 + 2 * MIN,
		);
		expect(check).toEqual(expect.objectContaining({ ok: true, subject: fired.alertId }));
		// A week by default.
		expect(Number(link.searchParams.get('exp')) * 1000).toBe(T0 + MIN + 7 * 24 * 60 * MIN);
		// The key never reaches what the store hands out.
		expect(JSON.stringify(t.handed)).not.toContain(secret);

		// Repeat every 10 minutes while nobody acknowledged.
		expect(brief(await t.at(11, { 'web-1': 96 }))).toEqual(['firing:web-1:repeat']);
		const ack = await t.with((s) =>
			acknowledgeAlert(s, { alertId: fired.alertId!, by: 'alice', now: T0 + 12 * MIN }),
		);
		expect(ack).toEqual({
			outcome: 'acknowledged',
			alertId: fired.alertId,
			ackedBy: 'alice',
			ackedAt: T0 + 12 * MIN,
		});
		// Twice: the first one stays.
		const again = await t.with((s) =>
			acknowledgeAlert(s, { alertId: fired.alertId!, by: 'link', now: T0 + 13 * MIN }),
		);
		expect(again).toEqual({
			outcome: 'already',
			alertId: fired.alertId,
			ackedBy: 'alice',
			ackedAt: T0 + 12 * MIN,
		});
		const acked = await t.at(13, { 'web-1': 97 });
		expect(brief(acked)).toEqual(['acknowledged:web-1']);
		expect(acked[0]).toEqual(
			expect.objectContaining({
				acknowledgedBy: 'alice',
				acknowledgedAt: T0 + 12 * MIN,
				alertId: fired.alertId,
			}),
		);
		expect(acked[0].message).toMatch(/^Acknowledged by alice: Firing: CPU busy on web-1/);
		// No repeat any more; the resolve still comes, once.
		for (const m of [21, 31, 41]) expect(await t.at(m, { 'web-1': 98 })).toEqual([]);
		expect(brief(await t.at(42, { 'web-1': 10 }))).toEqual(['resolved:web-1']);
		expect(await t.at(43, { 'web-1': 10 })).toEqual([]);
		const rows = await t.with((s) => listAlerts(s, { from: T0, to: T0 + 60 * MIN }, T0 + 60 * MIN));
		expect(rows.history[0]).toEqual(
			expect.objectContaining({ ackedBy: 'alice', ackedAt: T0 + 12 * MIN, status: 'resolved' }),
		);
		// A resolved or unknown alert is left alone.
		expect(
			(await t.with((s) => acknowledgeAlert(s, { alertId: 999_999, by: 'x', now: T0 }))).outcome,
		).toBe('unknown');
		await t.at(50, { 'web-1': 95 });
		const [second] = t.handed.slice(-1);
		expect(second.alertId).not.toBe(fired.alertId);
		await t.at(51, { 'web-1': 10 });
		expect(
			(
				await t.with((s) =>
					acknowledgeAlert(s, { alertId: second.alertId!, by: 'x', now: T0 + 52 * MIN }),
				)
			).outcome,
		).toBe('resolved');
	});

	test('escalate: levels N, 2N, 3N; a restart keeps the level; a clock jump reaches the due level in one event; ack stops it', async () => {
		const t = trigger(config, { escalation: parseEscalation('15', 3) });
		await t.at(0, { a: 10, b: 10 });
		expect(brief(await t.at(1, { a: 95, b: 95 }))).toEqual(['firing:a', 'firing:b']);
		expect(await t.at(15, { a: 95, b: 95 })).toEqual([]);
		const first = await t.at(16, { a: 95, b: 95 });
		expect(brief(first)).toEqual(['escalated:a:1', 'escalated:b:1']);
		expect(first[0].message).toMatch(
			/^Escalated \(level 1, not acknowledged for 15 min\): Firing: CPU busy on a/,
		);
		expect(first[0].ackLink).toMatch(/\/ack\?alert=/);
		// Every poll opens the store anew (a restart): level 1 is not handed again.
		expect(await t.at(17, { a: 95, b: 95 })).toEqual([]);
		// b is acknowledged: it stops escalating; a goes on.
		await t.with((s) =>
			acknowledgeAlert(s, { alertId: first[1].alertId!, by: 'bob', now: T0 + 20 * MIN }),
		);
		expect(brief(await t.at(31, { a: 95, b: 95 }))).toEqual(['acknowledged:b', 'escalated:a:2']);
		// The clock goes back: nothing escalates, nothing is handed twice.
		expect(await t.at(25, { a: 95, b: 95 })).toEqual([]);
		// A jump of hours: the highest level, once, not each level missed.
		expect(brief(await t.at(300, { a: 95, b: 95 }))).toEqual(['escalated:a:3']);
		expect(await t.at(400, { a: 95, b: 95 })).toEqual([]);
		// Resolving ends it; a new firing starts from level 0.
		expect(brief(await t.at(401, { a: 10, b: 10 }))).toEqual(['resolved:a', 'resolved:b']);
		await t.at(402, { a: 95 });
		expect(brief(await t.at(418, { a: 95 }))).toEqual(['escalated:a:1']);
	});

	test('escalate: a list of times, and a resolve before the first level escalates nothing', async () => {
		const t = trigger(config, { escalation: parseEscalation('5, 20') });
		await t.at(0, { a: 95 });
		expect(brief(await t.at(5, { a: 95 }))).toEqual(['escalated:a:1']);
		expect(await t.at(19, { a: 95 })).toEqual([]);
		expect(brief(await t.at(20, { a: 95 }))).toEqual(['escalated:a:2']);
		expect(await t.at(60, { a: 95 })).toEqual([]);
		await t.at(61, { a: 10 });
		await t.at(62, { a: 95 });
		expect(brief(await t.at(63, { a: 10 }))).toEqual(['resolved:a']);
		expect(await t.at(70, { a: 10 })).toEqual([]);
	});

	test('silence: holds the firing back, shows it, and hands it over once when the silence ends while it still fires', async () => {
		const t = trigger(config, { escalation: parseEscalation('5', 1) }, '10');
		await t.at(0, { 'web-1': 10, 'web-2': 10, 'db-1': 10 });
		const silence = await t.with((s) =>
			createSilence(
				s,
				{ host: 'web-*', reason: 'rack move', durationMinutes: 30 },
				'alice',
				T0 + MIN,
			),
		);
		expect(silence).toEqual(
			expect.objectContaining({
				host: 'web-*',
				rule: null,
				labels: {},
				author: 'alice',
				active: true,
				endsAt: T0 + 31 * MIN,
			}),
		);
		// web-1 and db-1 fire; only db-1 is handed over.
		expect(brief(await t.at(2, { 'web-1': 95, 'web-2': 10, 'db-1': 95 }))).toEqual(['firing:db-1']);
		const { active } = await t.with((s) =>
			listAlerts(s, { from: T0, to: T0 + 3 * MIN }, T0 + 3 * MIN),
		);
		const web1 = active.find((a) => a.host === 'web-1')!;
		expect(web1).toEqual(
			expect.objectContaining({ status: 'firing', heldBy: silence.id, silencedBy: [silence.id] }),
		);
		expect(active.find((a) => a.host === 'db-1')!.silencedBy).toBeUndefined();
		// Neither repeats nor escalations of the silenced alert; web-2 fires and resolves within it: never told.
		expect(brief(await t.at(12, { 'web-1': 95, 'web-2': 95, 'db-1': 95 }))).toEqual([
			'firing:db-1:repeat',
			'escalated:db-1:1',
		]);
		expect(await t.at(13, { 'web-1': 95, 'web-2': 10, 'db-1': 95 })).toEqual([]);
		expect(await t.at(20, { 'web-1': 95, 'db-1': 95 })).toEqual([]);
		// The silence ends while web-1 still fires: handed over once, even across restarts.
		const released = await t.at(31, { 'web-1': 95, 'db-1': 10 });
		expect(brief(released)).toEqual(['resolved:db-1', 'firing:web-1']);
		expect(released[1]).toEqual(
			expect.objectContaining({ alertId: web1.id, repeat: false, at: T0 + 31 * MIN }),
		);
		expect(released[1].ackLink).toMatch(/ack\?alert=/);
		expect(await t.at(32, { 'web-1': 95 })).toEqual([]);
		// It escalates from when it was handed over.
		expect(brief(await t.at(36, { 'web-1': 95 }))).toEqual(['escalated:web-1:1']);
		expect(await t.with((s) => listSilences(s, T0 + 36 * MIN))).toEqual([]);
	});

	test('silence: expired early, matched by rule and labels; a resolve during it closes only what was told; workflow alerts too', async () => {
		const t = trigger(config);
		await t.at(0, { h: 10 });
		const told = (await t.at(1, { h: 95 }))[0];
		expect(told.status).toBe('firing');
		const s1 = await t.with((s) =>
			createSilence(
				s,
				{ rule: 'CPU*', labels: 'cpu=*', reason: 'load test', durationMinutes: 60 },
				'ops',
				T0 + 2 * MIN,
			),
		);
		// Told before the silence: its resolve still goes out, so what a workflow opened is closed.
		expect(brief(await t.at(3, { h: 10 }))).toEqual(['resolved:h']);
		// Fires again under the silence: held; a workflow alert on a silenced rule name too.
		expect(await t.at(4, { h: 95 })).toEqual([]);
		const raised = await t.with((s) =>
			raiseAlert(s, {
				key: 'import',
				title: 'CPU import',
				severity: 'critical',
				message: 'failed',
				now: T0 + 4 * MIN,
			}),
		);
		const other = await t.with((s) =>
			raiseAlert(s, {
				key: 'backup',
				title: 'Backup',
				severity: 'warning',
				message: 'late',
				now: T0 + 4 * MIN,
			}),
		);
		expect(brief(await t.at(5, { h: 95 }))).toEqual(['firing:backup']);
		// The workflow alert resolves under the silence: nobody was told, nobody is now.
		await t.with((s) => resolveAlert(s, { key: 'import', now: T0 + 6 * MIN }));
		expect(await t.at(6, { h: 95 })).toEqual([]);
		expect(await t.with((s) => expireSilence(s, s1.id, T0 + 7 * MIN))).toBe(true);
		expect(await t.with((s) => expireSilence(s, s1.id, T0 + 8 * MIN))).toBe(false);
		const after = await t.at(8, { h: 95 });
		expect(brief(after)).toEqual(['firing:h']);
		expect(after.map((e) => e.alertId)).not.toContain(raised.alertId);
		expect(other.alertId).toBeGreaterThan(0);
		// Stored and in the history all along.
		const rows = await t.with((s) =>
			tables(s)('mon_alerts').orderBy('id').select('host', 'rule', 'status', 'held_by'),
		);
		expect(rows.map((r) => [r.host, r.rule, r.status, r.held_by])).toEqual([
			['h', 'CPU busy', 'resolved', null],
			['h', 'CPU busy', 'firing', null],
			[null, 'CPU import', 'resolved', null],
			[null, 'Backup', 'firing', null],
		]);
	});

	test('two acknowledgements at once: one wins, the other says already, one event', async () => {
		const t = trigger(config);
		await t.at(0, { h: 10 });
		const [fired] = await t.at(1, { h: 95 });
		const [a, b] = await Promise.all(
			['dashboard', 'link'].map((by) =>
				t.with((s) => acknowledgeAlert(s, { alertId: fired.alertId!, by, now: T0 + 2 * MIN })),
			),
		);
		expect([a.outcome, b.outcome].sort()).toEqual(['acknowledged', 'already']);
		expect(a.ackedBy).toBe(b.ackedBy);
		expect(brief(await t.at(3, { h: 95 }))).toEqual(['acknowledged:h']);
	});

	test('bad silences are refused with what to do; the link key is generated once and kept', async () => {
		const t = trigger(config);
		await expect(
			t.with((s) => createSilence(s, { reason: 'x', durationMinutes: 5 }, 'a', T0)),
		).rejects.toThrow(/at least one matcher/);
		await expect(
			t.with((s) => createSilence(s, { host: 'h', reason: '', durationMinutes: 5 }, 'a', T0)),
		).rejects.toThrow(/needs a reason/);
		await expect(
			t.with((s) => createSilence(s, { host: 'h', reason: 'r' }, 'a', T0)),
		).rejects.toThrow(/an end or a duration/);
		await expect(
			t.with((s) => createSilence(s, { host: 'h', reason: 'r', endsAt: T0 - 1 }, 'a', T0)),
		).rejects.toThrow(/end after it starts|already be over/);
		await expect(
			t.with((s) =>
				createSilence(s, { host: 'h', reason: 'r', durationMinutes: 400 * 24 * 60 }, 'a', T0),
			),
		).rejects.toThrow(/366 days/);
		await expect(
			t.with((s) =>
				createSilence(
					s,
					{ host: 'h', labels: 'nolabel', reason: 'r', durationMinutes: 5 },
					'a',
					T0,
				),
			),
		).rejects.toThrow(/name=value/);
		// A host name that is SQL stays a name.
		const odd = await t.with((s) =>
			createSilence(
				s,
				{ host: "x'; DROP TABLE mon_silences; --", reason: 'r', durationMinutes: 5 },
				'a',
				T0,
			),
		);
		expect((await t.with((s) => listSilences(s, T0))).map((s) => s.id)).toEqual([odd.id]);
		const [k1, k2] = await Promise.all([
			t.with((s) => s.alerts.lifecycle.secret(LINK_SECRET, T0)),
			t.with((s) => s.alerts.lifecycle.secret(LINK_SECRET, T0 + 1)),
		]);
		expect(k1).toBe(k2);
		expect(k1.length).toBeGreaterThanOrEqual(43);
	});
});
