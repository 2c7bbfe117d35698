import type { Knex } from 'knex';

/**
 * The narrow layout: one row per series (metric + host + labels), one row per sample keyed by
 * series and time, and min/max/sum/count rollups per 5 minutes and per hour, so that a chart over
 * any range reads a bounded number of rows from the right resolution. Times are Unix
 * milliseconds (UTC) in 64-bit integers on both SQLite and PostgreSQL.
 */
export async function up(knex: Knex): Promise<void> {
	await knex.schema.createTable('mon_series', (t) => {
		t.increments('id').primary();
		t.string('metric', 200).notNullable();
		t.string('host', 255).notNullable();
		/** Labels as canonical JSON (keys sorted), `{}` when none. */
		t.text('labels').notNullable();
		t.unique(['metric', 'host', 'labels'], { indexName: 'mon_series_identity' });
		t.index(['host', 'metric'], 'mon_series_host_metric');
	});

	await knex.schema.createTable('mon_samples', (t) => {
		t.integer('series_id').notNullable().references('id').inTable('mon_series').onDelete('CASCADE');
		t.bigInteger('ts').notNullable();
		t.double('value').notNullable();
		t.primary(['series_id', 'ts']);
	});

	for (const table of ['mon_rollup_5m', 'mon_rollup_1h']) {
		await knex.schema.createTable(table, (t) => {
			t.integer('series_id')
				.notNullable()
				.references('id')
				.inTable('mon_series')
				.onDelete('CASCADE');
			/** Start of the bucket. */
			t.bigInteger('ts').notNullable();
			t.double('min').notNullable();
			t.double('max').notNullable();
			t.double('sum').notNullable();
			t.integer('count').notNullable();
			t.primary(['series_id', 'ts']);
		});
	}

	// One row per run of a collector: the record of failures ("no data" has a reason).
	await knex.schema.createTable('mon_collections', (t) => {
		t.bigIncrements('id').primary();
		t.string('host', 255).notNullable();
		t.string('collector', 100).notNullable();
		t.bigInteger('ts').notNullable();
		t.integer('duration_ms').notNullable();
		t.boolean('ok').notNullable();
		t.text('error');
		t.text('warnings');
		t.integer('sample_count').notNullable();
		t.index(['host', 'collector', 'ts'], 'mon_collections_host_collector_ts');
		t.index(['ts'], 'mon_collections_ts');
	});

	// What a collector hands to its next run (counters for rates), and its latest snapshot for
	// views that show more than numbers (top processes, filesystems).
	await knex.schema.createTable('mon_collector_state', (t) => {
		t.string('host', 255).notNullable();
		t.string('collector', 100).notNullable();
		t.bigInteger('ts').notNullable();
		t.text('state');
		t.text('snapshot');
		t.primary(['host', 'collector']);
	});
}

export async function down(knex: Knex): Promise<void> {
	for (const table of [
		'mon_collector_state',
		'mon_collections',
		'mon_rollup_1h',
		'mon_rollup_5m',
		'mon_samples',
		'mon_series',
	]) {
		await knex.schema.dropTableIfExists(table);
	}
}
