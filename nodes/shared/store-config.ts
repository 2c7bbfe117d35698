import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { defaultStoreConfig, type StoreConfig } from '../../core/store/config';
import { storeConfigFromFields } from '../../core/store/config-fields';

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
 * The store a Monitoring Store credential describes; a StoreError (message and hint) for values
 * no database would take the way they were meant (core/store/config-fields.ts).
 */
export function storeConfigFromCredentials(c: ICredentialDataDecryptedObject): StoreConfig {
	// Checked (and explained) when the store opens: a bad value must reach the user, not vanish here.
	const retention = {
		raw: c.retentionRawDays,
		rollup5m: c.retentionRollup5mDays,
		rollup1h: c.retentionRollup1hDays,
		records: c.retentionRecordsDays,
	} as StoreConfig['retention'];
	return { ...storeConfigFromFields(c), retention };
}
