import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { closeStore, openStore } from '../../core/store';
import { storeConfigFromCredentials } from './store-config';

/** The Monitoring Store credential's test: opens the store (creating its tables) or says why not. */
export async function monitoringStoreTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let config: ReturnType<typeof storeConfigFromCredentials> | undefined;
	try {
		config = storeConfigFromCredentials(credential.data ?? {});
		await openStore(config);
		return { status: 'OK', message: 'The monitoring store is ready' };
	} catch (error) {
		if (config) await closeStore(config);
		const hint = (error as { hint?: string }).hint;
		return { status: 'Error', message: `${(error as Error).message}${hint ? `. ${hint}` : ''}` };
	}
}

/**
 * The label of every node's Monitoring Store picker. The credential is optional, and a node that
 * also names a database or an API (Postgres on the Database resource) must not leave it unclear
 * which credential is where the metrics go.
 */
export const STORE_CREDENTIAL_LABEL =
	'Monitoring Store (optional: the embedded SQLite file when empty)';
