import { css } from 'lit';

export const silencesStyles = css`
	ul.silences {
		list-style: none;
		margin: 0;
		padding: 0;
	}
	ul.silences li {
		display: grid;
		grid-template-columns: 1fr auto;
		gap: 4px 12px;
		align-items: center;
		padding: 8px 0;
		border-bottom: 1px solid var(--border, #8884);
	}
	ul.silences li:last-child {
		border-bottom: none;
	}
	.matchers {
		font-family: ui-monospace, monospace;
		overflow-wrap: anywhere;
	}
	form.silence {
		display: grid;
		grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
		gap: 8px 12px;
		align-items: end;
	}
	form.silence label {
		display: grid;
		gap: 2px;
		font-size: 0.85rem;
	}
	form.silence input {
		font: inherit;
		min-height: 36px;
		padding: 4px 8px;
		border: 1px solid var(--border, #8884);
		border-radius: 4px;
		background: transparent;
		color: inherit;
	}
`;
