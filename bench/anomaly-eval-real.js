#!/usr/bin/env node
// @ts-check
/*
 * The anomaly detection on real series recorded from this machine (bench/record-host.js ->
 * bench/fixtures/host-recording.json.gz: the host collector every second), beside the synthetic
 * set of bench/anomaly-eval.js and scored the same way.
 *
 * Time is compressed: each recorded sample stands for one hour, so 960 samples are 40 "days"
 * (28 of history, the rest judged, the baseline rebuilt every 24 samples as the trigger rebuilds
 * it). The values, their noise, bursts and the other helpers' load on this shared machine are
 * real; a daily or weekly rhythm is not (the recording is minutes long), and one 1-second sample
 * is far noisier than an hourly mean, so false alarms here are a harsh test.
 * Each moving series appears once as it is (normal: every alarm is false) and COPIES times with
 * one or two injected, labelled anomalies (bench/anomaly-eval.js `plant`: spikes, dips, level
 * shifts, drifts), sized by the series' own typical level.
 *
 *   node bench/anomaly-eval-real.js [dist folder, default ../dist]
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const { alarms, conditions, evaluate, plant, rng, round } = require('./anomaly-eval');

const FIXTURE = path.join(__dirname, 'fixtures', 'host-recording.json.gz');
const TRAIN_HOURS = 28 * 24;
const COPIES = 3;
/** A clock, not a measurement: it only ever climbs by one a second. */
const EXCLUDED = new Set(['uptime_seconds']);
const T0 = Date.UTC(2026, 0, 4); // a Sunday, as in the synthetic set

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function main() {
	const rec = JSON.parse(zlib.gunzipSync(fs.readFileSync(FIXTURE)).toString('utf8'));
	const real = rec.series
		.filter((s) => !EXCLUDED.has(s.metric))
		.map((s) => ({
			name: `${s.metric}${JSON.stringify(s.labels)}`,
			values: s.points.map((p) => p[1]),
		}))
		.filter((s) => s.values.length >= TRAIN_HOURS + 7 * 24);
	const n = Math.min(...real.map((s) => s.values.length));
	const normal = real.map((s) => ({ values: s.values.slice(0, n), anomalies: [] }));
	const anomalous = [];
	real.forEach((s, i) => {
		const history = s.values.slice(0, TRAIN_HOURS).map(Math.abs);
		// A bursty series (disk writes) has a median near zero: its mean speaks for its size.
		const level = Math.max(median(history), history.reduce((a, b) => a + b, 0) / history.length);
		for (let c = 0; c < COPIES; c++) {
			// Counted as the synthetic set counts its series: one or two anomalies, kinds in turn.
			const j = i * COPIES + c;
			const r = rng(5000 + j);
			const values = s.values.slice(0, n);
			const anomalies = plant(values, TRAIN_HOURS, 1 + (j % 2), Math.floor(j / 2), level, r);
			anomalous.push({ values, anomalies });
		}
	});
	const set = [...normal, ...anomalous];
	const cfg = {
		t0: T0,
		trainHours: TRAIN_HOURS,
		series: set.length,
		normal: normal.length,
		judgedWeeks: (n - TRAIN_HOURS) / 24 / 7,
	};
	const results = evaluate(set, cfg);
	// Where the default detector's false alarms come from: per recorded series, unaltered.
	const falseAlarmsByMetric = Object.fromEntries(
		normal
			.map((x, i) => [real[i].name, alarms(conditions(x, 5, cfg).anomaly, 1, cfg).length])
			.filter(([, count]) => count > 0)
			.sort((a, b) => b[1] - a[1]),
	);
	const out = {
		when: new Date().toISOString(),
		cpu: os.cpus()[0]?.model,
		node: process.version,
		recording: {
			recordedAt: rec.recordedAt,
			intervalMs: rec.intervalMs,
			samplesPerSeries: n,
			machine: `${rec.cpu}, ${rec.cores} cores`,
			series: real.map((s) => s.name),
		},
		set: {
			series: set.length,
			normalSeries: normal.length,
			historyHours: TRAIN_HOURS,
			judgedHours: n - TRAIN_HOURS,
			anomalies: set.reduce((s, x) => s + x.anomalies.length, 0),
		},
		results,
		defaultDetectorFalseAlarmsBySeries: falseAlarmsByMetric,
	};
	fs.writeFileSync(
		path.join(__dirname, 'results', 'anomaly-eval-real.json'),
		JSON.stringify(out, null, '\t') + '\n',
	);
	const table = Object.entries(results).map(([k, v]) => ({
		detector: k,
		precision: v.precision,
		recall: v.recall,
		f1: v.f1,
		delay: v.medianDelayHours,
		falsePerSeriesWeek: v.falseAlarmsPerSeriesWeekNormal,
		byKind: Object.entries(v.recallByKind)
			.map(([kk, x]) => `${kk} ${round(x)}`)
			.join(' '),
	}));
	console.table(table);
	console.log('false alarms of |score| >= 5 on the unaltered series:', falseAlarmsByMetric);
}

main();
