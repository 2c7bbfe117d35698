import { MonitoringStore, type StoreConfig } from '../../core/store';
import { collection } from './collections';

/**
 * A store for the Ask answers, written the way collectors and alert rules write it, every five
 * minutes (offset one minute from `now`) for 30 hours:
 * - host "web-1": CPU (all cores) 20 % until the last hour, then 96 % (12 samples: critical, and
 *   far outside its usual range); memory 40 %; a firing "cpu high" alert since 50 minutes ago;
 * - endpoint "api" on web-1: up, down for the last 20 minutes (4 checks) with the reason
 *   "503 Service Unavailable"; one failed endpoint run 3 hours ago ("connect ECONNREFUSED");
 *   an "endpoint down" alert yesterday that lasted 30 minutes;
 * - host "db-1": CPU 10 % until 2 hours ago, then nothing (its collector stopped).
 */
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const SAMPLES = 30 * 12;
export const BUSY = 96;
export const CALM = 20;
export const REASON = '503 Service Unavailable';
export const REFUSED = 'connect ECONNREFUSED 10.0.0.5:443';

/** The time of the k-th sample back from `now` (k = 0 is one minute ago). */
export const sampleTime = (now: number, k: number) => now - MIN - k * 5 * MIN;

/** The CPU figures of web-1 over the last `hours` (from the seeded values). */
export function cpuFigures(hours: number) {
	const n = Math.floor((hours * 60 - 1) / 5) + 1;
	const busy = Math.min(12, n);
	return { count: n, min: CALM, max: BUSY, last: BUSY, avg: (busy * BUSY + (n - busy) * CALM) / n };
}

export async function seedAskStore(config: StoreConfig, now: number): Promise<void> {
	const store = await MonitoringStore.open(config);
	try {
		for (let k = SAMPLES - 1; k >= 0; k--) {
			const t = sampleTime(now, k);
			await store.writeCollection(
				collection('web-1', 'host', t, [
					{ name: 'cpu_usage_percent', value: k < 12 ? BUSY : CALM, labels: { cpu: 'total' } },
					{ name: 'memory_used_percent', value: 40, labels: {} },
				]),
			);
			const down = k < 4;
			const failed = k === 36;
			await store.writeCollection(
				collection(
					'web-1',
					'endpoint',
					t,
					failed ? [] : [{ name: 'endpoint_up', value: down ? 0 : 1, labels: { endpoint: 'api' } }],
					{
						ok: !failed,
						error: failed ? REFUSED : undefined,
						snapshot: {
							checks: [
								{
									endpoint: 'api',
									url: 'https://api.example.net/health',
									statusCode: down ? 503 : 200,
									...(down ? { reason: REASON } : {}),
								},
							],
						},
					},
				),
			);
			if (k >= 24)
				await store.writeCollection(
					collection('db-1', 'host', t, [
						{ name: 'cpu_usage_percent', value: 10, labels: { cpu: 'total' } },
					]),
				);
		}
		await store.alerts.open({
			source: 'rule',
			key: 'cpu-high/web-1',
			rule: 'cpu high',
			severity: 'critical',
			host: 'web-1',
			metric: 'cpu_usage_percent',
			labels: { cpu: 'total' },
			value: BUSY,
			threshold: 95,
			message: 'CPU on web-1 is 96 % (above 95 % for 5 minutes)',
			link: null,
			scope: 'test',
			startedAt: now - 50 * MIN,
			now: now - 50 * MIN,
		});
		const yesterday = now - 24 * HOUR + 2 * HOUR;
		await store.alerts.open({
			source: 'rule',
			key: 'endpoint-down/web-1/api',
			rule: 'endpoint down',
			severity: 'critical',
			host: 'web-1',
			metric: 'endpoint_up',
			labels: { endpoint: 'api' },
			value: 0,
			threshold: 1,
			message: 'api is down',
			link: null,
			scope: 'test',
			startedAt: yesterday,
			now: yesterday,
		});
		await store.alerts.close('endpoint-down/web-1/api', yesterday + 30 * MIN);
	} finally {
		await store.close();
	}
}
