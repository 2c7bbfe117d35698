/**
 * Names that look like HTML, in every place a name reaches the page that dashboard.test.ts does
 * not already cover: metric labels (a mount point, a network interface) in the host view's chart
 * legends and tooltips, an endpoint name, a database name, the host of an alert, an n8n instance.
 * Each payload would set `window.__xss` if it ran; the test opens every view, hovers every chart
 * (ApexCharts draws tooltips and legends), and checks the flag, dialogs, injected elements and
 * that the names show as text. Real Chromium, the real handler, a real SQLite store.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { raiseAlert } from '../../core/alerts';
import type { Collection, Sample } from '../../core/collectors/types';
import { closeStore, MonitoringStore } from '../../core/store';
import type { StoreConfig } from '../../core/store/config';
import { createDashboardHandler } from '../../dashboard/server/handler';
import { ASSETS, launchChromium } from './harness';

jest.setTimeout(180_000);

const payload = (n: number) => `<img src=x onerror="window.__xss=${n}">`;
const NAMES = {
	host: `"><svg onload="window.__xss=1">`,
	mount: payload(2),
	iface: `</style><script>window.__xss=3</script>`,
	endpoint: payload(4),
	db: payload(5),
	alertHost: payload(6),
	alertKey: payload(7),
	instance: payload(8),
	/** What holds an alert back names another alert's host (core/alerts/inhibit.ts). */
	heldBy: payload(9),
};

let dir: string;
let config: StoreConfig;
let server: http.Server;
let url: string;
let browser: Browser;

function collection(host: string, collector: string, time: number, samples: Sample[]): Collection {
	return { collector, host, time, durationMs: 5, ok: true, warnings: [], samples, snapshot: null };
}

beforeAll(async () => {
	if (!fs.existsSync(path.join(ASSETS, 'app.js')))
		throw new Error('dist/dashboard/web/app.js is missing: run `npm run build` first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-xss-'));
	config = { type: 'sqlite', filename: path.join(dir, 'monitoring.sqlite') };
	const store = await MonitoringStore.open(config);
	const now = Date.now();
	for (let i = 60; i >= 0; i--) {
		const t = now - i * 60_000;
		await store.writeCollection(
			collection(NAMES.host, 'host', t, [
				{ name: 'cpu_usage_percent', value: 20 + (i % 7), labels: { cpu: 'total' } },
				{ name: 'memory_used_percent', value: 40, labels: {} },
				{
					name: 'filesystem_used_percent',
					value: 50 + (i % 3),
					labels: { mount: NAMES.mount, device: NAMES.mount, fstype: 'ext4' },
				},
				{ name: 'net_rx_bytes_per_second', value: 1000 + i, labels: { interface: NAMES.iface } },
				{ name: 'net_tx_bytes_per_second', value: 500 + i, labels: { interface: NAMES.iface } },
			]),
		);
		await store.writeCollection(
			collection('web-x', 'endpoint', t, [
				{ name: 'endpoint_up', value: 1, labels: { endpoint: NAMES.endpoint } },
				{ name: 'endpoint_first_byte_seconds', value: 0.05, labels: { endpoint: NAMES.endpoint } },
			]),
		);
		await store.writeCollection(
			collection('web-x', 'database', t, [
				{ name: 'db_up', value: 1, labels: { db: NAMES.db, engine: 'postgres' } },
				{ name: 'db_query_seconds', value: 0.002, labels: { db: NAMES.db, engine: 'postgres' } },
				{
					name: 'db_connections',
					value: 3,
					labels: { db: NAMES.db, engine: 'postgres', state: NAMES.db },
				},
			]),
		);
		await store.writeCollection(
			collection(NAMES.instance, 'n8n', t, [
				{ name: 'n8n_up', value: 1, labels: { instance: NAMES.instance } },
			]),
		);
	}
	const raised = await raiseAlert(store, {
		key: NAMES.alertKey,
		severity: 'critical',
		message: 'disk full',
		host: NAMES.alertHost,
		now,
	});
	await store.alerts.markInhibited([{ id: raised.alertId, by: NAMES.heldBy }]);
	await store.close();
	const handler = createDashboardHandler({
		store: config,
		auth: { type: 'none' },
		assetsDir: ASSETS,
	});
	server = http.createServer((req, res) => void handler(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	browser = await launchChromium();
});

afterAll(async () => {
	await browser?.close();
	server?.closeAllConnections();
	await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
	await closeStore(config);
	fs.rmSync(dir, { recursive: true, force: true });
});

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

/** The text of the page, shadow roots included. */
function deepText(page: Page): Promise<string> {
	return page.evaluate(() => {
		let text = '';
		const walk = (root: any) => {
			for (const el of root.querySelectorAll('*')) {
				if (!el.shadowRoot && el.children.length === 0) text += ' ' + (el.textContent ?? '');
				if (el.shadowRoot) walk(el.shadowRoot);
			}
		};
		walk((globalThis as any).document);
		return text;
	});
}

const hash = (...parts: string[]) => '#/' + parts.map(encodeURIComponent).join('/');

it.each([
	['overview', hash('overview'), [NAMES.host, NAMES.alertHost, `Held back by ${NAMES.heldBy}`]],
	['host view', hash('host', NAMES.host), [NAMES.host, NAMES.mount, NAMES.iface]],
	['endpoint view', hash('endpoint', 'web-x', NAMES.endpoint), [NAMES.endpoint]],
	['database view', hash('database', 'web-x', NAMES.db), [NAMES.db]],
	['alert history', hash('alerts'), [NAMES.alertHost, `Held back by ${NAMES.heldBy}`]],
])('%s: names show as text, nothing runs', async (_, route, shown) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	try {
		const page = await context.newPage();
		const dialogs: string[] = [];
		page.on('dialog', (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		await page.goto(url + route);
		await page.locator('mon-app').waitFor();
		await page.waitForTimeout(1500);
		// Tooltips and legends are drawn on hover: visit every chart.
		const charts = page.locator('.apexcharts-canvas');
		const n = await charts.count();
		for (let i = 0; i < n; i++) {
			const box = await charts.nth(i).boundingBox();
			if (!box) continue;
			for (const x of [0.3, 0.6, 0.9])
				await page.mouse.move(box.x + box.width * x, box.y + box.height / 2);
		}
		await page.waitForTimeout(300);
		const text = await deepText(page);
		for (const name of shown) expect(text).toContain(name);
		expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
		expect(dialogs).toEqual([]);
		expect(await deepCount(page, 'img[src="x"], svg[onload], script:not([src])')).toBe(0);
	} finally {
		await context.close();
	}
});

it('the payloads do run when a page inserts them as HTML (the check can fail)', async () => {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		await page.setContent(`<div>${payload(99)}</div>`);
		await page.waitForFunction(() => (globalThis as any).__xss === 99);
		expect(await deepCount(page, 'img[src="x"], svg[onload], script:not([src])')).toBe(1);
	} finally {
		await context.close();
	}
});
