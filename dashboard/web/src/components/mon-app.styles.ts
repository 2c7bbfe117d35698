import { css } from 'lit';

/**
 * The theme: custom properties on the app's host, inherited through every shadow root, dark when
 * the system asks for it.
 */
export const appStyles = css`
	:host {
		--mon-bg: #f6f7f9;
		--mon-fg: #1d2127;
		--mon-muted: #5d6470;
		--mon-card: #ffffff;
		--mon-border: #dfe3e8;
		--mon-link: #1f5fbf;
		--mon-accent: #2f6fd6;
		--mon-ok: #30a46c;
		--mon-warn: #f5a524;
		--mon-crit: #e5484d;
		--mon-nodata: #8a8f98;
		--mon-warn-bg: #fff4d6;
		--mon-warn-fg: #6b4a00;
		--mon-crit-bg: #ffe5e5;
		--mon-crit-fg: #9b1c1f;
		display: block;
		min-height: 100vh;
		background: var(--mon-bg);
		color: var(--mon-fg);
		font-family:
			system-ui,
			-apple-system,
			'Segoe UI',
			Roboto,
			'Noto Sans KR',
			sans-serif;
		font-size: 15px;
		-webkit-text-size-adjust: 100%;
	}
	@media (prefers-color-scheme: dark) {
		:host {
			--mon-bg: #111317;
			--mon-fg: #e3e6ea;
			--mon-muted: #9aa1ab;
			--mon-card: #1a1d23;
			--mon-border: #2e333b;
			--mon-link: #7fb0ff;
			--mon-accent: #3b7be0;
			--mon-warn-bg: #3d3010;
			--mon-warn-fg: #ffd98a;
			--mon-crit-bg: #3d1618;
			--mon-crit-fg: #ffb3b5;
		}
	}
	header.top {
		position: sticky;
		top: 0;
		z-index: 5;
		display: flex;
		flex-wrap: wrap;
		align-items: center;
		justify-content: space-between;
		gap: 4px 12px;
		padding: 4px 12px;
		background: var(--mon-card);
		border-bottom: 1px solid var(--mon-border);
	}
	header.top a.brand {
		display: inline-flex;
		align-items: center;
		min-height: 44px;
		font-weight: 700;
		color: var(--mon-fg);
		text-decoration: none;
	}
	.updated {
		display: flex;
		align-items: center;
		gap: 8px;
	}
	main {
		padding: 12px;
		max-width: 1400px;
		margin: 0 auto;
	}
`;
