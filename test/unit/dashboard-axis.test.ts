/**
 * The dashboard's axis labels and alert texts (pure modules, run in Node): ticks named in the
 * local time zone at day and month boundaries, one unit and one number of decimals per y axis,
 * and preset alert messages read back into Korean.
 */
import {
	relabelTimeTicks,
	timeTickLabel,
	UNITS,
	yAxis,
	type TimeTick,
} from '../../dashboard/web/src/axis';
import { alertText } from '../../dashboard/web/src/alert-text';
import { setLang } from '../../dashboard/web/src/i18n';
import { PRESETS } from '../../core/alerts/presets';
import { eventMessage } from '../../core/alerts/message';
import type { AlertRule } from '../../core/alerts/types';
import { messages } from '../../dashboard/web/src/i18n';

afterEach(() => setLang('en'));

/*
 * Jest's sandbox does not pass a changed TZ on to Date, so these use the machine's own zone;
 * test/browser/charts.test.ts runs the same in Chromium in a zone that is not the machine's.
 */
describe('time axis labels', () => {
	// Local midnight of 1 December, wherever this runs.
	const midnight = new Date(2025, 11, 1).getTime();

	it.each([
		['en', '1 Dec'],
		['ko', '12월 1일'],
	])('names local midnight by its local date (%s)', (lang, day) => {
		setLang(lang as 'en' | 'ko');
		expect(timeTickLabel(midnight, 'day')).toBe(day);
		// ApexCharts sometimes calls the midnight tick an hour or a month tick: still the day.
		expect(timeTickLabel(midnight, 'hour')).toBe(day);
		expect(timeTickLabel(midnight, 'month')).toBe(day);
	});

	it('relabels ticks from their position on the grid, whatever ApexCharts wrote', () => {
		const from = midnight - 6 * 3_600_000;
		const to = midnight + 6 * 3_600_000;
		const ticks: TimeTick[] = [
			{ position: 250, unit: 'hour', value: '22:00' },
			// 300 of 600 px is exactly local midnight; ApexCharts' own text was wrong.
			{ position: 300.0000001, unit: 'day', value: '31 Dec' },
			{ position: 350, unit: 'hour', value: '02:00' },
		];
		relabelTimeTicks(ticks, from, to, 600);
		expect(ticks.map((t) => t.value)).toEqual(['23:00', '1 Dec', '01:00']);
	});

	it('uses a 24-hour clock in Korean too', () => {
		setLang('ko');
		expect(timeTickLabel(midnight + 13 * 3_600_000 + 5 * 60_000, 'hour')).toBe('13:05');
	});
});

describe('y axis', () => {
	const ticks = (a: ReturnType<typeof yAxis>) =>
		Array.from({ length: a.tickAmount + 1 }, (_, i) =>
			a.label(a.min + ((a.max - a.min) * i) / a.tickAmount),
		);

	it('writes every tick of a byte-rate axis in one unit with the same decimals', () => {
		const a = yAxis(UNITS.bytesPerSecond, 0, 1.3 * 2 ** 20);
		const labels = ticks(a);
		expect(new Set(labels.map((l) => l.replace(/[\d.,]+/, '#')))).toEqual(new Set(['# MB/s']));
		const decimals = labels.map((l) => (l.split(' ')[0].split('.')[1] ?? '').length);
		expect(new Set(decimals).size).toBe(1);
		expect(a.max).toBeGreaterThanOrEqual(1.3 * 2 ** 20);
	});

	it('keeps a percent axis at 0–100 in steps of 25', () => {
		expect(ticks(yAxis(UNITS.percent, 0, 100))).toEqual(['0 %', '25 %', '50 %', '75 %', '100 %']);
	});

	it('writes sub-second axes in ms, and gives a flat line room', () => {
		expect(ticks(yAxis(UNITS.seconds, 0, 0.08))).toEqual([
			'0 ms',
			'20 ms',
			'40 ms',
			'60 ms',
			'80 ms',
		]);
		const flat = yAxis(UNITS.count, 12, 12);
		expect(flat.min).toBeLessThan(12);
		expect(flat.max).toBeGreaterThan(12);
	});
});

describe('alert messages in Korean', () => {
	const rule = (name: keyof typeof PRESETS): AlertRule =>
		({ key: name, repeatMs: 0, ...PRESETS[name] }) as unknown as AlertRule;

	it('has a Korean name for every preset', () => {
		for (const preset of Object.values(PRESETS)) {
			const key = `preset_${preset.name}`;
			expect(Object.hasOwn(messages.ko, key)).toBe(true);
		}
	});

	it('reads back firing and resolved messages of the presets', () => {
		setLang('ko');
		const since = new Date(2025, 11, 1, 0, 5).getTime();
		const firing = eventMessage(rule('diskFull'), {
			kind: 'firing',
			host: 'web-1',
			labels: { mount: '/var' },
			value: 93.5,
			threshold: 90,
			comparison: '>',
			since,
			at: since + 60_000,
			repeat: false,
		} as never);
		expect(firing).toMatch(/^Firing: Filesystem almost full on web-1 \/var/);
		const ko = alertText(firing);
		expect(ko).toBe(
			'발생: web-1 /var의 파일 시스템 거의 가득 참: 93.5 % (최신) > 90 %, 12월 1일 00:05부터',
		);
		const resolved = eventMessage(rule('cpuHigh'), {
			kind: 'resolved',
			host: 'web-1',
			labels: { cpu: 'total' },
			value: 80,
			threshold: 90,
			resolveThreshold: 85,
			comparison: '>',
			since,
			at: since + 125 * 60_000,
			repeat: false,
		} as never);
		expect(alertText(resolved)).toMatch(/^해결됨: .+ 2시간 5분 후 .+ 기준 회복$/);
		const stopped = `Resolved: Host stopped reporting on db-1: stopped reporting (was firing for 45 min)`;
		expect(alertText(stopped)).toBe('해결됨: db-1의 호스트 보고 중단: 보고 중단 (45분 동안 발생)');
		expect(alertText(`Resolved (expired): ${stopped}`)).toMatch(/^해결됨 \(만료\): 해결됨: /);
	});

	it('leaves a workflow’s own message and English as they are', () => {
		setLang('ko');
		expect(alertText('nightly import failed')).toBe('nightly import failed');
		setLang('en');
		expect(
			alertText('Firing: CPU busy on a: 95 % (average) > 90 % since 2025-01-01 00:00 UTC'),
		).toMatch(/^Firing: CPU busy/);
	});
});
