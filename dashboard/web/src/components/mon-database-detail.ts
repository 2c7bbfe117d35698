import { html, nothing } from 'lit';
import { unitOf } from '../axis';
import { lineOptions, toLines } from '../charts';
import { fmtBytes, fmtNumber, fmtTime, isNum, toMs } from '../format';
import { t } from '../i18n';
import { apiRequest } from '../api';
import { seriesNeeds, type NeedsOf, type SeriesAsk } from '../requests';
import type { Route } from '../router';
import type { MetricName } from '../../../../core/catalog/metrics';
import { DetailView, chartCard, detailView } from './detail-base';

/** The parts of core/collectors/database's DatabaseSnapshot this view reads (all optional). */
interface Growth {
	slopePerDay?: unknown;
	reason?: unknown;
}

interface TableRow {
	name?: unknown;
	bytes?: unknown;
	rows?: unknown;
	growth7d?: Growth;
	growth30d?: Growth;
}

interface SlowQueryRow {
	query?: unknown;
	calls?: unknown;
	meanMs?: unknown;
	totalMs?: unknown;
}

interface DbSnapshot {
	db?: unknown;
	tables?: unknown;
	forecast?: {
		reason?: unknown;
		limit?: unknown;
		limitBytes?: unknown;
		result?: { daysUntil?: unknown; date?: unknown; reason?: unknown };
	};
	slowQueries?: { available?: unknown; reason?: unknown; byMean?: unknown };
}

const text = (v: unknown) => (v == null ? '' : String(v));

function growth(g: Growth | undefined) {
	if (g && isNum(g.slopePerDay)) {
		const v = g.slopePerDay;
		return t('perDay', { value: (v > 0 ? '+' : v < 0 ? '−' : '') + fmtBytes(Math.abs(v)) });
	}
	return g?.reason == null ? '—' : text(g.reason);
}

/** One database target's series (its `db` label), and the host's latest database snapshot. */
export function databaseNeeds(route: Route) {
	const [host = '', db = ''] = route.args;
	const q = (metric: MetricName): SeriesAsk => ({ host, metric, labels: { db } });
	return seriesNeeds(
		route,
		{
			query: q('db_query_seconds'),
			connections: q('db_connections'),
			tables: q('db_table_size_bytes'),
		},
		{
			snapshot: apiRequest('snapshot', { host, collector: 'database' }),
			status: apiRequest('status', { kind: 'database', host, name: db }),
		},
	);
}

/** Query latency, connections by state and table sizes of one database target. */
export class MonDatabaseDetail extends DetailView<NeedsOf<typeof databaseNeeds>> {
	protected readonly kind = 'database' as const;

	protected heading() {
		return t('databaseDetail', { host: this.route.args[0] ?? '', db: this.route.args[1] ?? '' });
	}

	/** The latest database snapshot of this host, when it is for this route's database. */
	private snapshot(): DbSnapshot | undefined {
		const snap = this.data?.snapshot?.snapshot as DbSnapshot | null | undefined;
		if (!snap || typeof snap !== 'object') return undefined;
		// A node collects one database per run; a snapshot of another db is not this one's.
		if (snap.db != null && String(snap.db) !== (this.route.args[1] ?? '')) return undefined;
		return snap;
	}

	private tablesTable(snap: DbSnapshot) {
		const rows = (Array.isArray(snap.tables) ? snap.tables : []).filter(
			(r): r is TableRow => !!r && typeof r === 'object',
		);
		if (!rows.length) return html`<p class="muted">${t('noTables')}</p>`;
		return html`<div class="table-wrap">
			<table class="db-tables">
				<thead>
					<tr>
						<th>${t('table')}</th>
						<th>${t('tableBytes')}</th>
						<th>${t('tableRows')}</th>
						<th>${t('growth7d')}</th>
						<th>${t('growth30d')}</th>
					</tr>
				</thead>
				<tbody>
					${rows.map(
						(r) =>
							html`<tr>
								<td class="name">${text(r.name)}</td>
								<td>${fmtBytes(r.bytes)}</td>
								<td>${isNum(r.rows) ? fmtNumber(r.rows, 0) : '—'}</td>
								<td>${growth(r.growth7d)}</td>
								<td>${growth(r.growth30d)}</td>
							</tr>`,
					)}
				</tbody>
			</table>
		</div>`;
	}

