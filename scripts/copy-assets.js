// @ts-check
// Copies what tsc does not: node icons and codex files, next to the compiled nodes in dist/.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const patterns = /\.(svg|png|node\.json)$/;

function walk(dir) {
	for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
		const rel = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(rel);
		else if (patterns.test(entry.name)) {
			fs.mkdirSync(path.join(root, 'dist', dir), { recursive: true });
			fs.copyFileSync(path.join(root, rel), path.join(root, 'dist', rel));
		}
	}
}

for (const dir of ['nodes', 'credentials']) walk(dir);
