import { html, nothing } from 'lit';
import { apiRequest, type SeriesResult } from '../api';
import { unitOf } from '../axis';
import { toLines, type LineSeries } from '../charts';
import { fmtBytes, isNum } from '../format';
import { messages, t, type MessageKey } from '../i18n';
import { seriesNeeds, type NeedsOf, type SeriesAsk, type SeriesNames } from '../requests';
import type { Route } from '../router';
import type { MetricName } from '../../../../core/catalog/metrics';
import { DetailView, detailView } from './detail-base';
import { n8nLink } from './mon-n8n-detail';
import { filesystemTable, hostFacts, hostSnapshot, processTables } from './host-tables';
import { hostDetailStyles } from './mon-host-detail.styles';

/** A CPU mode's name (user, iowait…), translated where the table has it. */
const modeName = (mode: string): string =>
	Object.hasOwn(messages.en, `mode_${mode}`) ? t(`mode_${mode}` as MessageKey) : mode;

/** Larger than this, per-core lines are one tangle and their legend a wall: the legend goes. */
const CORE_LEGEND_MAX = 16;

/** Every series the host collector stores; the view hides the panels whose series are absent. */
export function hostNeeds(route: Route) {
	const host = route.args[0] ?? '';
	const q = (metric: MetricName): SeriesAsk => ({ host, metric });
	return seriesNeeds(
		route,
		{
			// cpu="total" and each core, in one read.
			cpu: q('cpu_usage_percent'),
			modes: q('cpu_mode_percent'),
			load: q('load_average'),
			memory: q('memory_used_percent'),
			swapUsed: q('swap_used_bytes'),
			swapTotal: q('swap_total_bytes'),
			filesystem: q('filesystem_used_percent'),
			diskRead: q('disk_read_bytes_per_second'),
			diskWrite: q('disk_write_bytes_per_second'),
			rx: q('net_rx_bytes_per_second'),
			tx: q('net_tx_bytes_per_second'),
			temperature: q('temperature_celsius'),
			processes: q('process_count'),
			containerCpu: q('container_cpu_usage_percent'),
			containerMemory: q('container_memory_usage_bytes'),
			containerMemoryLimit: q('container_memory_limit_bytes'),
		},
		{
			snapshot: apiRequest('snapshot', { host, collector: 'host' }),
			status: apiRequest('status', { kind: 'host', host }),
		},
	);
}
type HostNeeds = NeedsOf<typeof hostNeeds>;

/**
 * Everything the host collector stores for one host over the chosen range: CPU (total, per core,
 * by mode, load), memory and swap, filesystems, disk and network I/O, temperatures, processes,
 * the container's limits, and the latest snapshot's filesystem and top-process tables.
 */
export class MonHostDetail extends DetailView<HostNeeds> {
	protected readonly kind = 'host' as const;
	static styles = [...DetailView.styles, hostDetailStyles];

	protected heading() {
		return t('hostDetail', { host: this.route.args[0] ?? '' });
	}

	/** What the anomaly presets watch on a host (CPU, traffic), and memory beside them. */
	protected expectedAsks() {
		const host = this.route.args[0] ?? '';
		return {
			cpu: { host, metric: 'cpu_usage_percent', labels: { cpu: 'total' } },
			memory: { host, metric: 'memory_used_percent' },
			rx: { host, metric: 'net_rx_bytes_per_second' },
			tx: { host, metric: 'net_tx_bytes_per_second' },
		};
	}

	private lines(name: SeriesNames<HostNeeds>, nameOf: (s: SeriesResult) => string): LineSeries[] {
		return toLines(this.series(name)?.series, nameOf);
	}

	private containers() {
		return this.state?.containers
			? html`<mon-containers
					.state=${this.state.containers}
					.host=${this.route.args[0] ?? ''}
					.range=${this.route.range}
				></mon-containers>`
			: nothing;
	}

	protected reportedElsewhere() {
		return html`${this.n8n()} ${this.containers()}`;
	}

	/** An n8n instance's name is a host of its own: its figures are on the n8n view. */
	private n8n() {
		return n8nLink(this.route.args[0] ?? '', this.state?.n8n, this.route.range);
	}

