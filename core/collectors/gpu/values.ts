/*
 * Turning the vendor tools' text values into numbers. nvidia-smi writes `[N/A]`, `N/A`,
 * `[Not Supported]`, `[Unknown Error]`, `[Insufficient Permissions]`, `[GPU is lost]` or
 * `[Requested functionality has been deprecated]` where a value is missing; rocm-smi writes
 * `N/A`. Every one of those means "no value": the sample is left out, the others stay.
 */

export const MIB = 1024 * 1024;

export function isMissingValue(raw: string | undefined): boolean {
	if (raw === undefined) return true;
	const v = raw.trim();
	return v === '' || v === 'N/A' || v === '-' || (v.startsWith('[') && v.endsWith(']'));
}

/** A plain number, or null for a missing value or anything that is not a number. */
export function toNumber(raw: string | undefined): number | null {
	if (isMissingValue(raw)) return null;
	const n = Number(raw!.trim());
	return Number.isFinite(n) ? n : null;
}

export function toText(raw: string | undefined): string | null {
	return isMissingValue(raw) ? null : raw!.trim();
}

export function round(value: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

export function usedPercent(used: number | null, total: number | null): number | null {
	if (used === null || total === null || !(total > 0)) return null;
	return round((100 * used) / total);
}
