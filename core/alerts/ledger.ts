import type { StoreReader } from '../store';

import type { AlertsQuery, AlertsResponse } from '../contract/dashboard-api';

export type { AlertEvent, AlertRow } from '../model';

/** Open alerts, and those that started or resolved within [from, to], newest first. */
export async function listAlerts(
	store: Pick<StoreReader, 'alerts'>,
	options: AlertsQuery,
): Promise<AlertsResponse> {
	return await store.alerts.list(options);
}
