/**
 * What a person sees when things are not fine, in real Chromium over a real SQLite store: a host
 * whose collector stopped is "Stopped reporting" since its last report (never "OK"); a down
 * endpoint says why, since when, its URL and status code, with no certificate panel for http://;
 * a model server and a GPU that never reported show one message on how to set them up, not empty
 * charts. Screenshots at 1280 and 390 px go to test/browser/artifacts/. Needs
 * `node scripts/build-dashboard.js` first.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { Sample } from '../../core/collectors/types';
import { MonitoringStore, type StoreConfig } from '../../core/store';
import { ARTIFACTS, launchChromium, startDashboard, type Dashboard } from './harness';

jest.setTimeout(120_000);

const MIN = 60_000;
/** Markup-looking text from a remote system: it must show as text. */
const REASON = 'GET /: connect ECONNREFUSED <b>10.0.0.9</b>:80';
const URL_HTTP = 'http://shop.example/checkout';
const NOW = Date.now();
const QUIET_LAST = NOW - 12 * MIN;
const DOWN_FROM = NOW - 6 * MIN;

const hostSamples = (cpu: number): Sample[] => [
	{ name: 'cpu_usage_percent', value: cpu, labels: { cpu: 'total' } },
	{ name: 'memory_used_percent', value: 45, labels: {} },
	{ name: 'filesystem_used_percent', value: 40, labels: { mount: '/' } },
];

