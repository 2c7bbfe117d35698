import { css } from 'lit';

export const fleetStyles = css`
	.counts {
		display: flex;
		flex-wrap: wrap;
		gap: 6px;
		margin-bottom: 8px;
	}
	.count .dot {
		display: inline-block;
		width: 10px;
		height: 10px;
		border-radius: 50%;
		margin-right: 6px;
		background: var(--mon-nodata);
	}
	.count[data-status='all'] .dot {
		display: none;
	}
	.count[data-status='ok'] .dot {
		background: var(--mon-ok);
	}
	.count[data-status='warning'] .dot {
		background: var(--mon-warn);
	}
	.count[data-status='critical'] .dot {
		background: var(--mon-crit);
	}
	.count strong {
		margin-left: 4px;
	}
	.controls {
		display: flex;
		flex-wrap: wrap;
		gap: 8px;
		align-items: center;
	}
	.filter {
		flex: 1 1 240px;
		min-height: 44px;
		min-width: 44px;
		padding: 0 12px;
		font: inherit;
		color: var(--mon-fg);
		background: var(--mon-card);
		border: 1px solid var(--mon-border);
		border-radius: 8px;
	}
	.sort {
		display: inline-flex;
		align-items: center;
		gap: 6px;
		font-size: 0.85rem;
	}
	.sort select {
		min-height: 44px;
		font: inherit;
		color: var(--mon-fg);
		background: var(--mon-card);
		border: 1px solid var(--mon-border);
		border-radius: 8px;
		padding: 0 8px;
	}
	.summary {
		margin: 8px 0;
	}
	.rows {
		list-style: none;
		margin: 0;
		padding: 0;
		background: var(--mon-card);
		border: 1px solid var(--mon-border);
		border-radius: 10px;
	}
	/* One line per host on a desktop: light, name, three figures, the CPU line, notes. */
	.row {
		display: grid;
		grid-template-columns: 8.5rem minmax(0, 1fr) minmax(0, 15rem) 7rem minmax(0, 8rem);
		gap: 4px 12px;
		align-items: center;
		padding: 0 12px;
		border-bottom: 1px solid var(--mon-border);
	}
	.row:last-child {
		border-bottom: 0;
	}
	.host {
		display: inline-flex;
		align-items: center;
		min-height: 44px;
		min-width: 44px;
		font-weight: 600;
		text-decoration: none;
	}
	.figs {
		display: grid;
		grid-template-columns: repeat(3, minmax(0, 1fr));
		gap: 8px;
	}
	.fig {
		display: flex;
		flex-direction: column;
		font-size: 0.75rem;
		color: var(--mon-muted);
	}
	.fig strong {
		font-size: 0.95rem;
		color: var(--mon-fg);
	}
	.fig[data-status='warning'] strong {
		color: var(--mon-warn-fg);
	}
	.fig[data-status='critical'] strong {
		color: var(--mon-crit-fg);
	}
	.spark {
		width: 100%;
		height: 28px;
		color: var(--mon-accent);
	}
	.notes {
		display: flex;
		flex-wrap: wrap;
		gap: 4px;
		font-size: 0.75rem;
	}
	.failed {
		color: var(--mon-crit-fg);
	}
	.stale-badge {
		border-radius: 6px;
		padding: 2px 6px;
		background: var(--mon-warn-bg);
		color: var(--mon-warn-fg);
	}
	/* On a phone: name and light on one line, the figures under them, no CPU line. */
	@media (max-width: 640px) {
		.row {
			grid-template-columns: minmax(0, 1fr) auto;
			padding: 4px 12px 8px;
		}
		.row mon-status-light {
			order: 2;
		}
		.row .host {
			order: 1;
		}
		.figs {
			order: 3;
			grid-column: 1 / -1;
		}
		.spark {
			display: none;
		}
		.notes {
			order: 4;
			grid-column: 1 / -1;
		}
	}
	.pager {
		display: flex;
		align-items: center;
		justify-content: center;
		gap: 12px;
		margin-top: 8px;
	}
	button.touch:disabled {
		opacity: 0.5;
		cursor: default;
	}
`;
