// Order of the end-to-end and browser files over the parallel workers: the longest first, so that
// no long file starts last and runs alone at the end (longest-processing-time-first). The figures
// are seconds measured in one run of three workers on 2 cores at load 8-14 (crash-safety scaled
// to its 12 rounds); jest's own order (the durations it cached in a
// previous run, else file size) is unknown on a fresh checkout and was poor in practice. A file
// not listed here goes last, in jest's order.
'use strict';

const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const SECONDS = {
	'e2e/install-scripts.test.ts': 401,
	// Measured alone at load ~20 (472 s), guessed down to the others' load.
	'e2e/alert-ack.test.ts': 400,
	'e2e/crash-safety.test.ts': 320,
	'e2e/dashboard.test.ts': 302,
	'e2e/alerts-inhibit.test.ts': 265,
	'e2e/alerts.test.ts': 246,
	'e2e/concurrency.test.ts': 225,
	'e2e/first-start.test.ts': 210,
	'e2e/n8n-executions.test.ts': 187,
	'e2e/queue-mode.test.ts': 143,
	// Measured alone (142 s, seeding 30 hours of samples included).
	'e2e/mcp-server.test.ts': 142,
	'e2e/community-install.test.ts': 134,
	'e2e/database-metrics.test.ts': 117,
	'e2e/container-metrics.test.ts': 100,
	'browser/dashboard.test.ts': 99,
	'e2e/n8n-schedule.test.ts': 97,
	'e2e/status-page.test.ts': 80,
	'e2e/n8n-execute.test.ts': 61,
	// One n8n start and one collection; guessed from n8n-execute's start.
	'e2e/n8n-metrics-off.test.ts': 50,
	'browser/charts.test.ts': 60,
	'browser/fleet.test.ts': 46,
	'e2e/gpu-metrics.test.ts': 38,
	'browser/status-page.test.ts': 35,
	'browser/incidents.test.ts': 25,
	'browser/xss-names.test.ts': 21,
	'browser/lifecycle.test.ts': 13,
	'browser/truth.test.ts': 12,
	'browser/n8n-view.test.ts': 20,
};

function expected(test) {
	const [, key] = /[\\/]test[\\/](.*)$/.exec(test.path) ?? [];
	return SECONDS[key?.split(path.sep).join('/')] ?? -1;
}

class LongestFirst extends Sequencer {
	sort(tests) {
		const byJest = super.sort(tests);
		return byJest
			.map((test, index) => ({ test, index }))
			.sort((a, b) => expected(b.test) - expected(a.test) || a.index - b.index)
			.map(({ test }) => test);
	}
}

module.exports = LongestFirst;
