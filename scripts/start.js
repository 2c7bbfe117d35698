// @ts-check
// npm start (through scripts/start.sh, which builds first): runs this checkout in a real n8n on
// 127.0.0.1 with the user's normal ~/.n8n, and sets up what a new user would otherwise set up by
// hand, so that the first minutes show real data and no false alarm:
// - the owner account, an API key for it, and the "This n8n (API)" credential the n8n executions
//   starter names; the dashboard's Basic Auth credential and the MCP server's bearer token;
// - the starter workflows that are missing, imported in one CLI call (the endpoint check pointed
//   at the port n8n really listens on) and published through the public API once n8n runs:
//   collectors.json collects; the scheduled starters it replaces are not imported;
//   those that need a credential only the user has (SMTP, Slack, Telegram, a remote database)
//   stay inactive and are listed at every start.
// n8n's own log goes to a file; the terminal gets one line a step. A second start finds the
// workflows in n8n's database directly (no CLI call) and is ready as soon as n8n is.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const rt = require('./n8n-runtime');

const DEFAULT_PORT = 5678;
const DEFAULT_BROKER_PORT = 5679;
/** The credential the n8n executions starter names; npm start fills it with its own API key. */
const SELF_API_CREDENTIAL = { id: 'monN8nApiSelf', name: 'This n8n (API)' };
/**
 * Starters that collectors.json replaces: the same collections behind Schedule Triggers, one n8n
 * execution each (about twice the n8n CPU of a Collector Trigger's poll that stores and emits
 * nothing: bench/n8n-collection-cost.js).
 * npm start imports collectors.json instead; they stay in workflows/ for whoever wants an
 * execution with items every minute.
 */
const REPLACED_BY_COLLECTORS = new Set([
	'host-metrics.json',
	'n8n-executions.json',
	'database-metrics.json',
	'endpoint-checks.json',
	'gpu-metrics.json',
]);
/** The port the starters are written for; replaced by the one n8n gets. */
const STARTER_ADDRESS = '127.0.0.1:5678';

function log(message) {
	console.log(`[n8n-nodes-monitoring] ${message}`);
}

const n8nFolder = (userFolder) => path.join(userFolder, '.n8n');
const dashboardLoginFile = (userFolder) =>
	path.join(n8nFolder(userFolder), 'monitoring-dashboard.json');
const mcpTokenFile = (userFolder) => path.join(n8nFolder(userFolder), 'monitoring-mcp.json');
const ownerFile = (userFolder) => path.join(n8nFolder(userFolder), 'monitoring-owner.json');
const startFile = (userFolder) => path.join(n8nFolder(userFolder), 'monitoring-start.json');

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Writes a file only this user can read (mode 600, set before anything is written). */
function writePrivate(file, value) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const fd = fs.openSync(file, 'w', 0o600);
	try {
		fs.fchmodSync(fd, 0o600);
		fs.writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
	} finally {
		fs.closeSync(fd);
	}
	return file;
}

/** Imports credentials (plain data; n8n encrypts them) through a file that lives for one call. */
async function importCredentials(userFolder, credentials, options) {
	const plain = path.join(n8nFolder(userFolder), `.credential-${process.pid}.json`);
	writePrivate(plain, credentials);
	try {
		await rt.runCli(['import:credentials', `--input=${plain}`], options);
	} finally {
		fs.rmSync(plain, { force: true });
	}
}

/**
 * A credential that a starter names, created once with a generated secret (kept mode 600 beside
 * the owner's login, printed once at the start that made it), so that what the starter serves is
 * never open: the dashboard's Basic Auth login, the MCP server's bearer token.
 */
async function ensureSecretCredential(userFolder, options, spec) {
	const file = spec.file(userFolder);
	const saved = readJson(file);
	if (saved) return { ...saved, created: false };
	const wf = readJson(path.join(rt.REPO_ROOT, 'workflows', spec.starter));
	const ref = wf.nodes.find((n) => n.credentials?.[spec.type]).credentials[spec.type];
	const data = spec.make();
	await importCredentials(
		userFolder,
		[{ id: ref.id, name: ref.name, type: spec.type, data }],
		options,
	);
	writePrivate(file, data);
	return { ...data, created: true };
}

/** The dashboard's login (workflows/dashboard.json), so the dashboard is never served unprotected. */
const ensureDashboardLogin = (userFolder, options) =>
	ensureSecretCredential(userFolder, options, {
		file: dashboardLoginFile,
		starter: 'dashboard.json',
		type: 'httpBasicAuth',
		make: () => ({ user: 'monitor', password: rt.generatePassword() }),
	});

