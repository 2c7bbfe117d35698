/**
 * ApexCharts option builders. Names that come from data (interfaces, mounts, tables, GPUs) reach
 * ApexCharts only through escapeHtml, because its legend and tooltip write text with innerHTML.
 * Animations are off: charts redraw on every poll, and a phone should not spend battery on that.
 */
import type { ApexOptions } from 'apexcharts';
import type { ExpectedResponse, Point, SeriesResult, Status } from './api';
import { UNITS, yAxis, type Unit } from './axis';
import { escapeHtml, fmtDateTime, fmtNumber, isNum } from './format';
import { t } from './i18n';

export function darkMode(): boolean {
	// Through globalThis so that the pure option builders also load in Node (unit tests).
	const g = globalThis as { matchMedia?: (query: string) => { matches: boolean } };
	return typeof g.matchMedia === 'function' && g.matchMedia('(prefers-color-scheme: dark)').matches;
}

const STATUS_COLORS: Record<Status, string> = {
	ok: '#30a46c',
	warning: '#f5a524',
	critical: '#e5484d',
	nodata: '#8a8f98',
};

/** The colour of the server's status (its thresholds come from the metric catalog). */
export function statusColor(status: Status): string {
	return STATUS_COLORS[status] ?? STATUS_COLORS.nodata;
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
	status: Status,
	unit = '%',
): ApexOptions {
	const b = base(150);
	const v = isNum(value) ? Math.max(0, Math.min(100, value)) : 0;
	return {
		...b,
		chart: { ...b.chart, type: 'radialBar', sparkline: { enabled: true } },
		series: [v],
		labels: [escapeHtml(label)],
		colors: [statusColor(status)],
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

/*
 * Line colours, each distinct from the others and from the status colours' meaning as far as eight
 * go; past that, hues spaced by the golden angle so a ninth interface never repeats the first.
 */
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

export function seriesColor(i: number): string {
	return i < PALETTE.length
		? PALETTE[i]
		: `hsl(${Math.round((i * 137.508) % 360)}, 60%, ${darkMode() ? 62 : 45}%)`;
}

export interface LineSeries {
	name: string;
	data: Point[];
	/** The spread of a rolled-up range (min and max per step), drawn as a band behind the line. */
	band?: Array<{ x: number; y: [number, number] }>;
	/** The series' labels, to pair it with its usual range. */
	labels?: Record<string, string>;
	/** Its usual range hour by hour ([hour, low, centre, high]), or why there is none. */
	expected?: { band: Array<[number, number, number, number]>; reason?: string };
}

/** Labels as one comparable text, whatever their order. */
const labelKey = (labels: Record<string, string> | undefined) =>
	JSON.stringify(Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Pairs each line with the usual range /api/expected gave for the same labels. */
export function withExpected(
	lines: LineSeries[],
	answer: ExpectedResponse | undefined,
): LineSeries[] {
	if (!answer) return lines;
	const byLabels = new Map(answer.series.map((s) => [labelKey(s.labels), s]));
	return lines.map((l) => {
		const e = byLabels.get(labelKey(l.labels));
		return e ? { ...l, expected: { band: e.band, reason: e.reason ?? undefined } } : l;
	});
}

const HOUR_MS = 3_600_000;

/**
 * The hours whose mean lies outside the usual range (a score past the level, as an anomaly rule
 * judges an hour), merged into stretches [from, to).
 */
export function unusualStretches(l: LineSeries): Array<{ from: number; to: number }> {
	const band = l.expected?.band;
	if (!band?.length) return [];
	const range = new Map(band.map(([t, low, , high]) => [t, [low, high] as const]));
	const hours = new Map<number, { sum: number; n: number }>();
	for (const [x, y] of l.data) {
		if (!isNum(y)) continue;
		const h = x - (x % HOUR_MS);
		const m = hours.get(h) ?? { sum: 0, n: 0 };
		m.sum += y;
		m.n++;
		hours.set(h, m);
	}
	const out: Array<{ from: number; to: number }> = [];
	for (const h of [...hours.keys()].sort((a, b) => a - b)) {
		const r = range.get(h);
		const mean = hours.get(h)!.sum / hours.get(h)!.n;
		if (!r || (mean >= r[0] && mean <= r[1])) continue;
		const last = out[out.length - 1];
		if (last && last.to === h) last.to = h + HOUR_MS;
		else out.push({ from: h, to: h + HOUR_MS });
	}
	return out;
}

/** min and max points of one series, paired by time, gaps left out. */
function bandOf(min: Point[] | undefined, max: Point[] | undefined): LineSeries['band'] {
	if (!min?.length || !max?.length) return undefined;
	const high = new Map(max.map(([x, y]) => [x, y]));
	const out: NonNullable<LineSeries['band']> = [];
	for (const [x, lo] of min) {
		const hi = high.get(x);
		if (isNum(lo) && isNum(hi)) out.push({ x, y: [lo, hi] });
	}
	return out.length ? out : undefined;
}

/**
 * Turns API series into chart series: one line per series and, when the range was read from a
 * rollup, its min and max as a shaded band (so a short spike is not averaged away).
 */
export function toLines(
	series: SeriesResult[] | undefined,
	nameOf: (s: SeriesResult) => string,
): LineSeries[] {
	return (series ?? []).map((s) => ({
		name: nameOf(s),
		data: s.points ?? [],
		band: bandOf(s.min, s.max),
		labels: s.labels,
	}));
}

/**
 * A line's usual range as a band; a low end below zero of a series that is usually positive (CPU,
 * traffic, latency) is drawn at zero, as the alert message says it.
 */
function usualBand(l: LineSeries): Array<{ x: number; y: [number, number] }> {
	return (l.expected?.band ?? []).map(([x, low, centre, high]) => ({
		x,
		y: [low < 0 && centre >= 0 ? 0 : low, high],
	}));
}

/** The lowest and highest value drawn (stacked: the highest sum at one time). */
function extent(lines: LineSeries[], stacked: boolean): [number, number] | undefined {
	let lo = Infinity;
	let hi = -Infinity;
	const sums = new Map<number, number>();
	for (const l of lines) {
		for (const [x, y] of l.data) {
			if (!isNum(y)) continue;
			lo = Math.min(lo, y);
			hi = Math.max(hi, y);
			if (stacked) sums.set(x, (sums.get(x) ?? 0) + y);
		}
		for (const b of stacked ? [] : (l.band ?? [])) {
			lo = Math.min(lo, b.y[0]);
			hi = Math.max(hi, b.y[1]);
		}
		// The usual range too: the reader compares the line with it.
		for (const b of stacked ? [] : usualBand(l)) {
			lo = Math.min(lo, b.y[0]);
			hi = Math.max(hi, b.y[1]);
		}
	}
	for (const s of sums.values()) hi = Math.max(hi, s);
	return lo <= hi ? [lo, hi] : undefined;
}

export interface LineOpts {
	height?: number;
	/** A Unit (UNITS.bytes…) gives the axis one scale; a plain function formats as before. */
	unit?: Unit | ((v: number) => string);
	stacked?: boolean;
	area?: boolean;
	min?: number;
	max?: number;
	window?: { from: number; to: number };
	/** Off for charts of many similar lines (per core); on by default for two or more. */
	legend?: boolean;
}

export function lineOptions(lines: LineSeries[], opts: LineOpts = {}): ApexOptions {
	const b = base(opts.height ?? 240);
	const unit: Unit =
		typeof opts.unit === 'function'
			? { format: opts.unit, scale: () => ({ div: 1, suffix: '' }) }
			: (opts.unit ?? UNITS.number);
	const fmt = unit.format;
	const found = extent(lines, !!opts.stacked);
	const axis =
		found && typeof opts.unit !== 'function'
			? yAxis(unit, opts.min ?? found[0], opts.max ?? found[1])
			: undefined;
	// Bands only where lines are not stacked: a stacked band has no meaning.
	const bands = opts.stacked ? [] : lines.filter((l) => l.band?.length);
	const usual = opts.stacked ? [] : lines.filter((l) => l.expected?.band.length);
	const lineColors = lines.map((_, i) => seriesColor(i));
	const bandColors = bands.map((l) => lineColors[lines.indexOf(l)]);
	const usualColors = usual.map((l) => lineColors[lines.indexOf(l)]);
	const ranged = bands.length + usual.length > 0;
	const type = opts.area ? 'area' : 'line';
	const stretches = usual.flatMap(unusualStretches);
	return {
		...b,
		colors: [...bandColors, ...usualColors, ...lineColors],
		chart: {
			...b.chart,
			type: ranged ? 'rangeArea' : type,
			stacked: !!opts.stacked,
		},
		// Bands first: ApexCharts 4.7 draws a rangeArea that follows line series as an empty path.
		series: [
			...bands.map((l) => ({
				name: escapeHtml(`${l.name} (${t('min')}–${t('max')})`),
				type: 'rangeArea',
				data: l.band ?? [],
			})),
			...usual.map((l) => ({
				name: escapeHtml(`${l.name} (${t('usualRange')})`),
				type: 'rangeArea',
				data: usualBand(l),
			})),
			...lines.map((l) => ({
				name: escapeHtml(l.name),
				type: ranged ? type : undefined,
				// Next to a band, every series in its {x, y} form: ApexCharts reads all series the
				// way it reads the first one.
				data: ranged ? l.data.map(([x, y]) => ({ x, y })) : l.data,
			})),
		] as ApexOptions['series'],
		// The usual range has dashed edges, so it does not read as the min/max of the line.
		stroke: {
			width: [...bands.map(() => 0), ...usual.map(() => 1), ...lines.map(() => 2)],
			dashArray: [...bands.map(() => 0), ...usual.map(() => 4), ...lines.map(() => 0)],
			curve: 'straight',
		},
		fill: {
			type: 'solid',
			opacity: [
				...bands.map(() => 0.18),
				...usual.map(() => 0.1),
				...lines.map(() => (opts.area ? 0.35 : 1)),
			],
		},
		markers: { size: 0 },
		// Unusual hours (their mean outside the usual range) shaded red across the plot.
		annotations: {
			xaxis: stretches.map((r) => ({
				x: r.from,
				x2: r.to,
				fillColor: STATUS_COLORS.critical,
				opacity: 0.14,
				borderColor: 'transparent',
			})),
		},
		legend: {
			show: lines.length > 1 && opts.legend !== false,
			position: 'bottom',
			horizontalAlign: 'left',
			// Only the lines are named in the legend, in their own colours.
			customLegendItems: ranged ? lines.map((l) => escapeHtml(l.name)) : [],
			markers: ranged ? { fillColors: [...lineColors, ...bandColors, ...usualColors] } : {},
		},
		xaxis: {
			type: 'datetime',
			min: opts.window?.from,
			max: opts.window?.to,
			labels: { datetimeUTC: false },
			tooltip: { enabled: false },
		},
		yaxis: axis
			? {
					min: axis.min,
					max: axis.max,
					tickAmount: axis.tickAmount,
					forceNiceScale: false,
					labels: { formatter: axis.label },
				}
			: {
					min: opts.min,
					max: opts.max,
					labels: { formatter: (v: number) => (isNum(v) ? fmt(v) : '') },
					forceNiceScale: true,
				},
		tooltip: {
			x: { formatter: (v: number) => fmtDateTime(v) },
			// Series names are already escaped above; values are numbers we format ourselves.
			y: { formatter: (v: number) => (isNum(v) ? fmt(v) : '—') },
		},
		noData: { text: escapeHtml(t('noData')) },
	};
}
