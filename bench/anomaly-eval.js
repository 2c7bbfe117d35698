#!/usr/bin/env node
// @ts-check
/*
 * How well the anomaly detection (core/analysis/baseline.ts + anomaly.ts) finds what it should, on
 * a labelled synthetic set this script makes, next to a static threshold and a plain z-score on
 * the same data; and what it costs.
 *
 * The set: SERIES hourly series over DAYS days (seeded, so every run sees the same data), each
 * with its own level, daily wave, quieter weekends, noise and trend. The first TRAIN_DAYS are
 * history (some with unlabelled spikes, as real history has); in the remaining days NORMAL of the
 * series stay normal and the others get one or two labelled anomalies each: spikes (1-3 h),
 * dips (2-6 h), level shifts and slow drifts (both to the end); some series, normal or not, miss
 * stretches of 6-30 h. Every detector sees one value per hour (the hourly mean, as the rollups
 * hold) and fires when its condition holds for `forHours` hours in a row (1: at once).
 *
 * Scoring per event: an anomaly is found when an alarm starts between its start and its end (a
 * level shift and a drift last to the end); the delay is from its start to that alarm. An alarm
 * that overlaps no anomaly is a false alarm. Recall = anomalies found / anomalies; precision =
 * anomalies found / (anomalies found + false alarms), so that an alarm going on and off during
 * one level shift counts once, not as many true alarms.
 *
 *   node bench/anomaly-eval.js [dist folder, default ../dist]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DIST = path.resolve(process.argv[2] || path.join(__dirname, '..', 'dist'));
const { buildBaseline, isBaseline } = require(path.join(DIST, 'core/analysis/baseline'));
const { assess } = require(path.join(DIST, 'core/analysis/anomaly'));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SERIES = 120;
const NORMAL = 40;
const DAYS = 42;
const TRAIN_DAYS = 28;
/** The detectors compared: the anomaly score at some levels and `for`s, and the two plain ones. */
const CONFIGS = [
	{ level: 3, forHours: 1 },
	{ level: 4, forHours: 1 },
	{ level: 5, forHours: 1 },
	{ level: 4, forHours: 2 },
	{ level: 5, forHours: 2 },
];
const T0 = Date.UTC(2026, 0, 4); // a Sunday

function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function gauss(r) {
	return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * Puts one anomaly into hourly values from `start`, sized by the series' level: a spike (1-3 h,
 * +30-100 %), a dip (2-6 h, down 30-60 %), a level shift (+-25-50 %) or a drift (a 2-4 day ramp
 * to +40-80 %), both to the end. Returns the hour it ends.
 */
function inject(values, kind, start, level, r) {
	const n = values.length;
	let end;
	if (kind === 'spike') {
		end = Math.min(n, start + 1 + Math.floor(r() * 3));
		const size = level * (0.3 + r() * 0.7);
		for (let h = start; h < end; h++) values[h] += size;
	} else if (kind === 'dip') {
		end = Math.min(n, start + 2 + Math.floor(r() * 5));
		const f = 0.3 + r() * 0.3;
		for (let h = start; h < end; h++) values[h] -= f * Math.max(values[h], level * 0.5);
	} else if (kind === 'shift') {
		end = n;
		const size = level * (0.25 + r() * 0.25) * (r() < 0.5 ? -1 : 1);
		for (let h = start; h < end; h++) values[h] += size;
	} else {
		end = n;
		const size = level * (0.4 + r() * 0.4);
		const ramp = 48 + Math.floor(r() * 48);
		for (let h = start; h < end; h++) values[h] += size * Math.min(1, (h - start) / ramp);
	}
	return end;
}

/**
 * `count` labelled anomalies in the judged hours (from `firstEval` on), of kinds taken in turn from
 * `kindOffset`, at random places 12 h apart at least. Shifts and drifts last to the end, so only
 * the last anomaly of a series is one.
 */
function plant(values, firstEval, count, kindOffset, level, r) {
	const kinds = ['spike', 'dip', 'shift', 'drift'];
	const n = values.length;
	const anomalies = [];
	let from = firstEval + 12;
	for (let k = 0; k < count; k++) {
		let kind = kinds[(kindOffset + k) % 4];
		if ((kind === 'shift' || kind === 'drift') && k < count - 1) kind = k % 2 ? 'dip' : 'spike';
		const lasting = kind === 'shift' || kind === 'drift';
		const span = n - from - (lasting ? 48 : 24);
		const start = from + Math.floor(r() * Math.max(1, lasting ? span / 2 : span / (count - k)));
		const end = inject(values, kind, start, level, r);
		anomalies.push({ kind, start, end });
		from = end + 12;
	}
	return anomalies;
}

