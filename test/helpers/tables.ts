import type { Knex } from 'knex';

import type { MonitoringStore } from '../../core/store';

/**
 * The store's own database handle, for tests that prove what is stored (rows, rollups, the
 * migrations table) or set up what no store method writes (an old layout, a damaged row).
 * Everything else goes through the store's methods; production code has no such door.
 */
export function tables(store: MonitoringStore): Knex {
	return (store as unknown as { knex: Knex }).knex;
}
