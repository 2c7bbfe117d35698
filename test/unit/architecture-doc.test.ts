import fs from 'node:fs';
import path from 'node:path';

/**
 * docs/ARCHITECTURE.md's tree names every top-level part of core/ that exists, and nothing that
 * does not: a folder added or removed without the map following fails here.
 */
const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
const tree = doc.slice(doc.indexOf('```'), doc.indexOf('```', doc.indexOf('```') + 3));

/** The names of core/ the tree gives, as `  name/` or `  name.ts` under `core/`. */
function namedInCore(): Set<string> {
	const names = new Set<string>();
	for (const line of tree
		.slice(tree.indexOf('\ncore/') + 1)
		.split('\n')
		.slice(1)) {
		const entry = /^ {2}([a-z0-9-]+)(\/|\.ts)/.exec(line);
		if (entry) names.add(entry[1] + (entry[2] === '.ts' ? '.ts' : ''));
		else if (/^\S/.test(line)) break;
	}
	return names;
}

test("the tree names core/'s folders and files, all of them and no other", () => {
	const actual = fs.readdirSync(path.join(ROOT, 'core')).sort();
	expect([...namedInCore()].sort()).toEqual(actual);
});

test('every top-level folder of the tree exists', () => {
	const folders = [...tree.matchAll(/^([a-z][a-zA-Z0-9/]*\/)\s/gm)].map((m) => m[1]);
	expect(folders.length).toBeGreaterThan(8);
	const missing = folders.filter((f) => !fs.existsSync(path.join(ROOT, f)));
	expect(missing).toEqual([]);
});
