/**
 * End-to-end tests (a real n8n per file) and browser tests (real Chromium). Each file has its own
 * temp user folder, store, PostgreSQL or Redis and ports (scripts/n8n-runtime.js findFreePort), so
 * files run on three workers, the longest first (test/e2e/sequencer.js): much of a file's time is
 * waiting (schedules, a trigger's minute polls), which the other workers fill. On 2 cores loaded by
 * two other sessions (load 8-14) the tier took 16 min on three workers against ~30 min on one;
 * E2E_WORKERS=1 runs the files one by one.
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
