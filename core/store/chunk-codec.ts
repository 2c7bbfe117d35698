import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Lossless packing of one series' samples of one block (an hour) into a few bytes each, in the
 * spirit of Gorilla (Facebook's time-series compression), but byte-aligned so that zlib can
 * squeeze what is left:
 *
 * - times: the first one, the first delta, then delta-of-deltas as zigzag varints: a collector
 *   that runs on a schedule gives long runs of zero bytes;
 * - values: when every value is a decimal with at most 9 digits after the point (percentages,
 *   byte counts, temperatures), the scaled integers as zigzag varint deltas; otherwise the XOR of
 *   each float64 with the previous one, stored as a byte of leading/trailing zero-byte counts and
 *   only the bytes in between.
 *
 * The body is deflated when that makes it smaller. Decoding gives back exactly the float64s
 * that were encoded (the decimal mode is only chosen after checking the round trip of every value).
 */

const FLAG_DEFLATED = 1;
const MODE_XOR = 255;
const MAX_DECIMALS = 9;
/** Scaled integers stay below 2^50, so their deltas and zigzags stay exact in a double. */
const MAX_SCALED = 2 ** 50;

export interface DecodedChunk {
	ts: number[];
	values: number[];
}

export function encodeChunk(ts: readonly number[], values: readonly number[]): Buffer {
	if (ts.length !== values.length) throw new Error('times and values differ in length');
	const out = new ByteWriter();
	out.varint(ts.length);
	writeTimes(out, ts);
	writeValues(out, values);
	return finish(out);
}

export function decodeChunk(data: Uint8Array): DecodedChunk {
	const input = open(data);
	const n = input.varint();
	const ts = readTimes(input, n);
	return { ts, values: readValues(input, n) };
}

/** Rollup buckets of one series (a block of them), as packed by `encodeRollups`. */
export interface DecodedRollups {
	ts: number[];
	min: number[];
	max: number[];
	sum: number[];
	count: number[];
}

/**
 * Rollup buckets packed the way raw samples are: the bucket times as above, then the minimums,
 * maximums and sums each as a value column (decimal deltas or XOR), and the counts as zigzag
 * deltas (a run of zero bytes when every bucket is full). Lossless like `encodeChunk`.
 */
export function encodeRollups(rollups: DecodedRollups): Buffer {
	const { ts, min, max, sum, count } = rollups;
	const n = ts.length;
	if (min.length !== n || max.length !== n || sum.length !== n || count.length !== n)
		throw new Error('rollup columns differ in length');
	const out = new ByteWriter();
	out.varint(n);
	writeTimes(out, ts);
	writeValues(out, min);
	writeValues(out, max);
	writeValues(out, sum);
	let previous = 0;
	for (const c of count) {
		if (!Number.isSafeInteger(c) || c < 0) throw new Error(`count ${c} is not a whole number`);
		out.varint(zigzag(c - previous));
		previous = c;
	}
	return finish(out);
}

export function decodeRollups(data: Uint8Array): DecodedRollups {
	const input = open(data);
	const n = input.varint();
	const ts = readTimes(input, n);
	const min = readValues(input, n);
	const max = readValues(input, n);
	const sum = readValues(input, n);
	const count = new Array<number>(n);
	let previous = 0;
	for (let i = 0; i < n; i++) count[i] = previous += unzigzag(input.varint());
	return { ts, min, max, sum, count };
}

/**
 * The sum of some values, exact when they are all decimals of at most 9 digits after the point
 * (the sum of their scaled integers, divided once): the nearest double to the true sum, where
 * adding doubles one by one leaves rounding noise (0.1 + 0.2) that no decimal column can hold.
 */
export function decimalSum(values: readonly number[]): number {
	const decimals = decimalScale(values);
	if (decimals !== undefined) {
		const scale = 10 ** decimals;
		let total = 0;
		for (const v of values) total += Math.round(v * scale);
		if (Math.abs(total) < MAX_SCALED) return total / scale;
	}
	let total = 0;
	for (const v of values) total += v;
	return total;
}

function finish(out: ByteWriter): Buffer {
	const body = out.toBuffer();
	const deflated = deflateRawSync(body, { level: 6 });
	return deflated.length < body.length
		? Buffer.concat([Buffer.from([FLAG_DEFLATED]), deflated])
		: Buffer.concat([Buffer.from([0]), body]);
}

function open(data: Uint8Array): ByteReader {
	const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	const body = bytes[0] & FLAG_DEFLATED ? inflateRawSync(bytes.subarray(1)) : bytes.subarray(1);
	return new ByteReader(body);
}

/** A column of doubles: a mode byte (decimals, or XOR), then the values. */
function writeValues(out: ByteWriter, values: readonly number[]) {
	const decimals = decimalScale(values);
	if (decimals === undefined) {
		out.byte(MODE_XOR);
		writeXor(out, values);
		return;
	}
	out.byte(decimals);
	const scale = 10 ** decimals;
	let previous = 0;
	for (const v of values) {
		const scaled = Math.round(v * scale);
		out.varint(zigzag(scaled - previous));
		previous = scaled;
	}
}

function readValues(input: ByteReader, n: number): number[] {
	const mode = input.byte();
	const values = new Array<number>(n);
	if (mode === MODE_XOR) {
		readXor(input, values);
	} else {
		const scale = 10 ** mode;
		let previous = 0;
		for (let i = 0; i < n; i++) {
			previous += unzigzag(input.varint());
			values[i] = previous / scale;
		}
	}
	return values;
}

/** The fewest decimals that represent every value exactly, or undefined when none do. */
function decimalScale(values: readonly number[]): number | undefined {
	for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
		const scale = 10 ** decimals;
		let fits = true;
		for (const v of values) {
			const scaled = Math.round(v * scale);
			if (Math.abs(scaled) >= MAX_SCALED || scaled / scale !== v || Object.is(v, -0)) {
				fits = false;
				break;
			}
		}
		if (fits) return decimals;
	}
	return undefined;
}

