/**
 * Usual ranges and "unusual now" in real Chromium, at 1280 and 390 px: a host with four weeks of
 * CPU history whose last hour is far above its usual range (band drawn, the hour shaded), a host
 * with one day of history (no band, one line saying why), a hostile host and endpoint name in the
 * "unusual now" list (text, never markup), and the list's empty states. Screenshots go to
 * test/browser/artifacts/anomaly-*.png. Needs `node scripts/build-dashboard.js` first.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { MonitoringStore, type StoreConfig } from '../../core/store';
import {
	ARTIFACTS,
	EVIL_HOST,
	EVIL_WORKFLOW,
	chartsDrawn,
	collection,
	launchChromium,
	startDashboard,
	type Dashboard,
} from './harness';

jest.setTimeout(240_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.now();
/** History is packed up to the start of the previous hour; collections every minute after it. */
const HOT_FROM = Math.floor((NOW - HOUR) / HOUR) * HOUR;
const EVIL_ENDPOINT = '<img src=x onerror=alert(3)>';

/** A daily wave: 20 % at night, 45 % in the afternoon (UTC), with a small wiggle. */
const usualCpu = (ts: number) =>
	32.5 + 12.5 * Math.sin(((((ts / HOUR) % 24) - 8) / 24) * 2 * Math.PI) + Math.sin(ts / 997_000);
const usualLatency = (ts: number) => 0.12 + 0.02 * Math.sin(ts / 3_600_000);

type Spec = {
	host: string;
	metric: string;
	labels: Record<string, string>;
	usual: (t: number) => number;
};

/**
 * Each spec's history (every 5 minutes, packed with its rollups, `days` back) and, from HOT_FROM
 * on, one collection a minute with `now(ts)` as the value.
 */
async function seedSeries(
	config: StoreConfig,
	specs: Array<Spec & { days: number; now: (ts: number) => number; collector: string }>,
) {
	const store = await MonitoringStore.open(config);
	try {
		const ids = await store.bulk.series(specs);
		for (const [k, s] of specs.entries()) {
			const points: Array<[number, number]> = [];
			for (let ts = HOT_FROM - s.days * DAY; ts < HOT_FROM; ts += 5 * MINUTE)
				points.push([ts, Math.round(s.usual(ts) * 1e4) / 1e4]);
			await store.bulk.packedHistory(ids[k], points);
		}
		for (let ts = HOT_FROM; ts <= NOW; ts += MINUTE) {
			const byCollection = new Map<string, typeof specs>();
			for (const s of specs) {
				const key = `${s.host}\u0000${s.collector}`;
				byCollection.set(key, [...(byCollection.get(key) ?? []), s]);
			}
			for (const group of byCollection.values())
				await store.writeCollection(
					collection(
						group[0].host,
						group[0].collector,
						ts,
						group.map((s) => ({ name: s.metric, value: s.now(ts), labels: s.labels })),
					),
				);
		}
	} finally {
		await store.close();
	}
}

const cpu = (host: string): Omit<Spec, 'usual'> => ({
	host,
	metric: 'cpu_usage_percent',
	labels: { cpu: 'total' },
});

let browser: Browser;
const dashboards: Dashboard[] = [];

async function dashboard(seed: (config: StoreConfig) => Promise<void>): Promise<Dashboard> {
	const d = await startDashboard({ seed });
	dashboards.push(d);
	return d;
}

beforeAll(async () => {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
	for (const d of dashboards) await d.close();
});

/** Every element matching selector in the page's shadow roots. */
async function deepCount(page: Page, selector: string): Promise<number> {
	return page.evaluate((sel) => {
		let n = 0;
		const walk = (root: any) => {
			n += root.querySelectorAll(sel).length;
			for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
		};
		walk((globalThis as any).document);
		return n;
	}, selector);
}

/** Waits until something in the page's shadow roots matches selector. */
async function deepWait(page: Page, selector: string): Promise<void> {
	await page.waitForFunction(
		(sel) => {
			const find = (root: any): boolean =>
				!!root.querySelector(sel) ||
				[...root.querySelectorAll('*')].some((el: any) => el.shadowRoot && find(el.shadowRoot));
			return find((globalThis as any).document);
		},
		selector,
		{ timeout: 30_000 },
	);
}

async function deepText(page: Page, selector: string): Promise<string[]> {
	return page.evaluate((sel) => {
		const out: string[] = [];
		const walk = (root: any) => {
			for (const el of root.querySelectorAll(sel)) out.push(String(el.textContent).trim());
			for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
		};
		walk((globalThis as any).document);
		return out;
	}, selector);
}

