// @ts-check
'use strict';
/*
 * The builds a before/after benchmark compares in one run, from its command line: `--before DIST`
 * (a `dist` folder of another build, e.g. main's code built elsewhere; optional) and `--after DIST`
 * (default: this checkout's dist/). What is left are the benchmark's own positional arguments.
 */
const path = require('node:path');

function builds(argv = process.argv.slice(2)) {
	const positional = [];
	let before;
	let after = path.join(__dirname, '..', 'dist');
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--before') before = path.resolve(argv[++i]);
		else if (argv[i] === '--after') after = path.resolve(argv[++i]);
		else positional.push(argv[i]);
	}
	return { before, after, positional };
}

module.exports = { builds };
