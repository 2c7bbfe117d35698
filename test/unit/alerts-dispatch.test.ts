import { buildGroupConfig, buildInhibitRule, type GroupConfig } from '../../core/alerts';
import { AlertConfigError } from '../../core/alerts/errors';
import {
	type Delivery,
	type DispatchState,
	emptyDispatchState,
	route,
	type RouteContext,
} from '../../core/alerts/dispatch';
import { groupAtOnce, groupItem } from '../../core/alerts/group';
import { type AlertLike, inhibitor, parseMatchers } from '../../core/alerts/inhibit';
import type { AlertEvent } from '../../core/model';

/**
 * Grouping and inhibition as pure functions of (state, events, time): table tests of the windows,
 * of restarts in between (the state goes through JSON, as n8n keeps it in static data) and of
 * inhibitions starting and ending.
 */
const S = 1000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);

let nextEventId = 1;
/** An event of the log: `alert` is its alert id, which its resolve shares. */
function ev(
	alert: number,
	status: 'firing' | 'resolved',
	over: Partial<AlertEvent> = {},
): AlertEvent & { eventId: number } {
	return {
		eventId: nextEventId++,
		alertId: alert,
		status,
		source: 'rule',
		key: `wf:n|rule|${alert}`,
		rule: 'Endpoint down',
		severity: 'critical',
		host: 'web-1',
		metric: 'endpoint_up',
		labels: { endpoint: `api-${alert}` },
		value: 3,
		threshold: 3,
		since: T0,
		sinceIso: '',
		at: T0,
		atIso: '',
		repeat: false,
		message: `${status} ${alert}`,
		link: null,
		...over,
	};
}

const grouping = (over: Partial<GroupConfig> = {}): GroupConfig => ({
	by: ['host'],
	labels: [],
	waitMs: 30 * S,
	intervalMs: 5 * MIN,
	repeatMs: 0,
	...over,
});

/** Runs polls in order, the state through JSON between them (a restart at every poll). */
function polls(
	steps: Array<{ at: number; events?: Array<AlertEvent & { eventId: number }> }>,
	ctx: Omit<RouteContext, 'now' | 'firing' | 'quiet'> &
		Partial<Pick<RouteContext, 'firing' | 'quiet'>>,
) {
	let state: DispatchState = emptyDispatchState();
	const out: Array<{ at: number; sent: string[] }> = [];
	for (const step of steps) {
		const r = route(state, step.events ?? [], {
			firing: new Map(),
			quiet: false,
			...ctx,
			now: step.at,
		});
		state = JSON.parse(JSON.stringify(r.state)) as DispatchState;
		const sent = r.deliveries.map(show);
		if (sent.length) out.push({ at: (step.at - T0) / S, sent });
	}
	return { out, state };
}

function show(d: Delivery): string {
	if (d.kind === 'event') return `event ${d.eventId}${d.releasedFrom ? ` (released)` : ''}`;
	const alerts = d.alerts.map((a) => `${a.eventId}${a.firing ? '' : 'r'}`).join(',');
	return `${d.key}: ${alerts}${d.repeat ? ' (repeat)' : ''}`;
}

