/**
 * Incidents on the dashboard's alert history (#/alerts) in real Chromium against the real handler
 * and a seeded SQLite store: one opened by hand with a hostile title and message, its updates in
 * its timeline, at desktop and phone size, in English and Korean. Needs
 * `node scripts/build-dashboard.js` first.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { openIncident, postIncidentUpdate } from '../../core/alerts/incidents';
import { MonitoringStore, type StoreConfig } from '../../core/store';
import { ARTIFACTS, launchChromium, seedStore, startDashboard, type Dashboard } from './harness';

jest.setTimeout(120_000);

const MIN = 60_000;
const EVIL_TITLE = '<img src=x onerror=alert(3)> Checkout slow';
const EVIL_MESSAGE = '<script>alert(4)</script> We are on it.\nSecond line.';

let dash: Dashboard;
let browser: Browser;
let incidentId = '';

async function seed(config: StoreConfig): Promise<void> {
	const now = Date.now();
	await seedStore(config, now);
	const store = await MonitoringStore.open(config);
	try {
		const opened = await openIncident(store, {
			title: EVIL_TITLE,
			severity: 'critical',
			targets: [{ kind: 'endpoint', host: 'web-1', name: 'api' }],
			status: 'investigating',
			message: EVIL_MESSAGE,
			author: 'Ops <b>team</b>',
			startedAt: now - 40 * MIN,
			now: now - 35 * MIN,
		});
		incidentId = opened.id;
		await postIncidentUpdate(store, {
			incident: opened.id,
			status: 'identified',
			message: 'A full disk on the database host.',
			now: now - 20 * MIN,
		});
	} finally {
		await store.close();
	}
}

beforeAll(async () => {
	[dash, browser] = await Promise.all([startDashboard({ seed }), launchChromium()]);
});

afterAll(async () => {
	await browser?.close();
	await dash?.close();
});

async function openAlerts(width: number, locale = 'en-US') {
	const context = await browser.newContext({
		viewport: { width, height: 844 },
		locale,
		isMobile: width < 500,
		hasTouch: width < 500,
	});
	const page = await context.newPage();
	const problems: string[] = [];
	page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
	page.on('dialog', (d) => {
		problems.push(`dialog: ${d.message()}`);
		void d.dismiss();
	});
	await page.goto(`${dash.url}#/alerts`);
	await page.locator(`li.incident[data-id="${incidentId}"]`).waitFor({ timeout: 30_000 });
	return { page, context, problems };
}

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

test.each([
	['desktop', 1280],
	['phone', 390],
])('%s: the incident, its timeline and the words people wrote, as text', async (name, width) => {
	const { page, context, problems } = await openAlerts(width);
	try {
		const incident = page.locator(`li.incident[data-id="${incidentId}"]`);
		expect(await incident.getAttribute('data-status')).toBe('open');
		expect(await incident.getAttribute('data-source')).toBe('manual');
		await expect(incident.getByText(EVIL_TITLE, { exact: true }).isVisible()).resolves.toBe(true);
		await expect(incident.getByText('api (web-1)', { exact: true }).isVisible()).resolves.toBe(
			true,
		);
		const entries = incident.locator('ol.timeline li');
		expect(await entries.locator('.what').allTextContents()).toEqual([
			'Investigating',
			'Identified',
		]);
		// The message keeps its line break and shows its markup as text.
		expect(await entries.first().locator('.message').textContent()).toBe(EVIL_MESSAGE);
		await expect(entries.first().getByText('· Ops <b>team</b>').isVisible()).resolves.toBe(true);
		expect(await deepCount(page, 'img')).toBe(0);
		// The page's own bundle is its one script; the incident holds none.
		expect(await incident.locator('script').count()).toBe(0);
		expect(await deepCount(page, 'b')).toBe(0);
		const { scrollWidth, innerWidth } = await page.evaluate(() => ({
			scrollWidth: (globalThis as any).document.documentElement.scrollWidth as number,
			innerWidth: (globalThis as any).innerWidth as number,
		}));
		expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
		expect(problems).toEqual([]);
		fs.mkdirSync(ARTIFACTS, { recursive: true });
		await page.screenshot({ path: path.join(ARTIFACTS, `incidents-${name}.png`), fullPage: true });
	} finally {
		await context.close();
	}
});

test('Korean', async () => {
	const { page, context, problems } = await openAlerts(1280, 'ko-KR');
	try {
		const incident = page.locator(`li.incident[data-id="${incidentId}"]`);
		expect(await incident.locator('ol.timeline .what').allTextContents()).toEqual([
			'조사 중',
			'원인 확인',
		]);
		await expect(page.getByText('장애', { exact: true }).first().isVisible()).resolves.toBe(true);
		expect(problems).toEqual([]);
	} finally {
		await context.close();
	}
});
