/**
 * ApexCharts option builders. Names that come from data (interfaces, mounts, tables, GPUs) reach
 * ApexCharts only through escapeHtml, because its legend and tooltip write text with innerHTML.
 * Animations are off: charts redraw on every poll, and a phone should not spend battery on that.
 */
import type { ApexOptions } from 'apexcharts';
import type { Point, SeriesData, Status } from './api';
import { escapeHtml, fmtNumber, isNum, locale } from './format';
import { t } from './i18n';

export function darkMode(): boolean {
	return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

const STATUS_COLORS: Record<Status, string> = {
	ok: '#30a46c',
	warning: '#f5a524',
	critical: '#e5484d',
	nodata: '#8a8f98',
};

/** The server's status when it sent one (its thresholds), else a local guess at 80/90 %. */
export function statusColor(v: number | null | undefined, status?: Status): string {
	if (status && STATUS_COLORS[status]) return STATUS_COLORS[status];
	if (!isNum(v)) return STATUS_COLORS.nodata;
	return STATUS_COLORS[v >= 90 ? 'critical' : v >= 80 ? 'warning' : 'ok'];
}

function base(height: number): ApexOptions {
	const dark = darkMode();
	return {
		chart: {
			height,
			background: 'transparent',
			foreColor: dark ? '#c9ced6' : '#3c4149',
			animations: { enabled: false },
			toolbar: { show: false },
			zoom: { enabled: false },
			fontFamily: 'inherit',
			redrawOnParentResize: true,
			redrawOnWindowResize: true,
		},
		theme: { mode: dark ? 'dark' : 'light' },
		dataLabels: { enabled: false },
		grid: { borderColor: dark ? '#2e333b' : '#e3e6ea' },
	};
}

/** One radial gauge (0–100 %) with a fixed, translated label. */
export function gaugeOptions(
	value: number | null | undefined,
	label: string,
	status?: Status,
	unit = '%',
): ApexOptions {
	const b = base(150);
	const v = isNum(value) ? Math.max(0, Math.min(100, value)) : 0;
	return {
		...b,
		chart: { ...b.chart, type: 'radialBar', sparkline: { enabled: true } },
		series: [v],
		labels: [escapeHtml(label)],
		colors: [statusColor(value, status)],
		plotOptions: {
			radialBar: {
				startAngle: -120,
				endAngle: 120,
				hollow: { size: '58%' },
				track: { background: darkMode() ? '#2e333b' : '#e9ecef' },
				dataLabels: {
					name: { show: true, fontSize: '12px', offsetY: 18 },
					value: {
						show: true,
						fontSize: '18px',
						offsetY: -12,
						formatter: () =>
							isNum(value) ? `${fmtNumber(value, 0)}${unit === '%' ? ' %' : unit}` : '—',
					},
				},
			},
		},
		tooltip: { enabled: false },
	};
}

export function sparklineOptions(points: Point[] | undefined): ApexOptions {
	const b = base(40);
	return {
		...b,
		chart: { ...b.chart, type: 'area', sparkline: { enabled: true } },
		series: [{ name: escapeHtml(t('cpu')), data: points ?? [] }],
		stroke: { width: 1.5, curve: 'straight' },
		fill: { opacity: 0.25, type: 'solid' },
		xaxis: { type: 'datetime' },
		yaxis: { min: 0, max: 100 },
		tooltip: { enabled: false },
	};
}

const PALETTE = [
	'#2f6fd6',
	'#e5484d',
	'#30a46c',
	'#f5a524',
	'#8e4ec6',
	'#12a594',
	'#d6409f',
	'#697077',
];

export interface LineSeries {
	name: string;
	data: Point[];
	/** Thin dashed band edges for rolled-up ranges. */
	band?: boolean;
}

/**
 * Turns API series into chart series: one line per series, plus its min and max as thin dashed
 * lines when the range was read from a rollup (so a short spike is not averaged away).
 */
export function toLines(
	series: SeriesData[] | undefined,
	nameOf: (s: SeriesData) => string,
): LineSeries[] {
	const out: LineSeries[] = [];
	for (const s of series ?? []) {
		const name = nameOf(s);
		out.push({ name, data: s.points ?? [] });
		if (s.min?.length) out.push({ name: `${name} (${t('min')})`, data: s.min, band: true });
		if (s.max?.length) out.push({ name: `${name} (${t('max')})`, data: s.max, band: true });
	}
	return out;
}

export function lineOptions(
	lines: LineSeries[],
	opts: {
		height?: number;
		unit?: (v: number) => string;
		stacked?: boolean;
		area?: boolean;
		min?: number;
		max?: number;
		window?: { from: number; to: number };
	} = {},
): ApexOptions {
	const b = base(opts.height ?? 240);
	const fmt = opts.unit ?? ((v: number) => fmtNumber(v));
	// A band's edges take the colour of the line they belong to, so min/max read as one band.
	let colorIndex = -1;
	const colors = lines.map((l) => {
		if (!l.band) colorIndex++;
		return PALETTE[Math.max(0, colorIndex) % PALETTE.length];
	});
	return {
		...b,
		colors,
		chart: { ...b.chart, type: opts.area ? 'area' : 'line', stacked: !!opts.stacked },
		series: lines.map((l) => ({ name: escapeHtml(l.name), data: l.data })),
		stroke: {
			width: lines.map((l) => (l.band ? 1 : 2)),
			dashArray: lines.map((l) => (l.band ? 4 : 0)),
			curve: 'straight',
		},
		fill: { type: 'solid', opacity: opts.area ? 0.35 : 1 },
		markers: { size: 0 },
		legend: { show: lines.length > 1, position: 'bottom', horizontalAlign: 'left' },
		xaxis: {
			type: 'datetime',
			min: opts.window?.from,
			max: opts.window?.to,
			labels: { datetimeUTC: false },
			tooltip: { enabled: false },
		},
		yaxis: {
			min: opts.min,
			max: opts.max,
			labels: { formatter: (v: number) => (isNum(v) ? fmt(v) : '') },
			forceNiceScale: true,
		},
		tooltip: {
			x: { formatter: (v: number) => new Date(v).toLocaleString(locale()) },
			// Series names are already escaped above; values are numbers we format ourselves.
			y: { formatter: (v: number) => (isNum(v) ? fmt(v) : '—') },
		},
		noData: { text: escapeHtml(t('noData')) },
	};
}
