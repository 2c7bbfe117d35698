import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { ackLink, LINK_SECRET, raiseAlert, signLink } from '../../core/alerts';
import { closeAllStores, MonitoringStore, type StoreConfig } from '../../core/store';
import { createDashboardHandler, type DashboardAuth } from '../../dashboard/server/handler';
import { tables } from '../helpers/tables';

/**
 * Acknowledge links, the dashboard's Ack and silences over real HTTP on 127.0.0.1, on a real
 * SQLite store: a genuine link shows a page and acknowledges only on its button (POST); forged,
 * altered, expired and wrong-purpose links are refused with a page that says so; the logged-in
 * API acknowledges as its user and refuses posts without the action header.
 */
const MIN = 60_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const LOGIN = { user: 'alice', password: 'pw-' + Math.random().toString(36).slice(2) };
const BASIC = `Basic ${Buffer.from(`${LOGIN.user}:${LOGIN.password}`).toString('base64')}`;

let tmp: string;
let config: StoreConfig;
let store: MonitoringStore;
let secret: string;
let base: string;
let clock = NOW;
const servers: http.Server[] = [];

async function serve(auth: DashboardAuth, basePath = ''): Promise<string> {
	const handler = createDashboardHandler({ store: config, auth, basePath, now: () => clock });
	const server = http.createServer((req, res) => void handler(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	servers.push(server);
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`;
}

async function call(url: string, init: RequestInit = {}) {
	const res = await fetch(url, { redirect: 'manual', ...init });
	return { status: res.status, headers: res.headers, body: await res.text() };
}

async function raise(key: string, message = 'the nightly import failed') {
	const r = await raiseAlert(store, {
		key,
		severity: 'critical',
		message,
		host: 'etl-1',
		now: clock,
	});
	return r.alertId;
}

const acked = async (id: number) =>
	(await tables(store)('mon_alerts').where('id', id).first('acked_by', 'acked_at')) as {
		acked_by: string | null;
		acked_at: number | null;
	};

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-dash-ack-'));
	config = { type: 'sqlite', filename: path.join(tmp, 'store.sqlite') };
	store = await MonitoringStore.open(config);
	secret = await store.alerts.lifecycle.secret(LINK_SECRET, NOW);
	base = await serve({ type: 'basic', ...LOGIN }, '/webhook/monitoring');
});

afterAll(async () => {
	for (const s of servers) await new Promise((r) => s.close(r));
	await store.close();
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

describe('one-click acknowledge link', () => {
	test('GET shows the alert and a button, acknowledges nothing; the button (POST) acknowledges as "link"', async () => {
		const id = await raise('import', '<b>import</b> failed');
		const link = ackLink(`${base}/`, secret, id, NOW + 60 * MIN);
		expect(link).toBe(
			`${base}/ack?alert=${id}&exp=${(NOW + 60 * MIN) / 1000}&sig=${signLink(secret, 'ack', id, (NOW + 60 * MIN) / 1000)}`,
		);
		const page = await call(link);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
		expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
		expect(page.body).toContain('Acknowledge this alert?');
		expect(page.body).toContain('&lt;b&gt;import&lt;/b&gt; failed');
		expect(page.body).not.toContain('<b>import</b>');
		expect(page.body).toMatch(
			/<form method="post" action="ack\?alert=\d+&amp;exp=\d+&amp;sig=[\w-]+">/,
		);
		// A mail scanner's GET (or HEAD) changed nothing.
		expect((await call(link, { method: 'HEAD' })).status).toBe(200);
		expect(await acked(id)).toEqual({ acked_by: null, acked_at: null });

		clock = NOW + 5 * MIN;
		const done = await call(link, { method: 'POST' });
		expect(done.status).toBe(200);
		expect(done.body).toContain('<h1>Acknowledged</h1>');
		expect(await acked(id)).toEqual({ acked_by: 'link', acked_at: NOW + 5 * MIN });
		// Again: already acknowledged, by whom and when; nothing changes.
		clock = NOW + 6 * MIN;
		const again = await call(link, { method: 'POST' });
		expect(again.body).toContain('Already acknowledged');
		expect(again.body).toContain('Acknowledged by link at 2026-06-01 12:05 UTC');
		expect(await acked(id)).toEqual({ acked_by: 'link', acked_at: NOW + 5 * MIN });
		// The page asked no login: the signature is the authority.
		clock = NOW;
	});

	test.each([
		[
			'forged (another key)',
			(id: number) => ackLink(`${base}/`, 'not-the-key', id, NOW + MIN),
			403,
			'This link is not valid',
		],
		[
			'altered alert id',
			(id: number) =>
				ackLink(`${base}/`, secret, id, NOW + MIN).replace(`alert=${id}`, `alert=${id + 1}`),
			403,
			'This link is not valid',
		],
		[
			'altered expiry',
			(id: number) =>
				ackLink(`${base}/`, secret, id, NOW + MIN).replace(
					/exp=(\d+)/,
					(_, e) => `exp=${Number(e) + 86_400}`,
				),
			403,
			'This link is not valid',
		],
		[
			'signature cut short',
			(id: number) => ackLink(`${base}/`, secret, id, NOW + MIN).slice(0, -3),
			403,
			'This link is not valid',
		],
		[
			'no signature',
			(id: number) => `${base}/ack?alert=${id}&exp=${NOW / 1000 + 60}`,
			403,
			'This link is not valid',
		],
		[
			'leading zero in the id',
			(id: number) =>
				ackLink(`${base}/`, secret, id, NOW + MIN).replace(`alert=${id}`, `alert=0${id}`),
			403,
			'This link is not valid',
		],
		[
			'signed for another purpose',
			(id: number) => {
				const exp = NOW / 1000 + 60;
				const sig = signLink(secret, 'unsubscribe' as 'ack', id, exp);
				return `${base}/ack?alert=${id}&exp=${exp}&sig=${sig}`;
			},
			403,
			'This link is not valid',
		],
		[
			'expired',
			(id: number) => ackLink(`${base}/`, secret, id, NOW - MIN),
			410,
			'This link has expired',
		],
		[
			'expiring this very second',
			(id: number) => ackLink(`${base}/`, secret, id, NOW),
			410,
			'This link has expired',
		],
	])(
		'%s: refused with a page that says so, for GET and POST, and nothing is acknowledged',
		async (_what, make, status, title) => {
			const id = await raise(`refused-${_what}`);
			const link = make(id);
			for (const method of ['GET', 'POST']) {
				const res = await call(link, { method });
				expect(res.status).toBe(status);
				expect(res.headers.get('content-type')).toMatch(/^text\/html/);
				expect(res.body).toContain(`<h1>${title}</h1>`);
				expect(res.body).not.toContain(secret);
			}
			expect(await acked(id)).toEqual({ acked_by: null, acked_at: null });
		},
	);

	test('a genuine link of a resolved alert says so; of a deleted one, 404', async () => {
		const id = await raise('resolved-one');
		await tables(store)('mon_alerts')
			.where('id', id)
			.update({ status: 'resolved', open_key: null, resolved_at: NOW });
		const res = await call(ackLink(`${base}/`, secret, id, NOW + MIN), { method: 'POST' });
		expect(res.status).toBe(200);
		expect(res.body).toContain('Already resolved');
		expect(await acked(id)).toEqual({ acked_by: null, acked_at: null });
		expect((await call(ackLink(`${base}/`, secret, 987_654, NOW + MIN))).status).toBe(404);
	});
});

describe('the dashboard (logged in)', () => {
	const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
		call(`${base}/api/${route}`, {
			method: 'POST',
			headers: {
				authorization: BASIC,
				'content-type': 'application/json',
				'x-monitoring-action': '1',
				...headers,
			},
			body: JSON.stringify(body),
		});

	test('Ack acknowledges as the logged-in user; the alert list shows who and when', async () => {
		const id = await raise('dash-ack');
		expect((await post('ack', { alertId: id }, { authorization: 'Basic eDp5' })).status).toBe(401);
		const res = await post('ack', { alertId: id });
		expect(res.status).toBe(200);
		expect(JSON.parse(res.body)).toEqual({
			outcome: 'acknowledged',
			alertId: id,
			ackedBy: 'alice',
			ackedAt: NOW,
		});
		const list = JSON.parse(
			(await call(`${base}/api/alerts`, { headers: { authorization: BASIC } })).body,
		);
		const row = list.active.find((a: { id: number }) => a.id === id);
		expect(row).toEqual(expect.objectContaining({ ackedBy: 'alice', ackedAt: NOW }));
		expect(JSON.parse((await post('ack', { alertId: 'x' })).body).error).toMatch(/alertId/);
	});

	test('a post without the action header, as a form of another site would send, is refused; a POST to a read-only route is 405', async () => {
		const id = await raise('csrf');
		const form = await call(`${base}/api/ack`, {
			method: 'POST',
			headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
			body: `alertId=${id}`,
		});
		expect(form.status).toBe(403);
		expect((await post('ack', { alertId: id }, { 'content-type': 'text/plain' })).status).toBe(415);
		expect(
			(await call(`${base}/api/overview`, { method: 'POST', headers: { authorization: BASIC } }))
				.status,
		).toBe(405);
		expect(await acked(id)).toEqual({ acked_by: null, acked_at: null });
	});

	test('silences: create (author = the user), list, refuse bad input with what to do, expire', async () => {
		const made = await post('silences', {
			host: 'etl-*',
			labels: 'job=import',
			reason: 'migration',
			durationMinutes: 90,
		});
		expect(made.status).toBe(200);
		const silence = JSON.parse(made.body);
		expect(silence).toEqual(
			expect.objectContaining({
				host: 'etl-*',
				rule: null,
				labels: { job: 'import' },
				author: 'alice',
				active: true,
				startsAt: NOW,
				endsAt: NOW + 90 * MIN,
			}),
		);
		const bad = await post('silences', { reason: 'x', durationMinutes: 5 });
		expect(bad.status).toBe(400);
		expect(JSON.parse(bad.body).error).toMatch(/at least one matcher.*Enter a host/);
		const listed = JSON.parse(
			(await call(`${base}/api/silences`, { headers: { authorization: BASIC } })).body,
		);
		expect(listed.silences.map((s: { id: number }) => s.id)).toContain(silence.id);
		expect(JSON.parse((await post('expire-silence', { id: silence.id })).body)).toEqual({
			expired: true,
		});
		expect(JSON.parse((await post('expire-silence', { id: silence.id })).body)).toEqual({
			expired: false,
		});
		const after = JSON.parse(
			(await call(`${base}/api/silences`, { headers: { authorization: BASIC } })).body,
		);
		expect(after.silences.map((s: { id: number }) => s.id)).not.toContain(silence.id);
	});
});
