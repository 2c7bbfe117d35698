import {
	ackLink,
	buildSilence,
	decide,
	dueLevel,
	parseEscalation,
	signLink,
	silencedBy,
	silenceMatches,
	verifyLink,
	type Decision,
	type GateState,
	type SilenceRecord,
} from '../../core/alerts';

/**
 * The lifecycle of an alert as pure functions: what reaches workflows (decide), when it escalates
 * (dueLevel), which silences cover it, and the signed acknowledge link. The store-backed runs of
 * the same (restarts, PostgreSQL) are test/integration/alert-lifecycle.test.ts.
 */
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

const fresh: GateState = { handedAt: null, ackedAt: null, heldBy: null };
const handed: GateState = { handedAt: T0, ackedAt: null, heldBy: null };
const ackedState: GateState = { handedAt: T0, ackedAt: T0 + MIN, heldBy: null };
const held: GateState = { handedAt: null, ackedAt: null, heldBy: 7 };

describe('decide: each transition', () => {
	test.each<
		[
			string,
			'firing' | 'resolved' | 'acknowledged' | 'escalated',
			boolean,
			GateState,
			boolean,
			Decision,
		]
	>([
		['first firing, no silence', 'firing', false, fresh, false, 'log'],
		['first firing under a silence', 'firing', false, fresh, true, 'hold'],
		['a firing again while held', 'firing', false, held, true, 'drop'],
		['repeat while firing', 'firing', true, handed, false, 'log'],
		['repeat after acknowledge', 'firing', true, ackedState, false, 'drop'],
		['repeat under a silence begun after it was told', 'firing', true, handed, true, 'drop'],
		['repeat while held', 'firing', true, held, false, 'drop'],
		['resolve of a told alert', 'resolved', false, handed, false, 'log'],
		['resolve of a told alert under a silence', 'resolved', false, handed, true, 'log'],
		['resolve of an acknowledged alert', 'resolved', false, ackedState, false, 'log'],
		['resolve while held: nobody was told', 'resolved', false, held, true, 'release'],
		['acknowledge of a told alert', 'acknowledged', false, ackedState, false, 'log'],
		['acknowledge while held', 'acknowledged', false, { ...held, ackedAt: T0 }, true, 'drop'],
		['escalate', 'escalated', false, handed, false, 'log'],
		['escalate after acknowledge', 'escalated', false, ackedState, false, 'drop'],
		['escalate under a silence', 'escalated', false, handed, true, 'drop'],
		['escalate while held', 'escalated', false, held, false, 'drop'],
	])('%s', (_what, status, repeat, state, silenced, expected) => {
		expect(decide({ status, repeat }, state, silenced)).toBe(expected);
	});
});

/**
 * A whole alert's life through decide and dueLevel, the state written out and read back as
 * JSON between steps (a restart: nothing is kept in memory), with the clock as the steps say.
 */
function life(
	steps: Array<
		| ['fire' | 'repeat' | 'resolve' | 'tick', number]
		| ['ack', number]
		| ['silence', number, boolean]
	>,
) {
	const policy = parseEscalation('15', 3)!;
	let saved = JSON.stringify({ ...fresh, level: 0, silenced: false });
	const out: string[] = [];
	for (const step of steps) {
		const s = JSON.parse(saved) as GateState & { level: number; silenced: boolean };
		const now = T0 + step[1] * MIN;
		const emit = (status: 'firing' | 'resolved' | 'acknowledged' | 'escalated', repeat = false) => {
			const d = decide({ status, repeat }, s, s.silenced);
			if (d === 'log') out.push(`${step[1]}:${status}${repeat ? '+' : ''}`);
			if (d === 'log' && status === 'firing') s.handedAt ??= now;
			if (d === 'hold') s.heldBy = 1;
			if (d === 'release') s.heldBy = null;
		};
		switch (step[0]) {
			case 'fire':
				emit('firing');
				break;
			case 'repeat':
				emit('firing', true);
				break;
			case 'resolve':
				emit('resolved');
				break;
			case 'ack':
				s.ackedAt = now;
				emit('acknowledged');
				break;
			case 'silence':
				s.silenced = step[2];
				if (!s.silenced && s.heldBy !== null) {
					s.heldBy = null;
					s.handedAt = now;
					out.push(`${step[1]}:firing(released)`);
				}
				break;
			case 'tick': {
				if (s.handedAt === null || s.ackedAt !== null || s.heldBy !== null) break;
				const level = dueLevel(policy, now - s.handedAt);
				if (
					level > s.level &&
					decide({ status: 'escalated', repeat: false }, s, s.silenced) === 'log'
				) {
					s.level = level;
					out.push(`${step[1]}:escalated${level}`);
				}
				break;
			}
		}
		saved = JSON.stringify(s);
	}
	return out;
}

