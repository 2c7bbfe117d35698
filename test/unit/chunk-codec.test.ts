import {
	decimalSum,
	decodeChunk,
	decodeRollups,
	encodeChunk,
	encodeRollups,
} from '../../core/store/chunk-codec';

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const kinds: Array<(r: () => number) => number> = [
	(r) => Math.round(r() * 10_000) / 100, // a percentage with two decimals
	(r) => (r() - 0.5) * 1e300, // huge
	(r) => (r() - 0.5) * 1e-300, // tiny
	(r) => Math.floor(r() * 2 ** 53) - 2 ** 52, // any safe integer, negative too
	(r) => (r() - 0.5) * r() * 1e6, // any double
	() => -0,
	(r) => (r() < 0.5 ? 0 : 1), // up/down
	(r) => Number.MAX_VALUE * (r() < 0.5 ? -1 : 1),
	() => Number.MIN_VALUE,
];

describe('packed samples (chunk codec)', () => {
	it('gives back exactly the times and float64 values it was given, whatever they are', () => {
		const r = random(42);
		for (let trial = 0; trial < 3000; trial++) {
			const n = 1 + Math.floor(r() * 120);
			const ts: number[] = [];
			const values: number[] = [];
			let t = Date.UTC(2026, 0, 1) + Math.floor(r() * 1e10);
			const regular = r() < 0.5;
			const mixed = r() < 0.3;
			const kind = kinds[trial % kinds.length];
			for (let i = 0; i < n; i++) {
				t += regular ? 60_000 : 1 + Math.floor(r() * 120_000);
				ts.push(t);
				values.push(mixed ? kinds[Math.floor(r() * kinds.length)](r) : kind(r));
			}
			const decoded = decodeChunk(encodeChunk(ts, values));
			expect(decoded.ts).toEqual(ts);
			expect(decoded.values).toHaveLength(n);
			for (let i = 0; i < n; i++) {
				if (!Object.is(decoded.values[i], values[i]))
					throw new Error(
						`trial ${trial}, sample ${i}: ${values[i]} came back as ${decoded.values[i]}`,
					);
			}
		}
	});

	it('packs an hour of a typical series into a few bytes per sample', () => {
		const r = random(7);
		const t0 = Date.UTC(2026, 0, 1);
		const ts = Array.from({ length: 60 }, (_, i) => t0 + i * 60_000);
		let level = 40;
		const cpu = ts
			.map(() => (level = Math.max(0, Math.min(100, level + (r() - 0.5) * 4))))
			.map((v) => Math.round(v * 100) / 100);
		const constant = ts.map(() => 1);
		expect(encodeChunk(ts, cpu).length / 60).toBeLessThan(3);
		expect(encodeChunk(ts, constant).length / 60).toBeLessThan(0.5);
	});

	it('refuses times that are not integers and a length mismatch', () => {
		expect(() => encodeChunk([1.5], [1])).toThrow(/not an integer/);
		expect(() => encodeChunk([1, 2], [1])).toThrow(/differ in length/);
	});
});

describe('packed rollups', () => {
	it('gives back exactly the bucket times, min, max, sum and count it was given', () => {
		const r = random(9);
		for (let trial = 0; trial < 600; trial++) {
			const n = 1 + Math.floor(r() * 300);
			const columns = { ts: [] as number[], min: [] as number[], max: [] as number[] };
			const sum: number[] = [];
			const count: number[] = [];
			let t = Date.UTC(2026, 0, 1) + Math.floor(r() * 1e10);
			const kind = kinds[trial % kinds.length];
			for (let i = 0; i < n; i++) {
				t += r() < 0.9 ? 300_000 : 300_000 * (2 + Math.floor(r() * 20));
				columns.ts.push(t);
				columns.min.push(kind(r));
				columns.max.push(kind(r));
				sum.push(r() < 0.5 ? kind(r) : 0.1 + 0.2);
				count.push(r() < 0.8 ? 5 : Math.floor(r() * 2 ** 31));
			}
			const decoded = decodeRollups(encodeRollups({ ...columns, sum, count }));
			expect(decoded.ts).toEqual(columns.ts);
			expect(decoded.count).toEqual(count);
			for (const [name, want] of [
				['min', columns.min],
				['max', columns.max],
				['sum', sum],
			] as const)
				for (let i = 0; i < n; i++)
					if (!Object.is(decoded[name][i], want[i]))
						throw new Error(
							`trial ${trial}, ${name} ${i}: ${want[i]} came back as ${decoded[name][i]}`,
						);
		}
	});

	it('packs a day of 5-minute buckets of a typical series into a few bytes each', () => {
		const r = random(3);
		const t0 = Date.UTC(2026, 0, 1);
		const ts = Array.from({ length: 288 }, (_, i) => t0 + i * 300_000);
		let level = 40;
		const buckets = ts.map(() =>
			Array.from(
				{ length: 5 },
				() => Math.round((level = Math.max(0, Math.min(100, level + (r() - 0.5) * 4))) * 100) / 100,
			),
		);
		const packed = encodeRollups({
			ts,
			min: buckets.map((b) => Math.min(...b)),
			max: buckets.map((b) => Math.max(...b)),
			sum: buckets.map((b) => decimalSum(b)),
			count: buckets.map((b) => b.length),
		});
		// A row per bucket took ~36 bytes.
		expect(packed.length / 288).toBeLessThan(6);
	});

	it('sums decimals exactly, and any other doubles as doubles add', () => {
		expect(decimalSum([0.1, 0.2])).toBe(0.3);
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(decimalSum(Array(60).fill(0.1))).toBe(6);
		expect(decimalSum([Math.PI, 1])).toBe(Math.PI + 1);
		expect(decimalSum([])).toBe(0);
	});

	it('refuses columns of different lengths and counts that are not whole numbers', () => {
		const one = { ts: [1], min: [1], max: [1], sum: [1], count: [1] };
		expect(() => encodeRollups({ ...one, sum: [] })).toThrow(/differ in length/);
		expect(() => encodeRollups({ ...one, count: [1.5] })).toThrow(/whole number/);
	});
});
