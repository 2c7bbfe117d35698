/** Unit and integration tests run in process; test/e2e drives a real n8n and runs on its own. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
	testTimeout: 60_000,
	maxWorkers: 2,
};
