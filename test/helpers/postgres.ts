import type { PostgresStoreConfig } from '../../core/store/config';
import type { TestPostgres } from '../../scripts/pg-cluster';

// The private PostgreSQL cluster that tests and benchmarks share (scripts/pg-cluster.js).
export {
	freePort,
	postgresBinDir,
	startPostgres,
	type TestPostgres,
} from '../../scripts/pg-cluster';

/** The store config that reaches a test cluster's database, in its public schema. */
export function pgStoreConfig(pg: TestPostgres): PostgresStoreConfig {
	return {
		type: 'postgres',
		host: pg.host,
		port: pg.port,
		user: pg.user,
		password: pg.password,
		database: pg.database,
	};
}

let schemas = 0;

/**
 * A new, empty schema of the test cluster's database and the store config that writes into it,
 * so the tests of one file share one cluster without seeing each other's rows.
 */
export function pgSchemaConfig(pg: TestPostgres, prefix = 's'): PostgresStoreConfig {
	const schema = `${prefix}${++schemas}`;
	pg.psql(`CREATE SCHEMA ${schema}`, pg.database);
	return { ...pgStoreConfig(pg), schema };
}
