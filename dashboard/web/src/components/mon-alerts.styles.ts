import { css } from 'lit';

export const alertsStyles = css`
	ul.alerts {
		list-style: none;
		margin: 0;
		padding: 0;
	}
	ul.alerts li {
		display: grid;
		grid-template-columns: auto 1fr auto;
		gap: 4px 12px;
		align-items: center;
		padding: 8px 0;
		border-bottom: 1px solid var(--border, #8884);
	}
	ul.alerts li:last-child {
		border-bottom: none;
	}
	.sev {
		font-size: 0.75rem;
		font-weight: 600;
		text-transform: uppercase;
		padding: 2px 6px;
		border-radius: 4px;
		color: #fff;
		background: var(--warning, #c77c00);
	}
	.sev[data-severity='critical'] {
		background: var(--critical, #c62828);
	}
	.sev[data-severity='info'] {
		background: var(--muted-fg, #607d8b);
	}
	li[data-status='resolved'] .sev {
		background: var(--ok, #2e7d32);
	}
	.message,
	.held {
		overflow-wrap: anywhere;
	}
	.lifecycle {
		display: flex;
		flex-wrap: wrap;
		align-items: center;
		gap: 4px 8px;
		margin-top: 4px;
		font-size: 0.85rem;
	}
	.badge {
		font-size: 0.75rem;
		padding: 1px 6px;
		border-radius: 4px;
		border: 1px solid var(--border, #8884);
	}
	.badge.escalated {
		border-color: var(--critical, #c62828);
	}
	.held {
		font-style: italic;
	}
	.when {
		font-size: 0.8rem;
		white-space: nowrap;
	}
	@media (max-width: 480px) {
		ul.alerts li {
			grid-template-columns: auto 1fr;
		}
		.when {
			grid-column: 2;
			white-space: normal;
		}
	}
`;