describe('an alert through its life, restarted between every step', () => {
	test.each([
		[
			'fire, repeat, ack, no more repeats or escalation, resolve once',
			[
				['fire', 0],
				['repeat', 10],
				['ack', 12],
				['repeat', 20],
				['tick', 60],
				['resolve', 70],
			],
			['0:firing', '10:firing+', '12:acknowledged', '70:resolved'],
		],
		[
			'escalates at 15, 30, 45 and no further',
			[
				['fire', 0],
				['tick', 14],
				['tick', 15],
				['tick', 16],
				['tick', 30],
				['tick', 45],
				['tick', 600],
			],
			['0:firing', '15:escalated1', '30:escalated2', '45:escalated3'],
		],
		[
			'clock jumps forward: the due level at once, once; back: nothing',
			[
				['fire', 0],
				['tick', 40],
				['tick', 5],
				['tick', 41],
			],
			['0:firing', '40:escalated2'],
		],
		[
			'silenced from the start, released while firing: handed once, escalates from then',
			[
				['silence', 0, true],
				['fire', 1],
				['repeat', 11],
				['tick', 30],
				['silence', 40, false],
				['silence', 41, false],
				['tick', 54],
				['tick', 55],
			],
			['40:firing(released)', '55:escalated1'],
		],
		[
			'silenced, fired and resolved inside: never told',
			[
				['silence', 0, true],
				['fire', 1],
				['resolve', 5],
				['silence', 10, false],
			],
			[],
		],
		[
			'told, then silenced: no repeats or escalation, but its resolve goes out',
			[
				['fire', 0],
				['silence', 1, true],
				['repeat', 10],
				['tick', 20],
				['resolve', 25],
			],
			['0:firing', '25:resolved'],
		],
	] as const)('%s', (_what, steps, expected) => {
		expect(life(steps as never)).toEqual(expected);
	});
});

describe('escalation times', () => {
	test('one number repeats up to the levels; a list gives each level its time', () => {
		expect(parseEscalation('30', 3)).toEqual({ levelsMs: [30 * MIN, 60 * MIN, 90 * MIN] });
		expect(parseEscalation('15, 60;240')).toEqual({ levelsMs: [15 * MIN, 60 * MIN, 240 * MIN] });
		expect(parseEscalation('')).toBeUndefined();
		expect(parseEscalation(undefined)).toBeUndefined();
		expect(dueLevel({ levelsMs: [5 * MIN, 20 * MIN] }, 4 * MIN)).toBe(0);
		expect(dueLevel({ levelsMs: [5 * MIN, 20 * MIN] }, 20 * MIN)).toBe(2);
		expect(dueLevel({ levelsMs: [5 * MIN] }, -60 * MIN)).toBe(0);
	});
	test.each([
		['soon', /minutes above 0/],
		['0', /minutes above 0/],
		['60, 15', /must grow/],
		['1,2,3,4,5,6,7,8,9,10,11', /up to 10/],
	])('%s is refused with what to write', (text, message) => {
		expect(() => parseEscalation(text)).toThrow(message);
	});
	test('levels out of range are refused', () => {
		expect(() => parseEscalation('10', 0)).toThrow(/Escalation Levels/);
		expect(() => parseEscalation('10', 2.5)).toThrow(/Escalation Levels/);
	});
});

