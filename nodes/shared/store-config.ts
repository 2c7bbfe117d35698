import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defaultStoreConfig, type StoreConfig } from '../../core/store/config';

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
		return {
			type: 'postgres',
			host: String(c.host ?? 'localhost'),
			port: Number(c.port ?? 5432),
			database: String(c.database ?? ''),
			user: String(c.user ?? ''),
			password: String(c.password ?? ''),
			schema: c.schema ? String(c.schema) : undefined,
			ssl: Boolean(c.ssl),
		};
	}
	const path = typeof c.sqlitePath === 'string' ? c.sqlitePath.trim() : '';
	return path ? { type: 'sqlite', filename: path } : defaultStoreConfig();
}
