import { css } from 'lit';

/** Shared by the host, GPU, database, endpoint and workflow views. */
export const detailStyles = css`
	.back {
		margin-bottom: 4px;
	}
	.view-tools {
		display: flex;
		flex-wrap: wrap;
		align-items: center;
		gap: 4px 16px;
		margin: 4px 0 8px;
	}
	/* A dashed swatch says what the switch draws; it fills in while the band is on. */
	.usual-switch::before {
		content: '';
		display: inline-block;
		width: 14px;
		height: 10px;
		margin-right: 6px;
		border: 1px dashed currentColor;
		vertical-align: -1px;
	}
	.usual-switch[aria-pressed='true']::before {
		background: color-mix(in srgb, currentColor 25%, transparent);
	}
	/* A line under a chart: what its band means, or why it has none; wraps on a phone. */
	.usual-note {
		margin: 4px 0 0;
		font-size: 0.8rem;
		line-height: 1.3;
	}
	.charts {
		display: grid;
		gap: 12px;
		grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr));
	}
	/* Query texts can be long: wrapped, at most four lines (the whole text is the title). */
	code.query {
		display: -webkit-box;
		-webkit-box-orient: vertical;
		-webkit-line-clamp: 4;
		line-clamp: 4;
		overflow: hidden;
		white-space: pre-wrap;
		overflow-wrap: anywhere;
		max-width: 60ch;
		font-size: 0.8rem;
	}
	.db-tables td:not(.name),
	.slow-queries td:not(:first-child) {
		white-space: nowrap;
	}
	.db-tables td.name {
		min-width: 12ch;
	}
	.forecast {
		margin: 4px 0 8px;
	}
	.filters {
		display: flex;
		flex-wrap: wrap;
		gap: 6px;
		margin-bottom: 8px;
	}
	.partial {
		font-size: 0.8rem;
		color: var(--mon-muted);
	}
	.setup {
		margin-top: 8px;
		max-width: 70ch;
		border-left: 4px solid var(--mon-nodata);
	}
	.setup p {
		margin: 6px 0 0;
		line-height: 1.45;
	}
	.reason-line {
		overflow-wrap: anywhere;
		color: var(--mon-crit-fg);
	}
	.facts {
		display: flex;
		flex-wrap: wrap;
		gap: 8px 24px;
		margin: 12px 0;
	}
	.facts dt {
		font-size: 0.8rem;
		color: var(--mon-muted);
	}
	.facts dd {
		margin: 0;
		font-weight: 600;
	}
	.facts .url {
		overflow-wrap: anywhere;
	}
	/* The n8n view's lists: stuck executions and pools, above its charts. */
	section.stuck,
	section.pools {
		margin: 0 0 12px;
	}
	.stuck-table td:not(.name) {
		white-space: nowrap;
	}
	.stuck-table td.name {
		min-width: 12ch;
	}
	.n8n-pool dt {
		overflow-wrap: anywhere;
	}
	.uptime-figure {
		margin: 0 0 6px;
	}
	svg.updown {
		display: block;
		width: 100%;
		height: 24px;
		border-radius: 4px;
		overflow: hidden;
	}
	svg.updown .ok {
		fill: var(--mon-ok);
	}
	svg.updown .warning {
		fill: var(--mon-warn);
	}
	svg.updown .critical {
		fill: var(--mon-crit);
	}
	svg.updown .nodata {
		fill: var(--mon-border);
	}
`;