async function open(url: string, width: number): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width, height: width < 500 ? 844 : 900 },
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('dialog', (d) => {
		errors.push(`dialog: ${d.message()}`);
		void d.dismiss();
	});
	(page as Page & { errors: string[] }).errors = errors;
	await page.goto(url);
	return page;
}

describe('usual ranges and unusual now', () => {
	let d: Dashboard;
	beforeAll(async () => {
		d = await dashboard((config) =>
			seedSeries(config, [
				// Far above its usual hour since HOT_FROM: unusual, band drawn, hour(s) shaded.
				{ ...cpu('busy-web'), usual: usualCpu, days: 28, now: () => 92, collector: 'host' },
				// Half a day of history (a baseline needs a day): no band, a line saying why.
				{ ...cpu('young-box'), usual: usualCpu, days: 0.5, now: usualCpu, collector: 'host' },
				// A hostile host name in the list.
				{ ...cpu(EVIL_HOST), usual: usualCpu, days: 28, now: () => 88, collector: 'host' },
				{
					host: 'probe',
					metric: 'endpoint_total_seconds',
					labels: { endpoint: EVIL_ENDPOINT },
					usual: usualLatency,
					days: 28,
					now: () => 1.5,
					collector: 'endpoint',
				},
			]),
		);
	}, 120_000);

	for (const width of [1280, 390]) {
		test(`${width} px: the overview lists what is unusual, worst first, names as text`, async () => {
			const page = await open(d.url, width);
			const errors = (page as Page & { errors: string[] }).errors;
			await page.waitForFunction(
				() => {
					const app = (globalThis as any).document.querySelector('mon-app')?.shadowRoot;
					const ov = app?.querySelector('mon-overview')?.shadowRoot;
					return (
						(ov?.querySelector('mon-unusual')?.shadowRoot?.querySelectorAll('li').length ?? 0) > 0
					);
				},
				undefined,
				{ timeout: 30_000 },
			);
			const hosts = await deepText(page, '.unusual-row .host');
			// Latency 1.5 s against ~0.12 s is the worst; then the two CPUs (92 % before 88 %).
			expect(hosts).toEqual(['probe', 'busy-web', EVIL_HOST]);
			expect(await deepText(page, '.unusual-row .part')).toEqual([EVIL_ENDPOINT]);
			const rows = await deepText(page, '.unusual-row');
			expect(rows[1]).toMatch(/CPU \(all cores\)/);
			expect(rows[1]).toMatch(/above usual/);
			expect(rows[1]).toMatch(/92 % where \d+(\.\d+)? % to \d+(\.\d+)? % is usual/);
			expect(rows[0]).toMatch(/Response time/);
			// The young host is still learning.
			expect((await deepText(page, '.unusual .waiting'))[0]).toMatch(
				/Not enough history yet: 1 of 4 series have less than 3 days/,
			);
			// Hostile names are text: no element made from them, no dialog.
			expect(await deepCount(page, 'img[src="x"]')).toBe(0);
			expect(await deepCount(page, 'script:not([src])')).toBe(0);
			const links = await page.evaluate(() =>
				[
					...((globalThis as any).document
						.querySelector('mon-app')!
						.shadowRoot!.querySelector('mon-overview')!
						.shadowRoot!.querySelector('mon-unusual')!
						.shadowRoot!.querySelectorAll('a.chart-link') as any[]),
				].map((a: any) => a.getAttribute('href')),
			);
			expect(links[0]).toBe(`#/endpoint/probe/${encodeURIComponent(EVIL_ENDPOINT)}?range=24h`);
			expect(links[1]).toBe('#/host/busy-web?range=24h');
			await page.screenshot({
				path: path.join(ARTIFACTS, `anomaly-overview-${width}.png`),
				fullPage: true,
			});
			expect(errors).toEqual([]);
			await page.context().close();
		});

		test(`${width} px: the host chart draws the usual range and shades the unusual hour`, async () => {
			const page = await open(`${d.url}#/host/busy-web?range=24h`, width);
			await deepWait(page, '[data-usual="band"]');
			await chartsDrawn(page, 1);
			// CPU's band: a rangeArea series named "CPU (Usual range)", and shaded unusual hours.
			const names = await deepText(page, '.apexcharts-series[seriesName]');
			expect(names.length).toBeGreaterThan(0);
			const bandSeries = await page.evaluate(() => {
				const out: string[] = [];
				const walk = (root: any) => {
					for (const el of root.querySelectorAll('.apexcharts-series'))
						out.push(String(el.getAttribute('seriesName')));
					for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
				};
				walk((globalThis as any).document);
				return out;
			});
			expect(bandSeries.some((n) => /Usual/.test(n))).toBe(true);
			expect(await deepCount(page, '.apexcharts-xaxis-annotations rect')).toBeGreaterThan(0);
			expect((await deepText(page, '[data-usual="band"]'))[0]).toMatch(/usual range for each hour/);
			await page.screenshot({
				path: path.join(ARTIFACTS, `anomaly-host-band-${width}.png`),
				fullPage: false,
			});

			// The switch turns the band off (and remembers it in this browser).
			await page.evaluate(() => {
				const walk = (root: any): any => {
					const found = root.querySelector('button.usual-switch');
					if (found) return found;
					for (const el of root.querySelectorAll('*'))
						if (el.shadowRoot) {
							const f = walk(el.shadowRoot);
							if (f) return f;
						}
					return undefined;
				};
				walk((globalThis as any).document)!.click();
			});
			await page.waitForTimeout(800);
			expect(await deepCount(page, '[data-usual]')).toBe(0);
			expect(await deepCount(page, '.apexcharts-xaxis-annotations rect')).toBe(0);
			expect(await page.evaluate(() => localStorage.getItem('mon-usual-range'))).toBe('off');
			await page.context().close();
		});

		test(`${width} px: a host with half a day of history has no band and says why`, async () => {
			const page = await open(`${d.url}#/host/young-box?range=24h`, width);
			await deepWait(page, '[data-usual="none"]');
			await chartsDrawn(page, 1);
			expect((await deepText(page, '[data-usual="none"]'))[0]).toBe(
				'No usual range yet: less than a day of history',
			);
			expect(await deepCount(page, '[data-usual="band"]')).toBe(0);
			expect(await deepCount(page, '.apexcharts-xaxis-annotations rect')).toBe(0);
			// No error banner: a missing baseline is not a failure.
			expect(await deepCount(page, '.banner.error')).toBe(0);
			await page.screenshot({
				path: path.join(ARTIFACTS, `anomaly-host-young-${width}.png`),
				fullPage: false,
			});
			await page.context().close();
		});
	}
});

