#!/usr/bin/env node
// @ts-check
// Screenshots of every node panel of the starter workflows as the n8n editor shows them, to read
// the nodes the way a user meets them (issue "In the n8n editor"). Run against an n8n that
// `npm start` set up: node scripts/editor-screenshots.js [outDir]
// Environment: N8N_USER_FOLDER (default $HOME), the folder whose .n8n holds npm start's files.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { launchChromium } = require('./chromium');

async function main() {
	const out = path.resolve(process.argv[2] || 'editor-screenshots');
	const userFolder = process.env.N8N_USER_FOLDER || os.homedir();
	const n8nDir = path.join(userFolder, '.n8n');
	const owner = JSON.parse(fs.readFileSync(path.join(n8nDir, 'monitoring-owner.json'), 'utf8'));
	const { port } = JSON.parse(fs.readFileSync(path.join(n8nDir, 'monitoring-start.json'), 'utf8'));
	const base = `http://127.0.0.1:${port}`;
	fs.mkdirSync(out, { recursive: true });
	const browser = await launchChromium();
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
		const login = await context.request.post(`${base}/rest/login`, {
			data: { emailOrLdapLoginId: owner.email, password: owner.password },
		});
		if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
		const list = await context.request.get(`${base}/api/v1/workflows?limit=250`, {
			headers: { 'X-N8N-API-KEY': owner.apiKey },
		});
		const workflows = (await list.json()).data;
		const page = await context.newPage();
		for (const wf of workflows) {
			for (const node of wf.nodes.filter((n) => n.type.startsWith('n8n-nodes-monitoring.'))) {
				await page.goto(`${base}/workflow/${wf.id}/${node.id}`);
				await page.waitForSelector(
					'[data-test-id="ndv"], .ndv-wrapper, [data-test-id="ndv-parameters"]',
					{
						timeout: 30_000,
					},
				);
				await page.waitForTimeout(1500);
				const file = `${wf.name}--${node.name}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
				await page.screenshot({ path: path.join(out, `${file}.png`), fullPage: false });
				// The whole parameter list, however long it scrolls.
				const panel = page.locator('[data-test-id="node-parameters"]').first();
				if (await panel.count()) {
					const box = await panel.evaluate((el) => ({ h: el.scrollHeight }));
					fs.writeFileSync(
						path.join(out, `${file}.txt`),
						`${await panel.innerText()}\n\n(parameter list height: ${box.h} px)\n`,
					);
				}
				console.log(`${file}.png`);
			}
		}
	} finally {
		await browser.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
