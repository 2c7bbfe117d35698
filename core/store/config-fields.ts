import fs from 'node:fs';

import { defaultStoreConfig, type StoreConfig } from './config';
import { StoreError } from './errors';

/**
 * The fields of the Monitoring Store credential, as n8n hands them over (an expression can put
 * anything in each). The dashboard CLI fills the same fields from its --store argument, so both
 * refuse the same values with the same message.
 */
export type StoreFields = Record<string, unknown>;

/**
 * The store the fields describe, without retention. Throws a StoreError (message and hint) for
 * values no database would take the way they were meant: a port that is not a port, a schema
 * name PostgreSQL would cut to 63 bytes (silently another schema), a schema with a dot, text with
 * NUL characters, an SQLite path that is a folder.
 */
export function storeConfigFromFields(c: StoreFields): StoreConfig {
	if (c.type === 'postgres') {
		const port = c.port === undefined || c.port === null || c.port === '' ? 5432 : Number(c.port);
		if (!Number.isInteger(port) || port < 1 || port > 65535)
			throw new StoreError(
				`The store credential's port ${JSON.stringify(c.port)} is not a port number`,
				'Set Port in the Monitoring Store credential to a number from 1 to 65535 (PostgreSQL: 5432).',
			);
		const schema = c.schema ? String(c.schema) : undefined;
		if (schema !== undefined && Buffer.byteLength(schema) > 63)
			throw new StoreError(
				`The store credential's schema name is ${Buffer.byteLength(schema)} bytes long; PostgreSQL keeps 63`,
				'Shorten Schema in the Monitoring Store credential (e.g. monitoring).',
			);
		// Knex reads a dot in an identifier as schema.table: the name would not be one schema.
		if (schema?.includes('.'))
			throw new StoreError(
				`The store credential's schema name ${JSON.stringify(schema.slice(0, 70))} contains a dot`,
				'Use one schema name without a dot in Schema of the Monitoring Store credential (e.g. monitoring).',
			);
		const config = {
			type: 'postgres' as const,
			host: String(c.host ?? 'localhost'),
			port,
			database: String(c.database ?? ''),
			user: String(c.user ?? ''),
			password: String(c.password ?? ''),
			schema,
			ssl: Boolean(c.ssl),
		};
		for (const [field, value] of Object.entries({
			Host: config.host,
			Database: config.database,
			User: config.user,
			Password: config.password,
			Schema: schema ?? '',
		}))
			if (value.includes('\u0000'))
				throw new StoreError(
					`The store credential's ${field} contains a NUL character`,
					`Retype ${field} in the Monitoring Store credential.`,
				);
		return config;
	}
	if (c.sqlitePath !== undefined && c.sqlitePath !== null && typeof c.sqlitePath !== 'string')
		throw new StoreError(
			"The store credential's SQLite File Path is not text",
			'Set SQLite File Path in the Monitoring Store credential to an absolute file path, or leave it empty.',
		);
	const path = typeof c.sqlitePath === 'string' ? c.sqlitePath.trim() : '';
	if (path.includes('\u0000'))
		throw new StoreError(
			"The store credential's SQLite File Path contains a NUL character",
			'Retype SQLite File Path in the Monitoring Store credential.',
		);
	if (path && isFolder(path))
		throw new StoreError(
			`The store credential's SQLite File Path is a folder: ${path}`,
			`Add a file name, e.g. ${path.replace(/\/+$/, '')}/monitoring.sqlite (it is created).`,
		);
	return path ? { type: 'sqlite', filename: path } : defaultStoreConfig();
}

function isFolder(path: string): boolean {
	try {
		return fs.statSync(path).isDirectory();
	} catch {
		return false; // missing (created on first use) or unreadable (the store says why)
	}
}
