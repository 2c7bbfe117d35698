import type { Knex } from 'knex';

/**
 * Executions of n8n workflows are records of their own (an id, a workflow, a status, times), not
 * only numbers: figures such as p95 durations and "last successful run" are computed from them,
 * and an incremental sync needs to know what it already holds.
 *
 * Times are Unix milliseconds in 64-bit integers, like every other table of the store.
 * `waited_ms` is the time an execution spent in n8n's waiting state (a Wait node, a form, a
 * webhook resume). n8n does not record when the wait began, so it is estimated as
 * min(wait_till, stopped_at or now) - started_at; it therefore includes the (usually short) work
 * before the Wait node. It is 0 for executions never seen with a waitTill.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('mon_executions', (t) => {
		/** Which n8n: the base URL's host:port or a name the user gave, so several can share a store. */
		t.string('instance', 255).notNullable();
		t.string('id', 64).notNullable();
		t.string('workflow_id', 64).notNullable();
		t.string('workflow_name', 255);
		/** n8n's status: new, running, waiting, success, error, crashed, canceled, unknown. */
		t.string('status', 32).notNullable();
		t.string('mode', 32);
		t.bigInteger('started_at');
		t.bigInteger('stopped_at');
		/** The last waitTill seen; kept after the execution resumes (n8n clears it then). */
		t.bigInteger('wait_till');
		/** stopped_at - started_at once stopped, null before. */
		t.bigInteger('duration_ms');
		t.bigInteger('waited_ms').notNullable().defaultTo(0);
		t.string('retry_of', 64);
		t.string('retry_success_id', 64);
		/** When this row was last written by a sync (Unix ms), for debugging stale rows. */
		t.bigInteger('synced_at').notNullable();
		t.primary(['instance', 'id']);
		t.index(['instance', 'workflow_id', 'started_at'], 'mon_executions_workflow_started');
		t.index(['instance', 'started_at'], 'mon_executions_started');
	});

	// Per instance: the high-water mark and what an interrupted sync left to resume (JSON).
	await knex.schema.createTable('mon_n8n_sync', (t) => {
		t.string('instance', 255).notNullable().primary();
		t.text('state').notNullable();
		t.bigInteger('updated_at').notNullable();
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTableIfExists('mon_n8n_sync');
	await knex.schema.dropTableIfExists('mon_executions');
}
