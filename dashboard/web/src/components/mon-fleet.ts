import { LitElement, html, nothing, svg } from 'lit';
import type { FleetSort, Gauge, HostOverview, Overview, Point, Status } from '../api';
import { statusOf } from '../api';
import { fmtNumber, isNum } from '../format';
import { t, type MessageKey } from '../i18n';
import { formatHash, type Route } from '../router';
import { sharedStyles } from './shared.styles';
import { containerCountsLine } from './mon-containers';
import { fleetStyles } from './mon-fleet.styles';

/** Hosts on one page of the fleet view: enough to scan, few enough to draw at once on a phone. */
export const FLEET_PAGE = 50;

/** The orders the server knows (core/query FLEET_SORTS), worst first being the default. */
const SORTS: Array<{ sort: FleetSort; label: MessageKey }> = [
	{ sort: 'status', label: 'sortStatus' },
	{ sort: 'name', label: 'sortName' },
	{ sort: 'cpu', label: 'sortCpu' },
	{ sort: 'memory', label: 'sortMemory' },
	{ sort: 'disk', label: 'sortDisk' },
];
/** The state buttons, worst first like the list. */
const STATES: Status[] = ['critical', 'warning', 'nodata', 'ok'];
/** How long typing may pause before the filter goes into the hash (and to the server). */
const TYPING_MS = 250;

