import { css } from 'lit';

/** Shared by the host, GPU, database, endpoint and workflow views. */
export const detailStyles = css`
	.back {
		margin-bottom: 4px;
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
`;
