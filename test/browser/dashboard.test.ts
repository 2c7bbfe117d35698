/**
 * The dashboard in real Chromium against the real handler and a seeded SQLite store: every view at
 * desktop and phone size, status lights, names that look like HTML, Korean, and polling that
 * stops while the page is hidden. Needs `node scripts/build-dashboard.js` first.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import {
	ARTIFACTS,
	EVIL_ALERT,
	EVIL_HOST,
	EVIL_MODEL,
	EVIL_QUERY,
	EVIL_WORKFLOW,
	launchChromium,
	chartsDrawn,
	startDashboard,
	type Dashboard,
} from './harness';

jest.setTimeout(180_000);

const VIEWPORTS = [
	{ name: 'desktop', width: 1280, height: 800 },
	{ name: 'phone', width: 390, height: 844 },
];

/** Route, how many charts it must draw at least, a text it must show. */
const ROUTES: { hash: string; file: string; charts: number; text: string }[] = [
	// 3 hosts x 3 gauges + the GPU gauge of gpu-box + 3 sparklines.
	{ hash: '#/overview', file: 'overview', charts: 13, text: 'Hosts' },
	{ hash: '#/host/web-1', file: 'host', charts: 4, text: 'Host web-1' },
	{ hash: '#/host/web-1?range=7d', file: 'host-7d', charts: 4, text: 'Host web-1' },
	{ hash: '#/gpu/gpu-box', file: 'gpu', charts: 4, text: 'python3' },
	{ hash: '#/database/web-1/shop', file: 'database', charts: 3, text: 'Database shop on web-1' },
	{ hash: '#/endpoint/web-1/api', file: 'endpoint', charts: 2, text: 'Endpoint api on web-1' },
	{ hash: '#/workflow/n8n-main/wf1', file: 'workflow', charts: 1, text: '1009' },
	{ hash: '#/model/llm-box/ollama', file: 'model', charts: 7, text: 'llama3.1:8b' },
];

let dash: Dashboard;
let browser: Browser;

beforeAll(async () => {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	[dash, browser] = await Promise.all([startDashboard(), launchChromium()]);
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

async function open(options: {
	width: number;
	height: number;
	locale?: string;
	dark?: boolean;
}): Promise<Watched> {
	const context = await browser.newContext({
		viewport: { width: options.width, height: options.height },
		locale: options.locale ?? 'en-US',
		colorScheme: options.dark ? 'dark' : 'light',
		hasTouch: options.width < 500,
		isMobile: options.width < 500,
		deviceScaleFactor: 1,
	});
	const page = await context.newPage();
	const errors: string[] = [];
	const dialogs: string[] = [];
	page.on('console', (msg) => {
		// The handler has no favicon; Chromium asks for one on every page.
		if (
			(msg.type() === 'error' || msg.type() === 'warning') &&
			!msg.location().url.endsWith('/favicon.ico')
		)
			errors.push(`${msg.type()}: ${msg.text()}`);
	});
	page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	return { page, context, errors, dialogs };
}

/** Every element matching selector across all shadow roots. */
function deepCount(page: Page, selector: string): Promise<number> {
	return page.evaluate((sel) => {
		let count = 0;
		const walk = (root: any) => {
			count += root.querySelectorAll(sel).length;
			for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
		};
		walk((globalThis as any).document);
		return count;
	}, selector);
}

/** Links and buttons (outside ApexCharts' own SVG) smaller than a 44 px touch target. */
function smallControls(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const small: string[] = [];
		const walk = (root: any) => {
			for (const el of root.querySelectorAll('a, button, input')) {
				if (el.closest('.apexcharts-canvas')) continue;
				const r = el.getBoundingClientRect();
				if (r.width > 0 && (r.height < 44 || r.width < 44))
					small.push(
						`${el.localName} "${el.textContent.trim()}" ${Math.round(r.width)}x${Math.round(r.height)}`,
					);
			}
			for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
		};
		walk((globalThis as any).document);
		return small;
	});
}

