import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import type { ApiRequest, DetailKind, SeriesResponse, TargetState } from '../api';
import type { Unit } from '../axis';
import { lineOptions, withExpected, type LineOpts, type LineSeries } from '../charts';
import { ExpectedController, type ExpectedAsk } from '../controllers/expected-controller';
import { fmtResolution, isNum } from '../format';
import { t, type MessageKey } from '../i18n';
import type { Answers, Needs, NeedsFn, SeriesNames } from '../requests';
import { defineView, type ViewDef } from '../view-def';
import { formatHash, windowOf, type Route } from '../router';
import { sharedStyles } from './shared.styles';
import { detailStyles } from './detail.styles';

/** Whether a chart would draw anything: panels for absent data are left out, not shown empty. */
export const drawn = (lines: LineSeries[]) => lines.some((l) => l.data.some(([, y]) => isNum(y)));

/** Every detail view asks /api/status for the state at its top. */
export type DetailNeeds = Needs & { status: ApiRequest<'status'> };

/**
 * What every detail view shares: it takes the route and the answers to its needs (by request
 * name) as properties, shows the back link, the title and the range buttons, and leaves the
 * charts to the subclass.
 */
export abstract class DetailView<N extends DetailNeeds> extends LitElement {
	static styles = [sharedStyles, detailStyles];
	static properties = {
		route: { attribute: false },
		data: { attribute: false },
		updatedAt: { attribute: false },
		// Changes with prefers-color-scheme so the charts redraw in the new theme.
		theme: { attribute: false },
		base: { attribute: false },
		showUsual: { state: true },
	};

	declare route: Route;
	declare data: Answers<N> | undefined;
	declare updatedAt: number | undefined;
	declare theme: string | undefined;
	declare base: string | undefined;
	/** The "usual range" switch: on unless turned off (remembered in this browser). */
	declare showUsual: boolean;

	constructor() {
		super();
		this.showUsual = readUsualSwitch();
	}

	/** The usual ranges (/api/expected) of the charts that draw one, fetched apart from the polls. */
	protected readonly usual = new ExpectedController(this, () =>
		this.showUsual && this.data && this.state?.reported !== false
			? { base: this.base ?? '', window: this.window, asks: this.expectedAsks() }
			: null,
	);

	/** The series whose usual range this view draws, by name (none by default). */
	protected expectedAsks(): Record<string, ExpectedAsk> {
		return {};
	}

	/** Lines paired with the usual range asked under `name`, when the switch is on. */
	protected withUsual(name: string, lines: LineSeries[]): LineSeries[] {
		if (!this.showUsual) return lines;
		const error = this.usual.errors[name];
		if (error) return lines.map((l) => ({ ...l, expected: { band: [], reason: error } }));
		return withExpected(lines, this.usual.answers[name]);
	}

	private toggleUsual(on: boolean) {
		this.showUsual = on;
		try {
			localStorage.setItem(USUAL_KEY, on ? 'on' : 'off');
		} catch {
			// A browser that keeps nothing (private mode) still switches for this page.
		}
	}

	/** The switch, for views that draw usual ranges. */
	private usualSwitch() {
		if (Object.keys(this.expectedAsks()).length === 0) return nothing;
		// A pressed button, like the range and status filters: a touch-sized target on a phone.
		return html`<button
			class="touch usual-switch"
			aria-pressed=${this.showUsual ? 'true' : 'false'}
			@click=${() => this.toggleUsual(!this.showUsual)}
		>
			${t('usualRange')}
		</button>`;
	}

	/** What /api/status calls this view's subject (core/query/target-state.ts). */
	protected abstract readonly kind: DetailKind;
	protected abstract heading(): string;
	protected abstract body(): TemplateResult;

	/** The subject's state (/api/status); undefined until fetched or when the server has none. */
	protected get state(): TargetState | undefined {
		return (this.data as Answers<DetailNeeds> | undefined)?.status;
	}

	/**
	 * One message instead of a wall of empty charts when nothing was ever stored for the subject:
	 * why, and which starter workflow, node or credential sets it up. A collector that ran and
	 * failed (no GPU tool, say) gives its own error here too.
	 */
	private neverReported(state: TargetState) {
		const kind = this.kind;
		const vars = { host: this.route.args[0] ?? '', name: this.route.args[1] ?? '' };
		const error = state.reason && state.status !== 'ok' ? state.reason : '';
		return html`<section class="card setup" data-never=${kind}>
			<h2>${t(`setupTitle_${kind}` as MessageKey, vars)}</h2>
			${error ? html`<p class="reason-line">${t('lastError', { error })}</p>` : nothing}
			<p>${t(`setupHint_${kind}` as MessageKey)}</p>
		</section>`;
	}

