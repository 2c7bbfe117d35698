/**
 * The monitoring store's own Knex pool on a real SQLite file (one connection: one writer at a
 * time) and a real PostgreSQL (4 connections): 16 collections written at once leave queries
 * waiting for a connection, which the pool watch sees (peak of waiting acquirers, longest wait),
 * the n8n collection stores as store_pool_* under its instance, and the n8n view's API lists.
 * The n8n here is n8n 2.40's public API as n8n-sync.test.ts fakes it, reduced to an empty
 * instance, with the /metrics answer a real 2.40.7 gives without N8N_METRICS (checked by hand:
 * 404, text/html, "Cannot GET /metrics").
 */
import { collectN8n, N8nClient } from '../../core/n8n';
import type { Sample } from '../../core/model';
import { n8nInstance, querySeries } from '../../core/query';
import { MonitoringStore } from '../../core/store';
import { testStores } from '../helpers/backends';

const { backends } = testStores(['sqlite', 'postgres'], 'mon-pool-');
const KEY = 'pool-test-key';
const INSTANCE = 'n8n-pool:5678';

const METRICS_OFF = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Error</title>
</head>
<body>
<pre>Cannot GET /metrics</pre>
</body>
</html>
`;

/** An n8n with no workflows and no executions, served without N8N_METRICS. */
const emptyN8n: typeof fetch = async (input, init) => {
	const url = new URL(String(input));
	const json = (body: unknown, status = 200) =>
		new Response(JSON.stringify(body), {
			status,
			headers: { 'content-type': 'application/json' },
		});
	if (url.pathname === '/metrics')
		return new Response(METRICS_OFF, {
			status: 404,
			headers: { 'content-type': 'text/html; charset=utf-8' },
		});
	if (new Headers(init?.headers).get('x-n8n-api-key') !== KEY)
		return json({ message: 'unauthorized' }, 401);
	if (url.pathname === '/api/v1/workflows' || url.pathname === '/api/v1/executions')
		return json({ data: [], nextCursor: null });
	return json({ message: 'not found' }, 404);
};

function collection(host: string, time: number, samples: Sample[]) {
	return {
		collector: 'host',
		host,
		time,
		durationMs: 1,
		ok: true,
		warnings: [],
		samples,
		snapshot: null,
	};
}

describe.each(backends)('%s', (name, config) => {
	let store: MonitoringStore;
	beforeEach(async () => {
		store = await MonitoringStore.open(config());
	});
	afterEach(async () => {
		await store.close();
	});

	it('reports waiting acquirers under 16 concurrent writers, and stores them with the n8n collection', async () => {
		const idle = store.pool(true)!;
		expect(idle.max).toBe(name === 'postgres' ? 4 : 1);
		expect(idle.pending).toBe(0);

		const t0 = Date.now();
		// Writers one after another never wait.
		for (let i = 0; i < 3; i++)
			await store.writeCollection(
				collection('alone', t0 - 10_000 + i, [{ name: 'uptime_seconds', value: i }]),
			);
		expect(store.pool(true)).toEqual(expect.objectContaining({ pendingPeak: 0, pending: 0 }));

		// Each writer its own host and a few hundred samples, so every transaction takes a while.
		const samples = (i: number): Sample[] =>
			Array.from({ length: 300 }, (_, k) => ({
				name: 'cpu_usage_percent',
				value: (i * k) % 100,
				labels: { cpu: String(k) },
			}));
		await Promise.all(
			Array.from({ length: 16 }, (_, i) =>
				store.writeCollection(collection(`writer-${i}`, t0 + i, samples(i))),
			),
		);
		const busy = store.pool()!;
		// One connection (SQLite) or four (PostgreSQL) for 16 transactions: the others waited.
		expect(busy.pendingPeak).toBeGreaterThanOrEqual(name === 'postgres' ? 8 : 12);
		expect(busy.acquireWaitMaxSeconds).toBeGreaterThan(0);
		expect(busy.acquires).toBeGreaterThanOrEqual(16);
		expect(busy.pending).toBe(0);
		expect(busy.used).toBe(0);

		const client = new N8nClient({ baseUrl: 'http://n8n-pool:5678', apiKey: KEY, fetch: emptyN8n });
		const { collection: n8n } = await collectN8n(store, client, {
			instance: INSTANCE,
			processHealth: true,
		});
		const value = (metric: string) => n8n.samples.find((s) => s.name === metric);
		expect(value('store_pool_pending')).toEqual({
			name: 'store_pool_pending',
			value: busy.pendingPeak,
			labels: { store: name === 'postgres' ? 'postgres' : 'sqlite' },
		});
		expect(value('store_pool_max')?.value).toBe(busy.max);
		expect(value('store_pool_acquire_wait_seconds')?.value).toBeGreaterThan(0);
		await store.writeCollection(n8n);

		// The window starts again: the next collection reports what came after.
		const after = store.pool()!;
		expect(after.pendingPeak).toBeLessThan(busy.pendingPeak);

		const stored = await querySeries(store, {
			host: INSTANCE,
			metric: 'store_pool_pending',
			from: t0 - 60_000,
			to: Date.now() + 60_000,
		});
		expect(stored.series.map((s) => s.points.map(([, v]) => v))).toEqual([[busy.pendingPeak]]);

		// What the n8n view lists: the pool at that collection, and why there are no process figures.
		const view = await n8nInstance(store, INSTANCE);
		expect(view.storePool).toEqual(
			expect.objectContaining({ max: busy.max, pendingPeak: busy.pendingPeak }),
		);
		expect(view.processError).toBe(
			'n8n answered 404 at http://n8n-pool:5678/metrics: set N8N_METRICS=true on that n8n (and N8N_METRICS_INCLUDE_QUEUE_METRICS=true for queue figures)',
		);
		expect(view.n8nPools).toBeNull();
		expect(view.stuck).toEqual([]);
		expect(n8n.ok).toBe(true);
		expect(n8n.warnings).toEqual([`process health: ${view.processError}`]);
	});

	it('hands the view only what the stored snapshot really says: links only http(s), damaged rows left out', async () => {
		const t = Date.now();
		await store.writeCollection({
			collector: 'n8n',
			host: 'odd-n8n',
			time: t,
			durationMs: 1,
			ok: true,
			warnings: [],
			samples: [{ name: 'n8n_api_up', value: 1 }],
			snapshot: {
				workflows: [{ id: 'w1', name: '<b>W1</b>' }],
				stuck: [
					{
						id: '7',
						workflowId: 'w1',
						status: 'running',
						since: t - 1e6,
						overMs: 1e6,
						limitMs: 6e5,
						link: 'javascript:alert(1)',
					},
					{
						id: '8',
						workflowId: 'w2',
						status: 'new',
						since: t - 2e6,
						link: 'https://n8n.example/workflow/w2/executions/8',
					},
					{ id: 9, workflowId: 'w1', since: 'yesterday' },
					'not an execution',
				],
				process: {
					version: 'v2.40.7',
					pools: [{ metric: 'n8n_db_pool_in_use', value: 3 }, { metric: 'x' }],
				},
				storePool: { store: 'mysql', used: 1 },
			},
		});
		const view = await n8nInstance(store, 'odd-n8n');
		expect(view.stuck).toEqual([
			{
				id: '7',
				workflowId: 'w1',
				workflowName: '<b>W1</b>',
				status: 'running',
				since: t - 1e6,
				overMs: 1e6,
				limitMs: 6e5,
				link: null,
			},
			{
				id: '8',
				workflowId: 'w2',
				workflowName: null,
				status: 'new',
				since: t - 2e6,
				overMs: 0,
				limitMs: 0,
				link: 'https://n8n.example/workflow/w2/executions/8',
			},
		]);
		expect(view.n8nPools).toEqual([{ metric: 'n8n_db_pool_in_use', value: 3 }]);
		expect(view.storePool).toBeNull();
		expect(view.processError).toBeNull();
		// An instance never collected: an empty answer, not an error.
		expect(await n8nInstance(store, 'nobody')).toEqual({
			instance: 'nobody',
			ts: null,
			stuck: [],
			processError: null,
			n8nPools: null,
			storePool: null,
		});
	});
});
