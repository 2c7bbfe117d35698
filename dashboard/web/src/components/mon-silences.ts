import { LitElement, html, nothing } from 'lit';
import { actionEvent } from '../actions';
import { apiRequest, type SilenceBody, type SilenceRow, type SilencesResponse } from '../api';
import { fmtTime } from '../format';
import { t } from '../i18n';
import { formatHash, type Route } from '../router';
import { defineView, type ViewDef } from '../view-def';
import { sharedStyles } from './shared.styles';
import { silencesStyles } from './mon-silences.styles';

/** The silences view (#/silences) asks for the silences not ended yet. */
export function silencesNeeds(route: Route) {
	return {
		key: formatHash(route),
		requests: () => ({ silences: apiRequest('silences', {}) }),
	};
}

/** A silence's matchers as one line: host=web-* rule=CPU* mount=/var. */
function matchers(s: SilenceRow): string {
	const parts: string[] = [];
	if (s.host !== null) parts.push(`host=${s.host}`);
	if (s.rule !== null) parts.push(`rule=${s.rule}`);
	for (const [k, v] of Object.entries(s.labels ?? {})) parts.push(`${k}=${v}`);
	return parts.join(' ');
}

/**
 * Silences: those in force or to come, each with an Expire button, and a form for a new one.
 * Matchers, reasons and authors are typed by people: rendered as text, never as HTML.
 */
export class MonSilences extends LitElement {
	static styles = [sharedStyles, silencesStyles];
	static properties = {
		data: { attribute: false },
		message: { state: true },
		busy: { state: true },
	};

	declare data: SilencesResponse | undefined;
	/** The server's answer to the last change that failed (what is wrong, what to do). */
	declare message: string | undefined;
	declare busy: boolean;

	constructor() {
		super();
		this.busy = false;
	}

	private post(request: Parameters<typeof actionEvent>[0], done?: () => void) {
		this.busy = true;
		this.message = undefined;
		this.dispatchEvent(
			actionEvent({
				...request,
				reply: (_result, error) => {
					this.busy = false;
					this.message = error;
					if (!error) done?.();
				},
			}),
		);
	}

	private submit(e: Event) {
		e.preventDefault();
		const form = e.target as HTMLFormElement;
		const field = (name: string) =>
			(form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
		const body: SilenceBody = {
			host: field('host') || undefined,
			rule: field('rule') || undefined,
			labels: field('labels') || undefined,
			reason: field('reason'),
			durationMinutes: Number(field('minutes')),
		};
		this.post({ route: 'silences', body }, () => form.reset());
	}

	private row(s: SilenceRow) {
		return html`<li data-id=${s.id}>
			<div>
				<div class="matchers">${matchers(s)}</div>
				<div class="muted">${s.reason}</div>
				<div class="muted">
					${s.active
						? t('silenceUntil', { author: s.author, time: fmtTime(s.endsAt) })
						: t('silenceFrom', { author: s.author, time: fmtTime(s.startsAt) })}
				</div>
			</div>
			<button
				class="touch expire"
				?disabled=${this.busy}
				@click=${() => this.post({ route: 'expire-silence', body: { id: s.id } })}
			>
				${t('silenceExpire')}
			</button>
		</li>`;
	}

	render() {
		const list = Array.isArray(this.data?.silences) ? this.data!.silences : [];
		return html`<section>
			<h1>${t('silences')}</h1>
			<div class="card">
				${list.length
					? html`<ul class="silences">
							${list.map((s) => this.row(s))}
						</ul>`
					: html`<p class="muted">${t('noSilences')}</p>`}
			</div>
			<h2>${t('silenceNew')}</h2>
			<div class="card">
				${this.message
					? html`<p class="banner error" role="alert">
							${t('actionFailed', { message: this.message })}
						</p>`
					: nothing}
				<form class="silence" @submit=${(e: Event) => this.submit(e)}>
					<label>${t('silenceHost')}<input name="host" placeholder="web-*" /></label>
					<label>${t('silenceRule')}<input name="rule" placeholder="CPU busy" /></label>
					<label>${t('silenceLabels')}<input name="labels" placeholder="mount=/var" /></label>
					<label>${t('silenceReason')}<input name="reason" required /></label>
					<label
						>${t('silenceMinutes')}<input name="minutes" type="number" min="1" value="60" required
					/></label>
					<button class="touch" type="submit" ?disabled=${this.busy}>${t('silenceCreate')}</button>
				</form>
			</div>
		</section>`;
	}
}

export const silencesView: ViewDef = defineView({
	tag: 'mon-silences',
	element: MonSilences,
	needs: silencesNeeds,
	render: (p) => html`<mon-silences .data=${p.data?.silences}></mon-silences>`,
});
