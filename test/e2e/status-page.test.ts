/**
 * Two Monitoring Status Page nodes in one real n8n (two workflows, paths `status` and
 * `status-two`), over a store seeded with a secret marker in every private field: each page and
 * its status.json, feed.atom and badge.svg answer on their own static paths without any login,
 * the two pages do not answer for each other, and no answer holds the marker.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { StatusPageConfig } from '../../core/query/status-page';
import { closeStore } from '../../core/store';
import { HOSTILE, SECRET, seedStatusStore, statusConfig } from '../helpers/status-seed';
import {
	makeTempDir,
	n8nOptions,
	removeTempDir,
	requireBuild,
	runtime,
	stopServer,
	storePath,
	waitFor,
	withServerLog,
} from './helpers';

const NOW = Math.floor(Date.now() / 60_000) * 60_000;

/** A status page workflow as the editor saves it. */
function workflow(id: string, pagePath: string, page: StatusPageConfig, language: string) {
	return {
		id,
		name: `Status page ${pagePath}`,
		nodes: [
			{
				id: `${id}-node-0000-4000-8000-000000000000`.slice(0, 36),
				name: 'Monitoring Status Page',
				type: 'n8n-nodes-monitoring.monitoringStatusPage',
				typeVersion: 1,
				position: [0, 0],
				webhookId: `${pagePath}-hook-0000-4000-8000-000000000000`.slice(0, 36),
				parameters: {
					path: pagePath,
					title: page.title,
					pageDescription: page.description ?? '',
					language,
					groups: {
						group: page.groups.map((g) => ({
							name: g.name,
							items: {
								item: g.items.map((i) => ({
									kind: i.kind,
									host: i.host,
									name: i.name ?? '',
									displayName: i.displayName,
								})),
							},
						})),
					},
					maintenance: {
						window: (page.maintenance ?? []).map((w) => ({
							from: new Date(w.from).toISOString(),
							to: new Date(w.to).toISOString(),
							host: w.host ?? '',
							note: w.note ?? '',
						})),
					},
				},
			},
		],
		connections: {},
		settings: {},
		active: false,
	};
}

describe('status pages in a real n8n', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let base: string;

	beforeAll(async () => {
		requireBuild();
		runtime.ensureRuntime();
		userFolder = makeTempDir('status-page');
		runtime.linkPackage(userFolder);
		const store = { type: 'sqlite' as const, filename: storePath(userFolder) };
		fs.mkdirSync(path.dirname(store.filename), { recursive: true });
		await seedStatusStore(store, NOW);
		await closeStore(store);
		const full = statusConfig(NOW);
		const second: StatusPageConfig = {
			title: '두 번째 페이지',
			groups: [{ name: '', items: [full.groups[0].items[1]] }],
		};
		const files = [
			['monStatusPage001', 'status', full, 'en'],
			['monStatusPage002', 'status-two', second, 'ko'],
		].map(([id, p, page, language]) => {
			const file = path.join(userFolder, `${id as string}.json`);
			fs.writeFileSync(
				file,
				JSON.stringify(
					workflow(id as string, p as string, page as StatusPageConfig, language as string),
				),
			);
			return file;
		});
		await runtime.importMissingWorkflows(files, { ...n8nOptions(userFolder), publish: true });
		server = await runtime.startN8n(n8nOptions(userFolder));
		base = `${server.baseUrl}/webhook`;
		// n8n registers published webhooks a moment after it is healthy.
		for (const p of ['status', 'status-two'])
			await waitFor(async () => (await fetch(`${base}/${p}`)).status === 200, {
				timeoutMs: 90_000,
				what: `/webhook/${p} to answer 200`,
			});
	}, 400_000);

	afterAll(async () => {
		await stopServer(server);
		removeTempDir(userFolder);
	}, 60_000);

	test('each page and its JSON, feed and badges answer without login; nothing private', async () => {
		await withServerLog(server, async () => {
			const answers: Array<[string, number, string]> = [];
			for (const p of [
				'status',
				'status/status.json',
				'status/feed.atom',
				'status/badge.svg',
				'status/badge.svg?item=public-api&show=30d',
				'status-two',
				'status-two/status.json',
				'status-two/feed.atom',
				'status-two/badge.svg?item=script-window-xss-1-script-quoted-single',
			]) {
				const res = await fetch(`${base}/${p}`);
				const body = await res.text();
				answers.push([p, res.status, res.headers.get('cache-control') ?? '']);
				expect(body).not.toContain(SECRET);
				expect(body).not.toContain('<script>');
			}
			expect(
				answers.filter(([, status, cache]) => status !== 200 || cache !== 'public, max-age=30'),
			).toEqual([]);
			const one = await (await fetch(`${base}/status`)).text();
			expect(one).toContain('<html lang="en">');
			expect(one).toContain('Public API');
			expect(one).toContain('Database upgrade, read-only for 10 minutes');
			const two = await (await fetch(`${base}/status-two`)).text();
			expect(two).toContain('<html lang="ko">');
			expect(two).toContain('두 번째 페이지');
			expect(two).not.toContain('Public API');
			const json = (await (await fetch(`${base}/status-two/status.json`)).json()) as {
				groups: Array<{ items: Array<{ name: string; status: string }> }>;
			};
			expect(json.groups[0].items).toEqual([
				expect.objectContaining({ name: HOSTILE, status: 'operational' }),
			]);
		});
	});

	test('the pages are apart: an item of one is not on the other', async () => {
		expect((await fetch(`${base}/status/badge.svg?item=public-api`)).status).toBe(200);
		expect((await fetch(`${base}/status-two/badge.svg?item=public-api`)).status).toBe(404);
	});
});
