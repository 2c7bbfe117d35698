/**
 * The n8n view in real Chromium over a real SQLite store: an n8n instance (the n8n collector's
 * host name) with an hour of process health and executions, reached from its host page (which
 * has no host metrics, only the link and the setup hint), its facts from the latest snapshot and
 * its charts; an instance collected without Process Health says what to turn on instead of
 * drawing nothing. Its stuck executions are listed with links into n8n's editor (a workflow
 * name that is markup stays text), or a line says none is stuck; the monitoring store's pool
 * and n8n's (2.40.7 exposes none) sit beside them. An instance whose n8n runs without
 * N8N_METRICS shows the collector's reason. Screenshots at 1280 and 390 px go to
 * test/browser/artifacts/.
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
/** A workflow name is data: markup in it must stay text. */
const EVIL = '<img src=x onerror="window.__pwned=1">Nightly <b>sync</b>';
const METRICS_OFF =
	'n8n answered 404 at http://bare-n8n:5678/metrics: set N8N_METRICS=true on that n8n (and N8N_METRICS_INCLUDE_QUEUE_METRICS=true for queue figures)';

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
				pools: [],
			};
			const base = `http://${INSTANCE}`;
			const stuck = [
				{
					id: '41',
					workflowId: 'wfQ',
					status: 'new',
					since: now - 50 * MIN,
					overMs: 50 * MIN,
					limitMs: 10 * MIN,
					link: `${base}/workflow/wfQ/executions/41`,
				},
				{
					id: '42',
					workflowId: 'wfEvil',
					status: 'running',
					since: now - 25 * MIN,
					overMs: 25 * MIN,
					limitMs: 10 * MIN,
					link: `${base}/workflow/wfEvil/executions/42`,
				},
			];
			const storePool = {
				store: 'sqlite',
				used: 1,
				free: 0,
				max: 1,
				pending: 0,
				pendingPeak: 4,
				acquireWaitMaxSeconds: 0.35,
				acquires: 30,
				acquireWaitMeanSeconds: 0.05,
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
				{ name: 'store_pool_used', value: 1, labels: { store: 'sqlite' } },
				{ name: 'store_pool_pending', value: i % 7 === 0 ? 4 : 0, labels: { store: 'sqlite' } },
				{
					name: 'store_pool_acquire_wait_seconds',
					value: i % 7 === 0 ? 0.35 : 0.002,
					labels: { store: 'sqlite' },
				},
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
						: samples.filter((s) => !/^(n8n_(process|heap|event|http)|store_pool)/.test(s.name)),
					snapshot: withProcess
						? {
								instance: host,
								apiUp: true,
								process,
								stuck,
								storePool,
								workflows: [
									{ id: 'wfQ', name: 'Queued import' },
									{ id: 'wfEvil', name: EVIL },
								],
							}
						: { instance: host, apiUp: true, stuck: [], processError: METRICS_OFF },
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
		const facts = await page.locator('dl.process-facts dd').allInnerTexts();
		expect(facts).toEqual(['v2.40.7', '3 d 0 h', '9', '44 / 1048576']);
		await chartsDrawn(page, 7);
		expect(await page.locator('.charts .card h3').allInnerTexts()).toEqual([
			'CPU (of one core)',
			'Memory',
			'Event-loop lag (p99)',
			'HTTP request time (mean)',
			'Executions now',
			'Monitoring store pool',
			'Store pool: longest wait',
		]);
		// Stuck executions, oldest first, each with its link into n8n's editor.
		const stuck = page.locator('section.stuck');
		await expect(stuck.getAttribute('data-stuck')).resolves.toBe('2');
		expect(await stuck.locator('h3').innerText()).toBe('Stuck executions (2)');
		const rows = stuck.locator('tbody tr');
		expect(await rows.locator('td:nth-child(1)').allInnerTexts()).toEqual(['Queued import', EVIL]);
		expect(await rows.locator('td:nth-child(2)').allInnerTexts()).toEqual(['Queued', 'Running']);
		expect(await rows.locator('td:nth-child(4)').allInnerTexts()).toEqual(['50 min', '25 min']);
		expect(
			await rows.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
		).toEqual([
			`http://${INSTANCE}/workflow/wfQ/executions/41`,
			`http://${INSTANCE}/workflow/wfEvil/executions/42`,
		]);
		expect(await stuck.locator('img, b').count()).toBe(0);
		expect(await page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
		// The pools: the store's at the latest collection; n8n 2.40.7 exposes none of its own.
		const pools = page.locator('section.pools');
		expect(await pools.locator('dl.store-pool dd').allInnerTexts()).toEqual([
			'SQLite',
			'1 / 1',
			'0',
			'0 (most at once: 4)',
			'350 ms',
		]);
		expect(await pools.locator('p.n8n-pool-none').innerText()).toBe(
			'n8n v2.40.7 does not expose its database pool on /metrics.',
		);
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
		// n8n answered 404 at /metrics: the collector's reason, word for word.
		expect(await page.locator('p.process-error .reason-line').innerText()).toBe(METRICS_OFF);
		// Nothing stuck there: said, not left blank.
		const stuck = page.locator('section.stuck');
		await expect(stuck.getAttribute('data-stuck')).resolves.toBe('0');
		expect(await stuck.locator('p.none').innerText()).toMatch(/^No execution is stuck/);
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
