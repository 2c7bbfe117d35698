import { css } from 'lit';

export const incidentsStyles = css`
	ul.incidents {
		list-style: none;
		margin: 0;
		padding: 0;
	}
	li.incident {
		padding: 10px 0;
		border-bottom: 1px solid var(--border, #8884);
	}
	li.incident:last-child {
		border-bottom: none;
	}
	.head {
		display: flex;
		flex-wrap: wrap;
		gap: 4px 12px;
		align-items: baseline;
	}
	.title {
		font-weight: 600;
		overflow-wrap: anywhere;
	}
	.when,
	.targets {
		font-size: 0.8rem;
		overflow-wrap: anywhere;
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
	li.incident[data-status='resolved'] .sev {
		background: var(--ok, #2e7d32);
	}
	ol.timeline {
		list-style: none;
		margin: 6px 0 0;
		padding: 0 0 0 12px;
		border-left: 2px solid var(--border, #8884);
	}
	ol.timeline li {
		padding: 3px 0;
	}
	ol.timeline li[data-kind='update'] .what {
		font-weight: 600;
	}
	.at {
		font-size: 0.8rem;
		margin-right: 8px;
	}
	.message {
		white-space: pre-wrap;
		overflow-wrap: anywhere;
	}
`;
