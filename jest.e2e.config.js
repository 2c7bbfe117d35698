/**
 * End-to-end tests (a real n8n per file) and browser tests (real Chromium). Each file has its own
 * temp user folder, store, PostgreSQL or Redis and ports (scripts/n8n-runtime.js findFreePort), so
 * files run on three workers, the longest first (test/e2e/sequencer.js): about half of the tier's
 * time is waiting (schedules, a trigger's minute polls, a 5-minute load), which the files that keep
 * a core busy fill. E2E_WORKERS=1 runs them one at a time again.
 */
const base = require('./jest.config');

module.exports = {
	...base,
	testPathIgnorePatterns: [],
	testMatch: ['**/test/e2e/**/*.test.ts', '**/test/browser/**/*.test.ts'],
	testSequencer: '<rootDir>/test/e2e/sequencer.js',
	testTimeout: 300_000,
	maxWorkers: Number(process.env.E2E_WORKERS || 3),
};
