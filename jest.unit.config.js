/**
 * npm run test:unit: test/unit alone, in under a minute on the Node.js at hand, with no database
 * server, no n8n and no build (only 127.0.0.1 servers and child processes a test starts itself).
 * A test that needs more belongs in test/integration or test/workflow.
 */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test/unit'] };
