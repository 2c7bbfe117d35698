import { html, nothing } from 'lit';
import { unitOf } from '../axis';
import { lineOptions, toLines } from '../charts';
import { apiRequest, type SeriesResult } from '../api';
import { fmtBytes, isNum } from '../format';
import { t } from '../i18n';
import { seriesNeeds, type NeedsOf, type SeriesAsk } from '../requests';
import type { Route } from '../router';
import type { MetricName } from '../../../../core/catalog/metrics';
import { DetailView, chartCard, detailView } from './detail-base';

interface GpuProcessRow {
	gpu?: string | null;
	pid?: number;
	name?: string;
	usedMemoryBytes?: number | null;
	user?: string;
	command?: string;
}

const gpuName = (s: SeriesResult) => `${t('gpu')} ${s.labels?.gpu ?? ''}`.trim();

/** Per-GPU series, and the latest gpu snapshot for its process table. */
export function gpuNeeds(route: Route) {
	const host = route.args[0] ?? '';
	const q = (metric: MetricName): SeriesAsk => ({ host, metric });
	return seriesNeeds(
		route,
		{
			util: q('gpu_utilization_percent'),
			memory: q('gpu_memory_used_percent'),
			temperature: q('gpu_temperature_celsius'),
			power: q('gpu_power_draw_watts'),
		},
		{
			snapshot: apiRequest('snapshot', { host, collector: 'gpu' }),
			status: apiRequest('status', { kind: 'gpu', host }),
		},
	);
}

/** Per-GPU utilisation, memory, temperature and power, and the process table from the snapshot. */
export class MonGpuDetail extends DetailView<NeedsOf<typeof gpuNeeds>> {
	protected readonly kind = 'gpu' as const;

	protected heading() {
		return t('gpuDetail', { host: this.route.args[0] ?? '' });
	}

	private processes() {
		// Stored JSON: an older collector may have left it without processes.
		const raw = (this.data?.snapshot?.snapshot as { processes?: unknown } | null | undefined)
			?.processes;
		const rows = (Array.isArray(raw) ? raw : []) as GpuProcessRow[];
		if (!rows.length) return html`<p class="muted">${t('noProcesses')}</p>`;
		return html`<div class="table-wrap">
			<table>
				<thead>
					<tr>
						<th>${t('gpu')}</th>
						<th>${t('pid')}</th>
						<th>${t('process')}</th>
						<th>${t('gpuMemoryUsed')}</th>
						<th>${t('user')}</th>
					</tr>
				</thead>
				<tbody>
					${rows.map(
						(p) =>
							html`<tr>
								<td>${p.gpu ?? ''}</td>
								<td>${isNum(p.pid) ? p.pid : ''}</td>
								<td class="name" title=${p.command ?? ''}>${p.name ?? ''}</td>
								<td>${fmtBytes(p.usedMemoryBytes)}</td>
								<td class="name">${p.user ?? ''}</td>
							</tr>`,
					)}
				</tbody>
			</table>
		</div>`;
	}

	protected body() {
		const w = this.window;
		return html`<div class="charts">
				${chartCard(
					t('gpuUtilization'),
					html`<mon-chart
						.options=${lineOptions(toLines(this.series('util')?.series, gpuName), {
							unit: unitOf('gpu_utilization_percent'),
							min: 0,
							max: 100,
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('gpuMemory'),
					html`<mon-chart
						.options=${lineOptions(toLines(this.series('memory')?.series, gpuName), {
							unit: unitOf('gpu_memory_used_percent'),
							min: 0,
							max: 100,
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('gpuTemperature'),
					html`<mon-chart
						.options=${lineOptions(toLines(this.series('temperature')?.series, gpuName), {
							unit: unitOf('gpu_temperature_celsius'),
							window: w,
						})}
					></mon-chart>`,
				)}
				${chartCard(
					t('gpuPower'),
					html`<mon-chart
						.options=${lineOptions(toLines(this.series('power')?.series, gpuName), {
							unit: unitOf('gpu_power_draw_watts'),
							min: 0,
							window: w,
						})}
					></mon-chart>`,
				)}
			</div>
			<div class="card" style="margin-top:12px">
				<h2>${t('processes')}</h2>
				${this.processes()}
			</div>
			${nothing}`;
	}
}

export const gpuView = detailView('mon-gpu-detail', MonGpuDetail, gpuNeeds);