/** The MCP server's bearer token (workflows/mcp-server.json): no MCP client gets in without it. */
const ensureMcpToken = (userFolder, options) =>
	ensureSecretCredential(userFolder, options, {
		file: mcpTokenFile,
		starter: 'mcp-server.json',
		type: 'httpBearerAuth',
		make: () => ({ token: `mcp-${rt.generatePassword()}${rt.generatePassword()}` }),
	});

/**
 * Workflows already in n8n's database (id -> { name, active }). Read from its SQLite file
 * directly, which takes milliseconds where `n8n list:workflow` boots n8n; through the CLI when
 * n8n runs on PostgreSQL.
 */
async function existingWorkflows(userFolder, options) {
	const found = new Map();
	const dbType = (process.env.DB_TYPE || 'sqlite').toLowerCase();
	if (dbType === 'sqlite') {
		const file = path.resolve(
			n8nFolder(userFolder),
			process.env.DB_SQLITE_DATABASE || 'database.sqlite',
		);
		if (!fs.existsSync(file)) return found;
		// Node 24 still calls node:sqlite experimental and would print that on every start.
		const emit = process.emitWarning;
		process.emitWarning = () => {};
		const { DatabaseSync } = require('node:sqlite');
		process.emitWarning = emit;
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			for (const row of db.prepare('SELECT id, name, active FROM workflow_entity').all())
				found.set(String(row.id), { name: String(row.name), active: Boolean(row.active) });
		} finally {
			db.close();
		}
		return found;
	}
	for (const id of await rt.listWorkflowIds(options)) found.set(id, { name: id, active: false });
	return found;
}

/** A starter as n8n should get it: the endpoint check pointed at the port n8n listens on. */
function prepareStarter(file, port) {
	const text = fs.readFileSync(file, 'utf8').split(STARTER_ADDRESS).join(`127.0.0.1:${port}`);
	return JSON.parse(text);
}

const needsUserCredentials = (wf) => wf.meta?.templateCredsSetupCompleted === false;
const usesSelfApi = (wf) =>
	wf.nodes.some((n) => n.credentials?.n8nApi?.id === SELF_API_CREDENTIAL.id);

