import { css } from 'lit';

/** The host view's containers table: figures never break inside, names and images wrap. */
export const containersStyles = css`
	:host {
		display: block;
		margin: 12px 0;
	}
	th,
	td:not(.name) {
		white-space: nowrap;
	}
	td.name {
		min-width: 12ch;
	}
	th button.sort {
		min-height: 44px;
		padding: 0 6px;
		border: 1px solid var(--mon-border);
		border-radius: 6px;
		background: var(--mon-card);
		color: var(--mon-fg);
		font: inherit;
		font-weight: 600;
		cursor: pointer;
	}
	th[aria-sort='descending'] button.sort {
		background: var(--mon-accent);
		border-color: var(--mon-accent);
		color: #fff;
	}
	mon-status-light {
		font-size: 0.8rem;
	}
	.message {
		margin: 4px 0 0;
		overflow-wrap: anywhere;
	}
	.failed {
		color: var(--mon-crit-fg);
	}
`;