/** One series: hourly values (NaN where missing) and its labelled anomalies. */
function makeSeries(i) {
	const r = rng(1000 + i);
	const level = 20 + r() * 480;
	const amp = level * (0.1 + r() * 0.4);
	const weekend = 0.5 + r() * 0.5;
	const noise = level * (0.02 + r() * 0.06);
	const trendPerDay = level * (-0.003 + r() * 0.008);
	const peak = 10 + r() * 8;
	const n = DAYS * 24;
	const normal = [];
	for (let h = 0; h < n; h++) {
		const ts = T0 + h * HOUR;
		const hod = h % 24;
		const dow = Math.floor(h / 24) % 7;
		const w = dow === 0 || dow === 6 ? weekend : 1;
		const wave = amp * Math.cos(((hod - peak) / 24) * 2 * Math.PI);
		normal.push({ ts, v: (level + wave) * w + trendPerDay * (h / 24) + noise * gauss(r) });
	}
	const values = normal.map((p) => p.v);
	const anomalies = [];
	const firstEval = TRAIN_DAYS * 24;
	// Unlabelled spikes in the history of a third of the series.
	if (i % 3 === 0)
		for (let k = 0; k < 3; k++) {
			const at = Math.floor(r() * (firstEval - 5));
			for (let h = at; h < at + 2; h++) values[h] += level * (0.5 + r());
		}
	if (i >= NORMAL)
		anomalies.push(...plant(values, firstEval, 1 + (i % 2), Math.floor(i / 2), level, r));
	// Missing stretches in a quarter of the series (in the history or the judged days).
	if (i % 4 === 1) {
		const at = firstEval - 48 + Math.floor(r() * (n - firstEval));
		const len = 6 + Math.floor(r() * 25);
		for (let h = at; h < Math.min(n, at + len); h++) values[h] = NaN;
	}
	return { values, anomalies };
}

/**
 * The synthetic set's shape; another set (bench/anomaly-eval-real.js) passes its own: hours of
 * history, how many series and which are normal, how many weeks are judged, the first hour's time.
 */
const SYNTHETIC = {
	t0: T0,
	trainHours: TRAIN_DAYS * 24,
	series: SERIES,
	normal: NORMAL,
	judgedWeeks: (DAYS - TRAIN_DAYS) / 7,
};

/** Hours 0..n-1 where each detector's raw condition holds (null: no data, not judged). */
function conditions(series, level, cfg = SYNTHETIC) {
	const n = series.values.length;
	const firstEval = cfg.trainHours;
	const train = series.values.slice(0, firstEval).filter(Number.isFinite);
	const mean = train.reduce((a, b) => a + b, 0) / train.length;
	const sd = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
	const lo = Math.min(...train);
	const hi = Math.max(...train);
	const out = { anomaly: [], zscore: [], static: [] };
	let baseline;
	for (let h = firstEval; h < n; h++) {
		const ts = cfg.t0 + h * HOUR;
		if (h % 24 === 0 || !baseline) baseline = baselineOf(series.values, h, ts, cfg);
		const v = series.values[h];
		if (!Number.isFinite(v)) {
			out.anomaly.push(null);
			out.zscore.push(null);
			out.static.push(null);
			continue;
		}
		const a = assess(baseline, [[ts + HOUR / 2, v]], ts + HOUR - 1, { level, windowMs: HOUR });
		out.anomaly.push(a.score === null ? null : Math.abs(a.score) >= level);
		out.zscore.push(Math.abs((v - mean) / sd) >= 3);
		out.static.push(v > hi || v < lo);
	}
	return out;
}

function baselineOf(values, h, ts, cfg) {
	const rows = [];
	for (let k = Math.max(0, h - cfg.trainHours); k < h; k++)
		if (Number.isFinite(values[k]))
			rows.push({ ts: cfg.t0 + k * HOUR, count: 60, sum: 60 * values[k] });
	return buildBaseline(rows, { until: ts });
}

/** Alarms (start, end in hours) from per-hour conditions: `forHours` in a row to fire. */
function alarms(cond, forHours, cfg = SYNTHETIC) {
	const out = [];
	const firstEval = cfg.trainHours;
	let run = 0;
	let open;
	for (let k = 0; k < cond.length; k++) {
		const c = cond[k];
		if (c === null) continue; // a gap changes nothing
		if (c) {
			run++;
			if (run >= forHours && !open) open = { start: firstEval + k, end: firstEval + k + 1 };
			if (open) open.end = firstEval + k + 1;
		} else {
			run = 0;
			if (open) out.push(open);
			open = undefined;
		}
	}
	if (open) out.push(open);
	return out;
}

