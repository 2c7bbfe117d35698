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
		label: { attribute: false },
	};

	declare state: Status;
	declare since: number | string | null | undefined;
	/** Words for the state when they say more than its name ("Stopped reporting" for no data). */
	declare label: string | undefined;

	constructor() {
		super();
		this.state = 'nodata';
	}

	willUpdate(): void {
		this.state = statusOf(this.state);
	}

	render() {
		const since = toMs(this.since);
		const words = this.label ?? t(this.state);
		return html`<span class="dot" role="img" aria-label=${words}></span
			><span class="text"
				>${words}${since ? html` · ${t('since', { time: fmtTime(since) })}` : ''}</span
			>`;
	}
}
