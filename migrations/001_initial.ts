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

	// On SQLite the sample and rollup tables are WITHOUT ROWID: the primary key is the table, so
	// each row is stored once instead of in a rowid table plus a key index (about 25 % smaller).
	const withoutRowid = knex.client.config.client !== 'pg';
	await createKeyedTable(knex, 'mon_samples', withoutRowid, (t) => {
		t.double('value').notNullable();
	});
	for (const table of ['mon_rollup_5m', 'mon_rollup_1h']) {
		/** `ts` is the start of the bucket. */
		await createKeyedTable(knex, table, withoutRowid, (t) => {
			t.double('min').notNullable();
			t.double('max').notNullable();
			t.double('sum').notNullable();
			t.integer('count').notNullable();
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

/** A table keyed by (series_id, ts) with the given value columns. */
async function createKeyedTable(
	knex: Knex,
	table: string,
	withoutRowid: boolean,
	columns: (t: Knex.CreateTableBuilder) => void,
) {
	const builder = knex.schema.createTable(table, (t) => {
		t.integer('series_id').notNullable().references('id').inTable('mon_series').onDelete('CASCADE');
		t.bigInteger('ts').notNullable();
		columns(t);
		t.primary(['series_id', 'ts']);
	});
	if (!withoutRowid) return await builder;
	// Knex has no WITHOUT ROWID option: append it to the statement it generates.
	const [statement, ...rest] = builder.toSQL();
	await knex.raw(`${statement.sql} WITHOUT ROWID`, statement.bindings);
	for (const s of rest) await knex.raw(s.sql, s.bindings);
}
