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
	.partial {
		font-size: 0.8rem;
		color: var(--mon-muted);
	}
`;
