/** A number from a driver's value: PostgreSQL returns bigint columns and aggregates as strings. */
export function num(value: unknown): number {
	return typeof value === 'number' ? value : Number(value);
}

/** As num, but null and undefined stay null. */
export function numOrNull(value: unknown): number | null {
	return value == null ? null : num(value);
}

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
	for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