function score(all, cfg = SYNTHETIC) {
	let alarmsTotal = 0;
	let events = 0;
	let found = 0;
	let falseNormal = 0;
	let falseAll = 0;
	const delays = [];
	const byKind = {};
	for (const { series, alarms: list, index } of all) {
		alarmsTotal += list.length;
		for (const a of list) {
			const overlaps = series.anomalies.some((x) => a.start < x.end && a.end > x.start);
			if (!overlaps) {
				falseAll++;
				if (index < cfg.normal) falseNormal++;
			}
		}
		for (const x of series.anomalies) {
			events++;
			const k = (byKind[x.kind] ??= { events: 0, found: 0 });
			k.events++;
			const hit = list.find((a) => a.start >= x.start && a.start < x.end);
			const during = list.find((a) => a.start < x.end && a.end > x.start);
			if (hit || during) {
				found++;
				k.found++;
				delays.push(Math.max(0, (hit ?? during).start - x.start + 1));
			}
		}
	}
	const precision = found + falseAll ? found / (found + falseAll) : 1;
	const recall = events ? found / events : 1;
	const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
	delays.sort((a, b) => a - b);
	const weeks = cfg.judgedWeeks;
	return {
		precision: round(precision),
		recall: round(recall),
		f1: round(f1),
		medianDelayHours: delays.length ? delays[Math.floor(delays.length / 2)] : null,
		falseAlarmsPerSeriesWeekNormal: round(falseNormal / (cfg.normal * weeks)),
		falseAlarmsPerSeriesWeekAll: round(falseAll / (cfg.series * weeks)),
		recallByKind: Object.fromEntries(
			Object.entries(byKind).map(([k, v]) => [k, round(v.found / v.events)]),
		),
		events,
		alarms: alarmsTotal,
	};
}

const round = (x) => Math.round(x * 1000) / 1000;

function cost() {
	// 10,000 series x 28 days of hourly rows: the time to build their baselines...
	const r = rng(7);
	const rows = [];
	for (let h = 0; h < TRAIN_DAYS * 24; h++)
		rows.push({
			ts: T0 + h * HOUR,
			count: 60,
			sum: 60 * (50 + 20 * Math.sin(h / 4) + 5 * gauss(r)),
		});
	const n = 10_000;
	const until = T0 + TRAIN_DAYS * DAY;
	const before = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	let b;
	for (let i = 0; i < n; i++) b = buildBaseline(rows, { until });
	const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
	const buildCpu = process.cpuUsage(before);
	// ...and one evaluation of a series against its cached baseline: an hour of minute points.
	const points = Array.from({ length: 60 }, (_, k) => [until + k * 60_000, 50 + gauss(r)]);
	const evals = 100_000;
	const before2 = process.cpuUsage();
	for (let i = 0; i < evals; i++) assess(b, points, until + HOUR - 1);
	const evalCpu = process.cpuUsage(before2);
	if (!isBaseline(b)) throw new Error('no baseline');
	return {
		baselines10kSeconds: round(buildMs / 1000),
		baselineBuildCpuMsPerSeries: round((buildCpu.user + buildCpu.system) / 1000 / n),
		evaluationCpuMicrosecondsPerSeries: round((evalCpu.user + evalCpu.system) / evals),
		cachedBaselineJsonBytes: JSON.stringify(b).length,
	};
}

function main() {
	const set = Array.from({ length: SERIES }, (_, i) => makeSeries(i));
	const results = evaluate(set);
	const out = {
		when: new Date().toISOString(),
		cpu: os.cpus()[0]?.model,
		node: process.version,
		set: {
			series: SERIES,
			normalSeries: NORMAL,
			days: DAYS,
			historyDays: TRAIN_DAYS,
			judgedDays: DAYS - TRAIN_DAYS,
			anomalies: set.reduce((s, x) => s + x.anomalies.length, 0),
		},
		results,
		cost: cost(),
	};
	const file = path.join(__dirname, 'results', 'anomaly-eval.json');
	fs.writeFileSync(file, JSON.stringify(out, null, '\t') + '\n');
	console.log(JSON.stringify(out, null, 2));
}

/**
 * Every detector of CONFIGS on a set: per series its conditions, alarms and the scores, by
 * detector name (the plain ones at level 4's pass, since their condition has no level).
 */
function evaluate(set, cfg = SYNTHETIC) {
	const results = {};
	for (const { level, forHours } of CONFIGS) {
		const per = { anomaly: [], zscore: [], static: [] };
		set.forEach((series, index) => {
			const c = conditions(series, level, cfg);
			for (const k of Object.keys(per))
				per[k].push({ series, index, alarms: alarms(c[k], forHours, cfg) });
		});
		results[`anomaly: |score| >= ${level} for ${forHours} h`] = score(per.anomaly, cfg);
		if (level === 4) {
			results[`plain z-score: |z| >= 3 over the history, for ${forHours} h`] = score(
				per.zscore,
				cfg,
			);
			results[`static threshold: outside the history's min..max, for ${forHours} h`] = score(
				per.static,
				cfg,
			);
		}
	}
	return results;
}

module.exports = { evaluate, conditions, alarms, plant, rng, round };

if (require.main === module) main();
