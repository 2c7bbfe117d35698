import type { Collection, Sample } from '../../core/collectors/types';

/** A collection as a collector would hand it over, with `n` series of one metric. */
export function makeCollection(
	time: number,
	n: number,
	options: {
		host?: string;
		collector?: string;
		value?: (i: number) => number;
		metric?: string;
	} = {},
): Collection {
	const samples: Sample[] = [];
	for (let i = 0; i < n; i++) {
		samples.push({
			name: options.metric ?? 'test_value',
			value: options.value ? options.value(i) : i,
			labels: { index: String(i) },
		});
	}
	return {
		collector: options.collector ?? 'test',
		host: options.host ?? 'test-host',
		time,
		durationMs: 5,
		ok: true,
		warnings: [],
		samples,
		snapshot: { n },
		state: { time, counters: { a: time } },
	};
}

/** One collection of a host as a collector hands it over: ok, with these samples, no snapshot. */
export function collection(
	host: string,
	collector: string,
	time: number,
	samples: Sample[],
	extra: Partial<Collection> = {},
): Collection {
	return {
		collector,
		host,
		time,
		durationMs: 5,
		ok: true,
		warnings: [],
		samples,
		snapshot: null,
		...extra,
	};
}
