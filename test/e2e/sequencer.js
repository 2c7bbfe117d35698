// Order of the end-to-end and browser files over the parallel workers: the longest first, so that
// no long file starts last and runs alone at the end (longest-processing-time-first). The figures
// are seconds measured in one run on 2 busy cores; jest's own order (the durations it cached in a
// previous run, else file size) is unknown on a fresh checkout and was poor in practice. A file
// not listed here goes last, in jest's order.
'use strict';

const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const SECONDS = {
	'e2e/concurrency.test.ts': 347,
	'e2e/crash-safety.test.ts': 271,
	'e2e/alerts.test.ts': 261,
	'e2e/first-start.test.ts': 174,
	'e2e/install-scripts.test.ts': 160,
	'e2e/dashboard.test.ts': 131,
	'e2e/queue-mode.test.ts': 94,
	'browser/dashboard.test.ts': 80,
	'e2e/n8n-executions.test.ts': 72,
	'e2e/community-install.test.ts': 46,
	'e2e/database-metrics.test.ts': 41,
	'e2e/n8n-schedule.test.ts': 31,
	'browser/charts.test.ts': 39,
	'e2e/n8n-execute.test.ts': 20,
	'browser/fleet.test.ts': 21,
	'browser/xss-names.test.ts': 18,
	'e2e/gpu-metrics.test.ts': 15,
	'browser/truth.test.ts': 7,
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