/** Exactly: a calm host, a host that stopped 12 minutes ago, a down endpoint with its reason. */
async function seed(config: StoreConfig) {
	const store = await MonitoringStore.open(config);
	const write = (
		host: string,
		collector: string,
		time: number,
		samples: Sample[],
		snapshot?: unknown,
	) =>
		store.writeCollection({
			collector,
			host,
			time,
			durationMs: 4,
			ok: true,
			warnings: [],
			samples,
			snapshot: snapshot ?? null,
		});
	try {
		for (let t = NOW - 60 * MIN; t <= NOW; t += MIN) {
			await write('web-ok', 'host', t, hostSamples(20));
			if (t <= QUIET_LAST) await write('quiet-box', 'host', t, hostSamples(30));
			const down = t >= DOWN_FROM;
			const labels = { endpoint: 'shop' };
			await write(
				'prober',
				'endpoint',
				t,
				[
					{ name: 'endpoint_up', value: down ? 0 : 1, labels },
					...(down ? [] : [{ name: 'endpoint_status_code', value: 200, labels }]),
					{ name: 'endpoint_total_seconds', value: 0.12, labels },
				],
				{
					checks: [
						{
							endpoint: 'shop',
							url: URL_HTTP,
							up: !down,
							statusCode: down ? null : 200,
							reason: down ? REASON : undefined,
						},
					],
				},
			);
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
		// /api/snapshot answers 404 where a collector left none: expected on these pages.
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

/** The dashboard's own wording of a time (format.ts fmtTime, en-GB, today). */
function clock(page: Page, ms: number): Promise<string> {
	return page.evaluate((t) => {
		const d = new Date(t);
		const sameDay = new Date().toDateString() === d.toDateString();
		return d.toLocaleString(
			'en-GB',
			sameDay
				? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
				: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
		);
	}, ms);
}

/** Nothing wider than the screen: a phone never scrolls sideways. */
async function noSideScroll(page: Page) {
	const { scroll, client } = await page.evaluate(() => ({
		scroll: (globalThis as any).document.documentElement.scrollWidth,
		client: (globalThis as any).document.documentElement.clientWidth,
	}));
	expect(scroll).toBeLessThanOrEqual(client);
}

describe.each([1280, 390])('at %i px', (width) => {
	let w: Watched;
	beforeAll(async () => {
		w = await open(width);
	});
	afterAll(() => w.context.close());

	it('calls the silent host "Stopped reporting" since its last report, never OK', async () => {
		await w.page.goto(dash.url + '#/overview');
		const card = w.page.locator('article.host[data-host="quiet-box"]');
		await card.waitFor();
		const light = card.locator('mon-status-light');
		await expect(light.getAttribute('state')).resolves.toBe('nodata');
		const text = await light.locator('.text').innerText();
		expect(text).toContain('Stopped reporting');
		expect(text).not.toMatch(/\bOK\b/);
		expect(text).toContain(`since ${await clock(w.page, QUIET_LAST)}`);
		// The calm host next to it is OK since its first run, not since its latest sample.
		const calm = w.page.locator('article.host[data-host="web-ok"] mon-status-light');
		expect(await calm.locator('.text').innerText()).toContain(
			`OK · since ${await clock(w.page, NOW - 60 * MIN)}`,
		);
		// The down endpoint in the targets list: critical since the outage began, with its reason.
		const target = w.page.locator('li.target[data-kind="endpoint"]');
		expect(await target.locator('mon-status-light .text').innerText()).toContain(
			`Critical · since ${await clock(w.page, DOWN_FROM)}`,
		);
		expect(await target.locator('.reason').innerText()).toBe(REASON);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `truth-overview-${width}.png`),
			fullPage: true,
		});
		if (width < 500) await noSideScroll(w.page);
	});

	it('opens the down endpoint with its state, reason, URL, status code and uptime; no certificate for http', async () => {
		await w.page.goto(dash.url + '#/endpoint/prober/shop');
		const state = w.page.locator('mon-state section.state');
		await state.waitFor();
		await expect(state.getAttribute('data-status')).resolves.toBe('critical');
		const text = await state.innerText();
		expect(await state.locator('mon-status-light .text').innerText()).toBe(
			`Critical · since ${await clock(w.page, DOWN_FROM)}`,
		);
		expect(text).toContain(`Reason: ${REASON}`);
		expect(text).toMatch(/Last successful collection: \d{2}:\d{2}:\d{2}/);
		// The reason is text: no element was made of it.
		await expect(state.locator('.reason b').count()).resolves.toBe(0);
		await expect(w.page.locator('dd.url').innerText()).resolves.toBe(URL_HTTP);
		await expect(w.page.locator('dd[data-status-code]').innerText()).resolves.toBe('no answer');
		const uptime = await w.page.locator('.uptime-figure').innerText();
		// 7 of the hour's 60 or 61 one-minute checks were down: 88 % up.
		expect(uptime).toBe('Up 88 % of the selected range');
		await expect(w.page.locator('svg.updown rect.critical').count()).resolves.toBeGreaterThan(0);
		await expect(w.page.locator('mon-chart[data-cert]').count()).resolves.toBe(0);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `truth-endpoint-${width}.png`),
			fullPage: true,
		});
		if (width < 500) await noSideScroll(w.page);
	});

	it('says the silent host stopped reporting on its own page', async () => {
		await w.page.goto(dash.url + '#/host/quiet-box');
		const state = w.page.locator('mon-state section.state');
		await state.waitFor();
		const text = await state.innerText();
		const light = await state.locator('mon-status-light .text').innerText();
		expect(light).toBe(`Stopped reporting · since ${await clock(w.page, QUIET_LAST)}`);
		expect(text + light).not.toMatch(/\bOK\b/);
		expect(text).toContain(
			`No report since ${await clock(w.page, QUIET_LAST)}; expected every 1 min.`,
		);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `truth-host-stale-${width}.png`),
			fullPage: true,
		});
	});

	it('shows one setup message, not empty charts, for a model server that never reported', async () => {
		await w.page.goto(dash.url + '#/model/web-ok/ollama');
		const setup = w.page.locator('section.setup[data-never="model_server"]');
		await setup.waitFor();
		expect(await setup.innerText()).toContain('Model server ollama has never reported');
		expect(await setup.innerText()).toContain('Model Server → Collect');
		await expect(w.page.locator('mon-chart').count()).resolves.toBe(0);
		await expect(w.page.locator('mon-range-picker').count()).resolves.toBe(0);
		const height = await w.page.evaluate(
			() => (globalThis as any).document.documentElement.scrollHeight,
		);
		// One screen, not seven empty charts (2,563 px on a phone before).
		expect(height).toBeLessThanOrEqual(width < 500 ? 844 : 900);
		await w.page.screenshot({
			path: path.join(ARTIFACTS, `truth-model-never-${width}.png`),
			fullPage: true,
		});
		if (width < 500) await noSideScroll(w.page);
	});

	it('says how to set up GPU figures on a machine that never sent any', async () => {
		await w.page.goto(dash.url + '#/gpu/web-ok');
		const setup = w.page.locator('section.setup[data-never="gpu"]');
		await setup.waitFor();
		expect(await setup.innerText()).toContain('No GPU data from web-ok');
		expect(await setup.innerText()).toContain('gpu-metrics.json');
		await expect(w.page.locator('mon-chart').count()).resolves.toBe(0);
		expect(w.errors).toEqual([]);
		expect(w.dialogs).toEqual([]);
	});
});
