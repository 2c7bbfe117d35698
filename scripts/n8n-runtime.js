// Drives a real n8n 2.40.7 (from the cache that ensure-n8n.sh fills) for npm start, the end-to-end
// tests and the benchmarks: CLI commands, a server process, owner account and public-API key.
//
// Facts this relies on (n8n 2.40.7, checked against its dist/ code and by trying):
// - CLI commands (import:workflow, publish:workflow, list:workflow, execute) open the same
//   SQLite database as the server and run its migrations; publish:workflow says its change only
//   takes effect after a server restart, so workflows are imported and published before start.
// - import:workflow fails on a workflow id that exists and is published ("You do not have
//   permission to deactivate this workflow"), so callers import only ids that are missing.
// - A fresh database already has a "shell" owner user; import works before the owner is set up,
//   and POST /rest/owner/setup later turns that user into the real owner, keeping its workflows.
// - The auth cookie is bound to a `browser-id` header; every cookie request must send the same one.
// - NODE_ENV=test (set by jest) makes n8n refuse to load nodes ("Not available in tests").
// - N8N_CUSTOM_EXTENSIONS loads nodes under the package name "CUSTOM" (type CUSTOM.monitoring),
//   so workflows written for the installed package (n8n-nodes-monitoring.monitoring) would not
//   find the node. n8n loads every n8n-nodes-* folder in <user folder>/.n8n/nodes/node_modules
//   under its package.json name (community-packages module, scanDirectoryForPackages), symlinks
//   included, so a local build is linked there instead (linkPackage).
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const REPO_ROOT = path.join(__dirname, '..');
const N8N_VERSION = process.env.N8N_VERSION || '2.40.7';
const NODE_VERSION = process.env.N8N_NODE_VERSION || '24.21.0';
const BROWSER_ID = 'n8n-nodes-monitoring-runtime';

let runtimeCache;

/** Installs n8n and Node.js 24 into the cache once (minutes the first time) and returns their paths. */
function ensureRuntime() {
	if (runtimeCache) return runtimeCache;
	const out = execFileSync('bash', [path.join(__dirname, 'ensure-n8n.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		env: { ...process.env, N8N_VERSION, N8N_NODE_VERSION: NODE_VERSION },
	});
	const cacheDir = out.trim().split('\n').pop();
	const nodeDir = path.join(cacheDir, `node-${NODE_VERSION}`);
	const n8nDir = path.join(cacheDir, `n8n-${N8N_VERSION}`);
	runtimeCache = {
		cacheDir,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nDir,
		// The bin shim is a symlink to n8n/bin/n8n; running it with our node avoids its shebang.
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	return runtimeCache;
}

/**
 * A TCP port nobody listens on right now and no other process of ours has been handed: `preferred`
 * if it is free, else one from below the kernel's ephemeral range. A port the kernel picks (bind to
 * port 0) is free only until the next socket, in any process, is given the same one, and n8n binds
 * its ports seconds later; below the ephemeral range only an explicit bind can take it, and every
 * process that uses this function (parallel jest workers, npm start, benchmarks) first claims the
 * port with a lock file that names its pid, so no two of them get the same one.
 */
async function findFreePort(preferred) {
	// The preferred port is claimed too: two npm starts (or a test's and a user's) at once would
	// otherwise both find 5679 free and the later n8n fail on "port 5679 is already in use".
	if (preferred && !handedOut.has(preferred) && claimPort(preferred)) {
		const got = await tryPort(preferred);
		if (got) return remember(got);
	}
	const [low, high] = claimablePorts();
	if (low > high) return await kernelPort();
	const span = high - low + 1;
	const start = crypto.randomInt(span);
	for (let i = 0; i < Math.min(span, 500); i++) {
		const port = low + ((start + i) % span);
		if (handedOut.has(port) || !claimPort(port)) continue;
		if (await tryPort(port)) return remember(port);
	}
	throw new Error(`no free TCP port on 127.0.0.1 in ${low}-${high}`);
}

function tryPort(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(undefined));
		server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
			// A server listening on a TCP port has an AddressInfo (a string is a pipe's name).
			const { port: got } = /** @type {import('node:net').AddressInfo} */ (server.address());
			server.close(() => resolve(got));
		});
	});
}

