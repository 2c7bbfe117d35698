import { DEFAULT_LEVEL } from '../analysis/anomaly';
import { buildBaseline, expectedAt, HOUR_MS, isBaseline } from '../analysis/baseline';
import type { ExpectedQuery, ExpectedResponse, ExpectedSeries } from '../contract/dashboard-api';
import type { StoreReader } from '../store';
import { QueryError } from './errors';

/** Four weeks of hourly rollups before the range's end: what the alert rules learn from too. */
const HISTORY_MS = 28 * 24 * HOUR_MS;
/** A band is drawn one point an hour: at most this many hours (62 days). */
const MAX_HOURS = 1_488;

/**
 * The usual range of each matching series, hour by hour over [from, to]: the baseline learnt from
 * the four weeks before the range's last hour (as an anomaly rule sees it), centre ± DEFAULT_LEVEL
 * spreads. A series without enough history answers its reason and no band.
 */
export async function expectedBands(
	store: Pick<StoreReader, 'samples'>,
	query: ExpectedQuery,
): Promise<ExpectedResponse> {
	if (!query.host || !query.metric) throw new QueryError('host and metric are required');
	if (!(query.to > query.from)) throw new QueryError('to must be after from');
	const first = query.from - (query.from % HOUR_MS);
	if ((query.to - first) / HOUR_MS > MAX_HOURS)
		throw new QueryError(`the range is longer than ${MAX_HOURS / 24} days; ask for a shorter one`);
	const refs = query.labels
		? await store.samples.withLabels(query.metric, query.labels, [query.host])
		: await store.samples.ofHost(query.host, query.metric);
	const until = query.to - (query.to % HOUR_MS);
	const rows = await store.samples.rollupRows(
		'1h',
		refs.map((r) => r.id),
		until - HISTORY_MS,
		until,
	);
	const series: ExpectedSeries[] = refs.map((ref) => {
		const baseline = buildBaseline(
			rows.filter((r) => r.seriesId === ref.id),
			{ until },
		);
		if (!isBaseline(baseline))
			return { labels: ref.labels, kind: null, reason: baseline.reason, band: [] };
		const band: ExpectedSeries['band'] = [];
		for (let t = first; t <= query.to; t += HOUR_MS) {
			const e = expectedAt(baseline, t);
			const r = (x: number) => Number(x.toPrecision(6));
			band.push([
				t,
				r(e.centre - DEFAULT_LEVEL * e.spread),
				r(e.centre),
				r(e.centre + DEFAULT_LEVEL * e.spread),
			]);
		}
		return { labels: ref.labels, kind: baseline.kind, band };
	});
	return { series };
}
