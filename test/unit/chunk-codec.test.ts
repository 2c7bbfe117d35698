import { decodeChunk, encodeChunk } from '../../core/store/chunk-codec';

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
