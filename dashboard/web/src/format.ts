/** Number, time and text helpers shared by the components. */
import { lang } from './i18n';

/**
 * ApexCharts writes tooltip and legend text with innerHTML, so every name that reaches a chart
 * (series names built from labels such as a table or interface name) goes through this first.
 */
export function escapeHtml(text: unknown): string {
	return String(text ?? '').replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
	);
}

export function isNum(v: unknown): v is number {
	return typeof v === 'number' && Number.isFinite(v);
}

export function fmtPercent(v: unknown): string {
	return isNum(v) ? `${v.toFixed(v < 10 ? 1 : 0)} %` : '—';
}

export function fmtNumber(v: unknown, digits = 2): string {
	if (!isNum(v)) return '—';
	const abs = Math.abs(v);
	if (abs !== 0 && abs < 0.01) return v.toExponential(1);
	return v.toLocaleString(locale(), { maximumFractionDigits: abs >= 100 ? 0 : digits });
}

export function fmtBytes(v: unknown): string {
	if (!isNum(v)) return '—';
	const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
	let n = v;
	let i = 0;
	while (Math.abs(n) >= 1024 && i < units.length - 1) {
		n /= 1024;
		i++;
	}
	return `${n.toFixed(n >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

export function fmtSeconds(v: unknown): string {
	if (!isNum(v)) return '—';
	if (v < 1) return `${(v * 1000).toFixed(v < 0.01 ? 2 : 0)} ms`;
	return `${v.toFixed(2)} s`;
}

export function locale(): string {
	return lang() === 'ko' ? 'ko-KR' : 'en-GB';
}

/** A time as the user's wall clock; the date too when it is not today. */
export function fmtTime(ms: unknown): string {
	if (!isNum(ms)) return '—';
	const d = new Date(ms);
	const sameDay = new Date().toDateString() === d.toDateString();
	return d.toLocaleString(
		locale(),
		sameDay
			? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
			: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
	);
}

/** Times arrive as Unix ms; tolerate ISO strings and seconds too, since the API may still move. */
export function toMs(v: unknown): number | undefined {
	if (isNum(v)) return v < 1e11 ? v * 1000 : v;
	if (typeof v === 'string' && v) {
		const n = Date.parse(v);
		return Number.isNaN(n) ? undefined : n;
	}
	return undefined;
}
