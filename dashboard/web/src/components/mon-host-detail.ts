import { html } from 'lit';
import { lineOptions, toLines } from '../charts';
import { fmtBytes, fmtPercent } from '../format';
import { t } from '../i18n';
import { DetailView, chartCard } from './detail-base';

const pct = (v: number) => fmtPercent(v);
const rate = (v: number) => `${fmtBytes(v)}/s`;

/** CPU, memory, filesystems and network of one host over the chosen range. */
export class MonHostDetail extends DetailView {
	protected readonly kind = 'host' as const;

	protected heading() {
		return t('hostDetail', { host: this.route.args[0] ?? '' });
	}

	protected body() {
		const w = this.window;
		const cpu = toLines(this.series('cpu')?.series, () => t('cpu'));
		const memory = toLines(this.series('memory')?.series, () => t('memory'));
		const fs = toLines(
			this.series('filesystem')?.series,
			(s) => s.labels?.mount ?? s.labels?.device ?? t('disk'),
		);
		const net = [
			...toLines(
				this.series('rx')?.series,
				(s) => `${s.labels?.interface ?? s.labels?.device ?? ''} ${t('rx')}`,
			),
			...toLines(
				this.series('tx')?.series,
				(s) => `${s.labels?.interface ?? s.labels?.device ?? ''} ${t('tx')}`,
			),
		];
		return html`<div class="charts">
			${chartCard(
				t('cpu'),
				html`<mon-chart
					.options=${lineOptions(cpu, { unit: pct, min: 0, max: 100, window: w })}
				></mon-chart>`,
			)}
			${chartCard(
				t('memory'),
				html`<mon-chart
					.options=${lineOptions(memory, { unit: pct, min: 0, max: 100, window: w })}
				></mon-chart>`,
			)}
			${chartCard(
				t('filesystems'),
				html`<mon-chart
					.options=${lineOptions(fs, { unit: pct, min: 0, max: 100, window: w })}
				></mon-chart>`,
			)}
			${chartCard(
				t('network'),
				html`<mon-chart
					.options=${lineOptions(net, { unit: rate, min: 0, window: w })}
				></mon-chart>`,
			)}
		</div>`;
	}
}
