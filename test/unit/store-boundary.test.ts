/**
 * The store is the one door to the database: the names of its tables appear in core/store (which
 * owns every statement) and in migrations/ (which create them), nowhere else in the code, benches
 * or scripts. The names are those the migrations create, so a new table is covered the day it is
 * added. Tests are left out: a test of the store proves what is stored by reading the tables
 * (through test/helpers/tables.ts), and the upgrade test builds an old layout.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const ALLOWED = ['core/store/', 'migrations/', 'test/'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git']);
const CODE = /\.(ts|js|mjs|cjs)$/;

function files(dir: string): string[] {
	const out: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...files(full));
		else if (entry.isFile() && CODE.test(entry.name)) out.push(full);
	}
	return out;
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/**
 * Every mon_ name the migrations spell out: the tables (some are created under a name held in a
 * variable, or renamed), their indexes, and the migrations' own bookkeeping table.
 */
function tableNames(): string[] {
	const names = new Set<string>();
	for (const file of files(path.join(ROOT, 'migrations')))
		for (const m of fs.readFileSync(file, 'utf8').matchAll(/['"`](mon_\w+)['"`]/g)) names.add(m[1]);
	return [...names].sort();
}

/** Files outside the allowed folders that name a table, with the names they use. */
function offenders(names: string[]): string[] {
	const pattern = new RegExp(`\\b(${names.join('|')})\\b`, 'g');
	const found: string[] = [];
	for (const file of files(ROOT)) {
		const rel = relative(file);
		if (ALLOWED.some((prefix) => rel.startsWith(prefix))) continue;
		const used = new Set(fs.readFileSync(file, 'utf8').match(pattern) ?? []);
		if (used.size > 0) found.push(`${rel}: ${[...used].sort().join(', ')}`);
	}
	return found.sort();
}

describe('the store boundary', () => {
	const names = tableNames();

	it('knows the tables from the migrations', () => {
		expect(names).toEqual(
			expect.arrayContaining([
				'mon_series',
				'mon_samples',
				'mon_rollup_5m_blocks',
				'mon_rollup_1h_blocks',
				'mon_chunks',
				'mon_collections',
				'mon_collector_state',
				'mon_executions',
				'mon_alerts',
				'mon_knex_migrations',
			]),
		);
	});

	it('finds table names where they are allowed (the scan itself works)', () => {
		const pattern = new RegExp(`\\b(${names.join('|')})\\b`);
		expect(fs.readFileSync(path.join(ROOT, 'core/store/store.ts'), 'utf8')).toMatch(pattern);
	});

	it('names no table outside core/store, migrations/ and tests', () => {
		expect(offenders(names)).toEqual([]);
	});
});
