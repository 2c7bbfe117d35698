/** The driver's error code (SQLITE_BUSY, ECONNREFUSED, a PostgreSQL SQLSTATE), if any. */
export function errorCode(error: unknown): string | undefined {
	return (error as { code?: string } | null)?.code;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SQLite's busy timeout covers almost every wait; a lock taken while this transaction was
 * starting can still surface as SQLITE_BUSY, and then the whole transaction is simply run again.
 */
export async function withBusyRetry<T>(work: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			const busy =
				errorCode(error) === 'SQLITE_BUSY' || /database is locked|SQLITE_BUSY/.test(String(error));
			if (!busy || attempt >= 10) throw error;
			await sleep(50 * attempt + Math.random() * 50);
		}
	}
}
