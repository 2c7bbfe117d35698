/**
 * Axis scales and labels. Y: one unit and one number of decimals for every tick of an axis
 * ("0 KB/s … 750 KB/s", never "500 KB/s, 1.0 MB/s"), on ticks we choose ourselves. X: labels in
 * the browser's own time zone, computed from where ApexCharts put each tick.
 */
import {
	fmtBytes,
	fmtClock,
	fmtDay,
	fmtNumber,
	fmtPercent,
	fmtSeconds,
	isNum,
	locale,
} from './format';
import { METRICS, type MetricName, type MetricUnit } from '../../../core/catalog/metrics';

/** How a kind of value is written: alone (tooltips) and on an axis (one scale for all ticks). */
export interface Unit {
	format(v: number): string;
	/** The divisor and suffix for an axis whose largest tick is maxAbs. */
	scale(maxAbs: number): { div: number; suffix: string };
}

const fixed = (suffix: string, format: (v: number) => string): Unit => ({
	format,
	scale: () => ({ div: 1, suffix }),
});

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
function byteScale(maxAbs: number, per: string) {
	let i = 0;
	while (maxAbs >= 1024 ** (i + 1) && i < BYTE_UNITS.length - 1) i++;
	return { div: 1024 ** i, suffix: ` ${BYTE_UNITS[i]}${per}` };
}

export const UNITS = {
	percent: fixed(' %', fmtPercent),
	/** A 0–1 ratio shown as a percentage. */
	ratioPercent: {
		format: (v: number) => fmtPercent(v * 100),
		scale: () => ({ div: 0.01, suffix: ' %' }),
	},
	bytes: { format: fmtBytes, scale: (m: number) => byteScale(m, '') },
	bytesPerSecond: {
		format: (v: number) => `${fmtBytes(v)}/s`,
		scale: (m: number) => byteScale(m, '/s'),
	},
	seconds: {
		format: fmtSeconds,
		scale: (m: number) => (m < 1 ? { div: 0.001, suffix: ' ms' } : { div: 1, suffix: ' s' }),
	},
	count: fixed('', (v) => fmtNumber(v, 0)),
	number: fixed('', (v) => fmtNumber(v, 1)),
	perSecond: fixed('/s', (v) => `${fmtNumber(v, 1)}/s`),
	celsius: fixed(' °C', (v) => `${fmtNumber(v, 0)} °C`),
	watts: fixed(' W', (v) => `${fmtNumber(v, 0)} W`),
} satisfies Record<string, Unit>;

/** The axis of each catalog unit (core/catalog/metrics.ts). */
const AXIS_OF: Record<MetricUnit, keyof typeof UNITS> = {
	percent: 'percent',
	ratio: 'ratioPercent',
	bytes: 'bytes',
	bytes_per_second: 'bytesPerSecond',
	bytes_per_day: 'bytes',
	per_second: 'perSecond',
	seconds: 'seconds',
	days: 'number',
	celsius: 'celsius',
	watts: 'watts',
	megahertz: 'number',
	cores: 'number',
	count: 'count',
	number: 'number',
	boolean: 'count',
};

/** How a metric's values are written, from its unit in the catalog. */
export function unitOf(metric: MetricName): Unit {
	return UNITS[AXIS_OF[METRICS[metric].unit]];
}

/** Decimals needed to write step exactly (0.25 → 2, 2.5 → 1, 50 → 0). */
export function decimalsOf(step: number): number {
	let d = 0;
	while (d < 6 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-6 * 10 ** d) d++;
	return d;
}

/** A step of 1, 2, 2.5 or 5 times a power of ten giving about `ticks` intervals over span. */
export function niceStep(span: number, ticks = 4): number {
	const raw = span / ticks;
	const mag = 10 ** Math.floor(Math.log10(raw));
	const norm = raw / mag;
	return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
}

export interface YAxis {
	min: number;
	max: number;
	tickAmount: number;
	label: (v: number) => string;
}

/**
 * The y axis over [lo, hi] in `unit`: the scale (KB, MB…) from the larger end, a nice step in
 * that scale, and every tick written with the step's decimals.
 */
export function yAxis(unit: Unit, lo: number, hi: number): YAxis {
	if (!(hi > lo)) {
		// A flat line: give it room either side (or above, for a flat zero).
		const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
		lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
		hi = hi + pad;
	}
	const { div, suffix } = unit.scale(Math.max(Math.abs(lo), Math.abs(hi)));
	const step = niceStep((hi - lo) / div);
	const min = Math.floor(lo / div / step + 1e-9) * step;
	const max = Math.ceil(hi / div / step - 1e-9) * step;
	const digits = decimalsOf(step);
	const nf = new Intl.NumberFormat(locale(), {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits,
	});
	return {
		min: min * div,
		max: max * div,
		tickAmount: Math.max(1, Math.round((max - min) / step)),
		// -0 would print as "-0".
		label: (v: number) => (isNum(v) ? `${nf.format(v / div + 0)}${suffix}` : ''),
	};
}

/** A tick of ApexCharts' time scale (w.globals.timescaleLabels). */
export interface TimeTick {
	position: number;
	unit: string;
	value: string;
}

/**
 * Writes each time tick's label from where it stands: ApexCharts 4.7 places its ticks right
 * but builds their day and month with its own calendar arithmetic, which labelled local
 * midnight of 1 December "31 Dec". The tick's time is minX plus its share of the grid's width;
 * the label is that time in the browser's zone: the clock, or the day at a day boundary.
 */
export function relabelTimeTicks(
	ticks: TimeTick[],
	minX: number,
	maxX: number,
	width: number,
): void {
	if (!(width > 0) || !(maxX > minX)) return;
	for (const tick of ticks) {
		const at = minX + (tick.position / width) * (maxX - minX);
		// Ticks sit on whole minutes; the float share lands a hair either side.
		const ms = Math.round(at / 60_000) * 60_000;
		tick.value = timeTickLabel(ms, tick.unit);
	}
}

export function timeTickLabel(ms: number, unit: string): string {
	const d = new Date(ms);
	switch (unit) {
		case 'year':
			return String(d.getFullYear());
		// A month's first day is named like any other day: ApexCharts already sets it in bold.
		case 'month':
		case 'day':
			return fmtDay(ms);
		case 'second':
			return fmtClock(ms, true);
		default:
			// A clock tick that falls on local midnight names the day instead.
			return d.getHours() === 0 && d.getMinutes() === 0 ? fmtDay(ms) : fmtClock(ms);
	}
}
