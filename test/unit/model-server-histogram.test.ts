import {
	bucketIncrease,
	histogramQuantile,
	sumBuckets,
} from '../../core/collectors/model-servers/histogram';
import { histogramOf } from '../../core/collectors/model-servers/histogram';
import { parseMetricsPage } from '../../core/prometheus-text';
import { vllmFromPage } from '../../core/collectors/model-servers/vllm';

const inf = Infinity;
/** The example of Prometheus's docs: http_request_duration_seconds (README of the parser too). */
const DOCS = [
	{ le: 0.05, count: 24054 },
	{ le: 0.1, count: 33444 },
	{ le: 0.2, count: 100392 },
	{ le: 0.5, count: 129389 },
	{ le: 1, count: 133988 },
	{ le: inf, count: 144320 },
];

describe('histogramQuantile (Prometheus histogram_quantile semantics)', () => {
	it('interpolates linearly inside the bucket the rank falls in', () => {
		// rank 72160 falls in (0.1, 0.2]: 0.1 + 0.1 * (72160 - 33444) / (100392 - 33444)
		expect(histogramQuantile(DOCS, 0.5)).toBeCloseTo(0.1 + (0.1 * 38716) / 66948, 12);
		const simple = [
			{ le: 1, count: 10 },
			{ le: 2, count: 30 },
			{ le: inf, count: 40 },
		];
		expect(histogramQuantile(simple, 0.5)).toBe(1.5); // rank 20: 1 + 1 * 10/20
		expect(histogramQuantile(simple, 0.25)).toBe(1); // rank 10 is the first bucket's count
		expect(histogramQuantile(simple, 0.1)).toBe(0.4); // first bucket starts at 0
	});

	it('returns the highest finite bound when the rank falls in +Inf', () => {
		expect(histogramQuantile(DOCS, 0.99)).toBe(1);
	});

	it('sorts buckets given in any order', () => {
		expect(histogramQuantile([...DOCS].reverse(), 0.5)).toBe(histogramQuantile(DOCS, 0.5));
	});

	it('gives NaN without +Inf, with < 2 buckets or with no observations', () => {
		expect(histogramQuantile(DOCS.slice(0, 5), 0.5)).toBeNaN();
		expect(histogramQuantile([{ le: inf, count: 5 }], 0.5)).toBeNaN();
		expect(
			histogramQuantile(
				[
					{ le: 1, count: 0 },
					{ le: inf, count: 0 },
				],
				0.5,
			),
		).toBeNaN();
	});

	it('gives -Inf for q < 0, +Inf for q > 1 and NaN for NaN', () => {
		expect(histogramQuantile(DOCS, -0.1)).toBe(-Infinity);
		expect(histogramQuantile(DOCS, 1.1)).toBe(Infinity);
		expect(histogramQuantile(DOCS, NaN)).toBeNaN();
	});

	it('raises non-monotonic counts to the running maximum', () => {
		const racy = [
			{ le: 1, count: 10 },
			{ le: 2, count: 8 },
			{ le: 3, count: 20 },
			{ le: inf, count: 20 },
		];
		// fixed to 10, 10, 20: rank 15 falls in (2, 3]: 2 + 1 * 5/10
		expect(histogramQuantile(racy, 0.75)).toBe(2.5);
	});

	it('returns a non-positive first upper bound as is', () => {
		expect(
			histogramQuantile(
				[
					{ le: -1, count: 5 },
					{ le: inf, count: 10 },
				],
				0.2,
			),
		).toBe(-1);
	});
});

describe('bucketIncrease and sumBuckets', () => {
	const now = [
		{ le: 1, count: 15 },
		{ le: inf, count: 30 },
	];
	it('subtracts the previous reading bucket by bucket', () => {
		expect(
			bucketIncrease(
				now,
				new Map([
					[1, 5],
					[inf, 10],
				]),
			),
		).toEqual([
			{ le: 1, count: 10 },
			{ le: inf, count: 20 },
		]);
	});
	it('refuses a base after a restart, a new layout, or none', () => {
		expect(
			bucketIncrease(
				now,
				new Map([
					[1, 20],
					[inf, 40],
				]),
			),
		).toBeNull();
		expect(
			bucketIncrease(
				now,
				new Map([
					[2, 1],
					[inf, 1],
				]),
			),
		).toBeNull();
		expect(bucketIncrease(now, undefined)).toBeNull();
	});
	it('sums series by upper bound', () => {
		expect(
			sumBuckets([
				now,
				[
					{ le: 1, count: 1 },
					{ le: inf, count: 2 },
				],
			]),
		).toEqual([
			{ le: 1, count: 16 },
			{ le: inf, count: 32 },
		]);
	});
});

describe('parseMetricsPage', () => {
	const page = [
		'# HELP vllm:e2e_request_latency_seconds e2e',
		'# TYPE vllm:e2e_request_latency_seconds histogram',
		'vllm:e2e_request_latency_seconds_bucket{engine="0",le="1.0",model_name="m"} 2.0',
		'vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="m"} 4.0',
		'vllm:e2e_request_latency_seconds_bucket{engine="1",le="1.0",model_name="m"} 1.0',
		'vllm:e2e_request_latency_seconds_bucket{engine="1",le="+Inf",model_name="m"} 6.0',
		'vllm:e2e_request_latency_seconds_sum{engine="0",model_name="m"} 3.5',
		'# TYPE vllm:num_requests_running gauge',
		'vllm:num_requests_running{engine="0",model_name="m"} 2.0',
		'vllm:num_requests_running{engine="1",model_name="m"} 3.0',
		'# TYPE vllm:gpu_cache_usage_perc gauge',
		'vllm:gpu_cache_usage_perc{engine="0",model_name="m"} 0.2',
		'vllm:gpu_cache_usage_perc{engine="1",model_name="m"} 0.4',
		'',
	].join('\n');

	it('keeps labelled histogram series apart and sums them by le', () => {
		expect(histogramOf(parseMetricsPage(page), 'vllm:e2e_request_latency_seconds')).toEqual([
			{ le: 1, count: 3 },
			{ le: inf, count: 10 },
		]);
	});

	it('sums engines, averages the KV cache and falls back to the pre-0.10 name', () => {
		const r = vllmFromPage(parseMetricsPage(page));
		expect(r.requestsRunning).toBe(5);
		expect(r.kvCacheUsageRatio).toBeCloseTo(0.3, 12);
		expect(r.models).toEqual([{ name: 'm' }]);
	});

	it('throws on a page cut inside a line (no final line feed)', () => {
		expect(() => parseMetricsPage('vllm:num_requests_running{engine="0",model_na')).toThrow(
			/cut off at "vllm:num_requests_running\{engine="0",model_na"/,
		);
	});

	it('throws on a line without a value and on a broken HELP line', () => {
		expect(() => parseMetricsPage('vllm:num_requests_running{engine="0"}\n')).toThrow(/no number/);
		expect(() => parseMetricsPage('# HELP vllm:num_requests_running\n')).toThrow(/invalid line/);
	});
});
