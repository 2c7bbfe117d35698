// npm start (through scripts/start.sh, which builds first): runs this checkout in a real n8n on
// 127.0.0.1 with the user's normal ~/.n8n, imports and publishes the starter workflows that are
// missing, creates the owner account once, and stays in the foreground until Ctrl-C.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const rt = require('./n8n-runtime');

const DEFAULT_PORT = 5678;
const DEFAULT_BROKER_PORT = 5679;

function log(message) {
	console.log(`[n8n-nodes-monitoring] ${message}`);
}

function dashboardLoginFile(userFolder) {
	return path.join(userFolder, '.n8n', 'monitoring-dashboard.json');
}

/**
 * The Basic Auth credential that workflows/dashboard.json names, created once with a generated
 * password (kept mode 600 beside the owner's login), so the dashboard is never served unprotected.
 */
async function ensureDashboardLogin(userFolder, options) {
	const file = dashboardLoginFile(userFolder);
	if (fs.existsSync(file)) return { ...JSON.parse(fs.readFileSync(file, 'utf8')), created: false };
	const wf = JSON.parse(
		fs.readFileSync(path.join(rt.REPO_ROOT, 'workflows', 'dashboard.json'), 'utf8'),
	);
	const ref = wf.nodes.find((n) => n.type.endsWith('.monitoringDashboard')).credentials
		.httpBasicAuth;
	const login = { user: 'monitor', password: rt.generatePassword() };
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const plain = path.join(path.dirname(file), `.credential-${process.pid}.json`);
	fs.writeFileSync(
		plain,
		JSON.stringify([{ id: ref.id, name: ref.name, type: 'httpBasicAuth', data: login }]),
		{ mode: 0o600 },
	);
	try {
		await rt.runCli(['import:credentials', `--input=${plain}`], options);
	} finally {
		fs.rmSync(plain, { force: true });
	}
	const fd = fs.openSync(file, 'w', 0o600);
	try {
		fs.fchmodSync(fd, 0o600);
		fs.writeSync(fd, `${JSON.stringify(login, null, 2)}\n`);
	} finally {
		fs.closeSync(fd);
	}
	return { ...login, created: true };
}

function ownerFile(userFolder) {
	return path.join(userFolder, '.n8n', 'monitoring-owner.json');
}

/** Writes the owner's login where only this user can read it (mode 600, set before writing). */
function saveOwner(userFolder, owner) {
	const file = ownerFile(userFolder);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const fd = fs.openSync(file, 'w', 0o600);
	try {
		fs.fchmodSync(fd, 0o600);
		fs.writeSync(
			fd,
			`${JSON.stringify({ email: owner.email, password: owner.password }, null, 2)}\n`,
		);
	} finally {
		fs.closeSync(fd);
	}
	return file;
}

async function main() {
	const userFolder = path.resolve(process.env.N8N_USER_FOLDER || require('node:os').homedir());
	const port = process.env.N8N_PORT
		? Number(process.env.N8N_PORT)
		: await rt.findFreePort(DEFAULT_PORT);
	const brokerPort = process.env.N8N_RUNNERS_BROKER_PORT
		? Number(process.env.N8N_RUNNERS_BROKER_PORT)
		: await rt.findFreePort(DEFAULT_BROKER_PORT);
	const options = { userFolder, brokerPort, timeoutMs: 300_000 };

	rt.ensureRuntime();
	// N8N_CUSTOM_EXTENSIONS would load the node as CUSTOM.monitoring; the starter workflows name
	// n8n-nodes-monitoring.monitoring, as an install from the Community Nodes page does.
	const link = rt.linkPackage(userFolder, rt.REPO_ROOT);
	log(`linked ${link} -> ${rt.REPO_ROOT}`);

	const workflowDir = path.join(rt.REPO_ROOT, 'workflows');
	const files = fs
		.readdirSync(workflowDir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => path.join(workflowDir, name));
	const dashboardLogin = await ensureDashboardLogin(userFolder, options);
	// Before start: a running n8n only sees CLI publishing after a restart.
	const { imported, inactive, skipped } = await rt.importMissingWorkflows(files, options);
	if (imported.length) log(`imported and published workflows: ${imported.join(', ')}`);
	if (inactive.length)
		log(
			`imported, inactive until you set their credentials and publish them: ${inactive.join(', ')}`,
		);
	if (skipped.length) log(`already there, left as they are: ${skipped.join(', ')}`);

	const server = await rt.startN8n({ ...options, port, inheritOutput: true });
	let stopping = false;
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping n8n`);
		await server.stop(20_000);
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGHUP', () => void stop('SIGHUP'));
	server.exited.then((code) => {
		if (stopping) return;
		log(`n8n exited (${code})`);
		process.exit(typeof code === 'number' && code !== 0 ? code : 1);
	});

	let login;
	if (await rt.needsOwnerSetup(server.baseUrl)) {
		const owner = {
			email: process.env.N8N_MONITORING_OWNER_EMAIL || 'admin@example.com',
			password: process.env.N8N_MONITORING_OWNER_PASSWORD || rt.generatePassword(),
		};
		await rt.setupOwner(server.baseUrl, owner);
		const file = saveOwner(userFolder, owner);
		const shown = process.env.N8N_MONITORING_OWNER_PASSWORD
			? '(from N8N_MONITORING_OWNER_PASSWORD)'
			: owner.password;
		login = `${owner.email} / ${shown}  (created now; saved in ${file}, mode 600)`;
	} else if (fs.existsSync(ownerFile(userFolder))) {
		const { email } = JSON.parse(fs.readFileSync(ownerFile(userFolder), 'utf8'));
		login = `${email}  (password in ${ownerFile(userFolder)})`;
	} else {
		login = 'the owner account already set up in this n8n';
	}

	const storePath = rt.defaultStorePath({ ...process.env, N8N_USER_FOLDER: userFolder });
	console.log('');
	log(`n8n ${rt.N8N_VERSION} is running. Ctrl-C stops it.`);
	log(`editor:            ${server.editorUrl}`);
	log(`login:             ${login}`);
	log(`monitoring store:  ${storePath}`);
	log(`dashboard:         ${server.baseUrl}/webhook/monitoring`);
	log(
		`dashboard login:   ${dashboardLogin.user} / ${
			dashboardLogin.created
				? dashboardLogin.password
				: `(password in ${dashboardLoginFile(userFolder)})`
		}`,
	);
	log(`n8n start to ready: ${server.startupMs} ms`);
	console.log('');
}

main().catch((error) => {
	console.error(`[n8n-nodes-monitoring] ${error && error.stack ? error.stack : error}`);
	process.exit(1);
});
