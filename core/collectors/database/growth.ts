/*
 * Growth per table and the "full on" forecast, from the store's hourly history plus the value
 * just read (the history holds earlier collections only).
 */
import {
	DAY_MS,
	forecastLimit,
	growthPerDay,
	type Growth,
	type Point,
} from '../../analysis/forecast';
import type { HistoryReader, HistorySeries } from '../types';
import type { DatabaseForecast, TableInfo, TableSnapshot } from './types';

type NoHistory = { reason: 'no history' };
const NO_HISTORY: NoHistory = { reason: 'no history' };

export interface GrowthResult {
	tables: TableSnapshot[];
	growth7d: Growth | NoHistory;
	growth30d: Growth | NoHistory;
	forecast?: DatabaseForecast | { reason: 'no limit' };
}

function pointsOf(series: HistorySeries[], match: (labels: Record<string, string>) => boolean) {
	return series.filter((s) => match(s.labels)).flatMap((s) => s.points);
}

function window(points: Point[], now: number, days: number, current?: number): Point[] {
	const since = now - days * DAY_MS;
	const inside = points.filter(([t]) => t >= since && t <= now);
	return current === undefined ? inside : [...inside, [now, current]];
}

export async function growthAndForecast(input: {
	history?: HistoryReader;
	db: string;
	now: number;
	sizeBytes?: number;
	tables: TableInfo[];
	sizeLimitBytes?: number;
	diskFreeBytes?: number;
}): Promise<GrowthResult> {
	const { history, db, now, sizeBytes } = input;
	const limits: Array<{ limit: 'size limit' | 'disk'; bytes: number }> = [];
	if (input.sizeLimitBytes && input.sizeLimitBytes > 0)
		limits.push({ limit: 'size limit', bytes: input.sizeLimitBytes });
	if (input.diskFreeBytes !== undefined && sizeBytes !== undefined)
		limits.push({ limit: 'disk', bytes: sizeBytes + input.diskFreeBytes });
	const firstLimit = limits.sort((a, b) => a.bytes - b.bytes)[0];

	if (!history) {
		return {
			tables: input.tables.map((t) => ({ ...t, growth7d: NO_HISTORY, growth30d: NO_HISTORY })),
			growth7d: NO_HISTORY,
			growth30d: NO_HISTORY,
			forecast: firstLimit
				? { limit: firstLimit.limit, limitBytes: firstLimit.bytes, result: NO_HISTORY }
				: { reason: 'no limit' },
		};
	}
	const since = now - 30 * DAY_MS;
	const [tableSeries, sizeSeries] = await Promise.all([
		history.series('db_table_size_bytes', since),
		history.series('db_size_bytes', since),
	]);
	const tables = input.tables.map((t): TableSnapshot => {
		const points = pointsOf(tableSeries, (l) => l.db === db && l.table === t.name);
		return {
			...t,
			growth7d: growthPerDay(window(points, now, 7, t.bytes)),
			growth30d: growthPerDay(window(points, now, 30, t.bytes)),
		};
	});
	const sizePoints = pointsOf(sizeSeries, (l) => l.db === db && l.table === undefined);
	const result: GrowthResult = {
		tables,
		growth7d: growthPerDay(window(sizePoints, now, 7, sizeBytes)),
		growth30d: growthPerDay(window(sizePoints, now, 30, sizeBytes)),
	};
	if (!firstLimit) result.forecast = { reason: 'no limit' };
	else {
		// The whole month: a week of a database that grows in monthly batches says little.
		const forecasts = limits.map((l) => ({
			limit: l.limit,
			limitBytes: l.bytes,
			result: forecastLimit(window(sizePoints, now, 30, sizeBytes), l.bytes, now),
		}));
		// The same line reaches the smaller limit first.
		result.forecast = forecasts[0];
	}
	return result;
}
