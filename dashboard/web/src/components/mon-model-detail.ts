import { html } from 'lit';
import { unitOf } from '../axis';
import { lineOptions, toLines, type LineSeries } from '../charts';
import { apiRequest, type SeriesResult } from '../api';
import { fmtBytes, fmtTime, toMs } from '../format';
import { t, type MessageKey } from '../i18n';
import { seriesNeeds, type NeedsOf, type SeriesAsk, type SeriesNames } from '../requests';
import type { Route } from '../router';
import type { MetricName } from '../../../../core/catalog/metrics';
import { DetailView, chartCard, detailView } from './detail-base';

/** One model server's series (the `server` label) and the host's model_server snapshot. */
export function modelNeeds(route: Route) {
	const [host = '', server = ''] = route.args;
	const q = (metric: MetricName): SeriesAsk => ({ host, metric, labels: { server } });
	return seriesNeeds(
		route,
		{
			up: q('model_server_up'),
			response: q('model_server_response_seconds'),
			running: q('model_server_requests_running'),
			waiting: q('model_server_requests_waiting'),
			kvCache: q('model_server_kv_cache_usage_ratio'),
			promptTokens: q('model_server_prompt_tokens_per_second'),
			generationTokens: q('model_server_generation_tokens_per_second'),
			ttft: q('model_server_ttft_seconds'),
			e2e: q('model_server_e2e_latency_seconds'),
		},
		{
			snapshot: apiRequest('snapshot', { host, collector: 'model_server' }),
			status: apiRequest('status', { kind: 'model_server', host, name: server }),
		},
	);
}
type ModelNeeds = NeedsOf<typeof modelNeeds>;

interface LoadedModelRow {
	name?: unknown;
	sizeBytes?: unknown;
	vramBytes?: unknown;
	expiresAt?: unknown;
}

interface EndpointRow {
	server?: unknown;
	models?: unknown;
}

/** "0.95" → "p95"; anything else is shown as it came. */
function quantileName(s: SeriesResult): string {
	const raw = s.labels?.quantile ?? '';
	const q = Number(raw);
	return raw !== '' && Number.isFinite(q) && q >= 0 && q <= 1
		? t('quantile', { q: Math.round(q * 1000) / 10 })
		: raw;
}

/**
 * One model server (the `server` label of the model_server_* series): up/down, response time,
 * requests running and waiting, KV cache use, token rates, TTFT and end-to-end latency quantiles,
 * and the models it has loaded according to the latest model_server snapshot.
 */
export class MonModelDetail extends DetailView<ModelNeeds> {
	protected readonly kind = 'model_server' as const;

	protected heading() {
		return t('modelDetail', {
			host: this.route.args[0] ?? '',
			server: this.route.args[1] ?? '',
		});
	}

	/** Several single-series metrics as one chart, each named by its own label. */
	private combined(parts: [SeriesNames<ModelNeeds>, MessageKey][]): LineSeries[] {
		return parts.flatMap(([name, label]) => toLines(this.series(name)?.series, () => t(label)));
	}

	private models() {
		// Stored JSON: an older collector may have left it without endpoints.
		const raw = (this.data?.snapshot?.snapshot as { endpoints?: unknown } | null | undefined)
			?.endpoints;
		const endpoints = (Array.isArray(raw) ? raw : []) as EndpointRow[];
		const server = this.route.args[1] ?? '';
		const endpoint = endpoints.find((e) => e && String(e.server ?? '') === server);
		const rows = (Array.isArray(endpoint?.models) ? endpoint!.models : []) as LoadedModelRow[];
		const list = rows.filter((m) => m && typeof m === 'object');
		if (!list.length) return html`<p class="muted">${t('noModels')}</p>`;
		return html`<div class="table-wrap">
			<table>
				<thead>
					<tr>
						<th>${t('model')}</th>
						<th>${t('modelSize')}</th>
						<th>${t('modelVram')}</th>
						<th>${t('expiresAt')}</th>
					</tr>
				</thead>
				<tbody>
					${list.map(
						(m) =>
							html`<tr>
								<td class="name">${m.name == null ? '' : String(m.name)}</td>
								<td>${fmtBytes(m.sizeBytes)}</td>
								<td>${fmtBytes(m.vramBytes)}</td>
								<td>${m.expiresAt == null ? '—' : fmtTime(toMs(m.expiresAt))}</td>
							</tr>`,
					)}
				</tbody>
			</table>
		</div>`;
	}

	protected body() {
		const w = this.window;
		const up = toLines(this.series('up')?.series, () => t('modelUp'));
		const response = toLines(this.series('response')?.series, () => t('responseTime'));
		const requests = this.combined([
			['running', 'requestsRunning'],
			['waiting', 'requestsWaiting'],
		]);
		const kv = toLines(this.series('kvCache')?.series, () => t('kvCache'));
		const tokens = this.combined([
			['promptTokens', 'promptTokens'],
			['generationTokens', 'generationTokens'],
		]);
		const ttft = toLines(this.series('ttft')?.series, quantileName);
		const e2e = toLines(this.series('e2e')?.series, quantileName);
		return html`<div class="charts">
				${chartCard(
					t('modelUp'),
					html`<mon-chart
						.options=${lineOptions(up, {
							unit: unitOf('model_server_up'),
							min: 0,
							max: 1,
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('responseTime'),
					html`<mon-chart
						.options=${lineOptions(response, {
							unit: unitOf('model_server_response_seconds'),
							min: 0,
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('requests'),
					html`<mon-chart
						.options=${lineOptions(requests, {
							unit: unitOf('model_server_requests_running'),
							min: 0,
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('kvCache'),
					html`<mon-chart
						.options=${lineOptions(kv, {
							unit: unitOf('model_server_kv_cache_usage_ratio'),
							min: 0,
							max: 1,
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('tokensPerSecond'),
					html`<mon-chart
						.options=${lineOptions(tokens, {
							unit: unitOf('model_server_prompt_tokens_per_second'),
							min: 0,
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('ttft'),
					html`<mon-chart
						.options=${lineOptions(ttft, {
							unit: unitOf('model_server_ttft_seconds'),
							min: 0,
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('e2eLatency'),
					html`<mon-chart
						.options=${lineOptions(e2e, {
							unit: unitOf('model_server_e2e_latency_seconds'),
							min: 0,
							window: w,
						})}
					></mon-chart>`,
				)}
			</div>
			<div class="card" style="margin-top:12px">
				<h2>${t('models')}</h2>
				${this.models()}
			</div>`;
	}
}

export const modelView = detailView('mon-model-detail', MonModelDetail, modelNeeds);
