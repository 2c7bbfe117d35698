import { css } from 'lit';

export const unusualStyles = css`
	:host {
		display: block;
		margin: 12px 0 16px;
	}
	.unusual h2 {
		margin: 0 0 6px;
		font-size: 1.05rem;
	}
	.unusual-list {
		list-style: none;
		margin: 0;
		padding: 0;
	}
	/* What | figures | link on a wide screen; stacked on a phone, the link last and full width. */
	.unusual-row {
		display: grid;
		grid-template-columns: minmax(0, 14rem) minmax(0, 1fr) auto;
		gap: 4px 12px;
		align-items: center;
		padding: 8px 0;
		border-top: 1px solid var(--mon-border);
	}
	.unusual-row:first-child {
		border-top: 0;
	}
	.what,
	.figures {
		min-width: 0;
		overflow-wrap: anywhere;
	}
	.metric {
		font-size: 0.85rem;
		color: var(--mon-muted);
	}
	.figures {
		display: flex;
		flex-wrap: wrap;
		gap: 2px 10px;
		font-size: 0.9rem;
	}
	.dir {
		font-weight: 600;
		white-space: nowrap;
	}
	.dir.up {
		color: var(--mon-crit-fg);
	}
	.dir.down {
		color: var(--mon-warn-fg, var(--mon-crit-fg));
	}
	@media (max-width: 600px) {
		.unusual-row {
			grid-template-columns: minmax(0, 1fr);
		}
		.chart-link {
			justify-self: start;
		}
	}
`;
