#!/usr/bin/env node
// @ts-check
/**
 * Bundles the dashboard's browser code (dashboard/web/src/main.ts: Lit components + ApexCharts)
 * into one ES module, dist/dashboard/web/app.js, which the dashboard server serves as {base}/app.js.
 * One file keeps the server trivial (no module graph, no CDN: the dashboard must work offline).
 * Prints raw and gzipped sizes so a growing bundle is noticed at build time.
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const zlib = require('node:zlib');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, 'dist', 'dashboard', 'web', 'app.js');

/**
 * The browser reads units from the metric catalog, never its help texts (those are for /metrics
 * and the README): they are left out of the bundle (~4 KB gzipped). Each help is one quoted line
 * (the catalog's test holds it so); any other shape stays as it is, and esbuild would refuse a
 * broken file.
 */
const catalogWithoutHelp = {
	name: 'catalog-without-help',
	setup(build) {
		build.onLoad({ filter: /[\\/]core[\\/]catalog[\\/]metrics\.ts$/ }, (args) => ({
			contents: fs
				.readFileSync(args.path, 'utf8')
				.replace(/\bhelp: (?:'[^'\n]*'|"[^"\n]*"),/g, "help: '',"),
			loader: 'ts',
		}));
	},
};

async function build() {
	await esbuild.build({
		entryPoints: [path.join(root, 'dashboard', 'web', 'src', 'main.ts')],
		outfile,
		bundle: true,
		format: 'esm',
		minify: true,
		sourcemap: 'external',
		target: 'es2020',
		platform: 'browser',
		tsconfig: path.join(root, 'dashboard', 'web', 'tsconfig.json'),
		legalComments: 'eof',
		logLevel: 'warning',
		// Lit's dev-mode warnings are stripped by its production export condition.
		conditions: ['production'],
		define: { 'process.env.NODE_ENV': '"production"' },
		plugins: [catalogWithoutHelp],
	});
	const code = fs.readFileSync(outfile);
	const gz = zlib.gzipSync(code, { level: 9 });
	const kb = (n) => (n / 1024).toFixed(1) + ' KB';
	console.log(
		`dashboard: ${path.relative(root, outfile)} ${kb(code.length)} raw, ${kb(gz.length)} gzipped`,
	);
	return { raw: code.length, gzip: gz.length, outfile };
}

module.exports = { build };

if (require.main === module) {
	build().catch((err) => {
		console.error(err);
		process.exit(1);
	});
}
