import { LitElement, html } from 'lit';
import type { RangeKey } from '../router';
import { t, type MessageKey } from '../i18n';
import { sharedStyles } from './shared.styles';
import { rangePickerStyles } from './mon-range-picker.styles';

const KEYS: [RangeKey, MessageKey][] = [
	['1h', 'range1h'],
	['24h', 'range24h'],
	['7d', 'range7d'],
	['30d', 'range30d'],
	['custom', 'rangeCustom'],
];

/** `<input type=datetime-local>` wants local time without a zone. */
function toLocalInput(ms: number): string {
	const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
	return d.toISOString().slice(0, 16);
}

/** Range buttons; sends `mon-range` with {range, from?, to?} and leaves the routing to the app. */
export class MonRangePicker extends LitElement {
	static styles = [sharedStyles, rangePickerStyles];
	static properties = {
		range: {},
		from: { type: Number },
		to: { type: Number },
		editing: { state: true },
	};

	declare range: RangeKey;
	declare from: number | undefined;
	declare to: number | undefined;
	declare editing: boolean;

	constructor() {
		super();
		this.range = '1h';
		this.editing = false;
	}

	private pick(range: RangeKey) {
		if (range === 'custom') {
			this.editing = !this.editing;
			return;
		}
		this.editing = false;
		this.dispatchEvent(
			new CustomEvent('mon-range', { detail: { range }, bubbles: true, composed: true }),
		);
	}

	private apply(e: Event) {
		e.preventDefault();
		const form = e.target as HTMLFormElement;
		const from = new Date((form.elements.namedItem('from') as HTMLInputElement).value).getTime();
		const to = new Date((form.elements.namedItem('to') as HTMLInputElement).value).getTime();
		if (!(from < to)) return;
		this.editing = false;
		this.dispatchEvent(
			new CustomEvent('mon-range', {
				detail: { range: 'custom', from, to },
				bubbles: true,
				composed: true,
			}),
		);
	}

	render() {
		const now = Date.now();
		return html`<div class="row" role="group" aria-label=${t('range')}>
				${KEYS.map(
					([key, label]) =>
						html`<button
							class="touch"
							aria-pressed=${String(this.range === key)}
							@click=${() => this.pick(key)}
						>
							${t(label)}
						</button>`,
				)}
			</div>
			${this.editing
				? html`<form @submit=${this.apply}>
						<label
							>${t('from')}
							<input
								name="from"
								type="datetime-local"
								.value=${toLocalInput(this.from ?? now - 86_400_000)}
						/></label>
						<label
							>${t('to')}
							<input name="to" type="datetime-local" .value=${toLocalInput(this.to ?? now)}
						/></label>
						<button class="touch" type="submit">${t('apply')}</button>
					</form>`
				: ''}`;
	}
}
