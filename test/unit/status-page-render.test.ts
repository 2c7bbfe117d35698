import type { StatusPageModel } from '../../core/query/status-page';
import { slugOf } from '../../core/query/status-page';
import {
	badgeSvg,
	escapeXml,
	statusBadge,
	uptimeBadge,
} from '../../dashboard/server/status-page/badge';
import { renderAtomFeed } from '../../dashboard/server/status-page/feed';
import { renderStatusHtml } from '../../dashboard/server/status-page/html';
import {
	formatDuration,
	formatPercent,
	negotiateLanguage,
	STRINGS,
} from '../../dashboard/server/status-page/i18n';
import { renderStatusJson } from '../../dashboard/server/status-page/json';

/**
 * The status page's renderers on a model built by hand: names and words from people show as
 * text in HTML, XML and SVG; days without data are gaps; both languages say everything.
 */
const EVIL = `<script>alert(1)</script>"'&`;
const MIN = 60_000;
const T = Date.UTC(2026, 2, 20, 12, 0);

function model(): StatusPageModel {
	const days = Array.from({ length: 90 }, (_, i) => ({
		day: new Date(T - (89 - i) * 86_400_000).toISOString().slice(0, 10),
		uptimePercent: i < 50 ? null : i === 80 ? 97.5 : i === 85 ? 40 : 100,
		downMinutes: i === 80 ? 36 : i === 85 ? 864 : 0,
		noDataMinutes: i < 50 ? 1440 : 0,
		maintenanceMinutes: 0,
	}));
	return {
		title: `Title ${EVIL}`,
		description: `About ${EVIL}`,
		generatedAt: T,
		status: 'down',
		groups: [
			{
				name: `Group ${EVIL}`,
				items: [
					{
						slug: slugOf(`Item ${EVIL}`),
						name: `Item ${EVIL}`,
						status: 'down',
						since: T - 10 * MIN,
						uptime: { '24h': 99.305, '7d': 99.999, '30d': 100, '90d': null },
						days,
					},
				],
			},
		],
		incidents: {
			current: [
				{
					id: 'm<1>',
					title: `Manual ${EVIL}`,
					severity: 'critical',
					items: [`Item ${EVIL}`],
					startedAt: T - 10 * MIN,
					resolvedAt: null,
					durationMs: 10 * MIN,
					timeline: [
						{ at: T - 10 * MIN, kind: 'down', item: `Item ${EVIL}` },
						{ at: T - 5 * MIN, kind: 'update', status: 'identified', message: `Words ${EVIL}` },
					],
					updatedAt: T - 5 * MIN,
				},
			],
			past: [
				{
					id: 'a7',
					title: null,
					severity: 'warning',
					items: [`Item ${EVIL}`],
					startedAt: T - 3 * 86_400_000,
					resolvedAt: T - 3 * 86_400_000 + 95 * MIN,
					durationMs: 95 * MIN,
					timeline: [],
					updatedAt: T - 3 * 86_400_000 + 95 * MIN,
				},
			],
		},
		maintenance: [
			{
				from: T + 86_400_000,
				to: T + 86_400_000 + 60 * MIN,
				note: `Note ${EVIL}`,
				items: [],
				active: false,
			},
		],
	};
}

describe('HTML', () => {
	const html = renderStatusHtml(model(), {
		language: 'en',
		refreshSeconds: 60,
		base: '/webhook/s"x',
	});

	test('every name and word shows as text, never as markup', () => {
		expect(html).not.toMatch(/<script>alert/);
		expect(html).not.toContain(`"'&`);
		const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;';
		for (const what of ['Title', 'About', 'Group', 'Item', 'Manual', 'Words', 'Note'])
			expect(html).toContain(`${what} ${escaped}`);
		expect(html).toContain('href="/webhook/s&quot;x/feed.atom"');
	});

	test('no script at all; refreshes itself with a meta refresh', () => {
		expect(html).not.toMatch(/<script/i);
		expect(html).toContain('<meta http-equiv="refresh" content="60">');
	});

	test('90 bars: no-data days are gaps, each with a title', () => {
		const bars = [...html.matchAll(/<span class="bar (\w+)" title="([^"]*)"><\/span>/g)];
		expect(bars).toHaveLength(90);
		expect(bars.filter((b) => b[1] === 'gap')).toHaveLength(50);
		expect(bars[0][2]).toMatch(/: no data$/);
		expect(bars[80][1]).toBe('partial');
		expect(bars[80][2]).toMatch(/97\.50 % up, 36 min down$/);
		expect(bars[85][1]).toBe('major');
		expect(bars[89][1]).toBe('up');
	});

	test('uptime never rounds up to 100 %, and none shows as a dash', () => {
		expect(html).toContain('99.30 %');
		expect(html).toContain('99.99 %');
		expect(html).toContain('100.00 %');
		expect(html).toMatch(/90 days<\/dt><dd>–<\/dd>/);
	});

	test('an incident without a title is named by its items; durations in words', () => {
		expect(html).toContain('Disruption: Item ');
		expect(html).toContain('Duration 1 h 35 min');
		expect(html).toContain('<strong>Identified</strong>');
	});

	test('Korean: the same page in Korean words', () => {
		const ko = renderStatusHtml(model(), { language: 'ko', refreshSeconds: 60, base: '' });
		expect(ko).toContain('<html lang="ko">');
		expect(ko).toContain('일부 시스템 중단');
		expect(ko).toContain('지난 장애');
		expect(ko).toContain('지속 시간 1시간 35분');
		expect(ko).not.toContain('Past incidents');
	});

	test('an empty page says so', () => {
		const empty = { ...model(), groups: [], incidents: { current: [], past: [] }, maintenance: [] };
		const page = renderStatusHtml(empty, { language: 'en', refreshSeconds: 60, base: '' });
		expect(page).toContain('Nothing is listed on this page yet.');
		expect(page).toContain('No incidents in the last 90 days.');
	});
});

