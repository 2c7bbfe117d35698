/**
 * Shared by the browser tests and the bundle benchmark: a real dashboard (createDashboardHandler
 * from dashboard/server) over a real SQLite store seeded through MonitoringStore.writeCollection,
 * on a loopback port, and headless Chromium through playwright-core.
 */
import { raiseAlert, resolveAlert } from '../../core/alerts';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { DatabaseSnapshot } from '../../core/collectors/database/types';
import type { Sample } from '../../core/collectors/types';
import { closeStore, MonitoringStore } from '../../core/store';
import { collection } from '../helpers/collections';

export { collection };
import type { StoreConfig } from '../../core/store';
import { createDashboardHandler } from '../../dashboard/server/handler';
import type { Page } from 'playwright-core';
import { tables } from '../helpers/tables';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ASSETS = path.join(ROOT, 'dist', 'dashboard', 'web');
export const ARTIFACTS = path.join(__dirname, 'artifacts');

export const EVIL_HOST = '<script>alert(1)</script>';
export const EVIL_WORKFLOW = '<img src=x onerror=alert(1)>';
export const EVIL_MODEL = '<img src=x onerror=alert(1)>';
export const EVIL_ALERT = '<img src=x onerror=alert(2)> import failed';
export const EVIL_QUERY = "SELECT '<script>window.__pwned = 1</script>' AS x FROM orders";

const MINUTE = 60_000;

/** A gentle wave, so charts have something to draw that is not a flat line. */
const wave = (base: number, amp: number, i: number) => base + amp * Math.sin(i / 7);

/**
 * Seeds two hours of one-minute collections (and a sparse 7 days of hourly ones, so the rollup
 * ranges have min/max bands):
 * - web-1: calm (ok), also runs the endpoint check "api" (up) and a database "shop" (up), whose
 *   snapshot has two tables (one named `<b>evil</b>`), a forecast and two slow queries (one of
 *   them EVIL_QUERY)
 * - gpu-box: CPU ~86 % (warning), one GPU with a process table in its snapshot
 * - EVIL_HOST: CPU 97 % (critical); its name must show as text
 * - n8n-main: the n8n collector; workflow "wf1" fails 20 % (warning) and is named EVIL_WORKFLOW
 *   in its executions; a second workflow whose id is EVIL_WORKFLOW
 * - db-host: the database "shop" is down (critical)
 * - llm-box: the model server "ollama" (up), with two loaded models in its snapshot, one of them
 *   named EVIL_MODEL
 */
