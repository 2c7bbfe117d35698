import type { Knex } from 'knex';

/**
 * Since when each collector has been in its current state, kept with every write so that the
 * dashboard reads it in one row instead of walking a day of runs at every refresh:
 * - `ok`: the latest run's result;
 * - `status_since`: the first run of the current unbroken streak of runs with that result (a
 *   silence longer than the staleness rule also breaks the streak, see core/store/store.ts);
 * - `last_ok_ts`: the latest successful run;
 * - `interval_ms`: the time between the last two runs (for the silence rule at write time).
 * Existing rows are filled from mon_collections once, here.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('mon_collector_state', (t) => {
		t.boolean('ok');
		t.bigInteger('status_since');
		t.bigInteger('last_ok_ts');
		t.bigInteger('interval_ms');
	});
	const pair = 'c.host = mon_collector_state.host and c.collector = mon_collector_state.collector';
	await knex('mon_collector_state').update({
		ok: knex.raw(
			`(select c.ok from mon_collections c where ${pair} order by c.ts desc, c.id desc limit 1)`,
		),
		last_ok_ts: knex.raw(`(select max(c.ts) from mon_collections c where ${pair} and c.ok = ?)`, [
			true,
		]),
	});
	// The first run after the latest run with the other result (or the first run of all).
	await knex('mon_collector_state')
		.whereNotNull('ok')
		.update({
			status_since: knex.raw(
				`(select min(c.ts) from mon_collections c where ${pair} and c.ts > coalesce((select max(d.ts) from mon_collections d where d.host = mon_collector_state.host and d.collector = mon_collector_state.collector and d.ok <> mon_collector_state.ok), -1))`,
			),
		});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('mon_collector_state', (t) => {
		t.dropColumn('ok');
		t.dropColumn('status_since');
		t.dropColumn('last_ok_ts');
		t.dropColumn('interval_ms');
	});
}
