import { LitElement, html } from 'lit';
import ApexCharts from 'apexcharts';
import type { ApexOptions } from 'apexcharts';
import { relabelTimeTicks, type TimeTick } from '../axis';
import { chartStyles } from './mon-chart.styles';

interface ChartInternals {
	mount(graphData: unknown): Promise<unknown>;
	w: { globals: { timescaleLabels?: TimeTick[]; minX: number; maxX: number; gridWidth: number } };
}

/**
 * Relabels the time axis in the browser's zone before each draw (see relabelTimeTicks).
 * ApexCharts has no hook between laying out its ticks and drawing them, and a label formatter
 * would turn its time scale off (ticks at odd minutes), so this wraps the instance's mount,
 * which every render and update goes through.
 */
function withLocalTimeAxis(chart: ApexCharts): ApexCharts {
	const inner = chart as unknown as ChartInternals;
	const mount = inner.mount.bind(chart);
	inner.mount = (graphData) => {
		const g = inner.w.globals;
		if (g.timescaleLabels?.length) relabelTimeTicks(g.timescaleLabels, g.minX, g.maxX, g.gridWidth);
		return mount(graphData);
	};
	return chart;
}

/** Everything but the data, as text (formatters are functions and drop out, on purpose). */
function shapeOf(options: ApexOptions): string {
	return JSON.stringify({ ...options, series: undefined });
}

/**
 * A thin wrapper around one ApexCharts instance: give it `options`, it draws them, redraws when
 * they change, and frees the chart when it leaves the page. Fires `mon-chart-drawn` after each
 * draw so the page (and the benchmark) can tell when every chart is on screen.
 */
export class MonChart extends LitElement {
	static styles = chartStyles;
	static properties = { options: { attribute: false } };

	declare options: ApexOptions | undefined;
	private chart: ApexCharts | undefined;
	private shape = '';
	private drawing: Promise<unknown> = Promise.resolve();

	render() {
		return html`<div class="chart" part="chart"></div>`;
	}

	protected updated(changed: Map<string, unknown>): void {
		if (!changed.has('options') || !this.options) return;
		const options = this.options;
		// Serialise draws: a poll can land while the previous render promise is still pending.
		this.drawing = this.drawing
			.then(async () => {
				if (!this.isConnected) return;
				// ApexCharts' updateOptions merges into the old config and, after a few polls, left
				// sparkline axes and stale formatters behind. So only a change of data alone goes
				// through updateSeries; anything else (window, theme, colours, gauges) draws anew.
				const shape = shapeOf(options);
				if (this.chart && shape === this.shape && options.chart?.type !== 'radialBar') {
					await this.chart.updateSeries(options.series ?? [], false);
				} else {
					this.chart?.destroy();
					const el = this.renderRoot.querySelector('.chart') as HTMLElement;
					this.chart = withLocalTimeAxis(new ApexCharts(el, options));
					this.shape = shape;
					await this.chart.render();
				}
				this.dispatchEvent(new CustomEvent('mon-chart-drawn', { bubbles: true, composed: true }));
			})
			.catch((err) => console.warn('chart', err));
	}

	disconnectedCallback(): void {
		super.disconnectedCallback();
		const chart = this.chart;
		this.chart = undefined;
		void this.drawing.then(() => chart?.destroy());
	}

	connectedCallback(): void {
		super.connectedCallback();
		// Re-attached (Lit moved the node): draw again on the next update.
		if (!this.chart && this.options && this.hasUpdated) this.requestUpdate('options');
	}
}
