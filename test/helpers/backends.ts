import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { StoreConfig } from '../../core/store/config';
import { pgSchemaConfig, startPostgres, type TestPostgres } from './postgres';

/** `sqlite` leaves the driver to `auto`; the other two SQLite kinds pin one. */
export type BackendKind = 'sqlite' | 'sqlite3' | 'node:sqlite' | 'postgres';

const NAMES: Record<BackendKind, string> = {
	sqlite: 'sqlite',
	sqlite3: 'sqlite (sqlite3)',
	'node:sqlite': 'sqlite (node:sqlite)',
	postgres: 'postgres',
};

export interface TestStores {
	/** For describe.each: a name, and a function that gives a new, empty store at each call. */
	backends: Array<[string, () => StoreConfig]>;
	/** The file's PostgreSQL cluster (started only when a postgres backend is listed). */
	readonly pg: TestPostgres;
	/** The file's temporary folder, removed after its tests. */
	readonly tmp: string;
}

/**
 * The stores a test file runs the same tests on: a new SQLite file, or a new schema of one
 * private PostgreSQL cluster, per call. Registers the file's beforeAll (temporary folder, cluster)
 * and afterAll (both removed), so call it at the top level of the file.
 */
export function testStores(kinds: BackendKind[], prefix = 'mon-test-'): TestStores {
	let pg: TestPostgres | undefined;
	let tmp: string | undefined;
	let files = 0;
	beforeAll(async () => {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
		if (kinds.includes('postgres')) pg = await startPostgres();
	}, 60_000);
	afterAll(async () => {
		await pg?.stop();
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	});
	const stores: TestStores = {
		get pg() {
			if (!pg)
				throw new Error('no PostgreSQL here: list "postgres" in testStores, and use it in a test');
			return pg;
		},
		get tmp() {
			if (!tmp) throw new Error('the temporary folder exists only while the tests run');
			return tmp;
		},
		backends: kinds.map((kind) => [
			NAMES[kind],
			(): StoreConfig => {
				if (kind === 'postgres') return pgSchemaConfig(stores.pg);
				const filename = path.join(stores.tmp, `store${++files}.sqlite`);
				return kind === 'sqlite'
					? { type: 'sqlite', filename }
					: { type: 'sqlite', driver: kind, filename };
			},
		]),
	};
	return stores;
}
