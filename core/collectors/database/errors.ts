/*
 * Turns driver errors into reasons a person can act on, and makes sure no secret travels in them:
 * a reason goes into the snapshot, the n8n item and the store.
 */

const ENGINE_NAMES = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB', sqlite: 'SQLite' } as const;

export class TimeoutError extends Error {}

interface Where {
	engine: 'postgres' | 'mysql';
	host: string;
	port: number;
	user: string;
	database?: string;
	timeoutMs: number;
	password: string;
}

/** What a connection reason names about a server target (the password only to redact it). */
export function targetContext(
	engine: Where['engine'],
	target: { host: string; port: number; user: string; database?: string; password: string },
	timeoutMs: number,
): Where {
	const { host, port, user, database, password } = target;
	return { engine, host, port, user, database, timeoutMs, password };
}

/** Replaces every occurrence of the secret; drivers sometimes echo connection strings. */
export function redact(text: string, secret: string | undefined): string {
	if (!secret) return text;
	return text.split(secret).join('***');
}

function errorFields(error: unknown): { code?: string; errno?: number; message: string } {
	if (error && typeof error === 'object') {
		const e = error as { code?: unknown; errno?: unknown; message?: unknown };
		return {
			code: typeof e.code === 'string' ? e.code : undefined,
			errno: typeof e.errno === 'number' ? e.errno : undefined,
			message: typeof e.message === 'string' ? e.message : String(error),
		};
	}
	return { message: String(error) };
}

/** Why connecting to (or talking to) a server failed, in one sentence. */
export function connectionReason(error: unknown, where: Where): string {
	const at = `${ENGINE_NAMES[where.engine]} at ${where.host}:${where.port}`;
	const { code, message } = errorFields(error);
	let reason: string;
	if (error instanceof TimeoutError || code === 'ETIMEDOUT' || /timeout|timed out/i.test(message))
		reason = `${at} timed out after ${where.timeoutMs} ms`;
	else if (code === 'ECONNREFUSED') reason = `${at} refused the connection`;
	else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = `${at}: host not found`;
	else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') reason = `${at} is unreachable`;
	// PostgreSQL: invalid_password / invalid_authorization_specification; MySQL: access denied.
	else if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR')
		reason = `${at} rejected user ${where.user} (${message})`;
	else if (code === '3D000' || code === 'ER_BAD_DB_ERROR')
		reason = `${at}: database ${where.database ?? ''} does not exist`;
	else if (isConnectionLost(error) || /terminat|shut ?down/i.test(message))
		reason = `${at} closed the connection (${message})`;
	else reason = `${at}: ${message}`;
	return redact(reason, where.password);
}

/** A connection-level failure (the server went away) stops the collection: db_up 0. */
export function isConnectionLost(error: unknown): boolean {
	const { code, message } = errorFields(error);
	return (
		code === 'ECONNRESET' ||
		code === 'ECONNREFUSED' ||
		code === 'EPIPE' ||
		code === 'PROTOCOL_CONNECTION_LOST' ||
		code === '57P01' || // admin_shutdown
		code === '57P02' ||
		code === '57P03' ||
		/Connection terminated|connection is closed|Can't add new command when connection is in closed state/i.test(
			message,
		)
	);
}

export function shortMessage(error: unknown, secret?: string): string {
	return redact(errorFields(error).message.split('\n')[0], secret);
}

/** Runs `fn` with a deadline; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
		timer.unref?.();
	});
	return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export { ENGINE_NAMES };
