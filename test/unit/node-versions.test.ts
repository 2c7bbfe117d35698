/** One reader for both node versions: a version 2 entry's Options put back beside its fields. */
import { flattenOptions } from '../../nodes/shared/versions';

describe('flattenOptions', () => {
	it('puts a version 2 entry’s Options beside its own fields', () => {
		expect(
			flattenOptions({ url: 'http://a', options: { timeout: 5, followRedirects: false } }),
		).toEqual({ url: 'http://a', timeout: 5, followRedirects: false });
	});

	it('leaves a version 1 entry (no Options) as it is', () => {
		expect(flattenOptions({ preset: 'cpuBusy', threshold: 90 })).toEqual({
			preset: 'cpuBusy',
			threshold: 90,
		});
	});

	it('drops Options that are no collection (an expression can put anything there)', () => {
		expect(flattenOptions({ url: 'u', options: [1] })).toEqual({ url: 'u' });
		expect(flattenOptions({ url: 'u', options: 'x' })).toEqual({ url: 'u' });
	});

	it('lets Options win over a field beside it, as the version 2 editor shows them', () => {
		expect(flattenOptions({ threshold: 80, options: { threshold: 95 } })).toEqual({
			threshold: 95,
		});
	});
});