	/**
	 * What other collectors stored about the subject when its own collector never reported (a
	 * host that only collects its containers): shown under the setup message, not hidden by it.
	 */
	protected reportedElsewhere(): TemplateResult | typeof nothing {
		return nothing;
	}

	protected series(name: SeriesNames<N>): SeriesResponse | undefined {
		return (this.data as Answers<Needs> | undefined)?.[name] as SeriesResponse | undefined;
	}

	/** The x-axis window: the range as it was when the data was fetched. */
	protected get window() {
		return windowOf(this.route, this.updatedAt ?? Date.now());
	}

	/** A chart card of lines over the view's window; none when it would draw nothing. */
	protected chart(
		title: string,
		lines: LineSeries[],
		unit: Unit,
		opts: Omit<LineOpts, 'unit' | 'window'> = {},
	) {
		if (!drawn(lines)) return nothing;
		return chartCard(
			title,
			html`<mon-chart
					.options=${lineOptions(lines, { unit, window: this.window, ...opts })}
				></mon-chart>
				${usualNote(lines)}`,
		);
	}

	protected resolution() {
		const r = Object.values(this.data ?? {}).find(
			(v): v is SeriesResponse =>
				!!v && typeof v === 'object' && typeof (v as SeriesResponse).resolution === 'string',
		);
		return r
			? html`<span class="muted"
					>${t('resolution', { resolution: fmtResolution(r.resolution) })}</span
				>`
			: nothing;
	}

	render() {
		const state = this.state;
		const head = html`<div class="back">
				<a class="touch" href=${formatHash({ view: 'overview' })}>← ${t('back')}</a>
			</div>
			<h1 class="name">${this.heading()}</h1>`;
		if (state?.reported === false)
			return html`${head} ${this.neverReported(state)} ${this.reportedElsewhere()}`;
		return html`${head}
			<mon-state .state=${state}></mon-state>
			<mon-range-picker
				.range=${this.route.range}
				.from=${this.route.from}
				.to=${this.route.to}
			></mon-range-picker>
			<div class="view-tools">${this.resolution()} ${this.usualSwitch()}</div>
			${this.data ? this.body() : html`<p class="muted">${t('loading')}</p>`}`;
	}
}

const USUAL_KEY = 'mon-usual-range';

function readUsualSwitch(): boolean {
	try {
		return localStorage.getItem(USUAL_KEY) !== 'off';
	} catch {
		return true;
	}
}

/**
 * One line under a chart that has usual ranges: what the dashed band and the red hours mean, or
 * why there is no band yet (short history), never an error in place of the chart.
 */
export function usualNote(lines: LineSeries[]) {
	const asked = lines.filter((l) => l.expected);
	if (asked.length === 0) return nothing;
	if (asked.some((l) => l.expected!.band.length))
		return html`<p class="usual-note muted" data-usual="band">${t('usualLegend')}</p>`;
	const reason = asked.find((l) => l.expected!.reason)?.expected!.reason ?? 'no history';
	const text =
		reason === 'not enough history' || reason === 'no history'
			? t('usualNone', { reason: t(reason === 'no history' ? 'usualNoHistory' : 'usualShort') })
			: t('usualNone', { reason });
	return html`<p class="usual-note muted" data-usual="none" title=${text}>${text}</p>`;
}

export function chartCard(title: string, chart: TemplateResult) {
	return html`<div class="card">
		<h3>${title}</h3>
		${chart}
	</div>`;
}

/** A detail view for the app's registry: every detail element takes the same properties. */
export function detailView<N extends DetailNeeds>(
	tag: string,
	element: CustomElementConstructor,
	needs: NeedsFn<N>,
): ViewDef {
	// The tag is one of ours, never data: static so that Lit keeps one template per view.
	const el = unsafeStatic(tag);
	return defineView({
		tag,
		element,
		needs,
		render: (p) =>
			staticHtml`<${el}
				.route=${p.route}
				.data=${p.data}
				.updatedAt=${p.updatedAt}
				.theme=${p.theme}
				.base=${p.base}
			></${el}>`,
	});
}
