import { ratesFromCounters } from '../../core/collectors/rates';

describe('ratesFromCounters', () => {
	it('divides the increase by the elapsed seconds', () => {
		expect(ratesFromCounters({ a: 100, b: 0 }, { a: 300, b: 50 }, 4)).toEqual({ a: 50, b: 12.5 });
	});

	it('takes a counter that went down as reset and never yields a negative rate', () => {
		const rates = ratesFromCounters({ a: 1_000_000 }, { a: 200 }, 10);
		expect(rates.a).toBe(20);
	});

	it('gives a new counter no rate and drops a vanished one', () => {
		const rates = ratesFromCounters({ gone: 5, kept: 1 }, { kept: 3, fresh: 7 }, 1);
		expect(rates).toEqual({ kept: 2 });
	});

	it('gives no rates over a zero, negative or NaN interval', () => {
		expect(ratesFromCounters({ a: 1 }, { a: 2 }, 0)).toEqual({});
		expect(ratesFromCounters({ a: 1 }, { a: 2 }, -1)).toEqual({});
		expect(ratesFromCounters({ a: 1 }, { a: 2 }, NaN)).toEqual({});
	});

	it('skips counters that are not finite', () => {
		expect(ratesFromCounters({ a: NaN, b: 1 }, { a: 5, b: Infinity }, 1)).toEqual({});
	});
});
