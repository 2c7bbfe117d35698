import { gunzipSync } from 'node:zlib';

import {
	acceptsGzip,
	AnswerCache,
	answerKey,
	etagOf,
	GZIP_FROM_BYTES,
	matchesEtag,
} from '../../dashboard/server/answer-cache';

/** The dashboard's shared answers: freshness, in-flight sharing, bounds, clearing, ETags, keys. */
describe('AnswerCache', () => {
	let t = 0;
	const clock = () => t;
	beforeEach(() => {
		t = 0;
	});

	it('serves an answer again while fresh, then works it out anew', async () => {
		const cache = new AnswerCache({ freshMs: 5000, clock });
		let calls = 0;
		const work = async () => `answer ${++calls}`;
		expect((await cache.get('k', work)).body).toBe('answer 1');
		t = 4999;
		expect((await cache.get('k', work)).body).toBe('answer 1');
		t = 5000;
		expect((await cache.get('k', work)).body).toBe('answer 2');
		expect(calls).toBe(2);
	});

	it('serves the old answer while one request works out the next (stale-while-revalidate)', async () => {
		const cache = new AnswerCache({ freshMs: 5000, staleMs: 5000, clock });
		let calls = 0;
		let release!: () => void;
		const work = async () => {
			calls++;
			if (calls > 1) await new Promise<void>((resolve) => (release = resolve));
			return `answer ${calls}`;
		};
		await cache.get('k', work);
		t = 6000;
		// Stale: answered at once with the old text, one refresh started, not two.
		expect((await cache.get('k', work)).body).toBe('answer 1');
		expect((await cache.get('k', work)).body).toBe('answer 1');
		expect(calls).toBe(2);
		release();
		await new Promise((resolve) => setImmediate(resolve));
		expect((await cache.get('k', work)).body).toBe('answer 2');
		// Past fresh + stale the old answer is not served: the request waits for a new one.
		t = 6000 + 10_000;
		calls = 0;
		expect((await cache.get('k', async () => `answer ${++calls}`)).body).toBe('answer 1');
	});

	it('shares the work of concurrent askers, and keeps nothing with freshMs 0', async () => {
		const cache = new AnswerCache({ freshMs: 0, clock });
		let calls = 0;
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const work = async () => {
			calls++;
			await gate;
			return 'x';
		};
		const both = Promise.all([cache.get('k', work), cache.get('k', work)]);
		release();
		const [a, b] = await both;
		expect(a).toBe(b);
		expect(calls).toBe(1);
		expect(cache.size.entries).toBe(0);
		await cache.get('k', work);
		expect(calls).toBe(2);
	});

	it('does not keep a failure', async () => {
		const cache = new AnswerCache({ freshMs: 5000, clock });
		await expect(cache.get('k', () => Promise.reject(new Error('store away')))).rejects.toThrow(
			'store away',
		);
		expect((await cache.get('k', async () => 'ok')).body).toBe('ok');
	});

	it('drops the least recently used answers beyond its entries or bytes', async () => {
		const cache = new AnswerCache({ freshMs: 5000, maxEntries: 2, maxBytes: 10, clock });
		await cache.get('a', async () => 'aaaa');
		await cache.get('b', async () => 'bbbb');
		await cache.get('a', async () => 'new a'); // a hit: a is now the most recent
		await cache.get('c', async () => 'cccc');
		expect(cache.size).toEqual({ entries: 2, bytes: 8 });
		expect((await cache.get('a', async () => 'new a')).body).toBe('aaaa');
		expect((await cache.get('b', async () => 'new b')).body).toBe('new b');
		// Over the byte bound alone: 'aaaa' + 'new b' + 'cc…' would be 16 bytes.
		await cache.get('d', async () => 'dddddd');
		expect(cache.size.bytes).toBeLessThanOrEqual(10);
		// An answer larger than the whole bound is sent but not kept.
		await cache.get('big', async () => 'x'.repeat(11));
		expect((await cache.get('big', async () => 'again')).body).toBe('again');
	});

	it('forgets everything on clear, including work that was under way', async () => {
		const cache = new AnswerCache({ freshMs: 5000, clock });
		await cache.get('k', async () => 'before');
		let release!: (v: string) => void;
		const slow = cache.get('s', () => new Promise<string>((resolve) => (release = resolve)));
		cache.clear();
		release('started before the change');
		expect((await slow).body).toBe('started before the change');
		expect((await cache.get('s', async () => 'after')).body).toBe('after');
		expect((await cache.get('k', async () => 'after')).body).toBe('after');
	});

	it('tags answers by their text and matches If-None-Match lists, weak tags and *', () => {
		const tag = etagOf('{"a":1}');
		expect(tag).toBe(etagOf('{"a":1}'));
		expect(tag).not.toBe(etagOf('{"a":2}'));
		expect(matchesEtag(`"other", W/${tag}`, tag)).toBe(true);
		expect(matchesEtag('*', tag)).toBe(true);
		expect(matchesEtag('"other"', tag)).toBe(false);
		expect(matchesEtag(undefined, tag)).toBe(false);
	});

	it('keys a route by its sorted parameters, without the login token', () => {
		const key = answerKey('series', new URLSearchParams('metric=m&host=h&token=secret'));
		expect(key).toBe(answerKey('series', new URLSearchParams('host=h&metric=m')));
		expect(key).not.toContain('secret');
		expect(key).not.toBe(answerKey('series', new URLSearchParams('host=h&metric=n')));
	});

	it('gzips a large answer once it is asked again, counts its packed bytes, and gives the text back', async () => {
		const points = Array.from({ length: 5000 }, (_, i) => [1_790_000_000_000 + i * 60_000, i % 97]);
		const text = JSON.stringify({ series: [{ points }] });
		const cache = new AnswerCache({ freshMs: 5000, clock });
		const first = await cache.get('big', async () => text);
		// Asked once: kept as it is (packing an answer nobody asks again is waste).
		expect(first.gzip).toBeUndefined();
		expect(cache.size.bytes).toBe(text.length);
		const again = await cache.get('big', async () => 'not asked');
		expect(again.gzip).toBeDefined();
		expect(gunzipSync(again.gzip!).toString('utf8')).toBe(text);
		expect(again.body).toBe(text);
		expect(again.etag).toBe(etagOf(text));
		expect(cache.size.bytes).toBe(again.gzip!.length);
		expect(cache.size.bytes).toBeLessThan(text.length / 4);
		// Small answers stay text.
		const under = 'x'.repeat(GZIP_FROM_BYTES - 1);
		await cache.get('under', async () => under);
		expect((await cache.get('under', async () => under)).gzip).toBeUndefined();
		const at = 'x'.repeat(GZIP_FROM_BYTES);
		await cache.get('at', async () => at);
		expect((await cache.get('at', async () => at)).gzip).toBeDefined();
	});

	it('packs at once an answer that a second request waited for', async () => {
		const text = JSON.stringify(Array.from({ length: 2000 }, (_, i) => i));
		const cache = new AnswerCache({ freshMs: 5000, clock });
		let release!: (v: string) => void;
		const work = () => new Promise<string>((resolve) => (release = resolve));
		const [a, b] = [cache.get('k', work), cache.get('k', work)];
		release(text);
		expect((await a).gzip).toBeDefined();
		expect(await b).toBe(await a);
		expect(cache.size.bytes).toBe((await a).gzip!.length);
	});

	it('reads Accept-Encoding as browsers and proxies send it', () => {
		expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
		expect(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1')).toBe(true);
		expect(acceptsGzip(['deflate', 'GZIP'])).toBe(true);
		expect(acceptsGzip('gzip;q=0, br')).toBe(false);
		expect(acceptsGzip('identity')).toBe(false);
		expect(acceptsGzip(undefined)).toBe(false);
	});
});