function writeTimes(out: ByteWriter, ts: readonly number[]) {
	let previous = 0;
	let delta = 0;
	for (let i = 0; i < ts.length; i++) {
		if (!Number.isSafeInteger(ts[i])) throw new Error(`time ${ts[i]} is not an integer`);
		if (i === 0) out.varint(zigzag(ts[0]));
		else if (i === 1) out.varint(zigzag((delta = ts[1] - ts[0])));
		else {
			const d = ts[i] - previous;
			out.varint(zigzag(d - delta));
			delta = d;
		}
		previous = ts[i];
	}
}

function readTimes(input: ByteReader, n: number): number[] {
	const ts = new Array<number>(n);
	let delta = 0;
	for (let i = 0; i < n; i++) {
		if (i === 0) ts[0] = unzigzag(input.varint());
		else if (i === 1) ts[1] = ts[0] + (delta = unzigzag(input.varint()));
		else ts[i] = ts[i - 1] + (delta += unzigzag(input.varint()));
	}
	return ts;
}

const scratch = new DataView(new ArrayBuffer(8));

function writeXor(out: ByteWriter, values: readonly number[]) {
	let hi = 0;
	let lo = 0;
	for (const v of values) {
		scratch.setFloat64(0, v);
		const h = scratch.getUint32(0);
		const l = scratch.getUint32(4);
		scratch.setUint32(0, (h ^ hi) >>> 0);
		scratch.setUint32(4, (l ^ lo) >>> 0);
		hi = h;
		lo = l;
		let lead = 0;
		while (lead < 8 && scratch.getUint8(lead) === 0) lead++;
		if (lead === 8) {
			out.byte(0x80); // the same value again
			continue;
		}
		let trail = 0;
		while (scratch.getUint8(7 - trail) === 0) trail++;
		out.byte((lead << 4) | trail);
		for (let i = lead; i < 8 - trail; i++) out.byte(scratch.getUint8(i));
	}
}

function readXor(input: ByteReader, values: number[]) {
	let hi = 0;
	let lo = 0;
	for (let k = 0; k < values.length; k++) {
		const head = input.byte();
		if (head !== 0x80) {
			const lead = head >> 4;
			const trail = head & 15;
			scratch.setFloat64(0, 0);
			for (let i = lead; i < 8 - trail; i++) scratch.setUint8(i, input.byte());
			hi = (hi ^ scratch.getUint32(0)) >>> 0;
			lo = (lo ^ scratch.getUint32(4)) >>> 0;
		}
		scratch.setUint32(0, hi);
		scratch.setUint32(4, lo);
		values[k] = scratch.getFloat64(0);
	}
}

/** Zigzag with arithmetic, not 32-bit bit operations: times and deltas go up to 2^53. */
const zigzag = (x: number) => (x >= 0 ? 2 * x : -2 * x - 1);
const unzigzag = (z: number) => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

class ByteWriter {
	private bytes: number[] = [];

	byte(b: number) {
		this.bytes.push(b);
	}

	varint(n: number) {
		while (n >= 128) {
			this.bytes.push(n % 128 | 128);
			n = Math.floor(n / 128);
		}
		this.bytes.push(n);
	}

	toBuffer(): Buffer {
		return Buffer.from(this.bytes);
	}
}

class ByteReader {
	private offset = 0;

	constructor(private readonly bytes: Uint8Array) {}

	byte(): number {
		if (this.offset >= this.bytes.length) throw new Error('packed samples are truncated');
		return this.bytes[this.offset++];
	}

	varint(): number {
		let result = 0;
		let factor = 1;
		for (;;) {
			const b = this.byte();
			result += (b & 127) * factor;
			if (b < 128) return result;
			factor *= 128;
		}
	}
}
