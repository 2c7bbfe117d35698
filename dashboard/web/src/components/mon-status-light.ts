import { LitElement, html } from 'lit';
import { statusOf, type Status } from '../api';
import { fmtTime, toMs } from '../format';
import { t } from '../i18n';
import { statusLightStyles } from './mon-status-light.styles';

/**
 * A coloured light with its state in words (colour alone is not enough for everyone) and since
 * when it has been in that state. `state` is reflected so tests and styles can read it.
 */
export class MonStatusLight extends LitElement {
	static styles = statusLightStyles;
	static properties = {
		state: { reflect: true },
		since: { attribute: false },
	};

	declare state: Status;
	declare since: number | string | null | undefined;

	constructor() {
		super();
		this.state = 'nodata';
	}

	willUpdate(): void {
		this.state = statusOf(this.state);
	}

	render() {
		const since = toMs(this.since);
		return html`<span class="dot" role="img" aria-label=${t(this.state)}></span
			><span class="text"
				>${t(this.state)}${since ? html` · ${t('since', { time: fmtTime(since) })}` : ''}</span
			>`;
	}
}
