/**
 * The store's own Knex pool, watched where it costs nothing: tarn's counters (used, free,
 * waiting acquirers) are read, and the time each acquirer waited comes from the pool's
 * acquireRequest / acquireSuccess events (a Map insert and delete per query, no timer, no SQL).
 * Between two samples the peak of waiting acquirers and the longest wait are kept, so a burst of
 * concurrent writers that is over before the next sample still shows. The pool is this
 * process's: queue-mode workers and the main process each have their own.
 */

/** What the store needs of a tarn pool (Knex's KnexPool is one). */
export interface TarnLike {
	numUsed(): number;
	numFree(): number;
	numPendingAcquires(): number;
	numPendingCreates?(): number;
	on(event: 'acquireRequest', handler: (eventId: number) => void): unknown;
	on(event: 'acquireSuccess' | 'acquireFail', handler: (eventId: number) => void): unknown;
}

export interface PoolStats {
	/** Connections lent out now. */
	used: number;
	/** Connections open and idle now. */
	free: number;
	/** The pool's maximum (1 on SQLite: one writer at a time). */
	max: number;
	/** Acquirers waiting now. */
	pending: number;
	/** The most acquirers that waited at once since the previous sample. */
	pendingPeak: number;
	/** The longest an acquirer waited for a connection since the previous sample (seconds). */
	acquireWaitMaxSeconds: number;
	/** Acquires since the previous sample, and their mean wait (seconds). */
	acquires: number;
	acquireWaitMeanSeconds: number;
}

export class PoolWatch {
	private readonly started = new Map<number, number>();
	private pendingPeak = 0;
	private waitMaxMs = 0;
	private waitSumMs = 0;
	private acquires = 0;

	constructor(
		private readonly pool: TarnLike,
		/** The pool's size (tarn keeps it in a protected field). */
		private readonly max: number,
		private readonly clock: () => number = () => performance.now(),
	) {
		pool.on('acquireRequest', (id) => {
			this.started.set(id, this.clock());
			// tarn tells before it queues the new acquirer: it will wait too when no connection is
			// idle and none may be opened (a new connection being opened is no exhaustion).
			const full =
				this.pool.numFree() === 0 &&
				this.pool.numUsed() + (this.pool.numPendingCreates?.() ?? 0) >= this.max;
			const pending = this.pool.numPendingAcquires() + (full ? 1 : 0);
			if (pending > this.pendingPeak) this.pendingPeak = pending;
		});
		const done = (id: number, counted: boolean) => {
			const at = this.started.get(id);
			this.started.delete(id);
			if (at === undefined) return;
			const waited = this.clock() - at;
			if (waited > this.waitMaxMs) this.waitMaxMs = waited;
			if (counted) {
				this.waitSumMs += waited;
				this.acquires++;
			}
		};
		pool.on('acquireSuccess', (id) => done(id, true));
		pool.on('acquireFail', (id) => done(id, false));
	}

	/** The pool now; `reset` starts the next peak and wait window (when the figures are stored). */
	stats(reset = false): PoolStats {
		const pending = this.pool.numPendingAcquires();
		// Acquirers still waiting count with the time they have waited so far.
		const now = this.clock();
		let waitMaxMs = this.waitMaxMs;
		for (const at of this.started.values()) waitMaxMs = Math.max(waitMaxMs, now - at);
		const stats: PoolStats = {
			used: this.pool.numUsed(),
			free: this.pool.numFree(),
			max: this.max,
			pending,
			pendingPeak: Math.max(this.pendingPeak, pending),
			acquireWaitMaxSeconds: round(waitMaxMs / 1000),
			acquires: this.acquires,
			acquireWaitMeanSeconds: this.acquires ? round(this.waitSumMs / this.acquires / 1000) : 0,
		};
		if (reset) {
			this.pendingPeak = pending;
			this.waitMaxMs = 0;
			this.waitSumMs = 0;
			this.acquires = 0;
		}
		return stats;
	}
}

function round(seconds: number): number {
	return Math.round(seconds * 1e6) / 1e6;
}
