/**
 * Charts as a person sees them, in real Chromium: the time axis across local midnight (in a time
 * zone that is not the machine's), a host with every host metric, long mount and table names in
 * tooltips on a phone, and the Korean page (real Hangul glyphs, no English left). Screenshots at
 * 1280 and 390 px in English and Korean go to test/browser/artifacts/.
 * Needs `node scripts/build-dashboard.js` first.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { Sample } from '../../core/collectors/types';
import { MonitoringStore, type StoreConfig } from '../../core/store';
import { messages } from '../../dashboard/web/src/i18n';
import {
	ARTIFACTS,
	chartsDrawn,
	collection,
	launchChromium,
	startDashboard,
	type Dashboard,
} from './harness';

jest.setTimeout(240_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TZ = 'Asia/Seoul';
const NOW = Date.now();

/** The latest midnight in TZ at least 6 h ago, so a ±6 h window around it is all in the past. */
function seoulMidnight(before: number): number {
	const offset = 9 * HOUR; // Korea has had no daylight saving time since 1988
	return Math.floor((before + offset) / (24 * HOUR)) * 24 * HOUR - offset;
}
const MIDNIGHT = seoulMidnight(NOW - 6 * HOUR);
const DAY_BOUNDARY = `from=${MIDNIGHT - 6 * HOUR}&to=${MIDNIGHT + 6 * HOUR}`;

const LONG_MOUNTS = [
	'/',
	'/var/lib/docker/overlay2/3f9c2a1b7d8e4f60a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0/merged',
	'/srv/backups/nightly-postgresql-basebackups-for-the-analytics-cluster',
];
const LONG_TABLES = [
	'analytics.customer_lifetime_value_by_acquisition_channel_and_cohort_month',
	'public.orders',
];

const wave = (base: number, amp: number, i: number) => base + amp * Math.sin(i / 9);

/** Every series core/collectors/host stores, for one collection. */
function fullHost(i: number): Sample[] {
	const s = (name: string, value: number, labels: Record<string, string> = {}): Sample => ({
		name,
		value,
		labels,
	});
	const total = wave(35, 15, i);
	return [
		s('cpu_usage_percent', total, { cpu: 'total' }),
		...[0, 1, 2, 3].map((c) =>
			s('cpu_usage_percent', wave(20 + c * 12, 10, i + c * 3), { cpu: String(c) }),
		),
		s('cpu_mode_percent', total * 0.6, { mode: 'user' }),
		s('cpu_mode_percent', total * 0.25, { mode: 'system' }),
		s('cpu_mode_percent', total * 0.1, { mode: 'iowait' }),
		s('cpu_mode_percent', total * 0.05, { mode: 'steal' }),
		s('cpu_mode_percent', 100 - total, { mode: 'idle' }),
		s('cpu_count', 4),
		s('load_average', wave(1.2, 0.5, i), { period: '1' }),
		s('load_average', wave(1.0, 0.3, i), { period: '5' }),
		s('load_average', wave(0.9, 0.1, i), { period: '15' }),
		s('memory_used_percent', wave(62, 6, i)),
		s('swap_total_bytes', 4 * 2 ** 30),
		s('swap_used_bytes', wave(600 * 2 ** 20, 200 * 2 ** 20, i)),
		...LONG_MOUNTS.map((mount, k) =>
			s('filesystem_used_percent', 30 + k * 20 + i / 500, {
				mount,
				device: `/dev/sd${'abc'[k]}1`,
				fstype: 'ext4',
			}),
		),
		s('disk_read_bytes_per_second', wave(3e6, 2e6, i), { device: 'sda' }),
		s('disk_write_bytes_per_second', wave(800e3, 500e3, i), { device: 'sda' }),
		s('disk_read_bytes_per_second', wave(400e3, 300e3, i), { device: 'nvme0n1' }),
		s('disk_write_bytes_per_second', wave(1.5e6, 1e6, i), { device: 'nvme0n1' }),
		s('net_rx_bytes_per_second', wave(200_000, 80_000, i), { interface: 'eth0' }),
		s('net_tx_bytes_per_second', wave(90_000, 30_000, i), { interface: 'eth0' }),
		s('temperature_celsius', wave(52, 6, i), { sensor: 'coretemp_package_id_0' }),
		s('temperature_celsius', wave(41, 3, i), { sensor: 'nvme_composite' }),
		s('process_count', Math.round(wave(240, 20, i))),
		s('container_cpu_limit_cores', 2),
		s('container_cpu_usage_percent', wave(45, 20, i)),
		s('container_memory_limit_bytes', 2 * 2 ** 30),
		s('container_memory_usage_bytes', wave(1.2 * 2 ** 30, 0.2 * 2 ** 30, i)),
	];
}

