// @ts-check
// Runs one command (an n8n process) and stops it when the process that started us goes away.
// Usage: node n8n-supervise.js COMMAND [ARGS...]
//
// Why: n8n runs in its own process group (so that stopping it reaches its task runners, and so
// that a terminal's Ctrl-C is handled by whoever started it). That also means nothing stops it
// when its starter dies without cleaning up: jest's sandbox cannot hook the real process's signal
// or exit events, and a killed test run would leave n8n holding its ports and files. This
// supervisor is the group's leader; it watches its parent and takes the group down when the
// parent is gone. Signals sent to the group already reach n8n, so it only waits for n8n then.
'use strict';

const { spawn } = require('node:child_process');

const [command, ...args] = process.argv.slice(2);
const parent = process.ppid;
const child = spawn(command, args, { stdio: 'inherit' });

// Group signals reach n8n directly; forwarding them again could make n8n skip its clean shutdown.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => {});

const watch = setInterval(() => {
	// process.ppid is read live: once the parent is gone we have been re-parented.
	if (process.ppid === parent) return;
	clearInterval(watch);
	try {
		child.kill('SIGTERM');
	} catch {
		// already gone
	}
	setTimeout(() => {
		try {
			process.kill(-process.pid, 'SIGKILL');
		} catch {
			process.exit(1);
		}
	}, 15_000).unref();
}, 500);

child.on('error', (error) => {
	console.error(`n8n-supervise: ${error.message}`);
	process.exit(127);
});
child.on('exit', (code, signal) => {
	clearInterval(watch);
	process.exit(code ?? (signal ? 128 + (require('node:os').constants.signals[signal] || 0) : 1));
});
