/**
 * The n8n view in real Chromium over a real SQLite store: an n8n instance (the n8n collector's
 * host name) with an hour of process health and executions, reached from its host page (which
 * has no host metrics, only the link and the setup hint), its facts from the latest snapshot and
 * its charts; an instance collected without Process Health says what to turn on instead of
 * drawing nothing. Screenshots at 1280 and 390 px go to test/browser/artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { Sample } from '../../core/collectors/types';
import { MonitoringStore, type StoreConfig } from '../../core/store';
import { ARTIFACTS, chartsDrawn, launchChromium, startDashboard, type Dashboard } from './harness';

jest.setTimeout(120_000);

const MIN = 60_000;
const INSTANCE = 'n8n.example:5678';
const BARE = 'bare-n8n:5678';

async function seed(config: StoreConfig, now = Date.now()) {
	const store = await MonitoringStore.open(config);
	try {
		const started = now - 3 * 86_400_000;
		for (let i = 0; i <= 60; i++) {
			const t = now - (60 - i) * MIN;
			const process = {
				at: t,
				version: 'v2.40.7',
				startedAt: started,
				activeWorkflows: 9,
				openFds: 44,
				maxFds: 1_048_576,
			};
			const samples: Sample[] = [
				{ name: 'n8n_api_up', value: 1 },
				{ name: 'n8n_executions_running', value: i % 3 },
				{ name: 'n8n_executions_waiting', value: 1 },
				{ name: 'n8n_process_cpu_percent', value: 5 + 4 * Math.sin(i / 6) },
				{ name: 'n8n_process_memory_bytes', value: (700 + i) * 2 ** 20 },
				{ name: 'n8n_heap_used_bytes', value: (350 + i / 2) * 2 ** 20 },
				{ name: 'n8n_event_loop_lag_seconds', value: 0.02 + 0.01 * Math.cos(i / 5) },
				{ name: 'n8n_http_request_mean_seconds', value: 0.03 + 0.01 * Math.sin(i / 4) },
			];
			for (const [host, withProcess] of [
				[INSTANCE, true],
				[BARE, false],
			] as const)
				await store.writeCollection({
					collector: 'n8n',
					host,
					time: t,
					durationMs: 40,
					ok: true,
					warnings: [],
					samples: withProcess
						? samples
						: samples.filter((s) => !/^n8n_(process|heap|event|http)/.test(s.name)),
					snapshot: { instance: host, apiUp: true, ...(withProcess ? { process } : {}) },
				});
		}
	} finally {
		await store.close();
	}
}

let dash: Dashboard;
let browser: Browser;

beforeAll(async () => {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	[dash, browser] = await Promise.all([startDashboard({ seed: (c) => seed(c) }), launchChromium()]);
});

afterAll(async () => {
	await browser?.close();
	await dash?.close();
});

describe.each([1280, 390])('at %i px', (width) => {
	let context: BrowserContext;
	let page: Page;
	const errors: string[] = [];
	beforeAll(async () => {
		context = await browser.newContext({
			viewport: { width, height: width < 500 ? 844 : 900 },
			locale: 'en-US',
			isMobile: width < 500,
			hasTouch: width < 500,
		});
		page = await context.newPage();
		page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
		page.on('console', (msg) => {
			// A host without host metrics has no host snapshot: /api/snapshot answers 404, by design.
			const snapshot404 = msg.location().url.includes('/api/snapshot');
			if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico') && !snapshot404)
				errors.push(msg.text());
		});
	});
	afterAll(async () => {
		expect(errors).toEqual([]);
		await context.close();
	});

	it('goes from the instance’s host page to the n8n view: facts and charts', async () => {
		await page.goto(dash.url + `#/host/${encodeURIComponent(INSTANCE)}`);
		await page.locator('[data-never="host"]').waitFor();
		const link = page.locator('p.n8n-link a');
		expect(await link.innerText()).toBe(`n8n on ${INSTANCE}: process health and executions →`);
		await link.click();
		expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/n8n/${INSTANCE}`);
		const state = page.locator('mon-state section.state');
		await state.waitFor();
		await expect(state.getAttribute('data-status')).resolves.toBe('ok');
		expect(await page.locator('h1').innerText()).toBe(`n8n ${INSTANCE}`);
		const facts = await page.locator('dl.facts dd').allInnerTexts();
		expect(facts).toEqual(['v2.40.7', '3 d 0 h', '9', '44 / 1048576']);
		await chartsDrawn(page, 5);
		expect(await page.locator('.charts .card h3').allInnerTexts()).toEqual([
			'CPU (of one core)',
			'Memory',
			'Event-loop lag (p99)',
			'HTTP request time (mean)',
			'Executions now',
		]);
		await page.screenshot({ path: path.join(ARTIFACTS, `n8n-view-${width}.png`), fullPage: true });
		const { scroll, client } = await page.evaluate(() => ({
			scroll: (globalThis as any).document.documentElement.scrollWidth,
			client: (globalThis as any).document.documentElement.clientWidth,
		}));
		expect(scroll).toBeLessThanOrEqual(client);
	});

	it('says what to turn on for an instance collected without Process Health', async () => {
		await page.goto(dash.url + `#/n8n/${encodeURIComponent(BARE)}`);
		const hint = page.locator('p.no-process');
		await hint.waitFor();
		expect(await hint.innerText()).toContain('N8N_METRICS=true');
		// Its executions are still drawn; no empty process charts.
		await chartsDrawn(page, 1);
		expect(await page.locator('.charts .card h3').allInnerTexts()).toEqual(['Executions now']);
		await page.screenshot({
			path: path.join(ARTIFACTS, `n8n-view-bare-${width}.png`),
			fullPage: true,
		});
	});

	it('explains the setup for an instance that never reported', async () => {
		await page.goto(dash.url + '#/n8n/nobody%3A5678');
		const never = page.locator('[data-never="n8n"]');
		await never.waitFor();
		expect(await never.locator('h2').innerText()).toBe(
			'No figures from the n8n instance nobody:5678 yet',
		);
	});
});
