import { css } from 'lit';

/** The host view's own: tables of the latest snapshot, which must still read on a phone. */
export const hostDetailStyles = css`
	.facts {
		margin: 4px 0 8px;
	}
	.wide {
		margin-top: 12px;
	}
	/* Figures never break inside ("100 GB"); long mount paths and devices wrap anywhere. */
	.fs-table td:not(.name),
	.top-processes td:not(.name) {
		white-space: nowrap;
	}
	.fs-table td.name {
		overflow-wrap: anywhere;
		min-width: 10ch;
	}
`;
