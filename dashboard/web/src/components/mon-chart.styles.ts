import { css } from 'lit';

export const chartStyles = css`
	:host {
		display: block;
		min-width: 0;
		width: 100%;
	}
	.chart {
		width: 100%;
		min-width: 0;
	}
	/* ApexCharts' own CSS is injected into this shadow root; these follow the page's theme. */
	.apexcharts-tooltip {
		color: #111;
	}
	.apexcharts-legend-text {
		color: var(--mon-fg) !important;
	}
`;
