import type { Labels } from '../model';

/** Labels as JSON with sorted keys, so that one series always has one identity. */
export function canonicalLabels(labels: Labels | undefined): string {
	if (!labels) return '{}';
	const keys = Object.keys(labels).sort();
	if (keys.length === 0) return '{}';
	const sorted: Labels = {};
	for (const key of keys) sorted[key] = String(labels[key]);
	return JSON.stringify(sorted);
}

export function seriesKey(metric: string, labels: string): string {
	return `${metric}\u0000${labels}`;
}

/** Labels as stored (canonical JSON) back into an object; damaged text reads as no labels. */
export function parseLabels(text: unknown): Record<string, string> {
	try {
		const parsed = JSON.parse(String(text)) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
	} catch {
		return {};
	}
}
