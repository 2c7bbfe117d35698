import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { overview } from '../../core/query';
import { MonitoringStore } from '../../core/store';

/**
 * Workflow targets carry ids in their labels (n8n's API keys them so); the overview names them as
 * people know them, from the n8n collector's latest snapshot. Real SQLite through MonitoringStore.
 */
const NOW = Date.UTC(2026, 11, 1, 12);

it("names each workflow target by the name in its instance's n8n snapshot", async () => {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-names-'));
	const store = await MonitoringStore.open({
		type: 'sqlite',
		filename: path.join(tmp, 'store.sqlite'),
	});
	try {
		for (const [t, name] of [
			[NOW - 2 * 60_000, 'Old name'],
			[NOW - 60_000, 'Nightly <import>'],
		] as const)
			await store.writeCollection({
				collector: 'n8n',
				host: 'n8n.local:5678',
				time: t,
				durationMs: 5,
				ok: true,
				warnings: [],
				samples: [
					{ name: 'n8n_workflow_stalled', value: 0, labels: { workflow: 'wfImport01' } },
					{ name: 'n8n_workflow_stalled', value: 0, labels: { workflow: 'wfGone0001' } },
				],
				snapshot: { workflows: [{ id: 'wfImport01', name }] },
			});
		const o = await overview(store, { now: NOW });
		const byId = Object.fromEntries(
			o.targets.filter((t) => t.kind === 'workflow').map((t) => [t.name, t.title]),
		);
		// The latest name; a workflow the snapshot no longer lists keeps its id only.
		expect(byId).toEqual({ wfImport01: 'Nightly <import>', wfGone0001: undefined });
	} finally {
		await store.close();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
});

it("drops a workflow's stalled verdict once the instance's latest n8n run no longer judges it", async () => {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-judged-'));
	const store = await MonitoringStore.open({
		type: 'sqlite',
		filename: path.join(tmp, 'store.sqlite'),
	});
	const run = (time: number, stalled: Record<string, number>) =>
		store.writeCollection({
			collector: 'n8n',
			host: 'n8n.local:5678',
			time,
			durationMs: 5,
			ok: true,
			warnings: [],
			samples: Object.entries(stalled).map(([workflow, value]) => ({
				name: 'n8n_workflow_stalled',
				value,
				labels: { workflow },
			})),
			snapshot: { workflows: [] },
		});
	try {
		// A verdict from before its successes were known to be unsaved, then runs without it.
		await run(NOW - 3 * 60_000, { unsavedOne: 1, kept: 0 });
		await run(NOW - 2 * 60_000, { kept: 0 });
		await run(NOW - 60_000, { kept: 1 });
		const o = await overview(store, { now: NOW });
		expect(o.targets.filter((t) => t.kind === 'workflow').map((t) => [t.name, t.status])).toEqual([
			['kept', 'critical'],
		]);
	} finally {
		await store.close();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
});