/** Imports all missing starters in one CLI call (one n8n boot instead of one per file). */
async function importStarters(starters, options) {
	if (starters.length === 0) return;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-monitoring-starters-'));
	try {
		for (const wf of starters)
			fs.writeFileSync(path.join(dir, `${wf.id}.json`), JSON.stringify(wf));
		await rt.runCli(['import:workflow', '--separate', `--input=${dir}`], options);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The owner account: created on the first start (login saved mode 600), else logged in with the
 * saved login. Returns a logged-in client, or undefined when this n8n's owner was set up by hand.
 */
async function ensureOwner(baseUrl, userFolder) {
	const saved = readJson(ownerFile(userFolder));
	if (await rt.needsOwnerSetup(baseUrl)) {
		const owner = {
			email: process.env.N8N_MONITORING_OWNER_EMAIL || 'admin@example.com',
			password: process.env.N8N_MONITORING_OWNER_PASSWORD || rt.generatePassword(),
		};
		const client = await rt.setupOwner(baseUrl, owner);
		writePrivate(ownerFile(userFolder), owner);
		const shown = process.env.N8N_MONITORING_OWNER_PASSWORD
			? '(from N8N_MONITORING_OWNER_PASSWORD)'
			: owner.password;
		return {
			client,
			owner,
			login: `${owner.email} / ${shown}  (created now; saved in ${ownerFile(userFolder)}, mode 600)`,
		};
	}
	if (saved?.email && saved?.password) {
		const client = await rt.login(baseUrl, saved.email, saved.password).catch(() => undefined);
		return {
			client,
			owner: saved,
			login: `${saved.email}  (password in ${ownerFile(userFolder)})`,
		};
	}
	return { client: undefined, owner: saved, login: 'the owner account already set up in this n8n' };
}

/** An API key that works: the saved one, or a new one made for the owner (saved mode 600). */
async function ensureApiKey(baseUrl, userFolder, owner) {
	const saved = readJson(ownerFile(userFolder)) || {};
	if (saved.apiKey) {
		const ok = await rt
			.publicApi(baseUrl, saved.apiKey, 'GET', '/workflows?limit=1')
			.then(() => true)
			.catch(() => false);
		if (ok) return { apiKey: saved.apiKey, created: false };
	}
	if (!owner.client) return { apiKey: undefined, created: false };
	const apiKey = await rt.createApiKey(owner.client, 'n8n-nodes-monitoring (npm start)');
	writePrivate(ownerFile(userFolder), { ...saved, ...owner.owner, apiKey });
	return { apiKey, created: true };
}

async function main() {
	const userFolder = path.resolve(process.env.N8N_USER_FOLDER || os.homedir());
	const state = readJson(startFile(userFolder)) || {};

	// A second `npm start` on the same folder would run two n8n on one database.
	if (state.port && !process.env.N8N_PORT) {
		const running = await fetch(`http://127.0.0.1:${state.port}/healthz`, {
			signal: AbortSignal.timeout(1_000),
		}).catch(() => undefined);
		if (running?.ok && state.pid && isAlive(state.pid)) {
			log(`n8n already runs for ${n8nFolder(userFolder)}: http://localhost:${state.port}/`);
			log(`stop it first (pid ${state.pid}) to start it again`);
			process.exit(1);
		}
	}
	const port = process.env.N8N_PORT
		? Number(process.env.N8N_PORT)
		: await rt.findFreePort(state.port || DEFAULT_PORT);
	const brokerPort = process.env.N8N_RUNNERS_BROKER_PORT
		? Number(process.env.N8N_RUNNERS_BROKER_PORT)
		: await rt.findFreePort(DEFAULT_BROKER_PORT);
	const options = { userFolder, brokerPort, timeoutMs: 300_000 };
	const portChanged = Boolean(state.port && state.port !== port);

	rt.ensureRuntime();
	// N8N_CUSTOM_EXTENSIONS would load the node as CUSTOM.monitoring; the starter workflows name
	// n8n-nodes-monitoring.monitoring, as an install from the Community Nodes page does.
	rt.linkPackage(userFolder, rt.REPO_ROOT);

	const workflowDir = path.join(rt.REPO_ROOT, 'workflows');
	const replaced = [...REPLACED_BY_COLLECTORS].map((name) =>
		prepareStarter(path.join(workflowDir, name), port),
	);
	const starters = fs
		.readdirSync(workflowDir)
		.filter((name) => name.endsWith('.json') && !REPLACED_BY_COLLECTORS.has(name))
		.sort()
		.map((name) => prepareStarter(path.join(workflowDir, name), port));
	const dashboardLogin = await ensureDashboardLogin(userFolder, options);
	const mcpToken = await ensureMcpToken(userFolder, options);
	const existing = await existingWorkflows(userFolder, options);
	const missing = starters.filter((wf) => !existing.has(wf.id));
	await importStarters(missing, options);
	if (missing.length) log(`imported ${missing.length} starter workflows`);

	const logFile = path.join(n8nFolder(userFolder), 'monitoring-n8n.log');
	// n8n's own /metrics, for the n8n starter's Process Health (CPU, memory, event-loop lag, HTTP
	// latency of n8n itself); served without login, on the address n8n listens on (127.0.0.1).
	const metricsEnv = {
		N8N_METRICS: process.env.N8N_METRICS || 'true',
		N8N_METRICS_INCLUDE_API_ENDPOINTS: process.env.N8N_METRICS_INCLUDE_API_ENDPOINTS || 'true',
	};
	// n8n pings its database every 2 s and, when a ping waits more than DB_PING_TIMEOUT_MS (5 s by
	// default) behind webhook lookups on its small SQLite pool, answers every request (editor, API,
	// every webhook) "503 Database is not ready!" until a ping gets through: seen with 200 readers
	// on a status page. 30 s lets those requests wait their turn instead (bench/status-page-load.js).
	const dbEnv = { DB_PING_TIMEOUT_MS: process.env.DB_PING_TIMEOUT_MS || '30000' };
	// What makes a poll cheaper (rt.LEAN_N8N_ENV), unless set otherwise in the environment.
	const leanEnv = () =>
		Object.fromEntries(Object.entries(rt.LEAN_N8N_ENV).map(([k, v]) => [k, process.env[k] ?? v]));
	const server = await rt.startN8n({
		...options,
		port,
		logFile,
		env: { ...leanEnv(), ...metricsEnv, ...dbEnv },
	});
	writePrivate(startFile(userFolder), { port, pid: process.pid });
	log(
		`n8n ${rt.N8N_VERSION} started in ${(server.startupMs / 1000).toFixed(1)} s (its log: ${logFile})`,
	);
	let stopping = false;
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping n8n`);
		await server.stop(20_000);
		writePrivate(startFile(userFolder), { port });
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGHUP', () => void stop('SIGHUP'));
	server.exited.then((code) => {
		if (stopping) return;
		log(`n8n exited (${code}); the end of its log:`);
		console.log(server.output().split('\n').slice(-20).join('\n'));
		process.exit(typeof code === 'number' && code !== 0 ? code : 1);
	});

	const owner = await ensureOwner(server.baseUrl, userFolder);
	const { apiKey, created: keyCreated } = await ensureApiKey(server.baseUrl, userFolder, owner);
	if (apiKey && (keyCreated || portChanged || !existing.has(starterUsingSelfApi(starters)?.id))) {
		await importCredentials(
			userFolder,
			[
				{
					...SELF_API_CREDENTIAL,
					type: 'n8nApi',
					data: { apiKey, baseUrl: `http://127.0.0.1:${port}/api/v1` },
				},
			],
			options,
		);
	}

	const waiting = [];
	if (apiKey) {
		for (const wf of missing) {
			if (needsUserCredentials(wf)) continue;
			await rt.activateWorkflow(server.baseUrl, apiKey, wf.id);
		}
		if (portChanged) await repointStarters(server.baseUrl, apiKey, starters, existing, port);
		// An n8n set up by an earlier npm start runs the scheduled starters: collectors.json, new
		// here, collects the same, so they are unpublished (not deleted) to collect once.
		const collectors = missing.find((wf) => wf.id === 'monCollectors01');
		const old = replaced.filter((wf) => existing.get(wf.id)?.active);
		if (collectors && old.length) {
			for (const wf of old) await rt.deactivateWorkflow(server.baseUrl, apiKey, wf.id);
			log(
				`${collectors.name} collects what ${old.map((wf) => wf.name).join(', ')} collected: unpublished them`,
			);
		}
	} else if (missing.length) {
		waiting.push(...missing.filter((wf) => !needsUserCredentials(wf)).map((wf) => wf.name));
		log(
			'no API key for this n8n (its owner was set up by hand): publish the starter workflows in the editor, ' +
				`and create an API key under Settings > n8n API for the credential "${SELF_API_CREDENTIAL.name}"`,
		);
	}
	const now = await existingWorkflows(userFolder, options);
	for (const wf of starters) {
		if (needsUserCredentials(wf) && !now.get(wf.id)?.active) waiting.push(wf.name);
	}

	const base = `http://localhost:${port}`;
	console.log('');
	log(`n8n ${rt.N8N_VERSION} is running. Ctrl-C stops it.`);
	log(`editor:            ${base}/`);
	log(`login:             ${owner.login}`);
	log(`dashboard:         ${base}/webhook/monitoring`);
	log(
		`dashboard login:   ${dashboardLogin.user} / ${
			dashboardLogin.created
				? dashboardLogin.password
				: `(password in ${dashboardLoginFile(userFolder)})`
		}`,
	);
	log(`MCP server:        ${base}/mcp/monitor  (README: "Ask the monitor")`);
	log(
		`MCP bearer token:  ${mcpToken.created ? mcpToken.token : `(in ${mcpTokenFile(userFolder)})`}`,
	);
	log(`monitoring store:  ${rt.defaultStorePath({ ...process.env, N8N_USER_FOLDER: userFolder })}`);
	const active = [...now.values()].filter((w) => w.active).map((w) => w.name);
	if (active.length) log(`active workflows: ${active.sort().join(', ')}`);
	if (waiting.length)
		log(
			`inactive until you set their credentials and publish them: ${[...new Set(waiting)].sort().join(', ')}`,
		);
	console.log('');
}

function starterUsingSelfApi(starters) {
	return starters.find(usesSelfApi);
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * n8n got another port than last time: the starters that call n8n itself (the endpoint check)
 * still name the old one. Rewrites their node parameters through the public API and republishes.
 */
async function repointStarters(baseUrl, apiKey, starters, existing, port) {
	for (const starter of starters) {
		if (!existing.has(starter.id)) continue;
		const wf = await rt.publicApi(baseUrl, apiKey, 'GET', `/workflows/${starter.id}`);
		const text = JSON.stringify(wf.nodes);
		const moved = text.replace(/127\.0\.0\.1:\d+(\/healthz)/g, `127.0.0.1:${port}$1`);
		if (moved === text) continue;
		await rt.publicApi(baseUrl, apiKey, 'PUT', `/workflows/${starter.id}`, {
			name: wf.name,
			nodes: JSON.parse(moved),
			connections: wf.connections,
			settings: wf.settings,
		});
		if (wf.active) await rt.activateWorkflow(baseUrl, apiKey, starter.id);
		log(`${wf.name}: now checks n8n on port ${port}`);
	}
}

main().catch((error) => {
	console.error(`[n8n-nodes-monitoring] FAILED: ${error && error.message ? error.message : error}`);
	process.exit(1);
});