export async function seedStore(config: StoreConfig, now = Date.now()): Promise<void> {
	const store = await MonitoringStore.open(config);
	try {
		const times: number[] = [];
		for (let h = 7 * 24; h > 2; h -= 1) times.push(now - h * 60 * MINUTE);
		for (let m = 120; m >= 0; m--) times.push(now - m * MINUTE);
		const dbSnapshot: DatabaseSnapshot = {
			db: 'shop',
			engine: 'postgres',
			up: true,
			sizeBytes: 2 ** 30 + 2 ** 28,
			tables: [
				{
					name: 'public.orders',
					bytes: 2 ** 30,
					rows: 1_250_000,
					growth7d: { slopePerDay: 50 * 2 ** 20, r2: 0.98 },
					growth30d: { reason: 'not enough history' },
				},
				{
					name: 'public.<b>evil</b>',
					bytes: 2 ** 28,
					rows: 42,
					growth7d: { slopePerDay: -2 * 2 ** 10, r2: 0.5 },
					growth30d: { reason: 'no history' },
				},
			],
			forecast: {
				limit: 'size limit',
				limitBytes: 10 * 2 ** 30,
				result: {
					slopePerDay: 50 * 2 ** 20,
					daysUntil: 178.6,
					date: new Date(now + 178.6 * 86_400_000).toISOString(),
					r2: 0.98,
				},
			},
			slowQueries: {
				available: true,
				source: 'pg_stat_statements',
				byMean: [
					{ query: EVIL_QUERY, calls: 3, totalMs: 1500, meanMs: 500, rows: 3 },
					{
						query: 'SELECT * FROM orders WHERE customer_id = $1',
						calls: 1200,
						totalMs: 3600,
						meanMs: 3,
						rows: 1200,
					},
				],
				byTotal: [],
			},
		};
		for (const [i, time] of times.entries()) {
			const hostSamples = (cpu: number): Sample[] => [
				{ name: 'cpu_usage_percent', value: cpu, labels: { cpu: 'total' } },
				{ name: 'memory_used_percent', value: wave(55, 5, i), labels: {} },
				{
					name: 'filesystem_used_percent',
					value: 41 + i / 1000,
					labels: { mount: '/', device: '/dev/sda1', fstype: 'ext4' },
				},
				{
					name: 'net_rx_bytes_per_second',
					value: wave(200_000, 80_000, i),
					labels: { interface: 'eth0' },
				},
				{
					name: 'net_tx_bytes_per_second',
					value: wave(90_000, 30_000, i),
					labels: { interface: 'eth0' },
				},
			];
			await store.writeCollection(collection('web-1', 'host', time, hostSamples(wave(25, 10, i))));
			await store.writeCollection(
				collection('gpu-box', 'host', time, hostSamples(wave(86, 1.5, i))),
			);
			await store.writeCollection(collection(EVIL_HOST, 'host', time, hostSamples(97)));
			await store.writeCollection(
				collection(
					'gpu-box',
					'gpu',
					time,
					[
						{
							name: 'gpu_utilization_percent',
							value: wave(70, 20, i),
							labels: { gpu: '0', uuid: 'GPU-a' },
						},
						{ name: 'gpu_memory_used_percent', value: 48, labels: { gpu: '0', uuid: 'GPU-a' } },
						{
							name: 'gpu_temperature_celsius',
							value: wave(66, 4, i),
							labels: { gpu: '0', uuid: 'GPU-a' },
						},
						{
							name: 'gpu_power_draw_watts',
							value: wave(210, 40, i),
							labels: { gpu: '0', uuid: 'GPU-a' },
						},
					],
					{
						snapshot: {
							gpus: [],
							processesCollected: true,
							sources: [],
							processes: [
								{
									gpu: '0',
									pid: 4242,
									name: 'python3',
									usedMemoryBytes: 8 * 2 ** 30,
									user: 'ml',
									command: 'python3 train.py',
								},
							],
						},
					},
				),
			);
			const phase = (s: number) => s * (1 + 0.2 * Math.sin(i / 5));
			await store.writeCollection(
				collection('web-1', 'endpoint', time, [
					{ name: 'endpoint_up', value: 1, labels: { endpoint: 'api' } },
					{ name: 'endpoint_dns_seconds', value: phase(0.002), labels: { endpoint: 'api' } },
					{ name: 'endpoint_connect_seconds', value: phase(0.01), labels: { endpoint: 'api' } },
					{ name: 'endpoint_tls_seconds', value: phase(0.03), labels: { endpoint: 'api' } },
					{ name: 'endpoint_first_byte_seconds', value: phase(0.08), labels: { endpoint: 'api' } },
					{ name: 'endpoint_download_seconds', value: phase(0.01), labels: { endpoint: 'api' } },
					{ name: 'endpoint_cert_days_left', value: 60 - i / 200, labels: { endpoint: 'api' } },
				]),
			);
			const db = (up: number, host: string) =>
				collection(
					host,
					'database',
					time,
					[
						{ name: 'db_up', value: up, labels: { db: 'shop', engine: 'postgres' } },
						...(up
							? [
									{
										name: 'db_query_seconds',
										value: phase(0.002),
										labels: { db: 'shop', engine: 'postgres' },
									},
									{
										name: 'db_connections',
										value: 12,
										labels: { db: 'shop', engine: 'postgres', state: 'active' },
									},
									{
										name: 'db_connections',
										value: 30,
										labels: { db: 'shop', engine: 'postgres', state: 'idle' },
									},
									{
										name: 'db_table_size_bytes',
										value: 2 ** 30 + i * 1e5,
										labels: { db: 'shop', engine: 'postgres', schema: 'public', table: 'orders' },
									},
									{
										name: 'db_table_size_bytes',
										value: 2 ** 28,
										labels: {
											db: 'shop',
											engine: 'postgres',
											schema: 'public',
											table: '<b>evil</b>',
										},
									},
								]
							: []),
					],
					{ snapshot: up ? dbSnapshot : null },
				);
			await store.writeCollection(db(1, 'web-1'));
			await store.writeCollection(db(0, 'db-host'));
			const server = { server: 'ollama', type: 'ollama' };
			await store.writeCollection(
				collection(
					'llm-box',
					'model_server',
					time,
					[
						{ name: 'model_server_up', value: 1, labels: server },
						{ name: 'model_server_response_seconds', value: phase(0.04), labels: server },
						{ name: 'model_server_requests_running', value: (i % 4) + 1, labels: server },
						{ name: 'model_server_requests_waiting', value: i % 3, labels: server },
						{ name: 'model_server_kv_cache_usage_ratio', value: wave(0.5, 0.2, i), labels: server },
						{
							name: 'model_server_prompt_tokens_per_second',
							value: wave(800, 200, i),
							labels: server,
						},
						{
							name: 'model_server_generation_tokens_per_second',
							value: wave(60, 15, i),
							labels: server,
						},
						...['0.5', '0.95'].flatMap((quantile) => {
							const f = quantile === '0.5' ? 1 : 2.5;
							return [
								{
									name: 'model_server_ttft_seconds',
									value: phase(0.15 * f),
									labels: { ...server, quantile },
								},
								{
									name: 'model_server_e2e_latency_seconds',
									value: phase(2 * f),
									labels: { ...server, quantile },
								},
							];
						}),
					],
					{
						snapshot: {
							endpoints: [
								{
									server: 'ollama',
									type: 'ollama',
									url: 'http://127.0.0.1:11434',
									up: true,
									responseSeconds: 0.04,
									version: '0.5.0',
									requestsRunning: null,
									requestsWaiting: null,
									kvCacheUsageRatio: null,
									promptTokensPerSecond: null,
									generationTokensPerSecond: null,
									ttftSeconds: null,
									e2eLatencySeconds: null,
									models: [
										{
											name: 'llama3.1:8b',
											sizeBytes: 5 * 2 ** 30,
											vramBytes: 5 * 2 ** 30,
											expiresAt: new Date(now + 5 * MINUTE).toISOString(),
										},
										{ name: EVIL_MODEL, sizeBytes: 2 ** 30, vramBytes: 2 ** 29 },
									],
								},
							],
							up: 1,
							down: 0,
							intervalSeconds: 60,
						},
					},
				),
			);
			await store.writeCollection(
				collection('n8n-main', 'n8n', time, [
					{ name: 'n8n_api_up', value: 1, labels: {} },
					{ name: 'n8n_execution_failure_rate', value: 0.2, labels: { workflow: 'wf1' } },
					{ name: 'n8n_execution_failure_rate', value: 0, labels: { workflow: EVIL_WORKFLOW } },
				]),
			);
		}
		// A host that stopped reporting an hour ago: its card must say the data is stale.
		for (let m = 90; m >= 60; m--)
			await store.writeCollection(
				collection('old-box', 'host', now - m * MINUTE, [
					{ name: 'cpu_usage_percent', value: 10, labels: { cpu: 'total' } },
				]),
			);
		// A collector that fails on gpu-box now: its host card lists it, with the message as text.
		await store.writeCollection(
			collection('gpu-box', 'model_server', now, [], {
				ok: false,
				error: 'connect ECONNREFUSED <b>127.0.0.1</b>',
			}),
		);
		const rows = [];
		for (let k = 0; k < 10; k++) {
			const started = now - (k + 1) * 5 * MINUTE;
			rows.push({
				instance: 'n8n-main',
				id: String(1000 + k),
				workflow_id: 'wf1',
				workflow_name: EVIL_WORKFLOW,
				status: k % 5 === 0 ? 'error' : 'success',
				mode: 'trigger',
				started_at: started,
				stopped_at: started + 1200 + k * 10,
				duration_ms: 1200 + k * 10,
				waited_ms: 0,
				synced_at: now,
			});
		}
		await tables(store)('mon_executions').insert(rows);
		// Alerts: one raised by a workflow whose message looks like HTML (open), and one resolved.
		await raiseAlert(store, {
			key: 'nightly-import',
			severity: 'critical',
			message: EVIL_ALERT,
			host: 'web-1',
			now: now - 10 * MINUTE,
		});
		await raiseAlert(store, {
			key: 'disk-check',
			severity: 'warning',
			message: 'disk check failed',
			host: 'web-1',
			now: now - 3 * 60 * MINUTE,
		});
		await resolveAlert(store, { key: 'disk-check', now: now - 2 * 60 * MINUTE });
	} finally {
		await store.close();
	}
}