describe.each(VIEWPORTS)('dashboard at $name size ($width x $height)', (vp) => {
	it.each(ROUTES)('renders $hash', async (route) => {
		const w = await open(vp);
		try {
			await w.page.goto(dash.url + route.hash);
			await chartsDrawn(w.page, route.charts);
			await w.page.getByText(route.text, { exact: false }).first().waitFor({ timeout: 10_000 });
			expect(await deepCount(w.page, '.apexcharts-canvas')).toBeGreaterThanOrEqual(route.charts);
			const { scrollWidth, innerWidth } = await w.page.evaluate(() => ({
				scrollWidth: (globalThis as any).document.documentElement.scrollWidth as number,
				innerWidth: (globalThis as any).innerWidth as number,
			}));
			expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
			if (vp.name === 'phone') expect(await smallControls(w.page)).toEqual([]);
			await w.page.screenshot({
				path: path.join(ARTIFACTS, `${route.file}-${vp.name}.png`),
				fullPage: true,
			});
			expect(w.errors).toEqual([]);
			expect(w.dialogs).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});

describe('overview', () => {
	let w: Watched;
	beforeAll(async () => {
		w = await open({ width: 1280, height: 800 });
		await w.page.goto(dash.url + '#/overview');
		await chartsDrawn(w.page, 13);
	});
	afterAll(() => w.context.close());

	const lightOf = (host: string) =>
		w.page
			.locator('article.host', { has: w.page.getByRole('link', { name: host, exact: true }) })
			.locator('mon-status-light')
			.getAttribute('state');

	it('shows each host in its state', async () => {
		expect(await lightOf('web-1')).toBe('ok');
		// CPU 86 % is over the 80 % warning line; its failed collector makes it critical.
		expect(await lightOf('gpu-box')).toBe('critical');
		expect(await lightOf(EVIL_HOST)).toBe('critical');
	});

	it('shows targets in their state', async () => {
		const state = (text: string) =>
			w.page
				.locator('li.target', { hasText: text })
				.first()
				.locator('mon-status-light')
				.getAttribute('state');
		expect(
			await w.page
				.locator('li.target[data-kind="database"]', { hasText: 'db-host' })
				.locator('mon-status-light')
				.getAttribute('state'),
		).toBe('critical');
		expect(
			await w.page
				.locator('li.target[data-kind="endpoint"]', { hasText: 'api' })
				.locator('mon-status-light')
				.getAttribute('state'),
		).toBe('ok');
		expect(await state('wf1')).toBe('warning');
	});

	it('renders names that look like HTML as text', async () => {
		await expect(w.page.getByText(EVIL_HOST, { exact: true }).first().isVisible()).resolves.toBe(
			true,
		);
		await expect(
			w.page.getByText(EVIL_WORKFLOW, { exact: true }).first().isVisible(),
		).resolves.toBe(true);
		expect(await deepCount(w.page, 'img')).toBe(0);
		expect(await deepCount(w.page, 'b')).toBe(0);
		expect(w.dialogs).toEqual([]);
	});

	it('lists the open alerts first, their message as text, and links to the history', async () => {
		const active = w.page.locator('li.alert[data-status="firing"]');
		expect(await active.count()).toBe(1);
		expect(await active.getAttribute('data-severity')).toBe('critical');
		await expect(active.getByText(EVIL_ALERT, { exact: true }).isVisible()).resolves.toBe(true);
		expect(await deepCount(w.page, 'img')).toBe(0);
		await w.page.getByRole('link', { name: 'Alert history' }).click();
		await w.page.waitForFunction(() => (globalThis as any).location.hash.startsWith('#/alerts'));
		const history = w.page.locator('li.alert');
		await history.first().waitFor();
		expect(await history.count()).toBe(2);
		expect(await w.page.locator('li.alert[data-status="resolved"]').count()).toBe(1);
		await w.page.goto(`${dash.url}#/overview`);
		await chartsDrawn(w.page, 13);
	});

	it('lists a failed collector with its message as text', async () => {
		await expect(
			w.page.getByText('ECONNREFUSED <b>127.0.0.1</b>', { exact: false }).first().isVisible(),
		).resolves.toBe(true);
	});

	it('marks a host that stopped reporting as stale', async () => {
		const card = w.page.locator('article.host', {
			has: w.page.getByRole('link', { name: 'old-box', exact: true }),
		});
		await expect(card.getByText('Data is stale').isVisible()).resolves.toBe(true);
	});

	it('says when it was updated', async () => {
		await expect(
			w.page
				.getByText(/Updated at \d/)
				.first()
				.isVisible(),
		).resolves.toBe(true);
		expect(w.errors).toEqual([]);
	});
});

describe('workflow view with an HTML-looking workflow name', () => {
	it('shows the name as text and fires nothing', async () => {
		const w = await open({ width: 390, height: 844 });
		try {
			await w.page.goto(dash.url + '#/workflow/n8n-main/wf1');
			await chartsDrawn(w.page, 1);
			await w.page.getByText(`${EVIL_WORKFLOW} (wf1)`, { exact: false }).first().waitFor();
			// Table names reach ApexCharts' legend (innerHTML): they must arrive escaped.
			await w.page.goto(dash.url + '#/database/web-1/shop');
			await chartsDrawn(w.page, 3);
			await w.page.getByText('public.<b>evil</b>', { exact: true }).first().waitFor();
			expect(await deepCount(w.page, 'img')).toBe(0);
			expect(await deepCount(w.page, 'b')).toBe(0);
			expect(w.dialogs).toEqual([]);
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});

describe('database view from the snapshot', () => {
	it('shows tables with growth, the forecast and slow queries, all as text', async () => {
		const w = await open({ width: 1280, height: 800 });
		try {
			await w.page.goto(dash.url + '#/database/web-1/shop');
			await chartsDrawn(w.page, 3);
			const tables = w.page.locator('table.db-tables tbody tr');
			await tables.first().waitFor();
			expect(await tables.count()).toBe(2);
			const orders = tables.filter({ hasText: 'public.orders' });
			await expect(orders.textContent()).resolves.toContain('+50.0 MB/day');
			await expect(orders.textContent()).resolves.toContain('not enough history');
			const evil = tables.filter({ hasText: 'public.<b>evil</b>' });
			await expect(evil.textContent()).resolves.toContain('−2.0 KB/day');
			await w.page
				.getByText(/Capacity forecast: Reaches the size limit \(10\.0 GB\) on .+, in 179 days$/)
				.waitFor();
			const slow = w.page.locator('table.slow-queries tbody tr');
			expect(await slow.count()).toBe(2);
			await slow.getByText(EVIL_QUERY, { exact: true }).waitFor();
			await expect(slow.first().textContent()).resolves.toContain('500');
			await slow.getByText('SELECT * FROM orders WHERE customer_id = $1').waitFor();
			expect(await deepCount(w.page, 'code script')).toBe(0);
			expect(await deepCount(w.page, 'td b')).toBe(0);
			expect(await w.page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
			expect(w.dialogs).toEqual([]);
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});

describe('workflow view status filter', () => {
	it('keeps the filter in the hash and refetches the executions', async () => {
		const w = await open({ width: 390, height: 844 });
		try {
			await w.page.goto(dash.url + '#/workflow/n8n-main/wf1');
			await chartsDrawn(w.page, 1);
			const rows = w.page.locator('table tbody tr');
			await rows.getByText('1009', { exact: true }).waitFor();
			expect(await rows.count()).toBe(10);
			await w.page.getByRole('button', { name: 'Error', exact: true }).click();
			await w.page.waitForFunction(
				() => (globalThis as any).location.hash === '#/workflow/n8n-main/wf1?status=error',
			);
			await w.page.waitForFunction(() => {
				const view = (globalThis as any).document
					.querySelector('mon-app')
					?.shadowRoot?.querySelector('mon-workflow-detail');
				return view?.shadowRoot?.querySelectorAll('table tbody tr').length === 2;
			});
			expect((await rows.allTextContents()).map((r) => r.match(/\d{4}/)?.[0]).sort()).toEqual([
				'1000',
				'1005',
			]);
			expect(
				await w.page
					.getByRole('button', { name: 'Error', exact: true })
					.getAttribute('aria-pressed'),
			).toBe('true');
			// The range buttons keep the filter; a deep link opens with it.
			await w.page.getByRole('button', { name: '24 h' }).click();
			await w.page.waitForFunction(
				() =>
					(globalThis as any).location.hash === '#/workflow/n8n-main/wf1?range=24h&status=error',
			);
			await w.page.getByRole('button', { name: 'Running', exact: true }).click();
			await w.page.getByText('No executions.').waitFor();
			await w.page.getByRole('button', { name: 'All', exact: true }).click();
			await w.page.waitForFunction(
				() => (globalThis as any).location.hash === '#/workflow/n8n-main/wf1?range=24h',
			);
			await rows.getByText('1009', { exact: true }).waitFor();
			expect(await rows.count()).toBe(10);
			expect(await smallControls(w.page)).toEqual([]);
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});

describe('model server view', () => {
	it('is linked from the overview and shows an HTML-looking model name as text', async () => {
		const w = await open({ width: 390, height: 844 });
		try {
			await w.page.goto(dash.url + '#/overview');
			await chartsDrawn(w.page, 13);
			await w.page
				.locator('li.target[data-kind="model_server"]', { hasText: 'llm-box' })
				.getByRole('link', { name: 'ollama', exact: true })
				.click();
			await w.page.waitForFunction(
				() => (globalThis as any).location.hash === '#/model/llm-box/ollama',
			);
			await chartsDrawn(w.page, 7);
			await w.page.getByText('Model server ollama on llm-box').first().waitFor();
			await w.page.getByText(EVIL_MODEL, { exact: true }).first().waitFor();
			await w.page.getByText('p95').first().waitFor();
			expect(await deepCount(w.page, 'img')).toBe(0);
			expect(w.dialogs).toEqual([]);
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});

describe('Korean and dark', () => {
	it('uses Korean labels for a ko-KR browser', async () => {
		const w = await open({ width: 390, height: 844, locale: 'ko-KR', dark: true });
		try {
			await w.page.goto(dash.url + '#/overview');
			await chartsDrawn(w.page, 13);
			await w.page.getByRole('heading', { name: '호스트' }).waitFor();
			await w.page.getByText('대상', { exact: true }).first().waitFor();
			expect(await w.page.getByText('Hosts', { exact: true }).count()).toBe(0);
			const bg = await w.page
				.locator('mon-app')
				// runs in the page, where getComputedStyle exists
				.evaluate((el: any) => (globalThis as any).getComputedStyle(el).backgroundColor);
			expect(bg).toBe('rgb(17, 19, 23)');
			await w.page.screenshot({
				path: path.join(ARTIFACTS, 'overview-phone-ko-dark.png'),
				fullPage: true,
			});
			await w.page.goto(dash.url + '#/host/web-1?range=24h');
			await chartsDrawn(w.page, 4);
			await w.page.getByText('호스트 web-1').first().waitFor();
			await w.page.screenshot({
				path: path.join(ARTIFACTS, 'host-24h-phone-ko-dark.png'),
				fullPage: true,
			});
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});

describe('routing', () => {
	it('takes a custom range from the form into the hash', async () => {
		const w = await open({ width: 390, height: 844 });
		try {
			await w.page.goto(dash.url + '#/endpoint/web-1/api');
			await chartsDrawn(w.page, 2);
			await w.page.getByRole('button', { name: 'Custom' }).click();
			const local = (ms: number) => {
				const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
				return d.toISOString().slice(0, 16);
			};
			const to = Date.now();
			await w.page.locator('input[name="from"]').fill(local(to - 3 * 3_600_000));
			await w.page.locator('input[name="to"]').fill(local(to));
			await w.page.getByRole('button', { name: 'Apply' }).click();
			await w.page.waitForFunction(() =>
				/[?]from=\d+&to=\d+$/.test((globalThis as any).location.hash),
			);
			await chartsDrawn(w.page, 2);
			expect(
				await w.page.getByRole('button', { name: 'Custom' }).getAttribute('aria-pressed'),
			).toBe('true');
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});

	it('switches range with the buttons and keeps it in the hash', async () => {
		const w = await open({ width: 1280, height: 800 });
		try {
			await w.page.goto(dash.url + '#/host/web-1');
			await chartsDrawn(w.page, 4);
			await w.page.getByRole('button', { name: '7 d' }).click();
			await w.page.waitForFunction(
				() => (globalThis as any).location.hash === '#/host/web-1?range=7d',
			);
			await w.page
				.getByText(/Resolution: (5m|1h)/)
				.first()
				.waitFor();
			expect(await w.page.getByRole('button', { name: '7 d' }).getAttribute('aria-pressed')).toBe(
				'true',
			);
			// Rolled-up ranges draw min and max as a shaded band behind the average, not as lines
			// with legend entries of their own.
			await w.page.locator('.apexcharts-rangeArea-series').first().waitFor();
			expect(await w.page.getByText('CPU (max)').count()).toBe(0);
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});

describe('polling', () => {
	let fast: Dashboard;
	beforeAll(async () => {
		fast = await startDashboard({ refreshSeconds: 1 });
	});
	afterAll(() => fast?.close());

	it('polls every refresh seconds, not while hidden, and catches up when visible', async () => {
		const w = await open({ width: 1280, height: 800 });
		try {
			const overviewCalls = () => fast.requests.filter((r) => r.startsWith('/api/overview')).length;
			await w.page.goto(fast.url + '#/overview');
			await chartsDrawn(w.page, 13);
			await w.page.waitForTimeout(2_500);
			expect(overviewCalls()).toBeGreaterThanOrEqual(3);
			await w.page.evaluate(() => {
				const d = (globalThis as any).document;
				Object.defineProperty(d, 'hidden', { configurable: true, get: () => true });
				Object.defineProperty(d, 'visibilityState', { configurable: true, get: () => 'hidden' });
				d.dispatchEvent(new Event('visibilitychange'));
			});
			await w.page.waitForTimeout(300); // a fetch already in flight may still land
			const hiddenAt = overviewCalls();
			await w.page.waitForTimeout(3_000);
			expect(overviewCalls()).toBe(hiddenAt);
			await w.page.evaluate(() => {
				const d = (globalThis as any).document;
				Object.defineProperty(d, 'hidden', { configurable: true, get: () => false });
				Object.defineProperty(d, 'visibilityState', { configurable: true, get: () => 'visible' });
				d.dispatchEvent(new Event('visibilitychange'));
			});
			await w.page.waitForTimeout(500);
			expect(overviewCalls()).toBeGreaterThan(hiddenAt);
			expect(w.errors).toEqual([]);

			// The server goes away: the last data stays, marked stale, with the reason.
			fast.failing = true;
			await w.page
				.getByText('Data is stale — No new data since')
				.first()
				.waitFor({ timeout: 5_000 });
			await w.page.getByText('Could not load data: store unavailable').first().waitFor();
			expect(await deepCount(w.page, '.apexcharts-canvas')).toBeGreaterThanOrEqual(13);
			await w.page.screenshot({ path: path.join(ARTIFACTS, 'overview-stale-desktop.png') });
			fast.failing = false;
			await w.page
				.getByText('Data is stale — No new data since')
				.first()
				.waitFor({ state: 'detached', timeout: 5_000 });
			w.errors.length = 0; // the 503s are logged by Chromium as failed loads, on purpose here
		} finally {
			await w.context.close();
		}
	});
});
