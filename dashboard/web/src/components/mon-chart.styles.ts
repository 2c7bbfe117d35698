import { css } from 'lit';

export const chartStyles = css`
	:host {
		display: block;
		min-width: 0;
		width: 100%;
	}
	/* clip, not hidden: a last guard against anything wider, without a scroll box of its own. */
	.chart {
		width: 100%;
		min-width: 0;
		overflow-x: clip;
	}
	/*
	 * A tooltip lists every series of the chart; with long names (mount paths, table names) it
	 * grew past a phone's width and widened the page. It stays inside the chart, names wrap.
	 */
	.apexcharts-tooltip {
		color: #111;
		max-width: min(320px, calc(100vw - 24px));
	}
	.apexcharts-tooltip-series-group,
	.apexcharts-tooltip-text,
	.apexcharts-tooltip-y-group {
		min-width: 0;
	}
	.apexcharts-tooltip-text-y-label {
		white-space: normal;
		overflow-wrap: anywhere;
	}
	/* ApexCharts' own CSS is injected into this shadow root; this follows the page's theme. */
	.apexcharts-legend-text {
		color: var(--mon-fg) !important;
	}
	/* A long name (a table, a mount path) wraps inside the legend instead of running off it. */
	.apexcharts-legend-series {
		max-width: 100%;
		display: flex;
		align-items: flex-start;
	}
	.apexcharts-legend-text {
		white-space: normal;
		overflow-wrap: anywhere;
		min-width: 0;
	}
`;
