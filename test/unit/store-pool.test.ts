/**
 * The pool watch on a real tarn pool (the one Knex builds): waiting acquirers are counted when a
 * request finds every connection lent out, not when it is served at once or a connection is
 * being opened for it; the longest wait and the peak hold until a reset.
 */
import { Pool } from 'tarn';

import { PoolWatch } from '../../core/store/pool';

function pool(max: number) {
	let n = 0;
	return new Pool({ create: () => ({ n: n++ }), destroy: () => undefined, min: 0, max });
}

test('one acquirer at a time never waits', async () => {
	const p = pool(1);
	const watch = new PoolWatch(p, 1);
	for (let i = 0; i < 5; i++) p.release(await p.acquire().promise);
	expect(watch.stats()).toEqual(
		expect.objectContaining({ used: 0, free: 1, max: 1, pending: 0, pendingPeak: 0, acquires: 5 }),
	);
	await p.destroy();
});

test('acquirers behind a lent connection are waiting, with how long the longest waited', async () => {
	let now = 0;
	const p = pool(1);
	const watch = new PoolWatch(p, 1, () => now);
	const first = await p.acquire().promise;
	const second = p.acquire().promise;
	const third = p.acquire().promise;
	expect(watch.stats()).toEqual(expect.objectContaining({ used: 1, pending: 2, pendingPeak: 2 }));
	now = 1500;
	// Still waiting: counted with the time so far.
	expect(watch.stats().acquireWaitMaxSeconds).toBe(1.5);
	p.release(first);
	p.release(await second);
	const last = await third;
	now = 2500; // after it was served: held, not waited
	p.release(last);
	const stats = watch.stats(true);
	expect(stats).toEqual(
		expect.objectContaining({
			pending: 0,
			pendingPeak: 2,
			acquireWaitMaxSeconds: 1.5,
			acquireWaitMeanSeconds: 1,
			acquires: 3,
		}),
	);
	// A new window: nothing waited since.
	expect(watch.stats()).toEqual(
		expect.objectContaining({ pendingPeak: 0, acquireWaitMaxSeconds: 0, acquires: 0 }),
	);
	await p.destroy();
});
