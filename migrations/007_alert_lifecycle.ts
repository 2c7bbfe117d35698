import type { Knex } from 'knex';

/**
 * What operators do with an alert once it fires:
 * - mon_alerts: who acknowledged it and when; when its firing was first handed to workflows
 *   (escalation counts from there); the escalation level reached; and, while a silence holds
 *   its firing back, that silence and the event owed to workflows once the silence ends;
 * - mon_silences: matchers (host, rule, labels, each with `*`), a reason, an author and a time
 *   span; expiring one moves its end to the present, so the history of silences stays;
 * - mon_secrets: secrets the package generates for itself (the key that signs one-click
 *   acknowledge links), kept where every process that serves or makes links can read them.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.alterTable('mon_alerts', (t) => {
		t.string('acked_by', 255);
		t.bigInteger('acked_at');
		t.bigInteger('handed_at');
		t.integer('escalation_level').notNullable().defaultTo(0);
		t.bigInteger('escalated_at');
		t.bigInteger('held_by');
		t.text('held_event');
	});
	// Alerts open before this migration were handed over when they fired.
	await knex('mon_alerts').update({ handed_at: knex.ref('started_at') });

	await knex.schema.createTable('mon_silences', (t) => {
		t.bigIncrements('id').primary();
		/** Host and rule patterns (`*` matches any text); null matches every one. */
		t.string('host', 255);
		t.string('rule', 255);
		/** JSON object of label name → pattern. */
		t.text('labels').notNullable();
		t.text('reason').notNullable();
		t.string('author', 255).notNullable();
		t.bigInteger('starts_at').notNullable();
		t.bigInteger('ends_at').notNullable();
		t.bigInteger('created_at').notNullable();
		t.index(['ends_at'], 'mon_silences_ends');
	});

	await knex.schema.createTable('mon_secrets', (t) => {
		t.string('name', 64).primary();
		t.string('value', 255).notNullable();
		t.bigInteger('created_at').notNullable();
	});
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTableIfExists('mon_secrets');
	await knex.schema.dropTableIfExists('mon_silences');
	await knex.schema.alterTable('mon_alerts', (t) => {
		for (const c of [
			'acked_by',
			'acked_at',
			'handed_at',
			'escalation_level',
			'escalated_at',
			'held_by',
			'held_event',
		])
			t.dropColumn(c);
	});
}
