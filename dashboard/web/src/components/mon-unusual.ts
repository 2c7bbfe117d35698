import { LitElement, html, nothing } from 'lit';
import type { UnusualResponse, UnusualRow } from '../api';
import { unitOf } from '../axis';
import { fmtNumber, fmtTime } from '../format';
import { t, type MessageKey } from '../i18n';
import { formatHash } from '../router';
import { METRICS, type MetricName } from '../../../../core/catalog/metrics';
import { sharedStyles } from './shared.styles';
import { unusualStyles } from './mon-unusual.styles';

/** The chart a row is about: the host, endpoint or workflow view over the last 24 hours. */
function chartHref(r: UnusualRow): string {
	if (r.metric.startsWith('endpoint_') && r.labels.endpoint)
		return formatHash({ view: 'endpoint', args: [r.host, r.labels.endpoint], range: '24h' });
	if (r.metric.startsWith('n8n_') && r.labels.workflow)
		return formatHash({ view: 'workflow', args: [r.host, r.labels.workflow], range: '24h' });
	return formatHash({ view: 'host', args: [r.host], range: '24h' });
}

/** Which part of the host: an interface, an endpoint, a workflow; nothing for CPU total. */
function partOf(r: UnusualRow): string {
	return r.labels.interface ?? r.labels.endpoint ?? r.labels.workflow ?? '';
}

const isMetric = (m: string): m is MetricName => Object.hasOwn(METRICS, m);

function fmtValue(metric: string, v: number): string {
	return isMetric(metric) ? unitOf(metric).format(v) : fmtNumber(v, 2);
}

/**
 * "Unusual now" on the overview: the series the anomaly presets would judge unusual this hour,
 * worst first, each with what it is, observed against its usual range, the side, since when, and a
 * link to its chart. Names come from data and are rendered as text. Empty, it says why: nothing
 * is unusual, or series are still learning what is usual.
 */
export class MonUnusual extends LitElement {
	static styles = [sharedStyles, unusualStyles];
	static properties = { data: { attribute: false } };

	declare data: UnusualResponse | undefined;

	private row(r: UnusualRow) {
		const what = isMetric(r.metric) ? t(`usualMetric_${r.metric}` as MessageKey) : r.metric;
		const low = r.expectedLow < 0 && r.expectedCentre >= 0 ? 0 : r.expectedLow;
		const part = partOf(r);
		const score = Math.abs(r.score) >= 100 ? '100+' : fmtNumber(Math.abs(r.score), 1);
		return html`<li class="unusual-row" data-direction=${r.direction}>
			<div class="what">
				<span class="name host">${r.host}</span>${part
					? html` · <span class="name part">${part}</span>`
					: nothing}
				<div class="metric">${what}</div>
			</div>
			<div class="figures">
				<span class="dir ${r.direction}"
					>${r.direction === 'up' ? '▲' : '▼'}
					${t(r.direction === 'up' ? 'unusualUp' : 'unusualDown')}</span
				>
				<span class="observed"
					>${t('unusualObserved', {
						observed: fmtValue(r.metric, r.observed),
						low: fmtValue(r.metric, low),
						high: fmtValue(r.metric, r.expectedHigh),
					})}</span
				>
				<span class="muted"
					>${t('unusualScore', { score })} · ${t('unusualSince', { time: fmtTime(r.since) })}</span
				>
			</div>
			<a class="touch chart-link" href=${chartHref(r)}>${t('unusualChart')}</a>
		</li>`;
	}

	private empty(d: UnusualResponse) {
		if (d.watched === 0) return t('unusualNoneWatched');
		if (d.waiting > 0)
			return t('unusualWaiting', {
				waiting: d.waiting,
				watched: d.watched,
				days: fmtNumber(d.minHistoryHours / 24, 0),
			});
		return t('unusualNothing');
	}

	render() {
		const d = this.data;
		if (!d) return nothing;
		const more = d.unusualCount - d.unusual.length;
		return html`<section class="card unusual" aria-labelledby="unusual-h">
			<h2 id="unusual-h">${t('unusualNow')}</h2>
			${d.unusual.length
				? html`<ul class="unusual-list">
							${d.unusual.map((r) => this.row(r))}
						</ul>
						${more > 0 ? html`<p class="muted">${t('unusualMore', { count: more })}</p>` : nothing}
						${d.waiting > 0
							? html`<p class="muted waiting">
									${t('unusualWaiting', {
										waiting: d.waiting,
										watched: d.watched,
										days: fmtNumber(d.minHistoryHours / 24, 0),
									})}
								</p>`
							: nothing}`
				: html`<p
						class="muted empty"
						data-empty=${d.watched === 0 ? 'none' : d.waiting ? 'waiting' : 'nothing'}
					>
						${this.empty(d)}
					</p>`}
			${d.learning > 0
				? html`<p class="muted learning">${t('unusualLearning', { count: d.learning })}</p>`
				: nothing}
			${d.truncated
				? html`<p class="muted">${t('unusualTruncated', { max: d.maxSeries })}</p>`
				: nothing}
		</section>`;
	}
}