const SNAPSHOT = {
	cpu: { usagePercent: 35, count: 4, perCore: [], modes: {}, load: null },
	filesystems: LONG_MOUNTS.map((mount, k) => ({
		mount,
		device: `/dev/sd${'abc'[k]}1`,
		fstype: 'ext4',
		sizeBytes: 100 * 2 ** 30,
		usedBytes: (30 + k * 20) * 2 ** 30,
		freeBytes: (70 - k * 20) * 2 ** 30,
		usedPercent: 30 + k * 20,
		inodesTotal: 6_000_000,
		inodesUsed: 1_500_000,
	})),
	processes: {
		count: 240,
		byCpu: [
			{
				pid: 812,
				name: 'postgres',
				user: 'postgres',
				cpuPercent: 41.5,
				rssBytes: 900 * 2 ** 20,
				command: 'postgres: checkpointer',
			},
			{
				pid: 77,
				name: 'node',
				user: 'n8n',
				cpuPercent: 12.25,
				rssBytes: 350 * 2 ** 20,
				command: 'node n8n start',
			},
		],
		byMemory: [
			{
				pid: 812,
				name: 'postgres',
				user: 'postgres',
				cpuPercent: 41.5,
				rssBytes: 900 * 2 ** 20,
				command: 'postgres: checkpointer',
			},
		],
	},
	uptimeSeconds: 3 * 86_400 + 5 * 3600,
	os: {
		hostname: 'full-box',
		platform: 'linux',
		release: '6.1.0',
		arch: 'x64',
		distro: 'Debian GNU/Linux 12',
	},
	intervalSeconds: 60,
};

async function seed(config: StoreConfig): Promise<void> {
	const store = await MonitoringStore.open(config);
	try {
		let i = 0;
		for (let time = MIDNIGHT - 7 * HOUR; time <= NOW; time += 2 * MINUTE, i++) {
			const last = time + 2 * MINUTE > NOW;
			await store.writeCollection({
				...collection('full-box', 'host', time, fullHost(i)),
				snapshot: last ? SNAPSHOT : null,
			});
			if (time >= NOW - 2 * HOUR) {
				await store.writeCollection(
					collection('bare-box', 'host', time, [
						{ name: 'cpu_usage_percent', value: wave(20, 5, i), labels: { cpu: 'total' } },
						{ name: 'memory_used_percent', value: 40, labels: {} },
					]),
				);
				await store.writeCollection(
					collection('full-box', 'database', time, [
						// Every database collection says whether the database answered.
						{ name: 'db_up', value: 1, labels: { db: 'warehouse', engine: 'postgres' } },
						...LONG_TABLES.map((name, k) => {
							const [schema, table] = name.split('.');
							return {
								name: 'db_table_size_bytes',
								value: (k + 1) * 2 ** 30 + i * 1e5,
								labels: { db: 'warehouse', engine: 'postgres', schema, table },
							};
						}),
					]),
				);
			}
		}
	} finally {
		await store.close();
	}
}

let dash: Dashboard;
let browser: Browser;

beforeAll(async () => {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	[dash, browser] = await Promise.all([startDashboard({ seed }), launchChromium()]);
});

afterAll(async () => {
	await browser?.close();
	await dash?.close();
});

interface Watched {
	page: Page;
	context: BrowserContext;
	errors: string[];
}

async function open(width: number, locale = 'en-US'): Promise<Watched> {
	const phone = width < 500;
	const context = await browser.newContext({
		viewport: { width, height: phone ? 844 : 900 },
		locale,
		timezoneId: TZ,
		hasTouch: phone,
		isMobile: phone,
		deviceScaleFactor: 1,
	});
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('console', (msg) => {
		if (
			(msg.type() === 'error' || msg.type() === 'warning') &&
			!msg.location().url.endsWith('/favicon.ico')
		)
			errors.push(`${msg.type()}: ${msg.text()}`);
	});
	page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
	return { page, context, errors };
}

/** The card (heading + chart) titled `title`. */
const card = (page: Page, title: string) =>
	page.locator('.card', { has: page.getByRole('heading', { name: title, exact: true }) });

/** The x-axis labels of the chart in the card titled `title`, as drawn. */
async function xLabels(page: Page, title: string): Promise<string[]> {
	// The label's own text, not its <title> (which repeats it).
	return card(page, title)
		.locator('.apexcharts-xaxis-label')
		.evaluateAll((els) =>
			els.map((e: any) => (e.querySelector('tspan') ?? e).textContent as string),
		);
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
	await page.screenshot({ path: path.join(ARTIFACTS, `charts-${name}.png`), fullPage });
}

