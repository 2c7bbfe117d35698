import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

import { openIncident, postIncidentUpdate } from '../../core/alerts/incidents';
import { buildStatusPage, type StatusPageModel } from '../../core/query';
import { closeStore, MonitoringStore, type StoreConfig } from '../../core/store';
import { renderAtomFeed } from '../../dashboard/server/status-page/feed';
import { createStatusPageHandler } from '../../dashboard/server/status-page/handler';
import { renderStatusHtml } from '../../dashboard/server/status-page/html';
import { testStores } from '../helpers/backends';
import {
	API,
	DAY,
	HOST,
	HOSTILE,
	MIN,
	SECRET,
	seedStatusStore,
	statusConfig,
} from '../helpers/status-seed';

/**
 * The status page's model from a real store (SQLite and PostgreSQL) seeded as collectors and
 * alerts write it, and the page's handler on a loopback port: what each answer shows, that no
 * private field reaches any of them, and the cache (one build per interval, ETag, 304).
 */
jest.setTimeout(180_000);

const NOW = Date.UTC(2026, 2, 20, 12, 0);
const { backends } = testStores(['sqlite', 'postgres'], 'mon-status-page-');

describe.each(backends)('status page on %s', (_name, makeConfig) => {
	let config: StoreConfig;
	let store: MonitoringStore;
	let model: StatusPageModel;
	beforeAll(async () => {
		config = makeConfig();
		await seedStatusStore(config, NOW);
		store = await MonitoringStore.open(config);
		model = await buildStatusPage(store, statusConfig(NOW), NOW);
	}, 170_000);
	afterAll(async () => {
		await store.close();
		await closeStore(config);
	});

	test('statuses, bars, uptime, incidents and maintenance', () => {
		const items = model.groups.flatMap((g) => g.items);
		expect(items.map((i) => [i.slug, i.name, i.status])).toEqual([
			['public-api', 'Public API', 'down'],
			['script-window-xss-1-script-quoted-single', HOSTILE, 'operational'],
			['shop-database', 'Shop database', 'operational'],
			// Nothing ever stored: no data, never operational.
			['never-reported', 'Never reported', 'nodata'],
		]);
		expect(model.status).toBe('down');
		const api = items[0];
		expect(api.days).toHaveLength(90);
		expect(api.days[89].day).toBe('2026-03-20');
		// 23 days of history: older days are gaps, not up.
		expect(api.days.slice(0, 60).every((d) => d.uptimePercent === null)).toBe(true);
		expect(api.days[70].uptimePercent).toBe(100);
		// Two days ago: 30 minutes down of the day's minutes.
		const outageDay = api.days[87];
		expect(outageDay.day).toBe('2026-03-18');
		expect(outageDay.downMinutes).toBe(30);
		expect(outageDay.uptimePercent).toBeCloseTo((100 * (1440 - 30)) / 1440, 2);
		expect(api.uptime['24h']).toBeLessThan(100);
		expect(api.uptime['90d']).toBeLessThan(api.uptime['24h']! + 1);
		expect(items[1].uptime).toEqual({ '24h': 100, '7d': 100, '30d': 100, '90d': 100 });
		expect(items[3].uptime).toEqual({ '24h': null, '7d': null, '30d': null, '90d': null });
		expect(items[3].days.every((d) => d.uptimePercent === null)).toBe(true);

		expect(model.incidents.current.map((i) => [i.items, i.resolvedAt])).toEqual([
			[['Public API'], null],
		]);
		expect(
			model.incidents.past.map((i) => [i.items, i.durationMs / MIN, i.timeline.map((e) => e.kind)]),
		).toEqual([[['Public API'], 30, ['down', 'up']]]);
		expect(model.maintenance).toEqual([
			{
				from: NOW + DAY,
				to: NOW + DAY + 60 * MIN,
				note: 'Database upgrade, read-only for 10 minutes',
				items: ['Public API', HOSTILE, 'Shop database', 'Never reported'],
				active: false,
			},
		]);
	});

	test('no private field reaches the model unless Show Details is on for that item', async () => {
		expect(JSON.stringify(model)).not.toContain(SECRET);
		const detailed = await buildStatusPage(store, statusConfig(NOW, { details: true }), NOW);
		const [api, ...others] = detailed.groups.flatMap((g) => g.items);
		expect(api.details).toEqual({
			kind: 'endpoint',
			host: `web-${SECRET}.internal`,
			name: `api-${SECRET}`,
			url: `https://${SECRET}.example.net/health`,
			reason: expect.stringContaining(SECRET),
		});
		expect(JSON.stringify(others)).not.toContain(SECRET);
		expect(JSON.stringify(detailed.incidents)).not.toContain(SECRET);
	});

	test('announced maintenance in progress shows as maintenance, not down', async () => {
		const page = statusConfig(NOW);
		page.maintenance = [{ from: NOW - 30 * MIN, to: NOW + 30 * MIN, host: 'web-*' }];
		const m = await buildStatusPage(store, page, NOW);
		expect(m.groups.flatMap((g) => g.items).map((i) => i.status)).toEqual([
			'maintenance',
			'maintenance',
			'maintenance',
			'maintenance',
		]);
		expect(m.maintenance[0]).toMatchObject({ active: true, note: null });
		expect(m.status).toBe('maintenance');
	});

	describe('served', () => {
		let server: http.Server;
		let base: string;
		let clock = NOW;
		beforeAll(async () => {
			const handler = createStatusPageHandler({
				store: config,
				page: statusConfig(NOW),
				basePath: '/webhook/status',
				language: 'auto',
				refreshSeconds: 60,
				cacheSeconds: 30,
				now: () => clock,
			});
			server = http.createServer((req, res) => void handler(req, res));
			await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
			base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/status`;
		});
		afterAll(async () => await new Promise((r) => server.close(r)));

		const get = (path: string, headers: Record<string, string> = {}) =>
			fetch(base + path, { headers });

		test('page, JSON, feed and badges show no private field, and names as text', async () => {
			const paths = [
				'',
				'/status.json',
				'/feed.atom',
				'/badge.svg',
				...['status', '24h', '7d', '30d', '90d'].map((s) => `/badge.svg?item=public-api&show=${s}`),
				`/badge.svg?item=script-window-xss-1-script-quoted-single&show=status`,
			];
			for (const lang of ['en', 'ko'])
				for (const p of paths) {
					const res = await get(p, { 'accept-language': lang });
					const body = await res.text();
					expect([p, res.status]).toEqual([p, 200]);
					expect(body).not.toContain(SECRET);
					expect(body).not.toContain('<script>');
					expect(res.headers.get('cache-control')).toBe('public, max-age=30');
				}
			const html = await (await get('', { 'accept-language': 'ko-KR,ko;q=0.9' })).text();
			expect(html).toContain('<html lang="ko">');
			expect(html).toContain('중단');
			expect(html).toContain(
				'&lt;script&gt;window.__xss=1&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;',
			);
			expect(html).toContain('<meta http-equiv="refresh" content="60">');
			const json = (await (await get('/status.json')).json()) as StatusPageModel;
			expect(json.groups[0].items[1].name).toBe(HOSTILE);
			const badge = await (await get('/badge.svg?item=public-api&show=status')).text();
			expect(badge).toMatch(/^<svg [^>]*>.*Public API: Down/);
		});

		test('gzip for readers that accept it, plain for others; each with its own ETag', async () => {
			const raw = (headers: Record<string, string>) =>
				new Promise<http.IncomingMessage & { body: Buffer }>((resolve, reject) =>
					http
						.get(base + '/status.json', { headers }, (res) => {
							const chunks: Buffer[] = [];
							res.on('data', (c: Buffer) => chunks.push(c));
							res.on('end', () => resolve(Object.assign(res, { body: Buffer.concat(chunks) })));
						})
						.on('error', reject),
				);
			const plain = await raw({});
			const gz = await raw({ 'accept-encoding': 'gzip, br' });
			expect(plain.headers['content-encoding']).toBeUndefined();
			expect(gz.headers['content-encoding']).toBe('gzip');
			expect(gz.headers.vary).toBe('Accept-Encoding, Accept-Language');
			expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
			expect(gz.body.length).toBeLessThan(plain.body.length);
			expect(gz.headers.etag).not.toBe(plain.headers.etag);
			const head = await fetch(base, { method: 'HEAD' });
			expect(head.status).toBe(200);
			expect(await head.text()).toBe('');
		});

		test('bad badge requests are 400 and 404, never a stack trace', async () => {
			expect((await get('/badge.svg?item=nope')).status).toBe(404);
			expect((await get('/badge.svg?item=public-api&show=1y')).status).toBe(400);
			expect((await get('/badge.svg?show=30d')).status).toBe(400);
			expect((await get('/other')).status).toBe(404);
			expect((await fetch(base, { method: 'POST' })).status).toBe(405);
		});

		test('the model is built once per interval; ETags answer 304', async () => {
			const first = await get('/status.json');
			const etag = first.headers.get('etag')!;
			const generated = ((await first.json()) as StatusPageModel).generatedAt;
			expect(etag).toMatch(/^"[\w-]+"$/);
			const again = await get('/status.json', { 'if-none-match': etag });
			expect(again.status).toBe(304);
			expect(await again.text()).toBe('');
			// Within the interval: the same model however many readers come.
			clock += 20_000;
			await Promise.all(Array.from({ length: 20 }, () => get('')));
			expect(((await (await get('/status.json')).json()) as StatusPageModel).generatedAt).toBe(
				generated,
			);
			// Past it: the old model is served while the new one is built, then the new one.
			clock += 20_000;
			const stale = (await (await get('/status.json')).json()) as StatusPageModel;
			expect(stale.generatedAt).toBe(generated);
			let fresh = stale;
			for (let i = 0; i < 100 && fresh.generatedAt === generated; i++) {
				await new Promise((r) => setTimeout(r, 100));
				fresh = (await (await get('/status.json')).json()) as StatusPageModel;
			}
			expect(fresh.generatedAt).toBe(clock);
		});
	});
	// After the tests that count incidents: this one adds some to the store.
	test('incidents opened by hand and updates people post: title and words shown, author never', async () => {
		await openIncident(store, {
			title: `Checkout slow ${HOSTILE}`,
			severity: 'warning',
			targets: [{ kind: 'endpoint', host: HOST, name: API }],
			status: 'investigating',
			message: 'Looking into it <b>now</b>',
			author: `${SECRET} person`,
			now: NOW - 3 * MIN,
		});
		const open = (
			await store.alerts.overlapping({ from: NOW - 20 * MIN, to: NOW, hosts: [HOST] })
		).find((a) => a.resolvedAt === null)!;
		await postIncidentUpdate(store, {
			incident: open.id,
			status: 'identified',
			message: 'A bad deploy',
			author: `${SECRET} someone`,
			now: NOW - MIN,
		});
		const m = await buildStatusPage(store, statusConfig(NOW), NOW);
		expect(
			m.incidents.current.map((i) => [
				i.title,
				i.items,
				i.timeline.map((e) => [e.kind, e.status ?? e.item, e.message ?? null]),
			]),
		).toEqual([
			[
				`Checkout slow ${HOSTILE}`,
				['Public API'],
				[['update', 'investigating', 'Looking into it <b>now</b>']],
			],
			[
				null,
				['Public API'],
				[
					['down', 'Public API', null],
					['update', 'identified', 'A bad deploy'],
				],
			],
		]);
		const html = renderStatusHtml(m, { language: 'en', refreshSeconds: 60, base: '' });
		const feed = renderAtomFeed(m, { language: 'en', base: '' });
		for (const text of [html, feed, JSON.stringify(m)]) expect(text).not.toContain(SECRET);
		expect(html).toContain('Looking into it &lt;b&gt;now&lt;/b&gt;');
		expect(html).toContain('Checkout slow &lt;script&gt;');
		expect(html).toContain('<strong>Identified</strong> <span class="message">A bad deploy</span>');
		expect(feed).toContain('Identified: A bad deploy');
	});
});
