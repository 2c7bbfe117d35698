import { css } from 'lit';

export const stateStyles = css`
	.state {
		display: flex;
		flex-direction: column;
		gap: 6px;
		margin: 8px 0 12px;
		border-left: 4px solid var(--mon-nodata);
	}
	.state[data-status='ok'] {
		border-left-color: var(--mon-ok);
	}
	.state[data-status='warning'] {
		border-left-color: var(--mon-warn);
	}
	.state[data-status='critical'] {
		border-left-color: var(--mon-crit);
	}
	p {
		margin: 0;
	}
	.reason {
		padding: 6px 8px;
		border-radius: 6px;
		background: var(--mon-crit-bg);
		color: var(--mon-crit-fg);
		font-size: 0.9rem;
	}
	/* Error texts from remote systems can be one long word (a URL): they wrap anywhere. */
	.reason .text {
		overflow-wrap: anywhere;
		white-space: pre-wrap;
	}
	.times {
		display: flex;
		flex-wrap: wrap;
		gap: 4px 16px;
	}
`;
