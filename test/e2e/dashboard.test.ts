// The dashboard served by a real n8n 2.40.7 from the starter workflow workflows/dashboard.json
// (Monitoring Dashboard trigger, Basic Auth credential of n8n's own type), with host samples that
// host-metrics.json stored, opened over HTTP and in real Chromium.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchChromium } from '../../scripts/chromium';
import {
	CLI_TIMEOUT_MS,
	HOST_WORKFLOW_FILE,
	HOST_WORKFLOW_ID,
	makeTempDir,
	n8nOptions,
	REPO_ROOT,
	removeTempDir,
	requireBuild,
	runtime,
	stopServer,
} from './helpers';

const DASHBOARD = path.join(REPO_ROOT, 'workflows', 'dashboard.json');

describe('the dashboard served by n8n', () => {
	let userFolder: string;
	let server: runtime.N8nServer | undefined;
	const login = { user: 'monitor', password: 'Dashboard-' + Math.random().toString(36).slice(2) };
	const header = { name: 'X-Dashboard-Key', value: 'Key-' + Math.random().toString(36).slice(2) };
	let url: string;
	let n8nBase: string;
	beforeAll(
		async () => {
			requireBuild();
			runtime.ensureRuntime();
			userFolder = makeTempDir('dashboard');
			runtime.linkPackage(userFolder);
			const workflow = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8'));
			const ref = workflow.nodes[0].credentials.httpBasicAuth;
			const credentials = path.join(userFolder, 'credentials.json');
			fs.writeFileSync(
				credentials,
				JSON.stringify([
					{ id: ref.id, name: ref.name, type: 'httpBasicAuth', data: login },
					{ id: 'secDashHeaderKey', name: 'Dashboard key', type: 'httpHeaderAuth', data: header },
				]),
			);
			// The same starter workflow with the node's other authentication modes, on paths of
			// their own: Header Auth, and none.
			const variants = (
				[
					['monDashHeader001', 'monitoring-header', 'headerAuth'],
					['monDashOpen00001', 'monitoring-open', 'none'],
					['monDashRefresh01', 'monitoring-refresh', 'none'],
					['monDashNoLogin01', 'monitoring-nologin', 'basicAuth'],
				] as const
			).map(([id, webhookPath, authentication]) => {
				const variant = JSON.parse(JSON.stringify(workflow));
				Object.assign(variant, { id, name: `Dashboard (${authentication})` });
				const node = variant.nodes[0];
				node.id = randomUUID();
				// A node added in the editor gets a random webhookId, unrelated to its path; the
				// starter's equals its path. Both must serve their script and API.
				node.webhookId = id === 'monDashOpen00001' ? randomUUID() : webhookPath;
				node.parameters = { ...node.parameters, path: webhookPath, authentication };
				// Bad input: a refresh interval that an expression turns into text.
				if (id === 'monDashRefresh01') node.parameters.refresh = '={{ "often" }}';
				node.credentials =
					authentication === 'headerAuth'
						? { httpHeaderAuth: { id: 'secDashHeaderKey', name: 'Dashboard key' } }
						: authentication === 'basicAuth'
							? // Imported by hand: the login npm start would create does not exist.
								{ httpBasicAuth: { id: 'notCreatedLogin1', name: 'Not created yet' } }
							: {};
				const file = path.join(userFolder, `${id}.json`);
				fs.writeFileSync(file, JSON.stringify(variant));
				return file;
			});
			await runtime.runCli(
				['import:credentials', `--input=${credentials}`],
				n8nOptions(userFolder),
			);
			fs.rmSync(credentials);
			await runtime.importMissingWorkflows([DASHBOARD, HOST_WORKFLOW_FILE], {
				...n8nOptions(userFolder),
				publish: true,
			});
			// All published beside the starter: several dashboards serve at once, each its own.
			await runtime.importMissingWorkflows(variants, { ...n8nOptions(userFolder), publish: true });
			await runtime.executeWorkflow(HOST_WORKFLOW_ID, n8nOptions(userFolder));
			server = await runtime.startN8n(n8nOptions(userFolder));
			n8nBase = server.baseUrl;
			await runtime.setupOwner(server.baseUrl, {
				email: 'owner@example.com',
				password: runtime.generatePassword(),
			});
			url = `${server.baseUrl}/webhook/${workflow.nodes[0].parameters.path}`;
		},
		CLI_TIMEOUT_MS * 4 + 300_000,
	);

	afterAll(async () => {
		await stopServer(server);
		removeTempDir(userFolder);
	}, 60_000);

	/**
	 * n8n 2.40 answers "webhook is not registered" for moments while it finishes activating the
	 * published workflows after start (seen here several seconds after the path had answered):
	 * retry only that answer, for a bounded time.
	 */
	async function get(target: string, headers: Record<string, string> = {}) {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const res = await fetch(target, { headers });
			if (res.status !== 404 || Date.now() > deadline) return res;
			const text = await res.text();
			if (!text.includes('is not registered')) return new Response(text, { status: 404 });
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	const basic = (user: string, password: string) =>
		`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

	it('asks for credentials, and serves page, script and API with the right ones', async () => {
		expect((await get(url)).status).toBe(401);
		expect((await get(url, { authorization: basic('monitor', 'wrong') })).status).toBe(401);
		const auth = { authorization: basic(login.user, login.password) };
		const page = await get(url, auth);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('<mon-app');
		const script = await get(`${url}/app.js`, auth);
		expect(script.status).toBe(200);
		expect((await script.text()).length).toBeGreaterThan(100_000);
		const overview = await get(`${url}/api/overview`, auth);
		expect(overview.status).toBe(200);
		const body = (await overview.json()) as { hosts: Array<{ host: string }> };
		expect(body.hosts.map((h) => h.host)).toContain(os.hostname());
		const metrics = await get(`${url}/metrics`, auth);
		expect(await metrics.text()).toContain('monitoring_cpu_usage_percent');
		expect(JSON.stringify(body)).not.toContain(login.password);
	});

	it('Basic Auth: a wrong user with the right password, or a header of another kind, is refused', async () => {
		expect((await get(url, { authorization: basic('admin', login.password) })).status).toBe(401);
		expect(
			(await get(`${url}/api/overview`, { authorization: `Bearer ${login.password}` })).status,
		).toBe(401);
		const refusal = await get(`${url}/api/overview`, { authorization: basic('x', 'y') });
		expect(refusal.headers.get('www-authenticate')).toMatch(/^Basic/);
		expect(await refusal.text()).not.toContain(login.password);
	});

	it('Header Auth: no header, a wrong value or the value under another name is refused', async () => {
		const at = `${n8nBase}/webhook/monitoring-header`;
		for (const route of ['', '/app.js', '/api/overview', '/metrics']) {
			const refused = [
				await get(at + route),
				await get(at + route, { [header.name]: `${header.value}x` }),
				await get(at + route, { 'X-Other-Key': header.value }),
				await get(at + route, { authorization: `Bearer ${header.value}` }),
			].map((r) => r.status);
			expect([route, refused]).toEqual([route, [401, 401, 401, 401]]);
			const ok = await get(at + route, { [header.name]: header.value });
			expect([route, ok.status]).toEqual([route, 200]);
		}
	});

	it('None: serves the page and the API to anyone who reaches n8n', async () => {
		const at = `${n8nBase}/webhook/monitoring-open`;
		expect((await get(at)).status).toBe(200);
		expect((await get(`${at}/app.js`)).status).toBe(200);
		const overview = await get(`${at}/api/overview`);
		expect(overview.status).toBe(200);
		expect(JSON.stringify(await overview.json())).toContain(os.hostname());
		// The posting routes reach the node too: without the action header it refuses, itself.
		const post = await fetch(`${at}/api/ack`, { method: 'POST', body: '{"alertId":1}' });
		expect(post.status).toBe(403);
		expect(await post.text()).toContain('x-monitoring-action');
	});

	it('Refresh that an expression makes text: an error, not a page that polls without pause', async () => {
		const res = await get(`${n8nBase}/webhook/monitoring-refresh`);
		const body = await res.text();
		expect(res.status).toBeGreaterThanOrEqual(500);
		expect(body).not.toContain('<mon-app');
		expect(body).not.toContain('NaN');
	});

	it('imported by hand without its login: says what to create, and serves nothing', async () => {
		for (const at of ['', '/app.js', '/api/overview']) {
			const res = await get(`${n8nBase}/webhook/monitoring-nologin${at}`);
			const body = await res.text();
			expect([at, res.status]).toEqual([at, 503]);
			expect(body).toMatch(/Basic Auth credential cannot be read/);
			expect(body).toMatch(/choose or create that credential under Authentication/);
			expect(body).not.toContain('<mon-app');
		}
	});

	it('renders in Chromium with charts and no console error', async () => {
		const browser = await launchChromium();

		try {
			const context = await browser.newContext({
				viewport: { width: 390, height: 844 },
				httpCredentials: { username: login.user, password: login.password },
			});
			const page = await context.newPage();
			const problems: string[] = [];
			page.on('console', (m) => {
				if (m.type() === 'error') problems.push(m.text());
			});
			page.on('pageerror', (e) => problems.push(String(e)));
			for (let i = 0; i < 60 && (await page.goto(url))?.status() === 404; i++) {
				await page.waitForTimeout(500); // see get(): n8n still activating
			}
			await page.locator('.apexcharts-canvas').first().waitFor({ timeout: 30_000 });
			expect(await page.getByText(os.hostname()).count()).toBeGreaterThan(0);
			expect(
				// runs in the page
				await page.evaluate(() => {
					const g = globalThis as unknown as {
						document: { documentElement: { scrollWidth: number } };
						innerWidth: number;
					};
					return g.document.documentElement.scrollWidth <= g.innerWidth;
				}),
			).toBe(true);
			fs.mkdirSync(path.join(REPO_ROOT, 'test', 'browser', 'artifacts'), { recursive: true });
			await page.screenshot({
				path: path.join(REPO_ROOT, 'test', 'browser', 'artifacts', 'n8n-served-phone.png'),
				fullPage: true,
			});
			expect(problems).toEqual([]);
		} finally {
			await browser.close();
		}
	}, 120_000);
});
