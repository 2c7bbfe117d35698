/**
 * Acknowledge and silences in real Chromium, on the real handler behind Basic Auth and a real
 * SQLite store: the Ack button on a firing alert acknowledges it as the logged-in user and the
 * list then says who and when; the silences form refuses a silence without a matcher with the
 * server's words, creates one, lists it, and Expire ends it; a silenced alert shows as such.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { raiseAlert } from '../../core/alerts';
import { closeStore, MonitoringStore } from '../../core/store';
import type { StoreConfig } from '../../core/store/config';
import { createDashboardHandler } from '../../dashboard/server/handler';
import { tables } from '../helpers/tables';
import { ASSETS, launchChromium } from './harness';

jest.setTimeout(120_000);

const LOGIN = { username: 'carol', password: 'pw-' + Math.random().toString(36).slice(2) };
let dir: string;
let config: StoreConfig;
let server: http.Server;
let url: string;
let browser: Browser;
let page: Page;
let alertId: number;

beforeAll(async () => {
	if (!fs.existsSync(path.join(ASSETS, 'app.js')))
		throw new Error('dist/dashboard/web/app.js is missing: run `npm run build` first');
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-lifecycle-browser-'));
	config = { type: 'sqlite', filename: path.join(dir, 'monitoring.sqlite') };
	const store = await MonitoringStore.open(config);
	alertId = (
		await raiseAlert(store, {
			key: 'nightly-import',
			title: 'Nightly import',
			severity: 'critical',
			message: 'the import failed',
			host: 'etl-1',
			now: Date.now(),
		})
	).alertId;
	await store.close();
	const handler = createDashboardHandler({
		store: config,
		auth: { type: 'basic', user: LOGIN.username, password: LOGIN.password },
		assetsDir: ASSETS,
	});
	server = http.createServer((req, res) => void handler(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	browser = await launchChromium();
	const context = await browser.newContext({ httpCredentials: LOGIN });
	page = await context.newPage();
});

afterAll(async () => {
	await browser?.close();
	server?.closeAllConnections();
	await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
	await closeStore(config);
	fs.rmSync(dir, { recursive: true, force: true });
});

async function stored() {
	const store = await MonitoringStore.open(config);
	try {
		return await tables(store)('mon_alerts').where('id', alertId).first('acked_by', 'acked_at');
	} finally {
		await store.close();
	}
}

test('Ack on the overview acknowledges as the logged-in user and shows who and when', async () => {
	await page.goto(url);
	const item = page.locator(`mon-alerts li[data-id="${alertId}"]`);
	await item.locator('button.ack').click();
	await item.locator('.acked').waitFor({ timeout: 15_000 });
	expect(await item.locator('.acked').textContent()).toMatch(/^Acknowledged by carol at /);
	expect(await item.locator('button.ack').count()).toBe(0);
	expect((await stored()).acked_by).toBe('carol');
});

test('the silences form: refused without a matcher, then created, shown on the alert, and expired', async () => {
	await page.goto(`${url}#/silences`);
	const form = page.locator('mon-silences form.silence');
	await form.locator('input[name=reason]').fill('import rewrite');
	await form.locator('button[type=submit]').click();
	const error = page.locator('mon-silences .banner.error');
	await error.waitFor({ timeout: 15_000 });
	expect(await error.textContent()).toMatch(/at least one matcher/);

	await form.locator('input[name=host]').fill('etl-*');
	await form.locator('input[name=minutes]').fill('90');
	await form.locator('button[type=submit]').click();
	const row = page.locator('mon-silences ul.silences li');
	await row.first().waitFor({ timeout: 15_000 });
	expect(await row.locator('.matchers').textContent()).toBe('host=etl-*');
	expect(await row.textContent()).toContain('import rewrite');
	expect(await row.textContent()).toContain('carol, until');
	expect(await error.count()).toBe(0);

	await page.goto(url);
	const badge = page.locator(`mon-alerts li[data-id="${alertId}"] .badge.silenced`);
	await badge.waitFor({ timeout: 15_000 });
	expect(await badge.textContent()).toBe('Silenced');

	await page.goto(`${url}#/silences`);
	await page.locator('mon-silences button.expire').click();
	await page.locator('mon-silences ul.silences').waitFor({ state: 'detached', timeout: 15_000 });
	expect(await page.locator('mon-silences p.muted').first().textContent()).toBe(
		'No silence is active or planned.',
	);
});
