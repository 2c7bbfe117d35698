// Types for scripts/mariadb-instance.js.
export interface TestMariadb {
	host: string;
	port: number;
	/** `root` over TCP, with `password`; the socket's root has none. */
	user: string;
	password: string;
	database: string;
	socket: string;
	/** Runs SQL through the mariadb client as root over the socket; returns tab-separated rows. */
	sql(sql: string, database?: string): string;
	stop(): Promise<void>;
}
export function startMariadb(options?: { args?: string[] }): Promise<TestMariadb>;
