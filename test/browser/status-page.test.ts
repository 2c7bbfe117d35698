/**
 * The public status page in real Chromium, at 390 and 1280 px, light and dark, English and
 * Korean, without any login: served by the real handler over a real SQLite store seeded as
 * collectors and alerts write it (test/helpers/status-seed.ts), and once over an empty store.
 * Reads what a visitor reads; the secret marker in every private field never shows; the hostile
 * display name shows as text and runs nothing; the feed is XML a browser parses; badges draw.
 * Screenshots go to test/browser/artifacts/status-*.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import type { StatusPageConfig } from '../../core/query/status-page';
import { closeStore, type StoreConfig } from '../../core/store';
import { createStatusPageHandler } from '../../dashboard/server/status-page/handler';
import { HOSTILE, SECRET, seedStatusStore, statusConfig } from '../helpers/status-seed';
import { ARTIFACTS, launchChromium } from './harness';

jest.setTimeout(180_000);

let dir: string;
let browser: Browser;
const servers: http.Server[] = [];
const stores: StoreConfig[] = [];

async function serve(store: StoreConfig, page: StatusPageConfig): Promise<string> {
	const handler = createStatusPageHandler({
		store,
		page,
		basePath: '/webhook/status',
		language: 'auto',
		refreshSeconds: 60,
		cacheSeconds: 30,
	});
	const server = http.createServer((req, res) => void handler(req, res));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	servers.push(server);
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/status`;
}

let url: string;
let emptyUrl: string;
let blankUrl: string;

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-status-browser-'));
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const now = Math.floor(Date.now() / 60_000) * 60_000;
	const seeded: StoreConfig = { type: 'sqlite', filename: path.join(dir, 'seeded.sqlite') };
	const empty: StoreConfig = { type: 'sqlite', filename: path.join(dir, 'empty.sqlite') };
	stores.push(seeded, empty);
	[, browser] = await Promise.all([seedStatusStore(seeded, now), launchChromium()]);
	url = await serve(seeded, statusConfig(now));
	// The same page over a store that holds nothing yet, and a page with no items at all.
	emptyUrl = await serve(empty, { ...statusConfig(now), maintenance: [] });
	blankUrl = await serve(empty, { title: 'Nothing here yet', groups: [] });
}, 170_000);

afterAll(async () => {
	await browser?.close();
	for (const s of servers) await new Promise((r) => s.close(r));
	for (const s of stores) await closeStore(s);
	fs.rmSync(dir, { recursive: true, force: true });
});

async function open(
	target: string,
	width: number,
	options: { locale?: string; dark?: boolean } = {},
): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width, height: 900 },
		locale: options.locale ?? 'en-US',
		colorScheme: options.dark ? 'dark' : 'light',
		javaScriptEnabled: true,
	});
	const page = await context.newPage();
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	const res = await page.goto(target);
	expect(res?.status()).toBe(200);
	(page as Page & { dialogs?: string[] }).dialogs = dialogs;
	return page;
}

const text = (page: Page) =>
	page.evaluate(() => (globalThis as any).document.body.innerText as string);

async function noSideScroll(page: Page) {
	const { scroll, client } = await page.evaluate(() => ({
		scroll: (globalThis as any).document.documentElement.scrollWidth,
		client: (globalThis as any).document.documentElement.clientWidth,
	}));
	expect(scroll).toBeLessThanOrEqual(client);
}

describe.each([390, 1280])('at %i px', (width) => {
	test('a visitor reads statuses, bars, uptime, incidents and maintenance; nothing private', async () => {
		const page = await open(url, width);
		const body = await text(page);
		expect(body).toContain('Example status');
		expect(body).toContain('Some systems are down');
		expect(body).toContain('Current incidents');
		expect(body).toContain('Planned maintenance');
		expect(body).toContain('Database upgrade, read-only for 10 minutes');
		expect(body).toContain('Past incidents');
		// The hostile display name is text: no element made of it, nothing ran.
		expect(body).toContain(HOSTILE);
		expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
		expect((page as Page & { dialogs?: string[] }).dialogs).toEqual([]);
		const items = await page
			.locator('li.item')
			.evaluateAll((els) =>
				els.map((e) => [
					(e.querySelector('.name') as any).textContent,
					(e.querySelector('.pill') as any).textContent,
				]),
			);
		expect(items).toEqual([
			['Public API', 'Down'],
			[HOSTILE, 'Operational'],
			['Shop database', 'Operational'],
			['Never reported', 'No data'],
		]);
		// Every bar has a tooltip; a phone shows the last 30 days, a desktop 90.
		const bars = page.locator('#item-public-api .bar');
		expect(await bars.count()).toBe(90);
		const visible = await bars.evaluateAll(
			(els) => els.filter((e) => (e as any).getBoundingClientRect().width > 0).length,
		);
		expect(visible).toBe(width < 600 ? 30 : 90);
		expect(await bars.last().getAttribute('title')).toMatch(/^\d{4}-\d{2}-\d{2}: /);
		expect(await page.locator('#item-never-reported .bar.gap').count()).toBe(90);
		// The marker is in every private field of the store: none of it reaches the page.
		expect(await page.content()).not.toContain(SECRET);
		if (width < 500) await noSideScroll(page);
		await page.screenshot({ path: path.join(ARTIFACTS, `status-${width}.png`), fullPage: true });
		await page.context().close();
	});

	test('dark and Korean', async () => {
		const page = await open(url, width, { locale: 'ko-KR', dark: true });
		expect(await page.locator('html').getAttribute('lang')).toBe('ko');
		const body = await text(page);
		expect(body).toContain('일부 시스템 중단');
		expect(body).toContain('진행 중인 장애');
		expect(body).not.toContain('Current incidents');
		const bg = await page.evaluate(
			() => (globalThis as any).getComputedStyle((globalThis as any).document.body).backgroundColor,
		);
		expect(bg).toBe('rgb(17, 20, 24)');
		if (width < 500) await noSideScroll(page);
		await page.screenshot({
			path: path.join(ARTIFACTS, `status-${width}-ko-dark.png`),
			fullPage: true,
		});
		await page.context().close();
	});

	test('an empty store: every item no data, bars are gaps; a page with no items says so', async () => {
		const page = await open(emptyUrl, width);
		const body = await text(page);
		expect(body).toContain('Some systems report no data');
		expect(await page.locator('.pill').allTextContents()).toEqual([
			'No data',
			'No data',
			'No data',
			'No data',
		]);
		expect(await page.locator('.bar.gap').count()).toBe(4 * 90);
		expect(body).toContain('No incidents in the last 90 days.');
		if (width < 500) await noSideScroll(page);
		await page.screenshot({
			path: path.join(ARTIFACTS, `status-${width}-empty.png`),
			fullPage: true,
		});
		await page.goto(blankUrl);
		expect(await text(page)).toContain('Nothing is listed on this page yet.');
		await page.context().close();
	});
});

test('works with JavaScript off, and the page carries no script', async () => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto(url);
	expect(await page.locator('script').count()).toBe(0);
	expect(await page.locator('li.item').count()).toBe(4);
	await context.close();
});

test('the feed is XML a browser parses; JSON and badges load; none holds the marker', async () => {
	const page = await open(url, 1280);
	// The page's CSP lets it fetch nothing (connect-src 'none'): the feed and JSON come through
	// the test's own requests, and the browser's XML parser reads the feed.
	const feedText = await (await page.request.get(url + '/feed.atom')).text();
	const jsonText = await (await page.request.get(url + '/status.json')).text();
	const result = await page.evaluate(async (feed) => {
		const g = globalThis as any;
		const doc = new g.DOMParser().parseFromString(feed, 'application/xml');
		const badges: number[] = [];
		for (const q of ['', '?item=public-api&show=status', '?item=public-api&show=30d']) {
			const img = new g.Image();
			img.src = `${g.location.pathname}/badge.svg${q}`;
			await img.decode();
			badges.push(img.naturalWidth);
		}
		return {
			parseError: doc.getElementsByTagName('parsererror').length,
			root: doc.documentElement.namespaceURI + ' ' + doc.documentElement.localName,
			entries: doc.getElementsByTagName('entry').length,
			titles: [...doc.getElementsByTagName('entry')].map(
				(e: any) => e.getElementsByTagName('title')[0].textContent,
			),
			badges,
		};
	}, feedText);
	expect(result.parseError).toBe(0);
	expect(result.root).toBe('http://www.w3.org/2005/Atom feed');
	expect(result.entries).toBe(2);
	expect(result.titles).toEqual([
		'[Ongoing] Disruption: Public API',
		'[Resolved] Disruption: Public API',
	]);
	expect(feedText).not.toContain(SECRET);
	expect(jsonText).not.toContain(SECRET);
	expect(JSON.parse(jsonText).groups[0].items[1].name).toBe(HOSTILE);
	expect(result.badges.every((w) => w > 40)).toBe(true);
	await page.context().close();
});
