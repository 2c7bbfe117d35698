import type { Collection, Sample } from '../../core/collectors/types';
import type { StatusPageConfig } from '../../core/query/status-page';
import { MonitoringStore, type StoreConfig } from '../../core/store';
import { collection as hostCollection } from './collections';

/**
 * A store for status page tests, written the way collectors and the Alert resource write it,
 * with SECRET in every private field: host names, target names, labels, URLs, error text and
 * alert messages. A page whose items have Show Details off must never show it.
 */
export const SECRET = 'S3CRET-MARK';
export const HOSTILE = `<script>window.__xss=1</script> "quoted" & 'single'`;

export const MIN = 60_000;
export const DAY = 86_400_000;

export const HOST = `web-${SECRET}.internal`;
export const API = `api-${SECRET}`;
export const SHOP = `shop-${SECRET}`;
export const SILENT = `silent-${SECRET}`;

/**
 * The page's config: four items in two groups (one never reported), the hostile name a display
 * name, and maintenance planned for tomorrow.
 */
export function statusConfig(now: number, options: { details?: boolean } = {}): StatusPageConfig {
	return {
		title: 'Example status',
		description: 'Services of Example Inc.',
		groups: [
			{
				name: 'Web',
				items: [
					{
						kind: 'endpoint',
						host: HOST,
						name: API,
						displayName: 'Public API',
						showDetails: options.details,
					},
					{ kind: 'host', host: HOST, displayName: HOSTILE },
				],
			},
			{
				name: 'Data',
				items: [
					{ kind: 'database', host: HOST, name: SHOP, displayName: 'Shop database' },
					{ kind: 'endpoint', host: HOST, name: SILENT, displayName: 'Never reported' },
				],
			},
		],
		maintenance: [
			{
				from: now + DAY,
				to: now + DAY + 60 * MIN,
				host: HOST,
				note: 'Database upgrade, read-only for 10 minutes',
			},
		],
	};
}

/** A collection of HOST (the page's one host). */
const collection = (
	collector: string,
	time: number,
	samples: Sample[],
	extra: Partial<Collection> = {},
): Collection => hostCollection(HOST, collector, time, samples, extra);

/**
 * Three days of collections every 5 minutes up to `now`, plus 20 days of hourly ones before:
 * the API is down for 30 minutes two days ago (an incident, alert message with SECRET) and
 * down now (an open incident, the collection's error and the check's reason carry SECRET);
 * the host and the database are up.
 */
export async function seedStatusStore(config: StoreConfig, now: number): Promise<void> {
	const store = await MonitoringStore.open(config);
	try {
		const times: number[] = [];
		for (let t = now - 23 * DAY; t < now - 3 * DAY; t += 60 * MIN) times.push(t);
		for (let t = now - 3 * DAY; t <= now; t += 5 * MIN) times.push(t);
		const outage = [now - 2 * DAY, now - 2 * DAY + 30 * MIN];
		const downNow = now - 10 * MIN;
		for (const t of times) {
			const apiUp = (t >= outage[0] && t < outage[1]) || t >= downNow ? 0 : 1;
			await store.writeCollection(
				collection(
					'endpoint',
					t,
					[
						{ name: 'endpoint_up', value: apiUp, labels: { endpoint: API } },
						{ name: 'endpoint_first_byte_seconds', value: 0.05, labels: { endpoint: API } },
					],
					{
						snapshot: {
							checks: [
								{
									endpoint: API,
									url: `https://${SECRET}.example.net/health`,
									statusCode: apiUp ? 200 : 503,
									reason: apiUp ? undefined : `503 from ${SECRET} upstream`,
								},
							],
						},
					},
				),
			);
			await store.writeCollection(
				collection('host', t, [
					{ name: 'cpu_usage_percent', value: 20, labels: { cpu: 'total' } },
					{ name: 'memory_used_percent', value: 40, labels: {} },
					// What runCollector adds to every collection: the host's up/down series.
					{ name: 'collector_up', value: 1, labels: { collector: 'host' } },
				]),
			);
			await store.writeCollection(
				collection('database', t, [
					{ name: 'db_up', value: 1, labels: { db: SHOP, engine: 'postgres', secret: SECRET } },
				]),
			);
		}
		const alert = async (key: string, from: number, to: number | null) => {
			await store.alerts.open({
				source: 'rule',
				key,
				rule: 'endpoint down',
				severity: 'critical',
				host: HOST,
				metric: 'endpoint_up',
				labels: { endpoint: API },
				value: 0,
				threshold: 1,
				message: `https://${SECRET}.example.net/health is down: ${SECRET}`,
				link: `https://${SECRET}.example.net/`,
				scope: 'test',
				startedAt: from,
				now: from,
			});
			if (to !== null) await store.alerts.close(key, to);
		};
		await alert('api-past', outage[0], outage[1]);
		await alert('api-now', downNow, null);
	} finally {
		await store.close();
	}
}
