// @ts-check
// Debian's Chromium driven by playwright-core, as the tests, the benchmarks and the e2e tests
// launch it here: headless as root, and without the background networking that this machine's
// closed network refuses. CHROMIUM_PATH overrides the binary.
'use strict';
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

function launchChromium() {
	return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

module.exports = { CHROMIUM, ARGS, launchChromium };
