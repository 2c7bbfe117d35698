/**
 * The fleet view in real Chromium: 300 synthetic hosts (scripts/fleet-seed.js) in a real SQLite
 * store behind the real handler. Worst first, counts that filter, the name filter, paging, a host
 * link that opens its detail page, a host named like HTML shown as text, and a phone layout that
 * does not scroll sideways. Needs `node scripts/build-dashboard.js` first.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { THRESHOLDS } from '../../core/query';
import { MonitoringStore } from '../../core/store';
import { seedFleet, type PlannedHost } from '../../scripts/fleet-seed';
import { ARTIFACTS, launchChromium, startDashboard, type Dashboard } from './harness';

jest.setTimeout(180_000);

const HOSTS = 300;
const EVIL = '<img src=x onerror=alert(1)>';
const SEVERITY: Record<string, number> = { critical: 0, warning: 1, nodata: 2, ok: 3 };

/** What the overview must say of a planned host, worked out here from the thresholds. */
function expectedStatus(p: PlannedHost): string {
	// Its collectors stopped reporting: no data (never OK), whatever its last runs said.
	if (p.silent) return 'nodata';
	if (p.failing) return 'critical';
	const level = (v: number, warning: number, critical: number) =>
		v >= critical ? 2 : v >= warning ? 1 : 0;
	const worst = Math.max(
		level(p.cpu, THRESHOLDS.cpu.warning, THRESHOLDS.cpu.critical),
		level(p.memory, THRESHOLDS.memory.warning, THRESHOLDS.memory.critical),
		level(Math.max(p.disk, p.dataDisk, 30), THRESHOLDS.disk.warning, THRESHOLDS.disk.critical),
		p.gpu
			? level(p.gpuTemp, THRESHOLDS.gpuTemperature.warning, THRESHOLDS.gpuTemperature.critical)
			: 0,
	);
	return ['ok', 'warning', 'critical'][worst];
}

let dash: Dashboard;
let browser: Browser;
let plan: PlannedHost[];