	private forecast(snap: DbSnapshot) {
		const f = snap.forecast;
		if (!f || typeof f !== 'object') return nothing;
		const res = f.result;
		let line: string;
		if (res && isNum(res.daysUntil))
			line = t('forecastFull', {
				limit: t(f.limit === 'disk' ? 'limit_disk' : 'limit_size'),
				bytes: fmtBytes(f.limitBytes),
				date: fmtTime(toMs(res.date)),
				days: fmtNumber(res.daysUntil, 1),
			});
		else line = t('forecastNone', { reason: text(f.reason ?? res?.reason ?? '—') });
		return html`<p class="forecast"><strong>${t('forecast')}:</strong> ${line}</p>`;
	}

	private slowQueries(snap: DbSnapshot) {
		const sq = snap.slowQueries;
		if (!sq || typeof sq !== 'object') return nothing;
		if (sq.available !== true)
			return html`<p class="muted">${t('slowNotAvailable', { reason: text(sq.reason) })}</p>`;
		const rows = (Array.isArray(sq.byMean) ? sq.byMean : []).filter(
			(r): r is SlowQueryRow => !!r && typeof r === 'object',
		);
		if (!rows.length) return html`<p class="muted">${t('noSlowQueries')}</p>`;
		return html`<div class="table-wrap">
			<table class="slow-queries">
				<thead>
					<tr>
						<th>${t('query')}</th>
						<th>${t('calls')}</th>
						<th>${t('meanMs')}</th>
						<th>${t('totalMs')}</th>
					</tr>
				</thead>
				<tbody>
					${rows.map(
						(r) =>
							html`<tr>
								<td><code class="query" title=${text(r.query)}>${text(r.query)}</code></td>
								<td>${isNum(r.calls) ? fmtNumber(r.calls, 0) : '—'}</td>
								<td>${isNum(r.meanMs) ? fmtNumber(r.meanMs, 1) : '—'}</td>
								<td>${isNum(r.totalMs) ? fmtNumber(r.totalMs, 0) : '—'}</td>
							</tr>`,
					)}
				</tbody>
			</table>
		</div>`;
	}

	private snapshotCards() {
		const snap = this.snapshot();
		if (!snap)
			return html`<div class="card" style="margin-top:12px">
				<p class="muted">${t('noSnapshot')}</p>
			</div>`;
		return html`<div class="card" style="margin-top:12px">
				<h2>${t('tables')}</h2>
				${this.forecast(snap)} ${this.tablesTable(snap)}
			</div>
			${snap.slowQueries && typeof snap.slowQueries === 'object'
				? html`<div class="card" style="margin-top:12px">
						<h2>${t('slowQueries')}</h2>
						${this.slowQueries(snap)}
					</div>`
				: nothing}`;
	}

	protected body() {
		const w = this.window;
		const query = toLines(this.series('query')?.series, () => t('queryLatency'));
		const conns = toLines(
			this.series('connections')?.series,
			(s) => s.labels?.state ?? t('connections'),
		);
		const tables = toLines(this.series('tables')?.series, (s) =>
			[s.labels?.schema, s.labels?.table].filter(Boolean).join('.'),
		);
		return html`<div class="charts">
				${chartCard(
					t('queryLatency'),
					html`<mon-chart
						.options=${lineOptions(query, { unit: unitOf('db_query_seconds'), min: 0, window: w })}
					></mon-chart>`,
				)}
				${
					conns.some((l) => l.data.some(([, y]) => isNum(y)))
						? chartCard(
								t('connections'),
								html`<mon-chart
									.options=${lineOptions(conns, {
										unit: unitOf('db_connections'),
										min: 0,
										window: w,
									})}
								></mon-chart>`,
							)
						: nothing /* SQLite has no connections to count */
				}
				${chartCard(
					t('tableSizes'),
					html`<mon-chart
						.options=${lineOptions(tables, {
							unit: unitOf('db_table_size_bytes'),
							min: 0,
							window: w,
						})}
					></mon-chart>`,
				)}
			</div>
			${this.snapshotCards()}`;
	}
}

export const databaseView = detailView('mon-database-detail', MonDatabaseDetail, databaseNeeds);
