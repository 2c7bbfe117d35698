import type { Knex } from 'knex';

/**
 * Packed history. mon_samples becomes the "hot" table of the last hour or two; maintenance moves
 * each completed hour of a series into one row of mon_chunks (see core/store/chunk-codec.ts: a
 * few bytes per sample instead of ~37) and computes that hour's rollups in the same transaction.
 *
 * On SQLite the hot table is re-keyed time first, (ts, series_id): a collection then appends to
 * the end of the B-tree instead of touching one leaf page per series, which is what made every
 * commit write megabytes of WAL. PostgreSQL appends to its heap anyway and keeps its key.
 */
export async function up(knex: Knex): Promise<void> {
	const sqlite = knex.client.config.client !== 'pg';
	const chunks = knex.schema.createTable('mon_chunks', (t) => {
		t.integer('series_id').notNullable().references('id').inTable('mon_series').onDelete('CASCADE');
		/** Start of the block (an hour, UTC). */
		t.bigInteger('ts').notNullable();
		t.integer('count').notNullable();
		t.binary('data').notNullable();
		t.primary(['series_id', 'ts']);
	});
	if (sqlite) {
		const [statement, ...rest] = chunks.toSQL();
		await knex.raw(`${statement.sql} WITHOUT ROWID`, statement.bindings);
		for (const s of rest) await knex.raw(s.sql, s.bindings);
	} else {
		await chunks;
	}
	// Progress of maintenance, and what an upgrade needs it to know (see below).
	await knex.schema.createTable('mon_maintenance', (t) => {
		t.string('name', 100).notNullable().primary();
		t.bigInteger('value').notNullable();
		t.text('note');
		t.bigInteger('updated_at').notNullable();
	});
	// Samples stored by older versions already went into the rollups when they were written; from
	// now on hot samples go in only when packed. Readers that add the hot table to the rollups skip
	// what is at or before this time, so nothing is counted twice until maintenance packs it.
	const [{ newest }] = (await knex('mon_samples').max({ newest: 'ts' })) as Array<{
		newest: unknown;
	}>;
	if (newest != null)
		await knex('mon_maintenance').insert({
			name: 'hot_rolled_up_through',
			value: Number(newest),
			note: 'samples up to this time were rolled up when written',
			updated_at: Date.now(),
		});
	if (!sqlite) {
		// The hot table is read and emptied by time: its oldest hour, its newest minutes.
		await knex.schema.alterTable('mon_samples', (t) => t.index(['ts'], 'mon_samples_ts'));
		return;
	}
	const hot = knex.schema.createTable('mon_samples_hot', (t) => {
		t.integer('series_id').notNullable().references('id').inTable('mon_series').onDelete('CASCADE');
		t.bigInteger('ts').notNullable();
		t.double('value').notNullable();
		t.primary(['ts', 'series_id']);
	});
	const [statement, ...rest] = hot.toSQL();
	await knex.raw(`${statement.sql} WITHOUT ROWID`, statement.bindings);
	for (const s of rest) await knex.raw(s.sql, s.bindings);
	// What older versions stored stays here until maintenance packs it, an hour at a time.
	await knex.raw(
		'INSERT INTO mon_samples_hot (series_id, ts, value) SELECT series_id, ts, value FROM mon_samples',
	);
	await knex.schema.dropTable('mon_samples');
	await knex.schema.renameTable('mon_samples_hot', 'mon_samples');
}

export async function down(knex: Knex): Promise<void> {
	await knex.schema.dropTableIfExists('mon_maintenance');
	await knex.schema.dropTableIfExists('mon_chunks');
}