/** Every piece of text a person can read on the page, shadow roots included. */
function visibleText(page: Page): Promise<string> {
	return page.evaluate(() => {
		const parts: string[] = [];
		const walk = (root: any) => {
			for (const el of root.querySelectorAll('*')) {
				if (el.shadowRoot) walk(el.shadowRoot);
				if (el.closest('.apexcharts-tooltip, .apexcharts-xaxistooltip, title')) continue;
				for (const node of el.childNodes)
					if (node.nodeType === 3 && node.textContent.trim() && el.getClientRects().length)
						parts.push(node.textContent.trim());
			}
		};
		walk((globalThis as any).document);
		return parts.join('\n');
	});
}

const HOST_PANELS = [
	'CPU',
	'CPU time by mode',
	'CPU per core',
	'Load average',
	'Memory',
	'Filesystems',
	'Disk I/O',
	'Network',
	'Temperatures',
	'Processes',
	'Container CPU (of its limit)',
	'Container memory',
	'Top processes by CPU',
	'Top processes by memory',
	'Filesystems now',
];

describe('time axis', () => {
	const dayName = (locale: string) =>
		new Date(MIDNIGHT).toLocaleString(locale, { month: 'short', day: 'numeric', timeZone: TZ });

	it.each([
		['en-US', 'en-GB'],
		['ko-KR', 'ko-KR'],
	])('names local midnight by its own date (%s)', async (locale, format) => {
		const w = await open(1280, locale);
		try {
			await w.page.goto(`${dash.url}#/host/full-box?${DAY_BOUNDARY}`);
			await chartsDrawn(w.page, 10);
			const cpu = locale === 'en-US' ? 'CPU' : messages.ko.cpu;
			const labels = await xLabels(w.page, cpu);
			const previous = new Date(MIDNIGHT - HOUR).toLocaleString(format, {
				month: 'short',
				day: 'numeric',
				timeZone: TZ,
			});
			expect(labels).toContain(dayName(format));
			expect(labels).not.toContain(previous);
			// Every other tick is a 24-hour local clock, the same on every tick.
			// (ApexCharts empties the labels it drops for overlapping.)
			for (const l of labels.filter((x) => x && x !== dayName(format)))
				expect(l).toMatch(/^\d\d:\d\d$/);
			// The day label sits where local midnight is: its tick is the one after 23:00 or 22:00.
			const shown = labels.filter(Boolean);
			const i = shown.indexOf(dayName(format));
			expect(['22:00', '23:00']).toContain(shown[i - 1]);
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});

describe('host with every host metric', () => {
	it.each([1280, 390])('shows each panel at %i px, and the same page in Korean', async (width) => {
		for (const locale of ['en-US', 'ko-KR']) {
			const w = await open(width, locale);
			try {
				await w.page.goto(`${dash.url}#/host/full-box`);
				await chartsDrawn(w.page, 13);
				const ko = locale === 'ko-KR';
				if (!ko) {
					for (const title of HOST_PANELS)
						await expect(
							w.page.getByRole('heading', { name: title, exact: true }).count(),
						).resolves.toBe(1);
					await w.page.getByText('4 cores · up 3 d · Debian GNU/Linux 12').waitFor();
					await w.page.getByRole('cell', { name: LONG_MOUNTS[1] }).waitFor();
					await w.page.getByRole('cell', { name: 'postgres', exact: true }).first().waitFor();
					// Rollup-free range: a band would be a legend entry of its own, never.
					expect(await w.page.getByText(/\((min|max)\)/).count()).toBe(0);
				}
				const scrollWidth = await w.page.evaluate(
					() => (globalThis as any).document.documentElement.scrollWidth as number,
				);
				expect(scrollWidth).toBeLessThanOrEqual(width);
				await shot(w.page, `host-${width}-${ko ? 'ko' : 'en'}`);
				expect(w.errors).toEqual([]);
			} finally {
				await w.context.close();
			}
		}
	});

	it('shows the min/max band as a shaded area, not as legend entries (7 d)', async () => {
		const w = await open(1280);
		try {
			await w.page.goto(`${dash.url}#/host/full-box?range=7d`);
			await chartsDrawn(w.page, 10);
			const legend = await card(w.page, 'Network')
				.locator('.apexcharts-legend-text')
				.allTextContents();
			expect(legend).toEqual(['eth0 received', 'eth0 sent']);
			expect(
				await card(w.page, 'Network').locator('.apexcharts-rangeArea-series').count(),
			).toBeGreaterThan(0);
			// Distinct colours within one chart.
			const colours = await card(w.page, 'Disk I/O')
				.locator('span.apexcharts-legend-marker')
				.evaluateAll((els) =>
					els.map(
						(e: any) => (e.querySelector('path')?.getAttribute('fill') ?? e.style.color) as string,
					),
				);
			expect(colours).toHaveLength(4);
			expect(new Set(colours).size).toBe(colours.length);
			await shot(w.page, 'host-7d-1280-en');
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});

	it('hides the panels of a host that stores only CPU and memory', async () => {
		const w = await open(1280);
		try {
			await w.page.goto(`${dash.url}#/host/bare-box`);
			await chartsDrawn(w.page, 2);
			await w.page.getByRole('heading', { name: 'Memory', exact: true }).waitFor();
			for (const title of HOST_PANELS.filter((x) => x !== 'CPU' && x !== 'Memory'))
				expect(await w.page.getByRole('heading', { name: title, exact: true }).count()).toBe(0);
			// The chart cards; the state header above them is a card of its own.
			expect(await w.page.locator('.charts > .card').count()).toBe(2);
		} finally {
			await w.context.close();
		}
	});
});

describe('long names on a phone', () => {
	it.each([
		['#/host/full-box', 'Filesystems'],
		['#/database/full-box/warehouse', 'Table sizes'],
	])('an open tooltip on %s (%s) never widens the page', async (hash, title) => {
		const w = await open(390);
		try {
			await w.page.goto(dash.url + hash);
			await chartsDrawn(w.page, 1);
			const chart = card(w.page, title).locator('.apexcharts-canvas');
			await chart.scrollIntoViewIfNeeded();
			const box = (await chart.boundingBox())!;
			// Hover near the right edge, where a wide tooltip would stick out of the page.
			await w.page.mouse.move(box.x + box.width - 30, box.y + box.height / 3);
			const tooltip = card(w.page, title).locator('.apexcharts-tooltip.apexcharts-active');
			await tooltip.waitFor({ timeout: 5000 });
			expect(await tooltip.textContent()).toContain(
				title === 'Filesystems' ? LONG_MOUNTS[1] : LONG_TABLES[0],
			);
			const scrollWidth = await w.page.evaluate(
				() => (globalThis as any).document.documentElement.scrollWidth as number,
			);
			expect(scrollWidth).toBeLessThanOrEqual(390);
			const right = (await tooltip.boundingBox())!;
			expect(right.x + right.width).toBeLessThanOrEqual(390);
			// What the phone shows with the tooltip open (a full-page shot would scroll it away).
			await shot(w.page, `tooltip-${title === 'Filesystems' ? 'mounts' : 'tables'}-390-en`, false);
		} finally {
			await w.context.close();
		}
	});
});

describe('Korean', () => {
	it('renders Hangul with real glyphs and leaves no English UI string on the page', async () => {
		const w = await open(390, 'ko-KR');
		try {
			await w.page.goto(`${dash.url}#/host/full-box?range=24h`);
			await chartsDrawn(w.page, 13);
			await w.page.getByText('호스트 full-box').waitFor();
			// Missing glyphs all draw as the same box: two different syllables drawing the same
			// pixels means no font covers Hangul.
			const same = await w.page.locator('mon-app').evaluate((app: any) => {
				const g = globalThis as any;
				const font = `32px ${g.getComputedStyle(app).fontFamily}`;
				const draw = (text: string) => {
					const c = g.document.createElement('canvas');
					c.width = 64;
					c.height = 48;
					const ctx = c.getContext('2d');
					ctx.font = font;
					ctx.fillText(text, 8, 36);
					return c.toDataURL();
				};
				return draw('가') === draw('호');
			});
			expect(same).toBe(false);
			const text = await visibleText(w.page);
			const english = Object.entries(messages.en)
				.filter(([key, en]) => en !== (messages.ko as Record<string, string>)[key])
				.flatMap(([, en]) => en.split(/\{\w+\}/))
				.map((part) => part.trim().replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, ''))
				.filter((part) => /[a-z]{3}/.test(part));
			const left = [...new Set(english)].filter((part) =>
				new RegExp(`(^|[^A-Za-z])${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z])`).test(
					text,
				),
			);
			expect(left).toEqual([]);
			expect(text).toContain('해상도: 원본');
			await shot(w.page, 'host-24h-390-ko');
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});
