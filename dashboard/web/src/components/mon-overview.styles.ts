import { css } from 'lit';

export const overviewStyles = css`
	.host header {
		display: flex;
		flex-wrap: wrap;
		justify-content: space-between;
		gap: 4px 12px;
		align-items: center;
		margin-bottom: 4px;
	}
	.host h2 {
		margin: 0;
	}
	.host h2 a {
		display: inline-flex;
		align-items: center;
		min-height: 44px;
		text-decoration: none;
	}
	.gauges {
		display: grid;
		grid-template-columns: repeat(4, minmax(0, 1fr));
		gap: 4px;
	}
	@media (max-width: 480px) {
		.gauges {
			grid-template-columns: repeat(2, minmax(0, 1fr));
		}
	}
	.gauge-empty {
		display: flex;
		flex-direction: column;
		align-items: center;
		justify-content: center;
		min-height: 150px;
		color: var(--mon-muted);
		font-size: 0.85rem;
		text-align: center;
	}
	.stale-badge {
		font-size: 0.75rem;
		border-radius: 6px;
		padding: 2px 6px;
		background: var(--mon-warn-bg);
		color: var(--mon-warn-fg);
	}
	.links {
		display: flex;
		flex-wrap: wrap;
		gap: 4px;
	}
	ul.collectors {
		list-style: none;
		margin: 6px 0 0;
		padding: 0;
		font-size: 0.8rem;
	}
	ul.collectors li {
		color: var(--mon-crit-fg);
		overflow-wrap: anywhere;
	}
	.targets {
		list-style: none;
		margin: 0;
		padding: 0;
	}
	.targets li {
		display: grid;
		grid-template-columns: minmax(0, 1fr) auto;
		gap: 4px 12px;
		align-items: center;
		padding: 6px 0;
		border-bottom: 1px solid var(--mon-border);
	}
	.targets .what {
		min-width: 0;
	}
	.targets .kind {
		font-size: 0.75rem;
		color: var(--mon-muted);
	}
	section + section {
		margin-top: 16px;
	}
	.target .reason {
		font-size: 0.8rem;
		color: var(--mon-crit-fg);
		overflow-wrap: anywhere;
	}
`;
