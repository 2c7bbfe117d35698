import type { AlertRow } from '../model';
import type { StoreReader } from '../store';

export type { AlertEvent, AlertRow } from '../model';

/** Open alerts, and those that started or resolved within [from, to], newest first. */
export async function listAlerts(
	store: Pick<StoreReader, 'alerts'>,
	options: { from: number; to: number; limit?: number },
): Promise<{ active: AlertRow[]; history: AlertRow[] }> {
	return await store.alerts.list(options);
}
