/** Number, time and text helpers shared by the components. */
import { lang, t } from './i18n';

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

/*
 * One clock for the whole page (header, axes, tooltips, tables): the browser's own time zone and
 * a 24-hour clock in both languages, so "13:05" in the header is "13:05" on the axis too (Korean's
 * default would be "오후 01:05" in one place and "13:05" in another).
 */
const CLOCK = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
const DAY = { month: 'short', day: 'numeric' } as const;

/** 13:05, or 13:05:09 with seconds; local time. */
export function fmtClock(ms: number, seconds = false): string {
	return new Date(ms).toLocaleString(locale(), seconds ? { ...CLOCK, second: '2-digit' } : CLOCK);
}

/** The local calendar day: "1 Dec", "12월 1일". */
export function fmtDay(ms: number): string {
	return new Date(ms).toLocaleString(locale(), DAY);
}

/** The local day and clock: "1 Dec, 13:05", "12월 1일 13:05". */
export function fmtDateTime(ms: number): string {
	return new Date(ms).toLocaleString(locale(), { ...DAY, ...CLOCK });
}

/** A time as the user's wall clock; the date too when it is not today. */
export function fmtTime(ms: unknown): string {
	if (!isNum(ms)) return '—';
	const sameDay = new Date().toDateString() === new Date(ms).toDateString();
	return sameDay ? fmtClock(ms, true) : fmtDateTime(ms);
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

/** The server's resolution name (raw, 5m, 1h) in the reader's language. */
export function fmtResolution(resolution: string | undefined): string {
	const key = `res_${resolution ?? ''}`;
	return key === 'res_raw' || key === 'res_5m' || key === 'res_1h' ? t(key) : (resolution ?? '');
}
