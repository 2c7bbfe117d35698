import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type {
	ContainersState,
	HostOverview,
	Overview,
	TargetState,
} from '../../core/contract/dashboard-api';
import { closeAllStores, MonitoringStore, type StoreConfig } from '../../core/store';
import { createDashboardHandler } from '../../dashboard/server/handler';
import {
	CONTAINER_HOST,
	containerRows,
	EVIL_CONTAINER,
	NO_ENGINE,
	seedContainers,
} from '../helpers/containers-seed';

/**
 * Containers in the dashboard API, over real HTTP on 127.0.0.1 and a real SQLite store written
 * through MonitoringStore.writeCollection in the containers collector's own snapshot shape:
 * the host's status carries the latest snapshot, the overview's cards their counts, a container's
 * status its row and state; a host without the collector gets nothing new, and one whose
 * collector found no engine says exactly that.
 */
const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 31, 12);

let tmp: string;
let config: StoreConfig;
let server: http.Server;
let base: string;

async function get<T>(route: string): Promise<{ status: number; body: string; json: T }> {
	const res = await fetch(`${base}${route}`);
	const body = await res.text();
	return { status: res.status, body, json: JSON.parse(body) as T };
}

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-ctr-'));
	config = { type: 'sqlite', filename: path.join(tmp, 'store.sqlite') };
	await seedContainers(config, NOW);
	const handler = createDashboardHandler({
		store: config,
		assetsDir: tmp,
		now: () => NOW,
		auth: { type: 'none' },
	});
	server = http.createServer((req, res) => void handler(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server?.close(resolve));
	await closeAllStores();
	fs.rmSync(tmp, { recursive: true, force: true });
});

const status = (kind: string, host: string, name?: string) =>
	get<TargetState>(
		`/api/status?kind=${kind}&host=${encodeURIComponent(host)}${name === undefined ? '' : `&name=${encodeURIComponent(name)}`}`,
	);

describe('host status', () => {
	it("carries the latest containers snapshot, by name, with each container's light", async () => {
		const { json, body } = await status('host', CONTAINER_HOST);
		const c = json.containers as ContainersState;
		expect(c).toMatchObject({
			ts: NOW,
			ok: true,
			error: null,
			stale: false,
			message: null,
			engine: { product: 'Docker', version: '20.10.24' },
			counts: {
				running: 3,
				unhealthy: 1,
				exited: 2,
				failed: 1,
				total: 6,
				message: null,
				stale: false,
			},
			matched: 6,
		});
		// Overall light, and the light of the state alone (api runs, but is unhealthy).
		expect(c.containers.map((r) => [r.name, r.light, r.stateLight])).toEqual([
			[EVIL_CONTAINER, 'ok', 'ok'],
			['api', 'critical', 'ok'],
			['flappy', 'warning', 'warning'],
			// docker stop's 137: nothing wrong, nothing current; exit 1: a failure.
			['halted', 'nodata', 'nodata'],
			['old', 'critical', 'critical'],
			['web', 'ok', 'ok'],
		]);
		expect(c.containers.find((r) => r.name === 'web')).toMatchObject({
			image: 'shop/web:1.4',
			project: 'shop',
			health: 'healthy',
			cpuPercent: 12.5,
			memoryUsedBytes: 100 * 2 ** 20,
			memoryLimitBytes: 512 * 2 ** 20,
			memoryPercent: 19.53,
			memoryLimited: true,
			uptimeSeconds: 3540,
			netRxBytesPerSecond: 2048,
		});
		// Names from the engine travel as JSON text, never as markup.
		expect(body).not.toContain('<img');
	});

	it('has no containers field for a host without the containers collector', async () => {
		const { json } = await status('host', 'bare-1');
		expect(json.reported).toBe(true);
		expect('containers' in json).toBe(false);
	});

	it('says "no container engine found" for a host whose collector found none', async () => {
		const { json } = await status('host', 'noengine-1');
		expect(json.containers).toMatchObject({
			ok: true,
			message: NO_ENGINE,
			engine: null,
			containers: [],
			counts: { running: 0, unhealthy: 0, exited: 0, failed: 0, total: 0, message: NO_ENGINE },
		});
	});

	it('keeps the last snapshot and says why when the latest collection failed', async () => {
		const store = await MonitoringStore.open(config);
		await store.writeCollection({
			collector: 'containers',
			host: 'failing-1',
			time: NOW - 2 * MIN,
			durationMs: 3,
			ok: true,
			warnings: [],
			samples: [],
			snapshot: {
				socketPath: '/s',
				engine: null,
				containers: [containerRows()[0]],
				matched: 1,
			},
		});
		await store.writeCollection({
			collector: 'containers',
			host: 'failing-1',
			time: NOW - MIN,
			durationMs: 3,
			ok: false,
			error: 'permission denied on /s: add the n8n user to the docker group',
			warnings: [],
			samples: [],
			snapshot: null,
		});
		await store.close();
		const { json } = await status('host', 'failing-1');
		expect(json.containers).toMatchObject({
			ok: false,
			error: 'permission denied on /s: add the n8n user to the docker group',
			// The state row's time is the latest run; its snapshot is the last one that left one.
			ts: NOW - MIN,
			counts: { running: 1, total: 1 },
		});
		expect(json.containers?.containers.map((r) => r.name)).toEqual(['web']);
	});
});

describe('container status', () => {
	it.each([
		['web', 'ok', null],
		['api', 'critical', 'Up 20 minutes (unhealthy)'],
		['flappy', 'warning', 'Restarting (1) 5 seconds ago'],
		['old', 'critical', 'Exited (1) 2 hours ago'],
	])('%s is %s', async (name, state, reason) => {
		const { json } = await status('container', CONTAINER_HOST, name);
		expect(json).toMatchObject({
			kind: 'container',
			collector: 'containers',
			name,
			status: state,
			reason,
			reported: true,
			lastTs: NOW,
		});
		expect(json.container?.name).toBe(name);
	});

	it('a container the latest collection did not list: no data, said so; never stored: not reported', async () => {
		const { json } = await status('container', CONTAINER_HOST, 'gone');
		expect(json).toMatchObject({ status: 'nodata', container: null, reported: false });
		expect(json.reason).toBe('not listed by the latest collection');
	});

	it('answers a hostile name as escaped JSON', async () => {
		const { json, body } = await status('container', CONTAINER_HOST, EVIL_CONTAINER);
		expect(json.container?.image).toBe('<b>evil</b>:latest');
		expect(body).not.toContain('<b>');
	});
});

describe('overview', () => {
	it('gives counts only to hosts with a containers collector', async () => {
		const { json } = await get<Overview>('/api/overview');
		const by = new Map(json.hosts.map((h: HostOverview) => [h.host, h]));
		expect(by.get(CONTAINER_HOST)?.containers).toEqual({
			running: 3,
			unhealthy: 1,
			exited: 2,
			failed: 1,
			total: 6,
			message: null,
			stale: false,
		});
		expect(by.get('noengine-1')?.containers).toMatchObject({ total: 0, message: NO_ENGINE });
		expect(by.has('bare-1')).toBe(true);
		expect('containers' in by.get('bare-1')!).toBe(false);
	});

	it('the fleet page of one host carries the same counts', async () => {
		const { json } = await get<Overview>(`/api/overview?filter=${CONTAINER_HOST}&limit=50`);
		expect(json.hosts).toHaveLength(1);
		expect(json.hosts[0].containers?.running).toBe(3);
	});
});
