import type { Knex } from 'knex';

/**
 * Alerts: each firing (of a rule on one series, or raised by a workflow) with its value, message
 * and times, for the dashboard's active list and history; the log of notifications that
 * triggers hand to workflows (ids only grow, so a trigger's cursor is one number); and what each
 * trigger's rules remember between polls.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('mon_alerts', (t) => {
		t.bigIncrements('id').primary();
		/** `rule` or `workflow` (raised by the Monitoring node's Alert resource). */
		t.string('source', 16).notNullable();
		/** The trigger whose rule fired (workflow id + node id); empty for workflow alerts. */
		t.string('scope', 255).notNullable();
		t.text('alert_key').notNullable();
		/** A hash of alert_key while the alert is open, null once resolved: at most one open per key. */
		t.string('open_key', 64).unique({ indexName: 'mon_alerts_open_key' });
		t.string('rule', 255).notNullable();
		t.string('severity', 16).notNullable();
		t.string('host', 255);
		t.string('metric', 200);
		t.text('labels');
		t.string('status', 16).notNullable();
		t.double('value');
		t.double('threshold');
		t.text('message').notNullable();
		t.text('link');
		t.bigInteger('started_at').notNullable();
		t.bigInteger('resolved_at');
		t.bigInteger('updated_at').notNullable();
		/** Workflow alerts may resolve themselves after a while. */
		t.bigInteger('expires_at');
		t.index(['status', 'started_at'], 'mon_alerts_status_started');
		t.index(['started_at'], 'mon_alerts_started');
		t.index(['scope', 'status'], 'mon_alerts_scope_status');
	});

	await knex.schema.createTable('mon_alert_events', (t) => {
		t.bigIncrements('id').primary();
		t.bigInteger('alert_id').notNullable();
		t.string('source', 16).notNullable();
		t.string('scope', 255).notNullable();
		t.string('kind', 16).notNullable();
		t.bigInteger('ts').notNullable();
		/** The whole event as the trigger emits it (message, link, value, threshold, since…). */
		t.text('payload').notNullable();
		t.index(['scope', 'id'], 'mon_alert_events_scope');
		t.index(['ts'], 'mon_alert_events_ts');
	});

	await knex.schema.createTable('mon_alert_state', (t) => {
		t.string('scope', 255).notNullable();
		t.string('rule_key', 255).notNullable();
		t.text('state').notNullable();
		t.bigInteger('updated_at').notNullable();
		t.primary(['scope', 'rule_key']);
	});
}

export async function down(knex: Knex): Promise<void> {
	for (const table of ['mon_alert_state', 'mon_alert_events', 'mon_alerts'])
		await knex.schema.dropTableIfExists(table);
}
