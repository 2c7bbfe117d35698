import { css } from 'lit';

export const rangePickerStyles = css`
	:host {
		display: block;
		margin: 8px 0 12px;
	}
	.row {
		display: flex;
		flex-wrap: wrap;
		gap: 6px;
		align-items: center;
	}
	form {
		display: flex;
		flex-wrap: wrap;
		gap: 6px;
		align-items: center;
		margin-top: 6px;
	}
	input {
		min-height: 44px;
		font: inherit;
		max-width: 100%;
		background: var(--mon-card);
		color: var(--mon-fg);
		border: 1px solid var(--mon-border);
		border-radius: 8px;
		padding: 0 8px;
	}
	label {
		display: inline-flex;
		gap: 6px;
		align-items: center;
		flex-wrap: wrap;
	}
`;
