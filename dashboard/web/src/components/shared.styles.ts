import { css } from 'lit';

/** Layout pieces every view shares: cards, grids, headings, touch-sized links and buttons. */
export const sharedStyles = css`
	:host {
		display: block;
		min-width: 0;
		color: var(--mon-fg);
	}
	* {
		box-sizing: border-box;
	}
	h1,
	h2,
	h3 {
		margin: 0 0 8px;
		line-height: 1.25;
		overflow-wrap: anywhere;
	}
	h1 {
		font-size: 1.3rem;
	}
	h2 {
		font-size: 1.05rem;
	}
	h3 {
		font-size: 0.95rem;
		font-weight: 600;
	}
	.card {
		background: var(--mon-card);
		border: 1px solid var(--mon-border);
		border-radius: 10px;
		padding: 12px;
		min-width: 0;
	}
	.grid {
		display: grid;
		gap: 12px;
		grid-template-columns: repeat(auto-fill, minmax(min(100%, 340px), 1fr));
	}
	.muted {
		color: var(--mon-muted);
		font-size: 0.85rem;
	}
	a,
	button {
		color: var(--mon-link);
	}
	.touch {
		display: inline-flex;
		align-items: center;
		min-height: 44px;
		min-width: 44px;
		padding: 0 12px;
	}
	button.touch {
		border: 1px solid var(--mon-border);
		border-radius: 8px;
		background: var(--mon-card);
		color: var(--mon-fg);
		font: inherit;
		cursor: pointer;
	}
	button.touch[aria-pressed='true'] {
		background: var(--mon-accent);
		border-color: var(--mon-accent);
		color: #fff;
	}
	.name {
		overflow-wrap: anywhere;
		word-break: break-word;
	}
	table {
		width: 100%;
		border-collapse: collapse;
		font-size: 0.85rem;
	}
	th,
	td {
		text-align: left;
		padding: 6px 4px;
		border-bottom: 1px solid var(--mon-border);
		overflow-wrap: anywhere;
	}
	.table-wrap {
		overflow-x: auto;
		max-width: 100%;
	}
	.banner {
		border-radius: 8px;
		padding: 8px 12px;
		margin: 0 0 12px;
	}
	.banner.stale {
		background: var(--mon-warn-bg);
		color: var(--mon-warn-fg);
	}
	.banner.error {
		background: var(--mon-crit-bg);
		color: var(--mon-crit-fg);
	}
	/* A host card's container counts (overview, fleet): red when some are unhealthy or exited. */
	.ctr-counts {
		font-size: 0.8rem;
		color: var(--mon-muted);
	}
	.ctr-counts[data-bad='true'] {
		color: var(--mon-crit-fg);
	}
`;