beforeAll(async () => {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	[dash, browser] = await Promise.all([
		startDashboard({
			seed: async (config) => {
				const store = await MonitoringStore.open(config);
				try {
					({ plan } = await seedFleet(store, {
						hosts: HOSTS,
						now: Date.now(),
						collectionHours: 1,
						names: { 6: EVIL },
					}));
				} finally {
					await store.close();
				}
			},
		}),
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

async function open(width: number, height: number): Promise<Watched> {
	const context = await browser.newContext({
		viewport: { width, height },
		locale: 'en-US',
		hasTouch: width < 500,
		isMobile: width < 500,
	});
	const page = await context.newPage();
	const errors: string[] = [];
	const dialogs: string[] = [];
	page.on('console', (msg) => {
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

const rows = (page: Page) => page.locator('mon-fleet li.row');
const rowStates = (page: Page) =>
	rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-status') ?? ''));
const rowHosts = (page: Page) =>
	rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-host') ?? ''));
const summary = (page: Page) => page.locator('mon-fleet .summary').innerText();

/** Waits until the rows are those of the answer to the current hash (first host changed or not). */
async function settle(page: Page, before?: string) {
	await page.waitForFunction(
		(prev) => {
			const find = (root: any): any => {
				const hit = root.querySelector('mon-fleet');
				if (hit) return hit;
				for (const el of root.querySelectorAll('*'))
					if (el.shadowRoot) {
						const inner = find(el.shadowRoot);
						if (inner) return inner;
					}
				return null;
			};
			const fleet = find((globalThis as any).document);
			const first = fleet?.shadowRoot?.querySelector('li.row')?.getAttribute('data-host');
			return first !== undefined && first !== null && first !== prev;
		},
		before ?? null,
		{ timeout: 15_000 },
	);
}

describe('fleet view at desktop size', () => {
	let w: Watched;
	beforeAll(async () => {
		w = await open(1280, 800);
		await w.page.goto(dash.url + '#/overview');
		await settle(w.page);
	});
	afterAll(() => w.context.close());

	it('shows the whole fleet counted by state and one page worst first', async () => {
		const counts: Record<string, number> = { ok: 0, warning: 0, critical: 0, nodata: 0 };
		for (const p of plan) counts[expectedStatus(p)]++;
		expect(await w.page.locator('mon-fleet button[data-status="all"]').innerText()).toContain(
			String(HOSTS),
		);
		for (const s of ['ok', 'warning', 'critical'])
			expect(await w.page.locator(`mon-fleet button[data-status="${s}"] strong`).innerText()).toBe(
				String(counts[s]),
			);
		expect(await rows(w.page).count()).toBe(50);
		const states = await rowStates(w.page);
		expect(states[0]).toBe('critical');
		const ranks = states.map((s) => SEVERITY[s]);
		expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
		expect(await summary(w.page)).toBe(`1–50 of ${HOSTS} hosts`);
		await w.page.screenshot({ path: path.join(ARTIFACTS, 'fleet-desktop.png') });
		expect(w.errors).toEqual([]);
	});

	it('filters by state with the count buttons, keeping it in the hash', async () => {
		const before = (await rowHosts(w.page))[0];
		await w.page.locator('mon-fleet button[data-status="warning"]').click();
		await w.page.waitForFunction(() =>
			(globalThis as any).location.hash.includes('status=warning'),
		);
		await settle(w.page, before);
		const expected = plan.filter((p) => expectedStatus(p) === 'warning').length;
		const states = await rowStates(w.page);
		expect(states.length).toBe(Math.min(50, expected));
		expect(new Set(states)).toEqual(new Set(['warning']));
		expect(await summary(w.page)).toBe(`1–${Math.min(50, expected)} of ${expected} hosts`);
		const warningFirst = (await rowHosts(w.page))[0];
		await w.page.locator('mon-fleet button[data-status="all"]').click();
		await w.page.waitForFunction(() => !(globalThis as any).location.hash.includes('status='));
		await settle(w.page, warningFirst);
	});

	it('filters by name as one types and pages through the matches', async () => {
		await w.page.locator('mon-fleet input.filter').fill('HOST-01');
		await w.page.waitForFunction(() => (globalThis as any).location.hash.includes('q=HOST-01'));
		await w.page.waitForFunction(
			() => {
				const fleet = (globalThis as any).document
					.querySelector('mon-app')
					?.shadowRoot?.querySelector('mon-overview')
					?.shadowRoot?.querySelector('mon-fleet');
				return fleet?.shadowRoot?.querySelector('.summary')?.textContent?.includes('of 100 hosts');
			},
			null,
			{ timeout: 15_000 },
		);
		const page1 = await rowHosts(w.page);
		expect(page1).toHaveLength(50);
		expect(page1.every((h) => h.startsWith('host-01'))).toBe(true);
		await w.page.locator('mon-fleet button[data-page="next"]').click();
		await w.page.waitForFunction(() => (globalThis as any).location.hash.includes('page=2'));
		await settle(w.page, page1[0]);
		const page2 = await rowHosts(w.page);
		expect(page2).toHaveLength(50);
		expect(page2.every((h) => h.startsWith('host-01') && !page1.includes(h))).toBe(true);
		expect(await summary(w.page)).toBe('51–100 of 100 hosts');
		// The filter kept its text through the re-renders.
		expect(await w.page.locator('mon-fleet input.filter').inputValue()).toBe('HOST-01');
	});

	it('shows the filter of a route reached another way (a link, Back)', async () => {
		const before = (await rowHosts(w.page))[0];
		await w.page.evaluate(() => ((globalThis as any).location.hash = '#/overview?q=host-02'));
		await settle(w.page, before);
		expect(await w.page.locator('mon-fleet input.filter').inputValue()).toBe('host-02');
		expect((await rowHosts(w.page)).every((h) => h.startsWith('host-02'))).toBe(true);
	});

	it('sorts by name and opens a host from its link', async () => {
		await w.page.locator('mon-fleet input.filter').fill('');
		await w.page.waitForFunction(() => !(globalThis as any).location.hash.includes('q='));
		await w.page.locator('mon-fleet select').selectOption('name');
		await w.page.waitForFunction(() => (globalThis as any).location.hash.includes('sort=name'));
		await w.page.waitForFunction(
			() =>
				(globalThis as any).document
					.querySelector('mon-app')
					?.shadowRoot?.querySelector('mon-overview')
					?.shadowRoot?.querySelector('mon-fleet')
					?.shadowRoot?.querySelector('li.row')
					?.getAttribute('data-host') === '<img src=x onerror=alert(1)>',
			null,
			{ timeout: 15_000 },
		);
		// '<' sorts before letters: the HTML-looking name comes first, shown as text.
		const evil = rows(w.page).first().locator('a.host');
		expect(await evil.innerText()).toBe(EVIL);
		expect(await w.page.locator('mon-fleet li.row img').count()).toBe(0);
		const second = rows(w.page).nth(1);
		const name = await second.getAttribute('data-host');
		expect(name).toBe('host-0001');
		await second.locator('a.host').click();
		await w.page.waitForFunction(() => (globalThis as any).location.hash === '#/host/host-0001');
		await w.page.getByText('Host host-0001').first().waitFor({ timeout: 15_000 });
		expect(w.dialogs).toEqual([]);
		expect(w.errors).toEqual([]);
	});
});

describe('fleet view at phone size', () => {
	it('fits the screen with touch-sized controls and no HTML from names', async () => {
		const w = await open(390, 844);
		try {
			await w.page.goto(dash.url + '#/overview?q=%3Cimg');
			await settle(w.page);
			expect(await rowHosts(w.page)).toEqual([EVIL]);
			expect(await rows(w.page).first().locator('a.host').innerText()).toBe(EVIL);
			await w.page.goto(dash.url + '#/overview');
			await w.page.waitForFunction(
				() =>
					(globalThis as any).document
						.querySelector('mon-app')
						?.shadowRoot?.querySelector('mon-overview')
						?.shadowRoot?.querySelector('mon-fleet')
						?.shadowRoot?.querySelectorAll('li.row').length === 50,
				null,
				{ timeout: 15_000 },
			);
			const layout = await w.page.evaluate(() => {
				const doc = (globalThis as any).document;
				const small: string[] = [];
				const walk = (root: any) => {
					for (const el of root.querySelectorAll('a, button, input, select')) {
						const r = el.getBoundingClientRect();
						if (r.width > 0 && (r.height < 44 || r.width < 44))
							small.push(`${el.localName} ${Math.round(r.width)}x${Math.round(r.height)}`);
					}
					for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
				};
				walk(doc);
				return {
					small,
					scrollWidth: doc.documentElement.scrollWidth,
					width: (globalThis as any).innerWidth as number,
				};
			});
			await w.page.screenshot({ path: path.join(ARTIFACTS, 'fleet-phone.png') });
			expect(layout.small).toEqual([]);
			expect(layout.scrollWidth).toBeLessThanOrEqual(layout.width);
			expect(w.dialogs).toEqual([]);
			expect(w.errors).toEqual([]);
		} finally {
			await w.context.close();
		}
	});
});
