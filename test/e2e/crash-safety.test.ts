// kill -9 of a real n8n while it collects every second into SQLite — and, with a backlog of old
// raw samples in the store, while it runs the store's maintenance after those collections — 12
// times in a row (CRASH_ROUNDS for more; each round is an n8n start, the tier's largest cost): each time the store passes SQLite's integrity check and every collection it
// recorded has all of its samples (none half-written).
import { MonitoringStore } from '../../core/store';
import {
	CLI_TIMEOUT_MS,
	HOST_WORKFLOW_FILE,
	HOST_WORKFLOW_ID,
	everySeconds,
	makeTempDir,
	n8nOptions,
	removeTempDir,
	requireBuild,
	runtime,
	storePath,
	writeWorkflowCopy,
} from './helpers';
import { tables } from '../helpers/tables';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 12);
const DAY = 86_400_000;

async function check(filename: string) {
	const store = await MonitoringStore.open({ type: 'sqlite', filename });
	try {
		const [{ integrity_check: integrity }] = (await tables(store).raw(
			'PRAGMA integrity_check',
		)) as Array<{
			integrity_check: string;
		}>;
		const collections = await tables(store)('mon_collections')
			.where({ collector: 'host', host: 'crash-host' })
			.select('ts', 'sample_count');
		const series = await tables(store)('mon_series').where('host', 'crash-host').select('id');
		const perTs = new Map<number, number>();
		if (collections.length) {
			const times = collections.map((c) => Number(c.ts));
			const samples = await store.samples.raw(
				series.map((s) => Number(s.id)),
				Math.min(...times),
				Math.max(...times),
			);
			for (const s of samples) perTs.set(s.ts, (perTs.get(s.ts) ?? 0) + 1);
		}
		const partial = collections.filter((c) => perTs.get(Number(c.ts)) !== Number(c.sample_count));
		return { integrity, collections: collections.length, partial };
	} finally {
		await store.close();
	}
}

describe('n8n server killed with SIGKILL while collecting', () => {
	let userFolder: string;

	beforeAll(
		async () => {
			requireBuild();
			runtime.ensureRuntime();
			userFolder = makeTempDir('crash');
			runtime.linkPackage(userFolder);
			const copy = writeWorkflowCopy(HOST_WORKFLOW_FILE, userFolder, (wf) => {
				everySeconds(1)(wf);
				delete wf.settings.errorWorkflow;
				wf.nodes.find(
					(n: { type: string }) => n.type === 'n8n-nodes-monitoring.monitoring',
				).parameters.hostName = 'crash-host';
			});
			const options = n8nOptions(userFolder);
			await runtime.importWorkflow(copy, options);
			await runtime.publishWorkflow(HOST_WORKFLOW_ID, options);
			// A backlog for maintenance: ten days of old raw samples of another host, older than raw
			// retention, so the collections' maintenance steps have work to be killed in.
			const store = await MonitoringStore.open({ type: 'sqlite', filename: storePath(userFolder) });
			try {
				// Loaded in bulk: 2,880 collections through writeCollection took ~40 s on 2 cores.
				const start = Date.now() - 10 * DAY;
				const ids = await store.bulk.series(
					Array.from({ length: 20 }, (_, i) => ({
						metric: 'backlog_value',
						host: 'old-host',
						labels: { i: String(i) },
					})),
				);
				const samples: Array<[number, number, number]> = [];
				const runs = [];
				for (let t = start; t < start + 2 * DAY; t += 60_000) {
					ids.forEach((id, i) => samples.push([id, t, Math.sin(t / 1e6 + i)]));
					runs.push({
						host: 'old-host',
						collector: 'host',
						ts: t,
						durationMs: 1,
						ok: true,
						error: null,
						sampleCount: ids.length,
					});
				}
				await store.bulk.samples(samples);
				await store.bulk.runs(runs);
			} finally {
				await store.close();
			}
		},
		2 * CLI_TIMEOUT_MS + 300_000,
	);

	afterAll(() => removeTempDir(userFolder));

	it(
		`leaves an intact store with no half-written collection, ${ROUNDS} times`,
		async () => {
			const filename = storePath(userFolder);
			let before = 0;
			for (let round = 1; round <= ROUNDS; round++) {
				const server = await runtime.startN8n(n8nOptions(userFolder));
				try {
					// Until this run has stored something, then a little more, at a different point each round.
					const deadline = Date.now() + 60_000;
					while (Date.now() < deadline && (await check(filename)).collections <= before)
						await new Promise((r) => setTimeout(r, 500));
					await new Promise((r) => setTimeout(r, (round * 337) % 1500));
				} finally {
					process.kill(-server.pid, 'SIGKILL');
					await server.exited;
				}
				const result = await check(filename);
				expect([round, result.integrity]).toEqual([round, 'ok']);
				expect([round, result.partial]).toEqual([round, []]);
				expect(result.collections).toBeGreaterThan(before);
				before = result.collections;
			}
		},
		ROUNDS * 90_000,
	);
});