describe('silences', () => {
	const silence = (over: Partial<SilenceRecord>): SilenceRecord => ({
		id: 1,
		host: null,
		rule: null,
		labels: {},
		reason: 'r',
		author: 'a',
		startsAt: T0,
		endsAt: T0 + 60 * MIN,
		createdAt: T0,
		...over,
	});
	const alert = {
		host: 'web-1',
		rule: 'Filesystem almost full',
		labels: { mount: '/var', fstype: 'ext4' },
	};
	test.each([
		[{ host: 'web-*' }, true],
		[{ host: 'web-2' }, false],
		[{ host: '*' }, true],
		[{ rule: 'Filesystem*' }, true],
		[{ rule: 'CPU busy' }, false],
		[{ labels: { mount: '/var' } }, true],
		[{ labels: { mount: '/v*' }, host: 'web-1' }, true],
		[{ labels: { mount: '/' } }, false],
		[{ labels: { device: 'sda' } }, false],
		[{ labels: { device: '*' } }, true],
		[{ host: 'web-1', rule: 'CPU*' }, false],
	])('%j matches: %s', (matchers, expected) => {
		expect(silenceMatches(silence(matchers as Partial<SilenceRecord>), alert)).toBe(expected);
	});
	test('only in force between start and end', () => {
		const s = [silence({ host: 'web-1' })];
		expect(silencedBy(s, alert, T0 - 1)).toBeUndefined();
		expect(silencedBy(s, alert, T0)?.id).toBe(1);
		expect(silencedBy(s, alert, T0 + 60 * MIN)).toBeUndefined();
	});
	test('built from a form: duration or end, labels as text', () => {
		expect(
			buildSilence(
				{
					host: ' web-1 ',
					labels: 'mount=/, fstype=ext4',
					reason: 'disk swap',
					durationMinutes: 30,
				},
				'alice',
				T0,
			),
		).toEqual({
			host: 'web-1',
			rule: null,
			labels: { mount: '/', fstype: 'ext4' },
			reason: 'disk swap',
			author: 'alice',
			startsAt: T0,
			endsAt: T0 + 30 * MIN,
			createdAt: T0,
		});
		expect(
			buildSilence({ rule: 'x', reason: 'r', endsAt: '2026-11-26T10:00:00Z' } as never, 'a', T0)
				.endsAt,
		).toBe(T0 + 60 * MIN);
		expect(() =>
			buildSilence({ rule: 'x', reason: 'r', endsAt: 'tomorrow' } as never, 'a', T0),
		).toThrow(/not a time/);
	});
});

describe('signed acknowledge links', () => {
	const secret = 'k'.repeat(43);
	const fields = (link: string) => {
		const q = new URL(link).searchParams;
		return { subject: q.get('alert'), exp: q.get('exp'), sig: q.get('sig') };
	};
	test('a link made for an alert verifies until it expires', () => {
		const link = ackLink(
			'https://n8n.example.com/webhook/monitoring/#/overview',
			secret,
			42,
			T0 + 60 * MIN,
		);
		expect(link).toMatch(
			/^https:\/\/n8n\.example\.com\/webhook\/monitoring\/ack\?alert=42&exp=\d+&sig=[\w-]{43}$/,
		);
		expect(verifyLink(secret, 'ack', fields(link), T0)).toEqual({
			ok: true,
			subject: 42,
			expiresAt: T0 + 60 * MIN,
		});
		expect(verifyLink(secret, 'ack', fields(link), T0 + 60 * MIN)).toEqual({
			ok: false,
			reason: 'expired',
		});
	});
	test('forged, altered, cut or malformed links are refused; an expired forgery reads as forged', () => {
		const f = fields(ackLink('http://x/', secret, 42, T0 + MIN));
		expect(verifyLink('other', 'ack', f, T0)).toEqual({ ok: false, reason: 'forged' });
		expect(verifyLink(secret, 'ack', { ...f, subject: '43' }, T0)).toEqual({
			ok: false,
			reason: 'forged',
		});
		expect(verifyLink(secret, 'ack', { ...f, exp: String(Number(f.exp) + 1) }, T0)).toEqual({
			ok: false,
			reason: 'forged',
		});
		expect(verifyLink(secret, 'ack', { ...f, sig: f.sig!.slice(1) }, T0)).toEqual({
			ok: false,
			reason: 'forged',
		});
		expect(verifyLink(secret, 'ack', { ...f, sig: '<script>' }, T0)).toEqual({
			ok: false,
			reason: 'forged',
		});
		expect(verifyLink(secret, 'ack', { ...f, subject: null }, T0)).toEqual({
			ok: false,
			reason: 'malformed',
		});
		expect(verifyLink(secret, 'ack', { ...f, subject: '1e3' }, T0)).toEqual({
			ok: false,
			reason: 'malformed',
		});
		expect(verifyLink('other', 'ack', f, T0 + 60 * MIN)).toEqual({ ok: false, reason: 'forged' });
		const other = signLink(secret, 'other' as 'ack', 42, Number(f.exp));
		expect(verifyLink(secret, 'ack', { ...f, sig: other }, T0)).toEqual({
			ok: false,
			reason: 'forged',
		});
	});
});
