/** End-to-end tests (a real n8n per file) and browser tests (real Chromium), one file at a time. */
const base = require('./jest.config');

module.exports = {
	...base,
	testPathIgnorePatterns: [],
	testMatch: ['**/test/e2e/**/*.test.ts', '**/test/browser/**/*.test.ts'],
	testTimeout: 300_000,
	maxWorkers: 1,
};
