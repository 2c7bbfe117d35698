/**
 * Containers in real Chromium over a real SQLite store (test/helpers/containers-seed.ts, written
 * through writeCollection in the collector's own snapshot shape): the host view's containers table
 * (lights, words, figures, sort by CPU and memory, a link per name), the container view's charts
 * under its state, the cards' counts, a host without the collector (nothing new) and one whose
 * collector found no engine (its words, not an empty table). Hostile names stay text.
 * Screenshots at 1280 and 390 px go to test/browser/artifacts/. Needs
 * `node scripts/build-dashboard.js` first.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import {
	CONTAINER_HOST,
	CONTAINERS_ONLY_HOST,
	EVIL_CONTAINER,
	NO_ENGINE,
	seedContainers,
} from '../helpers/containers-seed';
import { ARTIFACTS, chartsDrawn, launchChromium, startDashboard, type Dashboard } from './harness';

jest.setTimeout(120_000);

let dash: Dashboard;
let browser: Browser;

beforeAll(async () => {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	[dash, browser] = await Promise.all([
		startDashboard({ seed: (config) => seedContainers(config) }),
		launchChromium(),
	]);
});

afterAll(async () => {
	await browser?.close();
	await dash?.close();
});

interface Watched {
	page: Page;
	context: BrowserContext;
	errors: string[];
	dialogs: string[];
}

async function open(width: number): Promise<Watched> {
	const context = await browser.newContext({
		viewport: { width, height: width < 500 ? 844 : 900 },
		locale: 'en-US',
		hasTouch: width < 500,
		isMobile: width < 500,
	});
	const page = await context.newPage();
	const errors: string[] = [];
	const dialogs: string[] = [];
	page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
	page.on('console', (msg) => {
		const snapshot404 = msg.location().url.includes('/api/snapshot');
		if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico') && !snapshot404)
			errors.push(msg.text());
	});
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	return { page, context, errors, dialogs };
}

async function noSideScroll(page: Page) {
	const { scroll, client } = await page.evaluate(() => ({
		scroll: (globalThis as any).document.documentElement.scrollWidth,
		client: (globalThis as any).document.documentElement.clientWidth,
	}));
	expect(scroll).toBeLessThanOrEqual(client);
}

const names = (page: Page) =>
	page
		.locator('table.containers tbody tr')
		.evaluateAll((rows) => rows.map((r) => (r as any).getAttribute('data-container') as string));

describe.each([1280, 390])('at %i px', (width) => {
	let w: Watched;
	beforeAll(async () => {
		w = await open(width);
	});
	afterAll(async () => {
		expect(w.errors).toEqual([]);
		expect(w.dialogs).toEqual([]);
		await w.context.close();
	});

	it('shows the containers table on the host view with lights, words and figures', async () => {
		await w.page.goto(dash.url + `#/host/${CONTAINER_HOST}`);
		const table = w.page.locator('table.containers');
		await table.waitFor();
		expect(await names(w.page)).toEqual([EVIL_CONTAINER, 'api', 'flappy', 'halted', 'old', 'web']);
		const row = (name: string) => w.page.locator(`tr[data-container="${name}"]`);
		const light = async (name: string, which: 'state' | 'health') => {
			const l = row(name).locator(`mon-status-light.${which}`);
			return [await l.getAttribute('state'), await l.locator('.text').innerText()];
		};
		expect(await light('web', 'state')).toEqual(['ok', 'running']);
		expect(await light('web', 'health')).toEqual(['ok', 'healthy']);
		// api runs (green state) but fails its health check (red health).
		expect(await light('api', 'state')).toEqual(['ok', 'running']);
		expect(await light('api', 'health')).toEqual(['critical', 'unhealthy']);
		expect(await light('flappy', 'state')).toEqual(['warning', 'restarting']);
		expect(await light('old', 'state')).toEqual(['critical', 'exited (1)']);
		expect(await light('old', 'health')).toEqual(['nodata', 'no check']);
		// Stopped by docker stop (137): grey, not red.
		expect(await light('halted', 'state')).toEqual(['nodata', 'exited (137)']);
		const cells = await row('web').locator('td').allInnerTexts();
		expect(cells.slice(0, 2)).toEqual(['web', 'shop/web:1.4']);
		expect(cells.slice(4)).toEqual([
			'1',
			'13 %',
			'100 MB / 512 MB (20 %)',
			'2.0 KB/s / 1.0 KB/s',
			'59 min',
		]);
		expect((await row('api').locator('td').allInnerTexts())[6]).toBe('50.0 MB (no limit)');
		expect((await row('flappy').locator('td').allInnerTexts())[4]).toBe('4');
		// The engine's name and image are text: no element was made of them.
		expect(await row(EVIL_CONTAINER).locator('td.name').allInnerTexts()).toEqual([
			EVIL_CONTAINER,
			'<b>evil</b>:latest',
		]);
		await expect(w.page.locator('table.containers img, table.containers b').count()).resolves.toBe(
			0,
		);
		expect(await w.page.locator('mon-containers h3').innerText()).toBe(
			'Containers · Docker 20.10.24',
		);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `containers-host-${width}.png`),
			fullPage: true,
		});
		if (width < 500) await noSideScroll(w.page);
	});

	it('sorts by CPU and by memory, highest first, and back to names', async () => {
		await w.page.goto(dash.url + `#/host/${CONTAINER_HOST}`);
		await w.page.locator('table.containers').waitFor();
		await w.page.locator('button.sort[data-sort="cpu"]').click();
		expect((await names(w.page)).slice(0, 3)).toEqual(['web', 'api', EVIL_CONTAINER]);
		await expect(
			w.page.locator('th:has(button.sort[data-sort="cpu"])').getAttribute('aria-sort'),
		).resolves.toBe('descending');
		await w.page.locator('button.sort[data-sort="memory"]').click();
		expect((await names(w.page)).slice(0, 3)).toEqual(['web', 'api', EVIL_CONTAINER]);
		await w.page.locator('button.sort[data-sort="memory"]').click();
		expect(await names(w.page)).toEqual([EVIL_CONTAINER, 'api', 'flappy', 'halted', 'old', 'web']);
	});

	it('opens a container from its name: state, facts and charts of its series', async () => {
		await w.page.goto(dash.url + `#/host/${CONTAINER_HOST}`);
		await w.page.locator('tr[data-container="web"] a').click();
		expect(decodeURIComponent(new URL(w.page.url()).hash)).toBe(
			`#/container/${CONTAINER_HOST}/web`,
		);
		const state = w.page.locator('mon-state section.state');
		await state.waitFor();
		await expect(state.getAttribute('data-status')).resolves.toBe('ok');
		expect(await w.page.locator('h1').innerText()).toBe(`Container web on ${CONTAINER_HOST}`);
		expect(await w.page.locator('dd.engine-status').innerText()).toBe('Up 59 minutes (healthy)');
		// CPU, memory, network, block I/O, restarts.
		await chartsDrawn(w.page, 5);
		const titles = await w.page.locator('.charts .card h3').allInnerTexts();
		expect(titles).toEqual(['CPU', 'Memory', 'Network', 'Block I/O', 'Restarts']);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `containers-container-${width}.png`),
			fullPage: true,
		});
		if (width < 500) await noSideScroll(w.page);
	});

	it('says why an exited container is critical, and a hostile name stays text', async () => {
		await w.page.goto(dash.url + `#/container/${CONTAINER_HOST}/old`);
		const state = w.page.locator('mon-state section.state');
		await state.waitFor();
		await expect(state.getAttribute('data-status')).resolves.toBe('critical');
		expect(await state.innerText()).toContain('Reason: Exited (1) 2 hours ago');
		await w.page.goto(
			dash.url + `#/container/${CONTAINER_HOST}/${encodeURIComponent(EVIL_CONTAINER)}`,
		);
		await w.page.locator('mon-state section.state').waitFor();
		expect(await w.page.locator('h1').innerText()).toBe(
			`Container ${EVIL_CONTAINER} on ${CONTAINER_HOST}`,
		);
		await expect(w.page.locator('h1 img, dd b').count()).resolves.toBe(0);
	});

	it('shows counts on the overview cards and fleet rows only for hosts with the collector', async () => {
		await w.page.goto(dash.url + '#/overview');
		const card = (host: string) => w.page.locator(`article.host[data-host="${host}"]`);
		await card(CONTAINER_HOST).waitFor();
		const counts = card(CONTAINER_HOST).locator('.ctr-counts');
		expect(await counts.innerText()).toBe(
			'Containers: 3 running · 1 unhealthy · 2 exited (1 failed)',
		);
		await expect(counts.getAttribute('data-bad')).resolves.toBe('true');
		expect(await card('noengine-1').locator('.ctr-counts').innerText()).toBe(
			'Containers: no container engine',
		);
		await expect(card('bare-1').locator('.ctr-counts').count()).resolves.toBe(0);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `containers-overview-${width}.png`),
			fullPage: true,
		});
		// A filter turns the cards into the fleet list: the same counts on its rows.
		await w.page.goto(dash.url + '#/overview?q=-1');
		const fleetRow = (host: string) => w.page.locator(`mon-fleet li.row[data-host="${host}"]`);
		await fleetRow(CONTAINER_HOST).waitFor();
		expect(await fleetRow(CONTAINER_HOST).locator('.ctr-counts').innerText()).toBe(
			'Containers: 3 running · 1 unhealthy · 2 exited (1 failed)',
		);
		expect(await fleetRow('noengine-1').locator('.ctr-counts').innerText()).toBe(
			'Containers: no container engine',
		);
		await expect(fleetRow('bare-1').locator('.ctr-counts').count()).resolves.toBe(0);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `containers-fleet-${width}.png`),
			fullPage: true,
		});
		if (width < 500) await noSideScroll(w.page);
	});

	it('says "no container engine found" on that host, and nothing of containers on a host without the collector', async () => {
		await w.page.goto(dash.url + '#/host/noengine-1');
		const section = w.page.locator('mon-containers [data-containers="message"]');
		await section.waitFor();
		expect(await section.locator('.no-engine').innerText()).toBe(NO_ENGINE);
		await expect(w.page.locator('table.containers').count()).resolves.toBe(0);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `containers-noengine-${width}.png`),
			fullPage: true,
		});
		await w.page.goto(dash.url + '#/host/bare-1');
		await w.page.locator('mon-state section.state').waitFor();
		await chartsDrawn(w.page, 1);
		await expect(w.page.locator('mon-containers').count()).resolves.toBe(0);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `containers-bare-${width}.png`),
			fullPage: true,
		});
	});

	it('shows the containers of a host that collects nothing else, under the host setup hint', async () => {
		await w.page.goto(dash.url + `#/host/${CONTAINERS_ONLY_HOST}`);
		await w.page.locator('[data-never="host"]').waitFor();
		await w.page.locator('table.containers').waitFor();
		expect(await names(w.page)).toEqual(['web']);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `containers-only-${width}.png`),
			fullPage: true,
		});
		if (width < 500) await noSideScroll(w.page);
	});
});
