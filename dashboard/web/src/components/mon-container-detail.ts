import { html, nothing } from 'lit';
import { apiRequest, type SeriesResult } from '../api';
import { unitOf } from '../axis';
import { toLines, type LineSeries } from '../charts';
import { t } from '../i18n';
import { seriesNeeds, type NeedsOf, type SeriesAsk, type SeriesNames } from '../requests';
import type { Route } from '../router';
import type { MetricName } from '../../../../core/catalog/metrics';
import { DetailView, detailView } from './detail-base';
import { fmtContainerMemory, fmtUptime } from './mon-containers';

/** One container's series (labelled by its name) and its state with its latest row. */
export function containerNeeds(route: Route) {
	const [host = '', name = ''] = route.args;
	const q = (metric: MetricName): SeriesAsk => ({ host, metric, labels: { container: name } });
	return seriesNeeds(
		route,
		{
			cpu: q('docker_container_cpu_percent'),
			cpuLimit: q('docker_container_cpu_limit_percent'),
			memory: q('docker_container_memory_used_bytes'),
			memoryLimit: q('docker_container_memory_limit_bytes'),
			rx: q('docker_container_net_rx_bytes_per_second'),
			tx: q('docker_container_net_tx_bytes_per_second'),
			blockRead: q('docker_container_block_read_bytes_per_second'),
			blockWrite: q('docker_container_block_write_bytes_per_second'),
			restarts: q('docker_container_restarts_total'),
		},
		{ status: apiRequest('status', { kind: 'container', host, name }) },
	);
}
type ContainerNeeds = NeedsOf<typeof containerNeeds>;

/**
 * One container over the chosen range: CPU (of the host and of its own limit), memory against
 * its limit, network, block I/O and restarts, under the state its latest collection gives it.
 */
export class MonContainerDetail extends DetailView<ContainerNeeds> {
	protected readonly kind = 'container' as const;

	protected heading() {
		const [host = '', name = ''] = this.route.args;
		return t('containerDetail', { host, name });
	}

	/** A recreated container can have series under another image: the image then tells them apart. */
	private lines(name: SeriesNames<ContainerNeeds>, label: string): LineSeries[] {
		const series = this.series(name)?.series ?? [];
		const many = series.length > 1;
		return toLines(series, (s: SeriesResult) =>
			many ? `${label} (${s.labels?.image ?? ''})` : label,
		);
	}

	private facts() {
		const c = this.state?.container;
		if (c === null)
			return html`<p class="muted facts not-listed">
				${t('ctrNotListed', { host: this.route.args[0] ?? '' })}
			</p>`;
		if (!c) return nothing;
		return html`<dl class="facts">
			<div>
				<dt>${t('ctrImage')}</dt>
				<dd class="name">${c.image}</dd>
			</div>
			<div>
				<dt>${t('ctrState')}</dt>
				<dd class="name engine-status">${c.status || c.state}</dd>
			</div>
			<div>
				<dt>${t('ctrRestarts')}</dt>
				<dd>${c.restarts}</dd>
			</div>
			<div>
				<dt>${t('ctrMemory')}</dt>
				<dd>${fmtContainerMemory(c)}</dd>
			</div>
			<div>
				<dt>${t('ctrUptime')}</dt>
				<dd>${fmtUptime(c.uptimeSeconds)}</dd>
			</div>
		</dl>`;
	}

	protected body() {
		const pct = { min: 0 };
		const cpu = [...this.lines('cpu', t('ctrOfHost')), ...this.lines('cpuLimit', t('ctrOfLimit'))];
		// Without --memory the "limit" is the host's memory: drawing it would flatten the usage.
		const limited = this.state?.container?.memoryLimited !== false;
		const memory = [
			...this.lines('memory', t('containerUsage')),
			...(limited ? this.lines('memoryLimit', t('containerLimit')) : []),
		];
		const net = [...this.lines('rx', t('rx')), ...this.lines('tx', t('tx'))];
		const block = [
			...this.lines('blockRead', t('diskRead')),
			...this.lines('blockWrite', t('diskWrite')),
		];
		const restarts = this.lines('restarts', t('ctrRestartsChart'));
		return html`${this.facts()}
			<div class="charts">
				${this.chart(t('ctrCpuChart'), cpu, unitOf('docker_container_cpu_percent'), pct)}
				${this.chart(t('ctrMemoryChart'), memory, unitOf('docker_container_memory_used_bytes'), {
					min: 0,
				})}
				${this.chart(t('ctrNetwork'), net, unitOf('docker_container_net_rx_bytes_per_second'), {
					min: 0,
				})}
				${this.chart(
					t('ctrBlockIo'),
					block,
					unitOf('docker_container_block_read_bytes_per_second'),
					{ min: 0 },
				)}
				${this.chart(t('ctrRestartsChart'), restarts, unitOf('docker_container_restarts_total'), {
					min: 0,
				})}
			</div>`;
	}
}

export const containerView = detailView('mon-container-detail', MonContainerDetail, containerNeeds);
