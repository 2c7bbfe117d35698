import { css } from 'lit';

export const statusLightStyles = css`
	:host {
		display: inline-flex;
		align-items: center;
		gap: 6px;
		min-width: 0;
	}
	.dot {
		flex: none;
		width: 14px;
		height: 14px;
		border-radius: 50%;
		background: var(--mon-nodata);
		box-shadow: 0 0 0 2px var(--mon-card);
	}
	:host([state='ok']) .dot {
		background: var(--mon-ok);
	}
	:host([state='warning']) .dot {
		background: var(--mon-warn);
	}
	:host([state='critical']) .dot {
		background: var(--mon-crit);
	}
	.text {
		font-size: 0.85rem;
		color: var(--mon-muted);
	}
`;
