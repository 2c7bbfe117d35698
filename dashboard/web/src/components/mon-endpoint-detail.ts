import { html } from 'lit';
import { UNITS } from '../axis';
import { lineOptions, toLines, type LineSeries } from '../charts';
import { t, type MessageKey } from '../i18n';
import { DetailView, chartCard } from './detail-base';

const PHASES: [string, MessageKey][] = [
	['dns', 'dns'],
	['connect', 'connect'],
	['tls', 'tls'],
	['firstByte', 'firstByte'],
	['download', 'download'],
];

/** One HTTP check: its phases stacked (where the time goes) and the certificate's days left. */
export class MonEndpointDetail extends DetailView {
	protected heading() {
		return t('endpointDetail', {
			host: this.route.args[0] ?? '',
			endpoint: this.route.args[1] ?? '',
		});
	}

	protected body() {
		const w = this.window;
		// Stacking needs plain values, so the phases use the averages without min/max edges.
		const phases: LineSeries[] = PHASES.flatMap(([name, label]) =>
			(this.series(name)?.series ?? [])
				.slice(0, 1)
				.map((s) => ({ name: t(label), data: s.points ?? [] })),
		);
		const cert = toLines(this.series('cert')?.series, () => t('certDays'));
		return html`<div class="charts">
			${chartCard(
				t('phases'),
				html`<mon-chart
					.options=${lineOptions(phases, {
						unit: UNITS.seconds,
						stacked: true,
						area: true,
						min: 0,
						window: w,
					})}
				></mon-chart>`,
			)}
			${chartCard(
				t('certDays'),
				html`<mon-chart
					.options=${lineOptions(cert, { unit: UNITS.number, window: w })}
				></mon-chart>`,
			)}
		</div>`;
	}
}
