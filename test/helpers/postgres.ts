// The private PostgreSQL cluster that tests and benchmarks share (scripts/pg-cluster.js).
export {
	freePort,
	postgresBinDir,
	startPostgres,
	type TestPostgres,
} from '../../scripts/pg-cluster';
