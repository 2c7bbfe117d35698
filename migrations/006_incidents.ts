import type { Knex } from 'knex';

/**
 * Incidents that people write: one opened by hand (a workflow's "Open Incident": title,
 * severity, the targets it is about, when it started and resolved, who opened it), and the
 * updates people post for readers of a status page. An update belongs either to a hand-opened
 * incident (incident_id) or to an alert (alert_id): incidents grouped from alerts are worked out
 * when read, so an update names one of their alerts and follows it into whichever incident
 * holds it.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('mon_incidents', (t) => {
		t.bigIncrements('id').primary();
		t.string('title', 255).notNullable();
		t.string('severity', 16).notNullable();
		/** JSON: [{kind, host, name}], the targets as the page names them. */
		t.text('targets').notNullable();
		t.bigInteger('started_at').notNullable();
		/** Null while open; set by a `resolved` update. */
		t.bigInteger('resolved_at');
		t.string('opened_by', 255);
		t.bigInteger('created_at').notNullable();
		t.bigInteger('updated_at').notNullable();
		t.index(['started_at'], 'mon_incidents_started');
	});

	await knex.schema.createTable('mon_incident_updates', (t) => {
		t.bigIncrements('id').primary();
		t.bigInteger('incident_id');
		t.bigInteger('alert_id');
		t.bigInteger('at').notNullable();
		/** investigating | identified | monitoring | update | resolved */
		t.string('status', 16).notNullable();
		t.text('message').notNullable();
		t.string('author', 255);
		t.index(['incident_id', 'at'], 'mon_incident_updates_incident');
		t.index(['alert_id', 'at'], 'mon_incident_updates_alert');
	});
}

export async function down(knex: Knex): Promise<void> {
	for (const table of ['mon_incident_updates', 'mon_incidents'])
		await knex.schema.dropTableIfExists(table);
}
