import type { Knex } from 'knex';

/**
 * Inhibition (core/alerts/inhibit.ts): a firing alert that a trigger holds back from its
 * workflows, because a host is down or another alert covers it, says so for the dashboard. Null
 * when nothing holds it back.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('mon_alerts', (t) => {
		t.text('inhibited_by');
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.alterTable('mon_alerts', (t) => {
		t.dropColumn('inhibited_by');
	});
}
