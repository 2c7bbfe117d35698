import { html, nothing, svg } from 'lit';
import { unitOf } from '../axis';
import { lineOptions, toLines, type LineSeries } from '../charts';
import { apiRequest, type Point } from '../api';
import { fmtPercent, isNum } from '../format';
import { t, type MessageKey } from '../i18n';
import { seriesNeeds, type NeedsOf, type SeriesAsk, type SeriesNames } from '../requests';
import type { Route } from '../router';
import type { MetricName } from '../../../../core/catalog/metrics';
import { DetailView, chartCard, detailView } from './detail-base';

/** One HTTP check's series (its `endpoint` label): up, the phases, the certificate's days. */
export function endpointNeeds(route: Route) {
	const [host = '', endpoint = ''] = route.args;
	const q = (metric: MetricName): SeriesAsk => ({ host, metric, labels: { endpoint } });
	return seriesNeeds(
		route,
		{
			up: q('endpoint_up'),
			total: q('endpoint_total_seconds'),
			dns: q('endpoint_dns_seconds'),
			connect: q('endpoint_connect_seconds'),
			tls: q('endpoint_tls_seconds'),
			firstByte: q('endpoint_first_byte_seconds'),
			download: q('endpoint_download_seconds'),
			cert: q('endpoint_cert_days_left'),
		},
		{ status: apiRequest('status', { kind: 'endpoint', host, name: endpoint }) },
	);
}
type EndpointNeeds = NeedsOf<typeof endpointNeeds>;

const PHASES: [SeriesNames<EndpointNeeds>, MessageKey][] = [
	['dns', 'dns'],
	['connect', 'connect'],
	['tls', 'tls'],
	['firstByte', 'firstByte'],
	['download', 'download'],
];

/** The share of checks that were up, over the buckets that have any (each bucket is as wide). */
export function uptimeOf(points: Point[]): number | null {
	const values = points.map((p) => p[1]).filter(isNum);
	return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

type Cell = 'ok' | 'warning' | 'critical' | 'nodata';

/**
 * One cell per bucket: green all up, red all down, amber some of each, grey no check. Runs of
 * one state are drawn as one rectangle, so no seams show between equal neighbours.
 */
function strip(points: Point[]) {
	const cells: Array<{ state: Cell; from: number; to: number }> = [];
	points.forEach(([, v], i) => {
		const state: Cell = !isNum(v) ? 'nodata' : v >= 1 ? 'ok' : v <= 0 ? 'critical' : 'warning';
		const last = cells[cells.length - 1];
		if (last && last.state === state) last.to = i + 1;
		else cells.push({ state, from: i, to: i + 1 });
	});
	return html`<svg
		class="updown"
		viewBox="0 0 ${points.length} 1"
		preserveAspectRatio="none"
		role="img"
		aria-label=${t('uptimeStrip')}
	>
		${cells.map(
			(c) =>
				svg`<rect x=${c.from} y="0" width=${c.to - c.from} height="1" class=${c.state}></rect>`,
		)}
	</svg>`;
}

/**
 * One HTTP check: its URL and last status code, up and down over the range with the uptime, its
 * phases stacked (where the time goes) and, for https only, the certificate's days left.
 */
export class MonEndpointDetail extends DetailView<EndpointNeeds> {
	protected readonly kind = 'endpoint' as const;

	/** Latency is what the "Endpoint latency unusual" preset watches. */
	protected expectedAsks() {
		const [host = '', endpoint = ''] = this.route.args;
		return { total: { host, metric: 'endpoint_total_seconds', labels: { endpoint } } };
	}

	protected heading() {
		return t('endpointDetail', {
			host: this.route.args[0] ?? '',
			endpoint: this.route.args[1] ?? '',
		});
	}

	private facts() {
		const s = this.state;
		const code = s?.statusCode;
		return html`<dl class="facts">
			<div>
				<dt>${t('endpointUrl')}</dt>
				<dd class="name url">${s?.url ?? '—'}</dd>
			</div>
			<div>
				<dt>${t('statusCode')}</dt>
				<dd data-status-code>${isNum(code) ? String(code) : t('noAnswer')}</dd>
			</div>
		</dl>`;
	}

	private upDown() {
		const points = this.series('up')?.series?.[0]?.points ?? [];
		const uptime = uptimeOf(points);
		return html`<div class="card uptime" style="margin-bottom:12px">
			<h3>${t('uptimeStrip')}</h3>
			${uptime === null
				? html`<p class="muted">${t('noUptime')}</p>`
				: html`<p class="uptime-figure">
							<strong>${t('uptime', { percent: fmtPercent(uptime * 100) })}</strong>
						</p>
						${strip(points)}`}
		</div>`;
	}

	protected body() {
		const w = this.window;
		// Stacking needs plain values, so the phases use the averages without min/max edges.
		const phases: LineSeries[] = PHASES.flatMap(([name, label]) =>
			(this.series(name)?.series ?? [])
				.slice(0, 1)
				.map((s) => ({ name: t(label), data: s.points ?? [] })),
		);
		const url = this.state?.url;
		// A plain http:// check has no certificate; unknown URL: only when days were stored.
		const https =
			typeof url === 'string'
				? /^https:/i.test(url)
				: (this.series('cert')?.series ?? []).some((s) =>
						(s.points ?? []).some((p) => isNum(p[1])),
					);
		const cert = toLines(this.series('cert')?.series, () => t('certDays'));
		const total = this.withUsual(
			'total',
			toLines(this.series('total')?.series, () => t('responseTime')),
		);
		return html`${this.facts()} ${this.upDown()}
			<div class="charts">
				${this.chart(t('responseTime'), total, unitOf('endpoint_total_seconds'), { min: 0 })}
				${chartCard(
					t('phases'),
					html`<mon-chart
						.options=${lineOptions(phases, {
							unit: unitOf('endpoint_dns_seconds'),
							stacked: true,
							area: true,
							min: 0,
							window: w,
						})}
					></mon-chart>`,
				)}
				${https
					? chartCard(
							t('certDays'),
							html`<mon-chart
								data-cert
								.options=${lineOptions(cert, {
									unit: unitOf('endpoint_cert_days_left'),
									window: w,
								})}
							></mon-chart>`,
						)
					: nothing}
			</div>`;
	}
}

export const endpointView = detailView('mon-endpoint-detail', MonEndpointDetail, endpointNeeds);