describe('strings', () => {
	test('both languages carry every string, none empty', () => {
		const keys = (o: object): string[] =>
			Object.entries(o).flatMap(([k, v]) =>
				typeof v === 'object' ? keys(v).map((s) => `${k}.${s}`) : [k],
			);
		expect(keys(STRINGS.ko).sort()).toEqual(keys(STRINGS.en).sort());
		for (const lang of [STRINGS.en, STRINGS.ko])
			for (const [, v] of Object.entries(lang)) if (typeof v === 'string') expect(v).not.toBe('');
	});

	test.each([
		[undefined, 'en'],
		['ko-KR,ko;q=0.9,en-US;q=0.8', 'ko'],
		['en-US,en;q=0.9,ko;q=0.8', 'en'],
		['fr-FR,ko;q=0.5', 'ko'],
		['fr, de', 'en'],
		['en;q=0.1, ko;q=0.9', 'ko'],
		['ko;q=0', 'en'],
	])('Accept-Language %s speaks %s', (header, lang) => {
		expect(negotiateLanguage(header)).toBe(lang);
	});

	test('percent and duration', () => {
		expect(formatPercent(99.9999)).toBe('99.99 %');
		expect(formatPercent(null)).toBe('–');
		expect(formatDuration(3 * MIN, STRINGS.en)).toBe('3 min');
		expect(formatDuration(50 * 60 * MIN, STRINGS.en)).toBe('2 d 2 h');
	});
});

describe('slugs', () => {
	test.each([
		['Public API', 'public-api'],
		['  Café / Shop  ', 'cafe-shop'],
		['결제 서버', '결제-서버'],
		['<script>', 'script'],
		['!!!', 'item'],
	])('%s → %s', (name, slug) => expect(slugOf(name)).toBe(slug));
});

describe('badges', () => {
	test('labels and values are escaped; the SVG is one element', () => {
		const svg = statusBadge(EVIL, 'down', 'Down');
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;: Down');
		expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>.*<\/svg>$/s);
		expect(svg).toContain('fill="#d0342c"');
	});

	test('uptime: colour by figure, no data grey, never rounded up', () => {
		expect(uptimeBadge('api', 99.95, 'no data')).toContain('99.95%');
		expect(uptimeBadge('api', 99.95, 'no data')).toContain('#1f9d55');
		expect(uptimeBadge('api', 99.5, 'no data')).toContain('#c27c0e');
		expect(uptimeBadge('api', 90, 'no data')).toContain('#d0342c');
		expect(uptimeBadge('api', null, 'no data')).toContain('>no data<');
	});

	test('wider text makes a wider badge; Hangul counts wide', () => {
		const width = (s: string) => Number(/width="(\d+)"/.exec(s)![1]);
		expect(width(badgeSvg('a', 'b', '#000'))).toBeLessThan(
			width(badgeSvg('a long name', 'b', '#000')),
		);
		expect(width(badgeSvg('결제 서버', 'b', '#000'))).toBeGreaterThan(
			width(badgeSvg('ab cd', 'b', '#000')),
		);
	});

	test('characters XML forbids are dropped', () => {
		expect(escapeXml('a\u0000b\u001fc\u0009')).toBe('abc\u0009');
	});
});

describe('feed', () => {
	const feed = renderAtomFeed(model(), { language: 'en', base: '/webhook/status' });

	test('Atom with one entry per incident, current first, names escaped', () => {
		expect(
			feed.startsWith(
				'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"',
			),
		).toBe(true);
		expect(feed.match(/<entry>/g)).toHaveLength(2);
		expect(feed).not.toContain('<script>');
		expect(feed).toContain('[Ongoing] Manual &lt;script&gt;');
		expect(feed).toContain('[Resolved] Disruption: Item &lt;script&gt;');
		expect(feed).toContain(':incident:m&lt;1&gt;</id>');
		expect(feed).toContain('href="/webhook/status/#incident-m%3C1%3E"');
		expect(feed).toContain(
			`Identified: Words &lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;`,
		);
		expect(feed).toContain(`<updated>${new Date(T - 5 * MIN).toISOString()}</updated>`);
	});

	test('tags are balanced', () => {
		const stack: string[] = [];
		for (const m of feed.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
			if (m[3]) continue;
			if (m[1]) expect(stack.pop()).toBe(m[2]);
			else stack.push(m[2]);
		}
		expect(stack).toEqual([]);
	});

	test('ids stay the same across rebuilds and differ between pages', () => {
		const again = renderAtomFeed(model(), { language: 'en', base: '/webhook/status' });
		const other = renderAtomFeed(model(), { language: 'en', base: '/webhook/other' });
		const ids = (f: string) => [...f.matchAll(/<id>([^<]+)<\/id>/g)].map((m) => m[1]);
		expect(ids(again)).toEqual(ids(feed));
		expect(ids(other)[0]).not.toBe(ids(feed)[0]);
	});
});

test('JSON: the model, with < > & escaped', () => {
	const json = renderStatusJson(model());
	expect(json).not.toMatch(/[<>&]/);
	expect(JSON.parse(json).groups[0].items[0].name).toBe(`Item ${EVIL}`);
});
