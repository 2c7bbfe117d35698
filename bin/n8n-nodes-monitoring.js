#!/usr/bin/env node
'use strict';
// The package's command line: `n8n-nodes-monitoring dashboard --store ...`. The work is in the
// compiled dashboard/server/cli.js, so that it is typed and tested like the rest.
const path = require('node:path');

let cli;
try {
	cli = require(path.join(__dirname, '..', 'dist', 'dashboard', 'server', 'cli.js'));
} catch (error) {
	process.stderr.write(
		`n8n-nodes-monitoring: the package is not built (${error.message.split('\n')[0]}); run \`npm run build\`\n`,
	);
	process.exit(1);
}
cli.main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(
			`n8n-nodes-monitoring: ${error && error.message ? error.message : error}\n`,
		);
		process.exit(1);
	},
);