describe('"unusual now" empty states', () => {
	test('nothing unusual, not enough history, nothing watched', async () => {
		const calm = await dashboard((config) =>
			seedSeries(config, [
				{ ...cpu('calm'), usual: usualCpu, days: 28, now: usualCpu, collector: 'host' },
			]),
		);
		const young = await dashboard((config) =>
			seedSeries(config, [
				{ ...cpu('new-1'), usual: usualCpu, days: 1, now: () => 95, collector: 'host' },
				{ ...cpu(EVIL_WORKFLOW), usual: usualCpu, days: 2, now: () => 95, collector: 'host' },
			]),
		);
		const none = await dashboard(async (config) => {
			const store = await MonitoringStore.open(config);
			await store.close();
		});
		const expectations: Array<[Dashboard, string, string]> = [
			[calm, 'nothing', 'Nothing unusual: every watched series is within its usual range.'],
			[young, 'waiting', 'Not enough history yet: 2 of 2 series have less than 3 days.'],
			[
				none,
				'none',
				'Nothing to judge yet: no CPU, network, endpoint latency or workflow runs reported in the last hour.',
			],
		];
		for (const [dash, kind, text] of expectations) {
			for (const width of [1280, 390]) {
				const page = await open(dash.url, width);
				await page.waitForFunction(
					() => {
						const ov = (globalThis as any).document
							.querySelector('mon-app')
							?.shadowRoot?.querySelector('mon-overview')?.shadowRoot;
						return !!ov?.querySelector('mon-unusual')?.shadowRoot?.querySelector('[data-empty]');
					},
					undefined,
					{ timeout: 30_000 },
				);
				const empty = await page.evaluate(() => {
					const el = (globalThis as any).document
						.querySelector('mon-app')!
						.shadowRoot!.querySelector('mon-overview')!
						.shadowRoot!.querySelector('mon-unusual')!
						.shadowRoot!.querySelector('[data-empty]')!;
					return [el.getAttribute('data-empty'), String(el.textContent).trim()];
				});
				expect(empty).toEqual([kind, text]);
				if (width === 390)
					await page.screenshot({
						path: path.join(ARTIFACTS, `anomaly-empty-${kind}-390.png`),
						fullPage: false,
					});
				await page.context().close();
			}
		}
	});
});
