// n8n's own health against a real n8n 2.40.7 started without N8N_METRICS: its /metrics answers
// 404 ("Cannot GET /metrics"), and the n8n collector's Process Health turns that into a reason
// that says what to set, in the item's warnings and in what the dashboard's n8n view reads,
// while the executions sync (the public API) goes on: a collection that succeeds, not an empty
// view. The store's pool rides on the same collection.
import * as path from 'node:path';

import { collectN8n, N8nClient } from '../../core/n8n';
import { n8nInstance } from '../../core/query';
import { MonitoringStore } from '../../core/store';
import {
	makeTempDir,
	n8nOptions,
	removeTempDir,
	runtime,
	stopServer,
	waitFor,
	withServerLog,
} from './helpers';

describe('n8n without N8N_METRICS: Process Health says why', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	let store: MonitoringStore;
	let client: N8nClient;

	beforeAll(async () => {
		runtime.ensureRuntime();
		userFolder = makeTempDir('metrics-off');
		const options = n8nOptions(userFolder);
		server = await runtime.startN8n({ ...options, env: { ...options.env, N8N_METRICS: 'false' } });
		await waitFor(
			async () => {
				const res = await fetch(`${server!.baseUrl}/rest/settings`);
				const text = await res.text();
				return res.ok && text.trimStart().startsWith('{');
			},
			{ timeoutMs: 120_000, intervalMs: 250, what: 'n8n to finish starting' },
		);
		const apiKey = await withServerLog(server, async () => {
			const owner = await runtime.setupOwner(server!.baseUrl, {
				email: 'owner@example.com',
				password: runtime.generatePassword(),
			});
			return await runtime.createApiKey(owner);
		});
		store = await MonitoringStore.open({
			type: 'sqlite',
			filename: path.join(userFolder, 'monitoring.sqlite'),
		});
		client = new N8nClient({ baseUrl: server.baseUrl, apiKey });
	}, 240_000);

	afterAll(async () => {
		await store?.close();
		await stopServer(server);
		removeTempDir(userFolder);
	}, 60_000);

	it('stores the reason with a collection that succeeds, and the n8n view reads it', async () => {
		const res = await fetch(`${server!.baseUrl}/metrics`);
		expect([res.status, await res.text()]).toEqual([404, expect.stringContaining('Cannot GET')]);

		const instance = client.defaultInstance;
		const { collection } = await collectN8n(store, client, { instance, processHealth: true });
		const reason = `n8n answered 404 at ${server!.baseUrl}/metrics: set N8N_METRICS=true on that n8n (and N8N_METRICS_INCLUDE_QUEUE_METRICS=true for queue figures)`;
		expect(collection.ok).toBe(true);
		expect(collection.warnings).toEqual([`process health: ${reason}`]);
		expect(collection.snapshot?.process).toBeUndefined();
		expect(collection.snapshot?.processError).toBe(reason);
		expect(collection.samples.find((s) => s.name === 'n8n_api_up')?.value).toBe(1);
		expect(collection.samples.some((s) => s.name.startsWith('n8n_process_'))).toBe(false);
		expect(collection.samples.find((s) => s.name === 'store_pool_max')?.value).toBe(1);
		await store.writeCollection(collection);

		const view = await n8nInstance(store, instance);
		expect(view.processError).toBe(reason);
		expect(view.n8nPools).toBeNull();
		expect(view.storePool).toEqual(expect.objectContaining({ store: 'sqlite', max: 1 }));
		expect(view.stuck).toEqual([]);
	});
});
