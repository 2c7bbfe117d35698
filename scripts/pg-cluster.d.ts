// Types for scripts/pg-cluster.js.
export interface TestPostgres {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	stop(): Promise<void>;
	/** Stops the server at once (as a crash would), keeping its data for resume(). */
	halt(): Promise<void>;
	/** Starts a halted server again on the same port. */
	resume(): Promise<void>;
	/** Runs SQL through psql as the superuser; returns unaligned, tuples-only output. */
	psql(sql: string, database?: string): string;
}
export function startPostgres(options?: { preload?: string[] }): Promise<TestPostgres>;
export function postgresBinDir(): string;
export function freePort(): Promise<number>;
