import type { StoreReader } from '../store';

import type { AlertsQuery, AlertsResponse } from '../contract/dashboard-api';
import { isActive, silenceMatches } from './silences';

export type { AlertEvent, AlertRow } from '../model';

/** Open alerts, and those that started or resolved within [from, to], newest first. */
export async function listAlerts(
	store: Pick<StoreReader, 'alerts'>,
	options: AlertsQuery,
	now = Date.now(),
): Promise<AlertsResponse> {
	const answer = await store.alerts.list(options);
	// Which active silences cover each open alert now: the dashboard shows them as silenced.
	const silences = (await store.alerts.lifecycle.silences(now)).filter((s) => isActive(s, now));
	if (silences.length)
		for (const a of answer.active) {
			const ids = silences.filter((s) => silenceMatches(s, a)).map((s) => s.id);
			if (ids.length) a.silencedBy = ids;
		}
	return answer;
}
