import type { Knex } from 'knex';

import * as initial from './001_initial';
import * as executions from './002_executions';
import * as alerts from './003_alerts';
import * as packedSamples from './004_packed_samples';
import * as collectorStatus from './005_collector_status';
import * as incidents from './006_incidents';
import * as alertLifecycle from './007_alert_lifecycle';
import * as alertInhibition from './008_alert_inhibition';
import * as packedRollups from './009_packed_rollups';

/**
 * Migrations are listed here, not read from a folder: a cwd-relative folder breaks once the
 * package runs from n8n's nodes folder or a tarball, and a static list survives bundling.
 */
const migrations: Record<string, Knex.Migration> = {
	'001_initial': initial,
	'002_executions': executions,
	'003_alerts': alerts,
	'004_packed_samples': packedSamples,
	'005_collector_status': collectorStatus,
	'006_incidents': incidents,
	'007_alert_lifecycle': alertLifecycle,
	'008_alert_inhibition': alertInhibition,
	'009_packed_rollups': packedRollups,
};

export const migrationSource: Knex.MigrationSource<string> = {
	async getMigrations() {
		return Object.keys(migrations).sort();
	},
	getMigrationName(name) {
		return name;
	},
	async getMigration(name) {
		return migrations[name];
	},
};

/** The package's own bookkeeping tables, so that it never meets another tool's migrations. */
export const MIGRATIONS_TABLE = 'mon_knex_migrations';
