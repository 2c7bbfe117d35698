import { LitElement, html, nothing } from 'lit';
import { postAction, type ActionRequest } from '../actions';
import { PollController } from '../controllers/poll-controller';
import { fmtTime } from '../format';
import { t } from '../i18n';
import { formatHash, parseHash, type Route } from '../router';
import { VIEWS, viewOf } from '../views';
import { sharedStyles } from './shared.styles';
import { appStyles } from './mon-app.styles';

/**
 * The page: reads the route from the hash, owns the one PollController (whose requests follow the
 * route), shows "updated at" and the stale state, and hands the data to the view of the route.
 */
export class MonApp extends LitElement {
	static styles = [sharedStyles, appStyles];
	static properties = {
		base: {},
		refresh: { type: Number },
		route: { state: true },
		theme: { state: true },
	};

	declare base: string;
	declare refresh: number;
	declare route: Route;
	declare theme: string;

	private readonly poll = new PollController(
		this,
		() => viewOf(this.route.view)?.def.needs(this.route) ?? null,
	);
	private readonly onHash = () => (this.route = parseHash(location.hash, VIEWS));
	private readonly media =
		typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
	private readonly onTheme = () => (this.theme = this.media?.matches ? 'dark' : 'light');

	constructor() {
		super();
		this.base = '';
		this.refresh = 60;
		this.route = parseHash(location.hash, VIEWS);
		this.theme = this.media?.matches ? 'dark' : 'light';
	}

	connectedCallback(): void {
		super.connectedCallback();
		window.addEventListener('hashchange', this.onHash);
		this.media?.addEventListener('change', this.onTheme);
		this.addEventListener('mon-range', this.onRange as EventListener);
		this.addEventListener('mon-action', this.onAction as EventListener);
	}

	disconnectedCallback(): void {
		super.disconnectedCallback();
		window.removeEventListener('hashchange', this.onHash);
		this.media?.removeEventListener('change', this.onTheme);
		this.removeEventListener('mon-range', this.onRange as EventListener);
		this.removeEventListener('mon-action', this.onAction as EventListener);
	}

	/** A view's change (Ack, a silence): posted here, where the base is known, then refetched. */
	private onAction = (e: CustomEvent<ActionRequest>) => {
		const { route, body, reply } = e.detail;
		postAction(this.base, route, body as never).then(
			(result) => {
				reply?.(result as never);
				void this.poll.fetchNow();
			},
			(error: unknown) =>
				reply?.(undefined, error instanceof Error ? error.message : String(error)),
		);
	};

	private onRange = (
		e: CustomEvent<
			Partial<Pick<Route, 'range' | 'from' | 'to' | 'status' | 'sort' | 'q' | 'page'>>
		>,
	) => {
		location.hash = formatHash({ ...this.route, ...e.detail });
	};

	private view() {
		const view = viewOf(this.route.view)?.def;
		if (!view) return html`<p>${t('notFound')}</p>`;
		return view.render({
			route: this.route,
			data: this.poll.data,
			updatedAt: this.poll.updatedAt,
			theme: this.theme,
			base: this.base,
		});
	}

	render() {
		const { updatedAt, error, stale } = this.poll;
		return html`<header class="top">
				<a class="brand" href=${formatHash({ view: 'overview' })}>${t('title')}</a>
				<div class="updated muted" aria-live="polite">
					<span class="updated-at"
						>${t('updatedAt', { time: updatedAt ? fmtTime(updatedAt) : t('never') })}</span
					>
				</div>
			</header>
			<main>
				${stale
					? html`<div class="banner stale" role="status">
							${t('stale')}${updatedAt
								? html` — ${t('staleHint', { time: fmtTime(updatedAt) })}`
								: nothing}
						</div>`
					: nothing}
				${error
					? html`<div class="banner error" role="alert">${t('error', { message: error })}</div>`
					: nothing}
				${this.poll.data || this.route.view !== 'overview'
					? this.view()
					: html`<p class="muted">${t('loading')}</p>`}
			</main>`;
	}
}
