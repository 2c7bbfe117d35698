import { QueryError } from './errors';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** The longest range a chart may ask for; retention keeps far less, and longer is a typo. */
export const MAX_RANGE_MS = 5 * 366 * DAY_MS;
export const MIN_POINTS = 10;
export const MAX_POINTS = 5000;
export const MAX_NAME_LENGTH = 255;

export function checkName(what: string, value: unknown): string {
	if (typeof value !== 'string' || value.length === 0)
		throw new QueryError(`${what} is required (a non-empty string)`);
	if (value.length > MAX_NAME_LENGTH)
		throw new QueryError(`${what} is longer than ${MAX_NAME_LENGTH} characters`);
	return value;
}

export function checkOptionalName(what: string, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return checkName(what, value);
}

/** A time range in Unix ms: from < to, both finite and non-negative, at most five years long. */
export function checkRange(from: unknown, to: unknown): { from: number; to: number } {
	for (const [what, value] of [
		['from', from],
		['to', to],
	] as const) {
		if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
			throw new QueryError(`${what} must be a time (Unix milliseconds or an ISO date)`);
	}
	const f = from as number;
	const t = to as number;
	if (f >= t) throw new QueryError('from must be before to');
	if (t - f > MAX_RANGE_MS) throw new QueryError('the range is longer than 5 years');
	return { from: f, to: t };
}

export function checkPoints(points: unknown): number {
	if (
		typeof points !== 'number' ||
		!Number.isInteger(points) ||
		points < MIN_POINTS ||
		points > MAX_POINTS
	)
		throw new QueryError(`points must be a whole number from ${MIN_POINTS} to ${MAX_POINTS}`);
	return points;
}

export function checkLabels(labels: unknown): Record<string, string> {
	if (labels === undefined || labels === null) return {};
	if (typeof labels !== 'object' || Array.isArray(labels))
		throw new QueryError('labels must be an object of label names to values');
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
		if (typeof value !== 'string' && typeof value !== 'number')
			throw new QueryError(`label ${JSON.stringify(key).slice(0, 80)} must have a string value`);
		out[checkName('a label name', key)] = String(value);
	}
	return out;
}

/** Numbers come back from PostgreSQL's bigint as strings, from SQLite as numbers. */
export function num(value: unknown): number {
	return typeof value === 'number' ? value : Number(value);
}