export interface Dashboard {
	url: string;
	/** Paths requested so far (for the refresh tests). */
	requests: string[];
	/** While true, every API request answers 503 (a store that went away). */
	failing: boolean;
	close(): Promise<void>;
}

/** A fresh SQLite store in a temp folder, seeded (by seedStore unless `seed` says otherwise); the handler on 127.0.0.1. */
export async function startDashboard(
	options: {
		refreshSeconds?: number;
		basePath?: string;
		seed?: (config: StoreConfig) => Promise<void>;
	} = {},
): Promise<Dashboard> {
	if (!fs.existsSync(path.join(ASSETS, 'app.js')))
		throw new Error(
			'dist/dashboard/web/app.js is missing: run `node scripts/build-dashboard.js` first',
		);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-dashboard-'));
	const config: StoreConfig = { type: 'sqlite', filename: path.join(dir, 'monitoring.sqlite') };
	await (options.seed ?? seedStore)(config);
	const handler = createDashboardHandler({
		store: config,
		auth: { type: 'none' },
		assetsDir: ASSETS,
		basePath: options.basePath ?? '',
		refreshSeconds: options.refreshSeconds ?? 60,
	});
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		requests.push(req.url ?? '');
		if (dashboard.failing && req.url?.startsWith('/api/')) {
			res.writeHead(503, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: 'store unavailable' }));
			return;
		}
		void handler(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	const dashboard: Dashboard = {
		failing: false,
		url: `http://127.0.0.1:${port}${options.basePath ?? ''}/`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await closeStore(config);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	return dashboard;
}

export { CHROMIUM, launchChromium } from '../../scripts/chromium';

/**
 * Waits until `count` charts have drawn (they live in shadow roots, so every root is walked),
 * then lets ResizeObserver-driven redraws settle before measuring or taking a picture.
 */
export async function chartsDrawn(page: Page, count: number): Promise<void> {
	await page.waitForFunction(
		(n) => {
			let found = 0;
			const walk = (root: any) => {
				found += root.querySelectorAll('.apexcharts-canvas').length;
				for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
			};
			walk((globalThis as any).document);
			return found >= n;
		},
		count,
		{ timeout: 30_000 },
	);
	await page.waitForTimeout(400);
}
