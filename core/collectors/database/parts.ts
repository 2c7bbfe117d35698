import { isConnectionLost, shortMessage } from './errors';

/**
 * Runs one read of a collection. A failure that is not the connection going away (a missing
 * privilege, a view an older server lacks) becomes a warning and the rest is still collected;
 * a lost connection is rethrown so the collection reports the target as down.
 */
export async function part<T>(
	warnings: string[],
	what: string,
	secret: string | undefined,
	fn: () => Promise<T>,
): Promise<T | undefined> {
	try {
		return await fn();
	} catch (error) {
		if (isConnectionLost(error)) throw error;
		warnings.push(`${what}: ${shortMessage(error, secret)}`);
		return undefined;
	}
}

/** Whitespace collapsed and cut, so one statement stays one readable line. */
export function normaliseQueryText(text: string, max = 300): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function num(value: unknown): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) ? n : undefined;
}

export function seconds(startNs: bigint): number {
	return Number(process.hrtime.bigint() - startNs) / 1e9;
}