/** Where the kernel hands out no ports of its own: from 20000 to below its ephemeral range. */
function claimablePorts() {
	let ephemeralLow = 32768;
	try {
		const [first] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/);
		if (Number(first) > 0) ephemeralLow = Number(first);
	} catch {
		// Not Linux: the common default.
	}
	return [20000, Math.min(ephemeralLow, 65536) - 1];
}

/** The old way, where no range is left below the ephemeral one. */
async function kernelPort() {
	// The kernel may offer a just-closed port again; two calls in a row (server and task broker)
	// must not get the same one.
	for (let attempt = 0; attempt < 20; attempt++) {
		const got = await tryPort(0);
		if (got && !handedOut.has(got)) return remember(got);
	}
	throw new Error('no free TCP port on 127.0.0.1');
}

const PORT_LOCKS = path.join(require('node:os').tmpdir(), 'n8n-nodes-monitoring-ports');

/** Creates the port's lock file for this process; takes over one whose process has died. */
function claimPort(port) {
	fs.mkdirSync(PORT_LOCKS, { recursive: true });
	const file = path.join(PORT_LOCKS, String(port));
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
			claimed.add(file);
			return true;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		let owner;
		try {
			owner = Number(fs.readFileSync(file, 'utf8').trim());
		} catch {
			return false;
		}
		// Empty: its creator has not written its pid yet.
		if (!owner || isAlive(owner)) return false;
		// Two processes may find the same stale file; only one of them removes it and wins the
		// exclusive create above, the other sees EEXIST (or ENOENT here) and moves on.
		try {
			fs.unlinkSync(file);
		} catch {
			return false;
		}
	}
	return false;
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

const handedOut = new Set();
const claimed = new Set();
function remember(port) {
	handedOut.add(port);
	return port;
}

/**
 * Environment for any n8n process: isolated user folder, quiet (no telemetry, no version or
 * personalization prompts), and every port chosen by the caller so that several n8n processes
 * (a server plus CLI commands, or parallel test runs) never collide on the task broker's 5679.
 */