/** CPU of the last hour as a plain SVG line: a chart library per row would not scale to pages. */
function sparkline(points: Point[] | undefined) {
	const values = (points ?? []).map((p) => p[1]).filter(isNum);
	if (values.length < 2) return nothing;
	const step = 100 / (values.length - 1);
	const line = values
		.map(
			(v, i) =>
				`${(i * step).toFixed(1)},${(30 - (Math.min(100, Math.max(0, v)) * 28) / 100 - 1).toFixed(1)}`,
		)
		.join(' ');
	return html`<svg class="spark" viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true">
		${svg`<polyline points=${line} fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke"></polyline>`}
	</svg>`;
}

/**
 * The overview for many hosts: counts by state for the whole fleet (each a filter), a name filter,
 * an order (worst first by default) and one page of compact rows, each linking to its host. The
 * server sorts, filters and pages (/api/overview?sort=&filter=&status=&limit=&offset=), so 1,000
 * hosts cost the page what 50 do. Sort, filter and page live in the hash, so a view can be shared.
 */
export class MonFleet extends LitElement {
	static styles = [sharedStyles, fleetStyles];
	static properties = {
		data: { attribute: false },
		route: { attribute: false },
		draft: { state: true },
	};

	declare data: Overview | undefined;
	declare route: Route | undefined;
	/** What is typed in the filter, ahead of the hash while typing goes on. */
	declare draft: string | undefined;
	private typing: ReturnType<typeof setTimeout> | undefined;

	disconnectedCallback(): void {
		super.disconnectedCallback();
		clearTimeout(this.typing);
	}

	/** Asks the app to change the route; any change but paging starts again at page 1. */
	private go(detail: Partial<Pick<Route, 'sort' | 'q' | 'status' | 'page'>>) {
		this.dispatchEvent(
			new CustomEvent('mon-range', {
				detail: { page: undefined, ...detail },
				bubbles: true,
				composed: true,
			}),
		);
	}

	private onInput(e: Event) {
		this.draft = (e.target as HTMLInputElement).value;
		clearTimeout(this.typing);
		this.typing = setTimeout(() => {
			this.typing = undefined;
			this.go({ q: this.draft || undefined });
		}, TYPING_MS);
	}

	/** A route that changed by other means (Back, a link) shows its own filter text again. */
	willUpdate(changed: Map<string, unknown>): void {
		if (changed.has('route') && this.typing === undefined) this.draft = undefined;
	}

	private figure(g: Gauge, label: MessageKey) {
		return html`<span class="fig" data-fig=${label} data-status=${statusOf(g.status)}
			><span class="fig-label">${t(label)}</span>
			<strong>${isNum(g.value) ? `${fmtNumber(g.value, 0)} %` : '–'}</strong></span
		>`;
	}

	private row(h: HostOverview) {
		const failed = (h.collectors ?? []).filter((c) => c && c.ok === false).length;
		return html`<li class="row" data-host=${h.host} data-status=${statusOf(h.status)}>
			<mon-status-light .state=${statusOf(h.status)}></mon-status-light>
			<a class="host name" href=${formatHash({ view: 'host', args: [h.host] })}>${h.host}</a>
			<span class="figs">
				${this.figure(h.gauges.cpu, 'cpu')} ${this.figure(h.gauges.memory, 'memory')}
				${this.figure(h.gauges.disk, 'disk')}
			</span>
			${sparkline(h.sparkline)}
			<span class="notes">
				${containerCountsLine(h.containers)}
				${failed
					? html`<span class="failed">${t('failedCollectors', { count: failed })}</span>`
					: nothing}
				${h.stale ? html`<span class="stale-badge">${t('stale')}</span>` : nothing}
			</span>
		</li>`;
	}

	render() {
		const fleet: Partial<Overview['fleet']> = this.data?.fleet ?? {};
		const hosts = (Array.isArray(this.data?.hosts) ? this.data!.hosts! : [])
			.filter((h) => h && h.host != null)
			.map((h) => ({ ...h, host: String(h.host) }));
		const route = this.route;
		const status = route?.status;
		const sort = route?.sort ?? 'status';
		const page = route?.page ?? 1;
		const matched = fleet.matched ?? hosts.length;
		const from = fleet.offset ?? (page - 1) * FLEET_PAGE;
		const pages = Math.max(1, Math.ceil(matched / FLEET_PAGE));
		const count = (s: Status) => fleet.counts?.[s] ?? 0;
		return html`<div class="counts" role="group" aria-label=${t('fleetStates')}>
				<button
					class="touch count"
					data-status="all"
					aria-pressed=${status ? 'false' : 'true'}
					@click=${() => this.go({ status: undefined })}
				>
					${t('fleetAll', { count: fleet.hosts ?? hosts.length })}
				</button>
				${STATES.map(
					(s) =>
						html`<button
							class="touch count"
							data-status=${s}
							aria-pressed=${status === s ? 'true' : 'false'}
							@click=${() => this.go({ status: status === s ? undefined : s })}
						>
							<span class="dot"></span>${t(s)} <strong>${count(s)}</strong>
						</button>`,
				)}
			</div>
			<div class="controls">
				<input
					class="filter"
					type="search"
					placeholder=${t('fleetFilter')}
					aria-label=${t('fleetFilter')}
					.value=${this.draft ?? route?.q ?? ''}
					@input=${this.onInput}
				/>
				<label class="sort"
					>${t('fleetSort')}
					<select @change=${(e: Event) => this.go({ sort: (e.target as HTMLSelectElement).value })}>
						${SORTS.map(
							(o) =>
								html`<option value=${o.sort} ?selected=${o.sort === sort}>${t(o.label)}</option>`,
						)}
					</select>
				</label>
			</div>
			<p class="muted summary" aria-live="polite">
				${matched
					? t('fleetShowing', {
							from: from + 1,
							to: Math.min(matched, from + hosts.length),
							matched,
						})
					: t('fleetNone')}
			</p>
			${hosts.length
				? html`<ul class="rows">
						${hosts.map((h) => this.row(h))}
					</ul>`
				: nothing}
			${pages > 1
				? html`<nav class="pager">
						<button
							class="touch"
							data-page="previous"
							?disabled=${page <= 1}
							@click=${() => this.go({ page: page - 1 })}
						>
							${t('previous')}
						</button>
						<span class="muted">${t('pageOf', { page, pages })}</span>
						<button
							class="touch"
							data-page="next"
							?disabled=${page >= pages}
							@click=${() => this.go({ page: page + 1 })}
						>
							${t('next')}
						</button>
					</nav>`
				: nothing}`;
	}
}
