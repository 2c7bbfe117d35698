#!/usr/bin/env node
// @ts-check
/*
 * The dashboard's weight and speed: app.js raw and gzipped, and how long a real Chromium takes
 * from navigation until every chart of the overview is drawn, with HOSTS hosts seeded in a real
 * SQLite store (two hours of one-minute samples each) and served by the real handler. The time
 * comes from the page's own clock (performance.now() at each `mon-chart-drawn` event, which
 * mon-chart fires after ApexCharts resolves its render). Median of RUNS cold page loads.
 * Needs `npm run build` (dist/core, dist/dashboard/server, dist/dashboard/web/app.js) and
 * Chromium at /usr/bin/chromium (CHROMIUM_PATH overrides).
 *
 *   node bench/dashboard-bundle.js [hosts] [runs]
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '..');
const dist = process.env.MON_DIST ? path.resolve(process.env.MON_DIST) : path.join(root, 'dist');
const HOSTS = Math.max(1, Math.min(100, Number(process.argv[2]) || 10));
const RUNS = Math.max(1, Math.min(50, Number(process.argv[3]) || 5));
const BUDGET_GZIP = 200 * 1024;

function need(file) {
	try {
		return require(file);
	} catch (error) {
		console.error(`cannot load ${file}: run \`npm run build\` first (${error.message})`);
		process.exit(1);
	}
}

async function seed(MonitoringStore, config, now) {
	const store = await MonitoringStore.open(config);
	try {
		for (let m = 120; m >= 0; m--) {
			const time = now - m * 60_000;
			for (let h = 0; h < HOSTS; h++) {
				const wave = (b, a) => b + a * Math.sin((m + h * 9) / 7);
				await store.writeCollection({
					collector: 'host',
					host: `host-${String(h).padStart(2, '0')}`,
					time,
					durationMs: 5,
					ok: true,
					warnings: [],
					snapshot: null,
					samples: [
						{ name: 'cpu_usage_percent', value: wave(40, 30), labels: { cpu: 'total' } },
						{ name: 'memory_used_percent', value: wave(60, 10), labels: {} },
						{ name: 'filesystem_used_percent', value: 50 + h, labels: { mount: '/' } },
						...(h % 3 === 0
							? [{ name: 'gpu_utilization_percent', value: wave(70, 20), labels: { gpu: '0' } }]
							: []),
					],
				});
			}
		}
	} finally {
		await store.close();
	}
}

function median(values) {
	const s = [...values].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main() {
	const appJs = path.join(dist, 'dashboard', 'web', 'app.js');
	if (!fs.existsSync(appJs)) {
		console.error(`${appJs} is missing: run \`node scripts/build-dashboard.js\` first`);
		process.exit(1);
	}
	const code = fs.readFileSync(appJs);
	const gzip = zlib.gzipSync(code, { level: 9 }).length;

	const { MonitoringStore, closeStore } = need(path.join(dist, 'core', 'store'));
	const { createDashboardHandler } = need(path.join(dist, 'dashboard', 'server', 'handler'));
	const { launchChromium } = require('../scripts/chromium');

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mon-dash-bench-'));
	const config = { type: 'sqlite', filename: path.join(dir, 'monitoring.sqlite') };
	const now = Date.now();
	await seed(MonitoringStore, config, now);
	const handler = createDashboardHandler({
		store: config,
		auth: { type: 'none' },
		assetsDir: path.dirname(appJs),
		refreshSeconds: 60,
	});
	const server = http.createServer((req, res) => void handler(req, res));
	await /** @type {Promise<void>} */ (
		new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
	);
	const url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/#/overview`;

	const browser = await launchChromium();
	/** @type {Array<Record<string, number | null>>} */
	const runs = [];
	try {
		for (let r = 0; r < RUNS; r++) {
			// A fresh context per run: a cold cache, so app.js is fetched and compiled every time.
			const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
			const page = await context.newPage();
			await page.addInitScript(() => {
				/** @type {any} */ (window).__drawn = [];
				document.addEventListener('mon-chart-drawn', () =>
					/** @type {any} */ (window).__drawn.push(performance.now()),
				);
			});
			await page.goto(url);
			const result = await page.waitForFunction(
				() => {
					const charts = [];
					const walk = (node) => {
						for (const el of node.querySelectorAll('*')) {
							if (el.localName === 'mon-chart') charts.push(el);
							if (el.shadowRoot) walk(el.shadowRoot);
						}
					};
					walk(document);
					const drawn = /** @type {any} */ (window).__drawn;
					if (!charts.length || drawn.length < charts.length) return false;
					const nav = /** @type {PerformanceNavigationTiming} */ (
						performance.getEntriesByType('navigation')[0]
					);
					const app = /** @type {PerformanceResourceTiming} */ (
						performance.getEntriesByType('resource').find((e) => e.name.endsWith('/app.js'))
					);
					const fcp = performance.getEntriesByName('first-contentful-paint')[0];
					return {
						charts: charts.length,
						allDrawnMs: Math.max(...drawn),
						firstChartMs: Math.min(...drawn),
						domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
						appJsLoadedMs: app ? app.responseEnd : null,
						firstContentfulPaintMs: fcp ? fcp.startTime : null,
					};
				},
				undefined,
				{ timeout: 60_000, polling: 50 },
			);
			runs.push(/** @type {Record<string, number | null>} */ (await result.jsonValue()));
			await context.close();
		}
	} finally {
		await browser.close();
		server.close();
		await closeStore(config);
		fs.rmSync(dir, { recursive: true, force: true });
	}

	const pick = (k) => Math.round(median(runs.map((x) => x[k]).filter((v) => v != null)) * 10) / 10;
	const out = {
		date: new Date().toISOString(),
		node: process.version,
		chromium: browser.version(),
		bundle: {
			rawBytes: code.length,
			gzipBytes: gzip,
			gzipBudgetBytes: BUDGET_GZIP,
			withinBudget: gzip <= BUDGET_GZIP,
		},
		overview: {
			hosts: HOSTS,
			runs: RUNS,
			charts: runs[0].charts,
			medianAllChartsDrawnMs: pick('allDrawnMs'),
			medianFirstChartDrawnMs: pick('firstChartMs'),
			medianFirstContentfulPaintMs: pick('firstContentfulPaintMs'),
			medianAppJsLoadedMs: pick('appJsLoadedMs'),
			perRun: runs,
		},
	};
	fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
	fs.writeFileSync(
		path.join(__dirname, 'results', 'dashboard-bundle.json'),
		JSON.stringify(out, null, '\t') + '\n',
	);
	console.log(
		`dashboard bundle: ${(code.length / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzipped ` +
			`(budget ${BUDGET_GZIP / 1024} KB); overview with ${HOSTS} hosts, ${out.overview.charts} charts: ` +
			`all drawn ${out.overview.medianAllChartsDrawnMs} ms after navigation (median of ${RUNS})`,
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