	protected body() {
		const cpuSeries = this.series('cpu')?.series ?? [];
		const total = cpuSeries.filter((s) => s.labels?.cpu === 'total' || !s.labels?.cpu);
		const cores = cpuSeries
			.filter((s) => s.labels?.cpu && s.labels.cpu !== 'total')
			.sort((a, b) => Number(a.labels?.cpu) - Number(b.labels?.cpu));
		const cpu = this.withUsual(
			'cpu',
			toLines(total, () => t('cpu')),
		);
		const perCore = toLines(cores, (s) => t('cpuCore', { cpu: s.labels?.cpu ?? '' }));
		// Idle is the rest up to 100 %: without it the stack's height is the busy time.
		const modes = toLines(
			this.series('modes')?.series?.filter((s) => s.labels?.mode !== 'idle'),
			(s) => modeName(s.labels?.mode ?? ''),
		);
		const load = this.lines('load', (s) => t('loadPeriod', { period: s.labels?.period ?? '' }));
		load.sort((a, b) => parseFloat(a.name) - parseFloat(b.name));
		const memory = this.withUsual(
			'memory',
			this.lines('memory', () => t('memory')),
		);
		const swapTotal = this.series('swapTotal')?.series?.[0]?.points?.at(-1)?.[1];
		const swap = isNum(swapTotal) && swapTotal > 0 ? this.lines('swapUsed', () => t('swap')) : [];
		const fs = this.lines('filesystem', (s) => s.labels?.mount ?? s.labels?.device ?? t('disk'));
		const dev = (s: SeriesResult) => s.labels?.device ?? '';
		const disk = [
			...this.lines('diskRead', (s) => `${dev(s)} ${t('diskRead')}`),
			...this.lines('diskWrite', (s) => `${dev(s)} ${t('diskWrite')}`),
		];
		const nic = (s: SeriesResult) => s.labels?.interface ?? s.labels?.device ?? '';
		const net = [
			...this.withUsual(
				'rx',
				this.lines('rx', (s) => `${nic(s)} ${t('rx')}`),
			),
			...this.withUsual(
				'tx',
				this.lines('tx', (s) => `${nic(s)} ${t('tx')}`),
			),
		];
		const temps = this.lines('temperature', (s) => s.labels?.sensor ?? '');
		const procs = this.lines('processes', () => t('processCount'));
		const containerCpu = this.lines('containerCpu', () => t('containerCpu'));
		const containerMemory = [
			...this.lines('containerMemory', () => t('containerUsage')),
			...this.lines('containerMemoryLimit', () => t('containerLimit')),
		];
		const snap = hostSnapshot(this.data?.snapshot);
		const pct = { min: 0, max: 100 };
		// A docker host's containers come before its charts: they are what changes most often.
		return html`${hostFacts(snap)} ${this.n8n()} ${this.containers()}
			<div class="charts">
				${this.chart(t('cpu'), cpu, unitOf('cpu_usage_percent'), pct)}
				${this.chart(t('cpuModes'), modes, unitOf('cpu_mode_percent'), {
					...pct,
					stacked: true,
					area: true,
				})}
				${this.chart(t('cpuPerCore'), perCore, unitOf('cpu_usage_percent'), {
					...pct,
					legend: perCore.length <= CORE_LEGEND_MAX,
				})}
				${this.chart(t('loadAverage'), load, unitOf('load_average'), { min: 0 })}
				${this.chart(t('memory'), memory, unitOf('memory_used_percent'), pct)}
				${this.chart(
					`${t('swap')} (${t('swapOf', { total: fmtBytes(swapTotal) })})`,
					swap,
					unitOf('swap_used_bytes'),
					{ min: 0 },
				)}
				${this.chart(t('filesystems'), fs, unitOf('filesystem_used_percent'), pct)}
				${this.chart(t('diskIo'), disk, unitOf('disk_read_bytes_per_second'), { min: 0 })}
				${this.chart(t('network'), net, unitOf('net_rx_bytes_per_second'), { min: 0 })}
				${this.chart(t('temperatures'), temps, unitOf('temperature_celsius'))}
				${this.chart(t('processCount'), procs, unitOf('process_count'), { min: 0 })}
				${this.chart(t('containerCpu'), containerCpu, unitOf('container_cpu_usage_percent'), {
					min: 0,
				})}
				${this.chart(
					t('containerMemory'),
					containerMemory,
					unitOf('container_memory_usage_bytes'),
					{ min: 0 },
				)}
				${processTables(snap)}
			</div>
			${filesystemTable(snap)}`;
	}
}

export const hostView = detailView('mon-host-detail', MonHostDetail, hostNeeds);
