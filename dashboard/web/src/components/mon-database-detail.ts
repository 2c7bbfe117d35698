import { html } from 'lit';
import { lineOptions, toLines } from '../charts';
import { fmtBytes, fmtNumber, fmtSeconds } from '../format';
import { t } from '../i18n';
import { DetailView, chartCard } from './detail-base';

/** Query latency, connections by state and table sizes of one database target. */
export class MonDatabaseDetail extends DetailView {
	protected heading() {
		return t('databaseDetail', { host: this.route.args[0] ?? '', db: this.route.args[1] ?? '' });
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
					.options=${lineOptions(query, { unit: fmtSeconds, min: 0, window: w })}
				></mon-chart>`,
			)}
			${chartCard(
				t('connections'),
				html`<mon-chart
					.options=${lineOptions(conns, { unit: (v) => fmtNumber(v, 0), min: 0, window: w })}
				></mon-chart>`,
			)}
			${chartCard(
				t('tableSizes'),
				html`<mon-chart
					.options=${lineOptions(tables, { unit: fmtBytes, min: 0, window: w })}
				></mon-chart>`,
			)}
		</div>`;
	}
}