function n8nEnv(options = {}) {
	const { nodeDir } = ensureRuntime();
	const env = { ...process.env };
	// jest sets NODE_ENV=test, which n8n reads as "running inside n8n's own unit tests".
	delete env.NODE_ENV;
	for (const key of Object.keys(env)) if (key.startsWith('JEST_')) delete env[key];
	Object.assign(env, {
		PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH || ''}`,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PYTHON_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info',
	});
	if (options.userFolder) env.N8N_USER_FOLDER = options.userFolder;
	if (options.customExtensions === false) delete env.N8N_CUSTOM_EXTENSIONS;
	else if (options.customExtensions) env.N8N_CUSTOM_EXTENSIONS = options.customExtensions;
	if (options.port) env.N8N_PORT = String(options.port);
	if (options.brokerPort) env.N8N_RUNNERS_BROKER_PORT = String(options.brokerPort);
	// An `env` entry set to undefined removes an inherited variable.
	for (const [key, value] of Object.entries(options.env || {})) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

/**
 * Settings of n8n that cost it less CPU per poll and execution, which npm start runs n8n with
 * and the README recommends. n8n 2.x evaluates expressions in an isolate and, by default, takes
 * one from its pool for every poll and execution before it knows whether any parameter holds an
 * expression (~7 ms of CPU per Collector Trigger poll here, whose parameters hold none); with lazy
 * acquisition it takes one at the first expression. Expressions run in the same isolate as before.
 */
const LEAN_N8N_ENV = Object.freeze({ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' });

// Process groups we started and have not seen exit, killed hard if this process exits first.
const liveGroups = new Set();
process.on('exit', () => {
	for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	for (const file of claimed) fs.rmSync(file, { force: true });
});

/**
 * For plain Node.js scripts (benchmarks): on SIGINT/SIGTERM/SIGHUP, kill the n8n processes
 * started here at once, then die of the same signal. Not for start.js, which stops n8n gracefully,
 * and useless inside jest, whose sandboxed `process` never receives signals.
 */
function killChildrenOnSignals() {
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(signal, () => {
			for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
			process.kill(process.pid, signal);
		});
	}
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function spawnN8n(args, env, stdio) {
	const { nodeBin, n8nBin } = ensureRuntime();
	// Own process group: n8n starts task-runner children; stopping must reach them too. The
	// supervisor leads the group and stops n8n if this process dies without doing so.
	const supervisor = path.join(__dirname, 'n8n-supervise.js');
	const child = spawn(nodeBin, [supervisor, nodeBin, n8nBin, ...args], {
		env,
		detached: true,
		stdio,
		cwd: REPO_ROOT,
	});
	liveGroups.add(child.pid);
	child.once('exit', () => {
		// The leader is gone; runner children die with their broker, but make sure.
		killGroup(child.pid, 'SIGKILL');
		liveGroups.delete(child.pid);
	});
	return child;
}

/**
 * Runs one n8n CLI command to completion. Resolves with its exit code and output; rejects only
 * on timeout (after killing it) or, with `check` (default true), on a non-zero exit code.
 */
async function runCli(args, options = {}) {
	const { timeoutMs = 180_000, check = true } = options;
	const brokerPort = options.brokerPort || (await findFreePort());
	const env = n8nEnv({ ...options, brokerPort, port: options.port || (await findFreePort()) });
	const started = Date.now();
	const child = spawnN8n(args, env, ['ignore', 'pipe', 'pipe']);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	const code = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			killGroup(child.pid, 'SIGKILL');
			reject(
				new Error(
					`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${tail(stdout + stderr)}`,
				),
			);
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('exit', (exitCode, signal) => {
			clearTimeout(timer);
			// A signal as a shell reports it: SIGSEGV is 139.
			resolve(exitCode ?? (signal ? 128 + (require('node:os').constants.signals[signal] ?? 0) : 1));
		});
	});
	const result = { code, stdout, stderr, durationMs: Date.now() - started };
	if (check && code !== 0) {
		throw new Error(`n8n ${args.join(' ')} exited with ${code}\n${tail(stdout + stderr)}`);
	}
	return result;
}

function tail(text, lines = 40) {
	return text.split('\n').slice(-lines).join('\n');
}

/** Ids of the workflows in the user folder's database (all, or only active ones). */
async function listWorkflowIds(options = {}) {
	const args = ['list:workflow', '--onlyId'];
	if (options.active !== undefined) args.push(`--active=${options.active}`);
	const { stdout } = await runCli(args, options);
	return stdout
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => /^[A-Za-z0-9]{1,36}$/.test(line));
}

async function importWorkflow(file, options = {}) {
	return await runCli(['import:workflow', `--input=${file}`], options);
}

/** Publishing is 2.x's activation; a running server only notices it after a restart. */
async function publishWorkflow(id, options = {}) {
	return await runCli(['publish:workflow', `--id=${id}`], options);
}

/** `n8n execute` starts at the workflow's Manual Trigger; resolves once the run has finished. */
async function executeWorkflow(id, options = {}) {
	const result = await runCli(['execute', `--id=${id}`], { check: false, ...options });
	const run = parseExecuteOutput(result.stdout);
	// n8n 2.40's `execute` ends with process.exit() without disposing its isolated-vm expression
	// engine: isolated-vm's thread pool destructor then races an isolate thread still in V8, and
	// the process dies of SIGSEGV (exit 139) after the run is finished and saved. Seen 3 in 30
	// runs of the host starter and 10 in 12 of a Set-node workflow without this package, under
	// CPU load (backtrace: ivm::thread_pool_t::~thread_pool_t in __run_exit_handlers). Only that
	// exit, after a run n8n itself reported finished and successful, counts as the run's result.
	const crashedAtExit = result.code === 139 && run?.finished === true && run?.status === 'success';
	// execute prints "Execution was NOT successful" and exits 1 when a node failed.
	if (
		options.check !== false &&
		((result.code !== 0 && !crashedAtExit) || /NOT successful/.test(result.stdout))
	) {
		throw new Error(
			`n8n execute --id=${id} failed (${result.code})\n${tail(result.stdout + result.stderr)}`,
		);
	}
	return { ...result, run, crashedAtExit };
}

/**
 * The run data `n8n execute` prints after "Execution was successful:" (log lines may follow it),
 * or undefined. `run.data.resultData.runData[nodeName][0].data.main[0]` holds a node's items.
 */
function parseExecuteOutput(stdout) {
	const marker = stdout.indexOf('Execution was successful:');
	if (marker === -1) return undefined;
	const start = stdout.indexOf('{', marker);
	if (start === -1) return undefined;
	// The JSON is pretty-printed, so it ends at a line that is exactly "}".
	let end = stdout.indexOf('\n}', start);
	while (end !== -1) {
		try {
			return JSON.parse(stdout.slice(start, end + 2));
		} catch {
			end = stdout.indexOf('\n}', end + 2);
		}
	}
	return undefined;
}

/** The items a node output in a run parsed by parseExecuteOutput. */
function nodeOutput(run, nodeName) {
	const runs = run && run.data && run.data.resultData.runData[nodeName];
	if (!runs || !runs.length) return [];
	return ((runs[0].data && runs[0].data.main && runs[0].data.main[0]) || []).map((i) => i.json);
}

/**
 * Imports every workflow file whose id is not in the database yet and publishes the ones it
 * imported (if `publish`). Existing workflows are left alone: the user may have edited or
 * unpublished them, and re-importing a published one fails anyway.
 */
async function importMissingWorkflows(files, options = {}) {
	const existing = new Set(await listWorkflowIds(options));
	const imported = [];
	const inactive = [];
	const skipped = [];
	for (const file of files) {
		const { id, meta } = JSON.parse(fs.readFileSync(file, 'utf8'));
		if (!id) throw new Error(`${file} has no workflow id; starter workflows need a stable one`);
		if (existing.has(id)) {
			skipped.push(id);
			continue;
		}
		await importWorkflow(file, options);
		// A workflow that needs the user's own credentials first (Slack, Telegram, SMTP for alerts)
		// is imported inactive, as n8n marks a template whose credentials are not set up yet.
		const needsCredentials = meta?.templateCredsSetupCompleted === false;
		if (options.publish !== false && !needsCredentials) await publishWorkflow(id, options);
		(needsCredentials ? inactive : imported).push(id);
	}
	return { imported, inactive, skipped };
}

/**
 * @param {string} baseUrl
 * @param {{ timeoutMs?: number, child?: import('node:child_process').ChildProcess, worker?: boolean }} [options]
 */
async function waitForHealth(baseUrl, { timeoutMs = 120_000, child, worker = false } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		if (child && child.exitCode !== null) {
			throw new Error(`n8n exited with ${child.exitCode} before it was healthy`);
		}
		try {
			if (worker) {
				// A worker has no REST routes; its readiness check answers once its database and
				// Redis connections are up.
				const ready = await fetch(`${baseUrl}/healthz/readiness`, {
					signal: AbortSignal.timeout(2_000),
				});
				if (ready.ok) return;
				lastError = new Error(`${ready.url} answered ${ready.status} (not ready yet)`);
				await sleep(250);
				continue;
			}
			// /healthz answers as soon as the port is open, before the REST routes exist (a POST
			// to /rest/owner/setup then gets 404); /rest/settings answers once they are mounted.
			const health = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
			const settings = health.ok
				? await fetch(`${baseUrl}/rest/settings`, { signal: AbortSignal.timeout(5_000) })
				: health;
			// While a fresh database migrates, /rest/settings answers 200 with the text "n8n is
			// starting up"; only its JSON means the REST routes are ready.
			if (settings.ok && (settings.headers.get('content-type') || '').includes('json')) return;
			lastError = new Error(`${settings.url} answered ${settings.status} (not ready yet)`);
		} catch (error) {
			lastError = error;
		}
		await sleep(250);
	}
	throw new Error(`n8n not healthy at ${baseUrl} within ${timeoutMs} ms: ${lastError}`);
}

/**
 * Starts `n8n start` (or, with `worker: { concurrency }`, a queue-mode `n8n worker` whose health
 * server listens on `port`) and resolves once it is healthy. The returned handle's stop() must be
 * called (tests: in afterAll); the process is also killed if this Node.js process exits.
 */
async function startN8n(options = {}) {
	const port = options.port || (await findFreePort());
	const brokerPort = options.brokerPort || (await findFreePort());
	const env = n8nEnv({ ...options, port, brokerPort });
	if (options.worker) {
		env.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
		env.QUEUE_HEALTH_CHECK_PORT = String(port);
	}
	const logFile = options.logFile;
	const stdio = options.inheritOutput
		? ['ignore', 'inherit', 'inherit']
		: ['ignore', 'pipe', 'pipe'];
	const started = Date.now();
	const args = options.worker
		? ['worker', `--concurrency=${options.worker.concurrency ?? 10}`]
		: ['start'];
	const child = spawnN8n(args, env, stdio);
	let output = '';
	const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
	const onData = (d) => {
		output = (output + d).slice(-200_000);
		if (logStream) logStream.write(d);
	};
	if (child.stdout) child.stdout.on('data', onData);
	if (child.stderr) child.stderr.on('data', onData);
	const exited = new Promise((resolve) => child.once('exit', resolve));

	const baseUrl = `http://127.0.0.1:${port}`;
	const handle = {
		baseUrl,
		editorUrl: `http://localhost:${port}`,
		port,
		pid: child.pid,
		child,
		exited,
		output: () => output,
		startupMs: undefined,
		async stop(graceMs = 15_000) {
			await stopProcess(child, exited, graceMs);
			if (logStream) await new Promise((resolve) => logStream.end(resolve));
		},
	};
	try {
		await waitForHealth(baseUrl, {
			timeoutMs: options.healthTimeoutMs || 120_000,
			child,
			worker: Boolean(options.worker),
		});
	} catch (error) {
		await handle.stop(2_000);
		error.message += `\n${tail(output)}`;
		throw error;
	}
	handle.startupMs = Date.now() - started;
	return handle;
}

/** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader has exited. */
async function stopProcess(child, exited, graceMs = 15_000) {
	if (child.exitCode !== null || child.signalCode !== null) {
		killGroup(child.pid, 'SIGKILL');
		return;
	}
	killGroup(child.pid, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	killGroup(child.pid, 'SIGKILL');
}

/** A small cookie-carrying REST client for n8n's internal API (/rest/...). */
function restClient(baseUrl) {
	let cookie = '';
	async function request(method, urlPath, body, headers = {}) {
		const res = await fetch(`${baseUrl}${urlPath}`, {
			method,
			headers: {
				'browser-id': BROWSER_ID,
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...(cookie ? { cookie } : {}),
				...headers,
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(30_000),
		});
		const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
		for (const c of setCookie) {
			const [pair] = c.split(';');
			if (pair.startsWith('n8n-auth=')) cookie = pair;
		}
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return { status: res.status, ok: res.ok, json, text };
	}
	return {
		request,
		get cookie() {
			return cookie;
		},
	};
}

/** Whether the instance still shows the owner-setup screen. */
async function needsOwnerSetup(baseUrl) {
	const { json } = await restClient(baseUrl).request('GET', '/rest/settings');
	return Boolean(json && json.data && json.data.userManagement.showSetupOnFirstLoad);
}

/**
 * Creates the owner account (POST /rest/owner/setup) and returns a logged-in client.
 * Passwords need 8-64 characters with a digit and an upper-case letter.
 */
async function setupOwner(baseUrl, owner) {
	const client = restClient(baseUrl);
	const res = await client.request('POST', '/rest/owner/setup', {
		email: owner.email,
		firstName: owner.firstName || 'Monitoring',
		lastName: owner.lastName || 'Admin',
		password: owner.password,
	});
	if (!res.ok) throw new Error(`owner setup failed: ${res.status} ${res.text.slice(0, 300)}`);
	return client;
}

async function login(baseUrl, email, password) {
	const client = restClient(baseUrl);
	const res = await client.request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	if (!res.ok) throw new Error(`login failed: ${res.status} ${res.text.slice(0, 300)}`);
	return client;
}

/** Creates a public-API key with every scope the user's role allows; returns the raw key. */
async function createApiKey(client, label = 'n8n-nodes-monitoring') {
	const scopes = await client.request('GET', '/rest/api-keys/scopes');
	if (!scopes.ok) throw new Error(`GET /rest/api-keys/scopes: ${scopes.status} ${scopes.text}`);
	const res = await client.request('POST', '/rest/api-keys', {
		label,
		scopes: scopes.json.data,
		expiresAt: null,
	});
	if (!res.ok) throw new Error(`POST /rest/api-keys: ${res.status} ${res.text.slice(0, 300)}`);
	return res.json.data.rawApiKey;
}

/** GET/POST on the public API (/api/v1/...) with an API key. */
async function publicApi(baseUrl, apiKey, method, urlPath, body) {
	const res = await fetch(`${baseUrl}/api/v1${urlPath}`, {
		method,
		headers: {
			'X-N8N-API-KEY': apiKey,
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
		},
		body: body !== undefined ? JSON.stringify(body) : undefined,
		signal: AbortSignal.timeout(30_000),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} /api/v1${urlPath}: ${res.status} ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : undefined;
}

const PACKAGE_NAME = 'n8n-nodes-monitoring';

/** Where n8n keeps community packages for a user folder (N8N_USER_FOLDER, not its .n8n). */
function nodesDir(userFolder) {
	return path.join(userFolder, '.n8n', 'nodes');
}

/**
 * Links a package folder (default: this repository, built) into the user folder's community
 * packages so n8n loads it as n8n-nodes-monitoring. Replaces an older link; refuses to replace a
 * real install (from Settings > Community Nodes), which the user would lose.
 */
function linkPackage(userFolder, packageDir = REPO_ROOT) {
	const link = path.join(nodesDir(userFolder), 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(path.dirname(link), { recursive: true });
	let stat;
	try {
		stat = fs.lstatSync(link);
	} catch {
		stat = undefined;
	}
	if (stat && !stat.isSymbolicLink()) {
		throw new Error(
			`${link} is an installed copy of ${PACKAGE_NAME} (Settings > Community Nodes); ` +
				'uninstall it there, or remove that folder, to run this checkout instead',
		);
	}
	if (stat) {
		if (path.resolve(path.dirname(link), fs.readlinkSync(link)) === path.resolve(packageDir)) {
			return link;
		}
		fs.unlinkSync(link);
	}
	fs.symlinkSync(path.resolve(packageDir), link, 'dir');
	return link;
}

/** Publishes (activates) a workflow in a running n8n, which also starts its triggers. */
async function activateWorkflow(baseUrl, apiKey, id) {
	return await publicApi(baseUrl, apiKey, 'POST', `/workflows/${id}/activate`);
}

async function deactivateWorkflow(baseUrl, apiKey, id) {
	return await publicApi(baseUrl, apiKey, 'POST', `/workflows/${id}/deactivate`);
}

/** A password n8n accepts (upper, lower, digit; 24 characters). */
function generatePassword() {
	return `Mn1${crypto.randomBytes(18).toString('base64url')}`.slice(0, 24);
}

/** The SQLite store the Monitoring node writes to when it has no credential. */
function defaultStorePath(env = process.env) {
	if (env.N8N_MONITORING_SQLITE_PATH) return env.N8N_MONITORING_SQLITE_PATH;
	const base = env.N8N_USER_FOLDER || require('node:os').homedir();
	return path.join(base, '.n8n', 'monitoring.sqlite');
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
	LEAN_N8N_ENV,
	REPO_ROOT,
	PACKAGE_NAME,
	nodesDir,
	linkPackage,
	N8N_VERSION,
	ensureRuntime,
	findFreePort,
	n8nEnv,
	runCli,
	listWorkflowIds,
	importWorkflow,
	publishWorkflow,
	executeWorkflow,
	parseExecuteOutput,
	nodeOutput,
	importMissingWorkflows,
	waitForHealth,
	startN8n,
	stopProcess,
	restClient,
	needsOwnerSetup,
	setupOwner,
	login,
	createApiKey,
	publicApi,
	activateWorkflow,
	deactivateWorkflow,
	killChildrenOnSignals,
	generatePassword,
	defaultStorePath,
	sleep,
};