describe('grouping windows', () => {
	beforeEach(() => {
		nextEventId = 1;
	});

	test('a new group waits its wait, then goes as one item with every alert inside', () => {
		const a = ev(1, 'firing');
		const b = ev(2, 'firing');
		const c = ev(3, 'firing', { host: 'db-1' });
		const { out } = polls(
			[
				{ at: T0, events: [a] },
				{ at: T0 + 20 * S, events: [b, c] },
				{ at: T0 + 30 * S },
				{ at: T0 + 50 * S },
			],
			{ grouping: grouping() },
		);
		expect(out).toEqual([
			{ at: 30, sent: ['host=web-1: 1,2'] },
			{ at: 50, sent: ['host=db-1: 3'] },
		]);
	});

	test('after an item, news waits the interval; a resolve leaves the group with it', () => {
		const f1 = ev(1, 'firing');
		const f2 = ev(2, 'firing');
		const r1 = ev(1, 'resolved');
		const { out, state } = polls(
			[
				{ at: T0, events: [f1] },
				{ at: T0 + 30 * S },
				{ at: T0 + 1 * MIN, events: [f2] },
				{ at: T0 + 4 * MIN, events: [r1] },
				{ at: T0 + 5 * MIN + 29 * S },
				{ at: T0 + 5 * MIN + 30 * S },
				{ at: T0 + 20 * MIN },
			],
			{ grouping: grouping() },
		);
		expect(out).toEqual([
			{ at: 30, sent: ['host=web-1: 1'] },
			{ at: 330, sent: ['host=web-1: 2,3r'] },
		]);
		expect(Object.keys(state.groups['host=web-1'].alerts)).toEqual(['2']);
	});

	test('Repeat Every sends a group that still fires without news; off by default', () => {
		const steps = [
			{ at: T0, events: [ev(1, 'firing')] },
			{ at: T0 + 30 * S },
			{ at: T0 + 61 * MIN },
		];
		expect(polls(steps, { grouping: grouping({ repeatMs: 60 * MIN }) }).out).toEqual([
			{ at: 30, sent: ['host=web-1: 1'] },
			{ at: 3660, sent: ['host=web-1: 1 (repeat)'] },
		]);
		nextEventId = 1;
		const again = [
			{ at: T0, events: [ev(1, 'firing')] },
			{ at: T0 + 30 * S },
			{ at: T0 + 61 * MIN },
		];
		expect(polls(again, { grouping: grouping() }).out).toEqual([
			{ at: 30, sent: ['host=web-1: 1'] },
		]);
	});

	test('an alert that fires and resolves within the wait is never told', () => {
		const { out, state } = polls(
			[
				{ at: T0, events: [ev(1, 'firing')] },
				{ at: T0 + 10 * S, events: [ev(1, 'resolved')] },
				{ at: T0 + MIN },
			],
			{ grouping: grouping() },
		);
		expect(out).toEqual([]);
		expect(state.groups).toEqual({});
	});

	test('a group emptied by resolves is forgotten: its next alert waits the full wait again', () => {
		const { out } = polls(
			[
				{ at: T0, events: [ev(1, 'firing')] },
				{ at: T0 + 30 * S },
				{ at: T0 + 6 * MIN, events: [ev(1, 'resolved')] },
				{ at: T0 + 7 * MIN, events: [ev(2, 'firing')] },
				{ at: T0 + 7 * MIN + 29 * S },
				{ at: T0 + 7 * MIN + 30 * S },
			],
			{ grouping: grouping() },
		);
		expect(out).toEqual([
			{ at: 30, sent: ['host=web-1: 1'] },
			{ at: 360, sent: ['host=web-1: 2r'] },
			{ at: 450, sent: ['host=web-1: 3'] },
		]);
	});

	test.each([
		[{ by: [], labels: [] }, ['all: 1,2,3']],
		[{ by: ['rule'], labels: [] }, ['rule=Endpoint down: 1,2', 'rule=Disk: 3']],
		[
			{ by: ['host', 'severity'], labels: [] },
			['host=web-1, severity=critical: 1,2', 'host=db-1, severity=critical: 3'],
		],
		[{ by: [], labels: ['endpoint'] }, ['endpoint=api-1: 1', 'endpoint=api-2: 2', 'endpoint=: 3']],
	] as Array<[Partial<GroupConfig>, string[]]>)('keys %j', (keys, expected) => {
		nextEventId = 1;
		const events = [
			ev(1, 'firing'),
			ev(2, 'firing'),
			ev(3, 'firing', { host: 'db-1', rule: 'Disk', labels: {} }),
		];
		const { out } = polls([{ at: T0, events }, { at: T0 + MIN }], {
			grouping: grouping(keys),
		});
		expect(out.flatMap((o) => o.sent)).toEqual(expected);
	});

	test('a restart (state re-read) between a poll and its execution repeats the item', () => {
		// n8n commits static data with the execution a poll starts; here the execution never
		// happened, so the next poll starts from the state before it, with the same events.
		const events = [ev(1, 'firing'), ev(2, 'firing')];
		const first = route(emptyDispatchState(), events, {
			now: T0,
			firing: new Map(),
			quiet: false,
			grouping: grouping({ waitMs: 0 }),
		});
		const again = route(emptyDispatchState(), events, {
			now: T0 + MIN,
			firing: new Map(),
			quiet: false,
			grouping: grouping({ waitMs: 0 }),
		});
		expect(first.deliveries.map(show)).toEqual(['host=web-1: 1,2']);
		expect(again.deliveries.map(show)).toEqual(first.deliveries.map(show));
	});

	test('quiet hours hold every group; what waited goes when they end', () => {
		let state = emptyDispatchState();
		const ctx = { firing: new Map(), grouping: grouping() };
		state = route(state, [ev(1, 'firing')], { ...ctx, now: T0, quiet: false }).state;
		const quiet = route(state, [], { ...ctx, now: T0 + MIN, quiet: true });
		expect(quiet.deliveries).toEqual([]);
		const after = route(quiet.state, [], { ...ctx, now: T0 + 2 * MIN, quiet: false });
		expect(after.deliveries.map(show)).toEqual(['host=web-1: 1']);
	});

	test('the item: counts, worst severity of what fires, one line with the first messages', () => {
		const item = groupItem(
			'host=web-1',
			{ host: 'web-1' },
			[
				ev(1, 'firing', { severity: 'warning', message: 'A' }),
				ev(2, 'firing', { severity: 'critical', message: 'B' }),
				ev(3, 'resolved', { severity: 'critical', message: 'C' }),
				ev(4, 'firing', { severity: 'info', message: 'D' }),
				ev(5, 'firing', { severity: 'info', message: 'E' }),
			],
			T0,
			false,
		);
		expect(item).toMatchObject({
			status: 'firing',
			severity: 'critical',
			counts: { firing: 4, resolved: 1 },
			group: { host: 'web-1' },
			message: '4 firing, 1 resolved (host=web-1): A; B; D; and 2 more',
		});
		expect(item.alerts).toHaveLength(5);
	});

	test('a manual test groups what fires now without waiting', () => {
		const items = groupAtOnce([ev(1, 'firing'), ev(2, 'firing', { host: 'db-1' })], grouping(), T0);
		expect(items.map((i) => [i.groupKey, i.counts.firing])).toEqual([
			['host=web-1', 1],
			['host=db-1', 1],
		]);
	});

	test.each([
		[{ groupBy: ['hostname'] }, /Group By must be a list of host, rule, severity/],
		[{ labels: 'mount, bad label' }, /"bad label" in Group By Labels is not a label name/],
		[{ waitSeconds: -1 }, /Wait \(Seconds\) must be a number of seconds from 0/],
		[{ intervalMinutes: 'soon' }, /Interval \(Minutes\) must be a number/],
		[
			{ repeatMinutes: 1e9 },
			/Repeat Every \(Minutes\) must be a number of minutes from 0 to 10080/,
		],
	])('bad grouping %j is refused with what to do', (input, message) => {
		const error = (() => {
			try {
				buildGroupConfig(input);
			} catch (e) {
				return e as AlertConfigError;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(AlertConfigError);
		expect(error!.message).toMatch(message);
		expect(error!.hint).toBeTruthy();
	});
});

/** A stored firing alert, as inhibition sees it. */
function alert(id: number, over: Partial<AlertLike> = {}): AlertLike {
	return {
		id,
		key: `wf:n|r${id}|x`,
		rule: 'Endpoint down',
		severity: 'critical',
		host: 'web-1',
		metric: 'endpoint_up',
		labels: {},
		source: 'rule',
		...over,
	};
}

describe('inhibition', () => {
	beforeEach(() => {
		nextEventId = 1;
	});

	const hostDown = { hostDown: true, rules: [] };

	test.each([
		['endpoint_up', 'web-1 down (host collector failing)'],
		['db_up', 'web-1 down (host collector failing)'],
		['docker_container_healthy', 'web-1 down (host collector failing)'],
		['model_server_up', 'web-1 down (host collector failing)'],
		['cpu_usage_percent', null],
		[null, null],
	])('a down host holds back %s alerts collected on it', (metric, held) => {
		const heldBy = inhibitor(
			hostDown,
			new Map([['web-1', 'web-1 down (host collector failing)']]),
			[],
		);
		expect(heldBy(alert(1, { metric }))).toBe(held);
		expect(heldBy(alert(1, { metric, host: 'web-2' }))).toBeNull();
		expect(
			inhibitor(
				{ hostDown: false, rules: [] },
				new Map([['web-1', 'x']]),
				[],
			)(alert(1, { metric })),
		).toBeNull();
	});

	test.each([
		// source, target, equal, source alert, target alert, held?
		[
			'rule=Host stopped reporting',
			'severity=warning',
			'host',
			{ host: 'web-1' },
			{ host: 'web-1' },
			true,
		],
		[
			'rule=Host stopped reporting',
			'severity=warning',
			'host',
			{ host: 'web-1' },
			{ host: 'web-2' },
			false,
		],
		[
			'rule=Host stopped reporting',
			'severity=warning',
			'',
			{ host: 'web-1' },
			{ host: 'web-2' },
			true,
		],
		[
			'rule=Host stopped reporting',
			'severity=warning, host=web-*',
			'',
			{},
			{ host: 'db-1' },
			false,
		],
		[
			'rule=Host stopped reporting',
			'severity!=critical',
			'mount',
			{ labels: { mount: '/' } },
			{ labels: { mount: '/' } },
			true,
		],
		[
			'rule=Host stopped reporting',
			'severity!=critical',
			'mount',
			{ labels: { mount: '/' } },
			{ labels: { mount: '/var' } },
			false,
		],
		// A label missing on both sides counts as equal (empty), as in Alertmanager.
		['rule=Host stopped reporting', 'severity=warning', 'mount', {}, {}, true],
		['rule=Host*', 'rule=CPU*', 'host', {}, {}, true],
	])('%s → %s (equal %s)', (source, target, equal, src, tgt, held) => {
		const rule = buildInhibitRule({ source, target, equal }, 0);
		const firing = [alert(1, { rule: 'Host stopped reporting', metric: null, ...src })];
		const heldBy = inhibitor({ hostDown: false, rules: [rule] }, new Map(), firing);
		const target_ = alert(2, {
			rule: 'CPU busy',
			severity: 'warning',
			metric: 'cpu_usage_percent',
			...tgt,
		});
		expect(heldBy(target_)).toBe(held ? `Host stopped reporting on ${firing[0].host}` : null);
	});

	test('an alert never holds itself back, nor does one on both sides hold back another', () => {
		const rule = buildInhibitRule(
			{ source: 'severity=critical', target: 'severity=critical', equal: '' },
			0,
		);
		const a = alert(1);
		const b = alert(2);
		const heldBy = inhibitor({ hostDown: false, rules: [rule] }, new Map(), [a, b]);
		expect(heldBy(a)).toBeNull();
		expect(heldBy(b)).toBeNull();
	});

	test.each([
		[
			{ source: '', target: 'severity=warning' },
			/Inhibit rule 1: Source of an inhibit rule is empty/,
		],
		[
			{ source: 'rule', target: 'severity=warning' },
			/Source "rule" is not a list of name=value tests/,
		],
		[
			{ source: 'rule=x', target: 'severity=warning', equal: 'host name' },
			/"host name" in Equal Labels/,
		],
	])('bad rule %j is refused', (input, message) => {
		expect(() => buildInhibitRule(input, 0)).toThrow(message);
	});

	test('matchers: * is any text, an empty value only the empty text', () => {
		const m = parseMatchers('host=web-*, team=', 'Source');
		expect(m).toEqual([
			{ name: 'host', value: 'web-*', negate: false },
			{ name: 'team', value: '', negate: false },
		]);
	});

	/** Routing with an inhibition that holds alert 1 while `down` says so. */
	function run(
		steps: Array<{
			at: number;
			events?: Array<AlertEvent & { eventId: number }>;
			down: boolean;
			firing: number[];
		}>,
	) {
		let state = emptyDispatchState();
		const sent: string[] = [];
		for (const s of steps) {
			const firing = new Map(s.firing.map((id) => [String(id), alert(id)]));
			const r = route(state, s.events ?? [], {
				now: s.at,
				firing,
				quiet: false,
				heldBy: inhibitor(hostDown, new Map(s.down ? [['web-1', 'web-1 down']] : []), []),
			});
			state = JSON.parse(JSON.stringify(r.state)) as DispatchState;
			sent.push(...r.deliveries.map((d) => `${(s.at - T0) / MIN}: ${show(d)}`));
		}
		return { sent, state };
	}

	test('held while the host is down; handed over once when it is back and the alert still fires', () => {
		const fire = ev(1, 'firing');
		const repeat = ev(1, 'firing', { repeat: true });
		const { sent, state } = run([
			{ at: T0, events: [fire], down: true, firing: [1] },
			{ at: T0 + MIN, events: [repeat], down: true, firing: [1] },
			{ at: T0 + 2 * MIN, down: false, firing: [1] },
			{ at: T0 + 3 * MIN, down: false, firing: [1] },
		]);
		// The newest event of the held alert goes out, once.
		expect(sent).toEqual([`2: event ${repeat.eventId} (released)`]);
		expect(state.held).toEqual({});
	});

	test('held from start to end: neither its firing nor its resolve is handed over', () => {
		const { sent, state } = run([
			{ at: T0, events: [ev(1, 'firing')], down: true, firing: [1] },
			{ at: T0 + MIN, events: [ev(1, 'resolved')], down: true, firing: [] },
			{ at: T0 + 2 * MIN, down: false, firing: [] },
		]);
		expect(sent).toEqual([]);
		expect(state.held).toEqual({});
	});

	test('told before the host went down: its reminders wait, its resolve is handed over', () => {
		const { sent } = run([
			{ at: T0, events: [ev(1, 'firing')], down: false, firing: [1] },
			{ at: T0 + MIN, events: [ev(1, 'firing', { repeat: true })], down: true, firing: [1] },
			{ at: T0 + 2 * MIN, down: false, firing: [1] },
			{ at: T0 + 3 * MIN, events: [ev(1, 'resolved')], down: false, firing: [] },
		]);
		expect(sent).toEqual(['0: event 1', '3: event 3']);
	});

	test('a held alert closed without a resolve (its rule removed) is forgotten, not released', () => {
		const { sent, state } = run([
			{ at: T0, events: [ev(1, 'firing')], down: true, firing: [1] },
			{ at: T0 + MIN, down: false, firing: [] },
		]);
		expect(sent).toEqual([]);
		expect(state.held).toEqual({});
	});

	test('with grouping, a released alert joins its group and the item says so', () => {
		let state = emptyDispatchState();
		const firing = new Map([['1', alert(1)]]);
		const ctx = { firing, quiet: false, grouping: grouping({ waitMs: 0 }) };
		const down = inhibitor(hostDown, new Map([['web-1', 'web-1 down']]), []);
		state = route(state, [ev(1, 'firing')], { ...ctx, now: T0, heldBy: down }).state;
		const up = inhibitor(hostDown, new Map(), []);
		const r = route(state, [], { ...ctx, now: T0 + MIN, heldBy: up });
		expect(r.deliveries).toEqual([
			{
				kind: 'group',
				key: 'host=web-1',
				values: { host: 'web-1' },
				alerts: [{ eventId: 1, firing: true, releasedFrom: 'web-1 down' }],
				repeat: false,
			},
		]);
	});
});
