// Types for scripts/pg-cluster.js.
export interface TestPostgres {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	stop(): Promise<void>;
	/** Runs SQL through psql as the superuser; returns unaligned, tuples-only output. */
	psql(sql: string, database?: string): string;
}
export function startPostgres(options?: { preload?: string[] }): Promise<TestPostgres>;
export function postgresBinDir(): string;
export function freePort(): Promise<number>;
