import fs from 'node:fs';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defaultStoreConfig, type StoreConfig } from '../../core/store/config';
import { StoreError } from '../../core/store/errors';

/** The store the credential describes, or the embedded default when the node has none. */
export async function getStoreConfig(
	ctx: { getCredentials(type: string, itemIndex?: number): Promise<unknown> },
	itemIndex?: number,
): Promise<StoreConfig> {
	let credentials: ICredentialDataDecryptedObject | undefined;
	try {
		credentials = (await ctx.getCredentials(
			'monitoringStoreApi',
			itemIndex,
		)) as ICredentialDataDecryptedObject;
	} catch {
		credentials = undefined; // no credential selected: the embedded default
	}
	return credentials ? storeConfigFromCredentials(credentials) : defaultStoreConfig();
}

/**
 * The store a Monitoring Store credential describes. Throws a StoreError (message and hint) for
 * values no database would take the way they were meant: a port that is not a port, a schema
 * name PostgreSQL would cut to 63 bytes (silently another schema), text with NUL characters.
 */
export function storeConfigFromCredentials(c: ICredentialDataDecryptedObject): StoreConfig {
	// Checked (and explained) when the store opens: a bad value must reach the user, not vanish here.
	const retention = {
		raw: c.retentionRawDays,
		rollup5m: c.retentionRollup5mDays,
		rollup1h: c.retentionRollup1hDays,
		records: c.retentionRecordsDays,
	} as StoreConfig['retention'];
	return { ...storeConfigWithoutRetention(c), retention };
}

function storeConfigWithoutRetention(c: ICredentialDataDecryptedObject): StoreConfig {
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
