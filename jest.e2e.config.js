/**
 * End-to-end tests (a real n8n per file) and browser tests (real Chromium). Each file has its own
 * temp user folder, store, PostgreSQL or Redis and ports (scripts/n8n-runtime.js findFreePort), so
 * files can run on several workers, the longest first (test/e2e/sequencer.js): about half of the
 * tier's time is waiting (schedules, a trigger's minute polls, a 5-minute load). E2E_WORKERS=3
 * took the tier from 30.5 to 14 min on a loaded 2-core machine, but has not yet had a green run
 * there, so one worker stays the default until it has.
 */
const base = require('./jest.config');

module.exports = {
	...base,
	testPathIgnorePatterns: [],
	testMatch: ['**/test/e2e/**/*.test.ts', '**/test/browser/**/*.test.ts'],
	testSequencer: '<rootDir>/test/e2e/sequencer.js',
	testTimeout: 300_000,
	maxWorkers: Number(process.env.E2E_WORKERS || 1),
};
