import type { MetricsPage } from './parse';

/** Sum over every series of a metric (engines, models); null when the page lacks it. */
export function sumOf(page: MetricsPage, name: string): number | null {
	const list = page.get(name);
	if (!list || list.length === 0) return null;
	return list.reduce((total, s) => total + s.value, 0);
}

/** Mean over every series of a metric (a ratio per engine); null when the page lacks it. */
export function meanOf(page: MetricsPage, name: string): number | null {
	const list = page.get(name);
	if (!list || list.length === 0) return null;
	return list.reduce((total, s) => total + s.value, 0) / list.length;
}

/** The first of several names the page has (a metric renamed between versions). */
export function firstPresent(page: MetricsPage, names: readonly string[]): string | undefined {
	return names.find((n) => (page.get(n)?.length ?? 0) > 0);
}

/** Distinct values of one label across a metric's series (vLLM's model_name). */
export function labelValues(page: MetricsPage, name: string, label: string): string[] {
	const out = new Set<string>();
	for (const s of page.get(name) ?? []) if (s.labels[label] !== undefined) out.add(s.labels[label]);
	return [...out];
}
