import { LitElement, html, nothing } from 'lit';
import {
	apiRequest,
	statusOf,
	type FleetSort,
	type Gauge,
	type HostOverview,
	type Status,
	type TargetStatus,
} from '../api';
import { gaugeOptions, sparklineOptions } from '../charts';
import { fmtNumber, fmtTime, isNum, toMs } from '../format';
import { t, type MessageKey } from '../i18n';
import type { AnswersOf } from '../requests';
import { formatHash, type Route } from '../router';
import { FLEET_PAGE } from './mon-fleet';
import { containerCountsLine } from './mon-containers';
import { defineView, type ViewDef } from '../view-def';
import { sharedStyles } from './shared.styles';
import { overviewStyles } from './mon-overview.styles';

/**
 * One page of the fleet (worst first unless the route says otherwise, with whole-fleet counts)
 * and the alerts of the last day, of which the open ones are shown first.
 */
export function overviewNeeds(route: Route) {
	return {
		key: formatHash(route),
		requests: () => ({
			overview: apiRequest('overview', {
				// Route text from the hash: the server checks it and says what it accepts.
				sort: (route.sort ?? 'status') as FleetSort,
				limit: FLEET_PAGE,
				offset: ((route.page ?? 1) - 1) * FLEET_PAGE,
				filter: route.q,
				status: route.status ? [route.status as Status] : undefined,
			}),
			alerts: apiRequest('alerts', { from: Date.now() - 86_400_000, to: Date.now() }),
			unusual: apiRequest('unusual', { limit: 20 }),
		}),
		// Typing in the fleet filter or turning a page keeps the old page until the new one is in.
		keep: true,
	};
}

/** Where a target's detail view lives, when it has one. */
function targetHref(target: TargetStatus): string | undefined {
	const host = target.host ?? '';
	switch (target.kind) {
		case 'database':
			return formatHash({ view: 'database', args: [host, target.name] });
		case 'endpoint':
			return formatHash({ view: 'endpoint', args: [host, target.name] });
		case 'model_server':
			return formatHash({ view: 'model', args: [host, target.name] });
		case 'workflow':
			return formatHash({ view: 'workflow', args: [host, target.name] });
		default:
			return undefined;
	}
}

/** "Stopped reporting" for what went silent, rather than a bare "No data". */
function stoppedLabel(status: unknown, stale: boolean): string | undefined {
	return stale && statusOf(status) === 'nodata' ? t('stateStale') : undefined;
}

/** Up to this many hosts the overview shows a card per host; more get the compact fleet view. */
export const CARDS_UP_TO = 12;

/**
 * Every host and target at a glance: a status light with since when, gauges for CPU, memory, disk
 * and GPU, a CPU sparkline, and failed collectors. Takes the answers to its needs as `data`.
 */
export class MonOverview extends LitElement {
	static styles = [sharedStyles, overviewStyles];
	static properties = {
		data: { attribute: false },
		route: { attribute: false },
		theme: { attribute: false },
	};

	declare data: AnswersOf<typeof overviewNeeds> | undefined;
	/** The overview's route: the fleet view's sort, filter and page. */
	declare route: Route | undefined;
	/** Changes with prefers-color-scheme so the charts redraw in the new theme. */
	declare theme: string | undefined;

	private gauge(g: Gauge, label: MessageKey, missing?: MessageKey) {
		if (!isNum(g.value) && missing)
			return html`<div class="gauge-empty">
				<strong>${t(label)}</strong><span>${t(missing)}</span>
			</div>`;
		return html`<mon-chart
			class="gauge"
			data-gauge=${label}
			.options=${gaugeOptions(g.value, t(label), g.status)}
		></mon-chart>`;
	}

	private host(h: HostOverview) {
		const failed = (h.collectors ?? []).filter((c) => c && c.ok === false);
		const gpu = h.gauges.gpuUtilization;
		const gpuTemp = h.gauges.gpuTemperature.value;
		const hasGpu = isNum(gpu.value);
		// A host that only runs checks (database, endpoint, n8n) has no host figures: no empty gauges.
		const hasHostFigures =
			hasGpu ||
			(h.collectors ?? []).some((c) => c?.collector === 'host') ||
			(['cpu', 'memory', 'disk'] as const).some((k) => isNum(h.gauges[k].value));
		return html`<article class="card host" data-host=${h.host}>
			<header>
				<h2 class="name">
					<a href=${formatHash({ view: 'host', args: [h.host] })}>${h.host}</a>
				</h2>
				<mon-status-light
					.state=${statusOf(h.status)}
					.since=${h.since}
					.label=${stoppedLabel(h.status, h.stale)}
				></mon-status-light>
				${h.stale ? html`<span class="stale-badge">${t('stale')}</span>` : nothing}
			</header>
			${hasHostFigures
				? html`<div class="gauges">
						${this.gauge(h.gauges.cpu, 'cpu')} ${this.gauge(h.gauges.memory, 'memory')}
						${this.gauge(h.gauges.disk, 'disk')} ${this.gauge(gpu, 'gpu', 'noGpu')}
					</div>`
				: html`<p class="muted">${t('noHostFigures')}</p>`}
			${h.sparkline?.length
				? html`<mon-chart class="sparkline" .options=${sparklineOptions(h.sparkline)}></mon-chart>`
				: nothing}
			${h.containers
				? html`<p class="containers">${containerCountsLine(h.containers)}</p>`
				: nothing}
			<div class="links">
				${hasHostFigures
					? html`<a class="touch" href=${formatHash({ view: 'host', args: [h.host] })}
							>${t('openDetails')}</a
						>`
					: nothing}
				${hasGpu
					? html`<a class="touch" href=${formatHash({ view: 'gpu', args: [h.host] })}
							>${t('gpu')}${isNum(gpuTemp) ? ` · ${fmtNumber(gpuTemp, 0)} °C` : ''}</a
						>`
					: nothing}
			</div>
			${failed.length
				? html`<ul class="collectors">
						${failed.map(
							(c) =>
								html`<li>
									${c.collector}: ${t('collectorFailed', { error: c.error ?? '' })}
									${toMs(c.lastTs)
										? html`<span class="muted">(${fmtTime(toMs(c.lastTs))})</span>`
										: nothing}
								</li>`,
						)}
					</ul>`
				: nothing}
		</article>`;
	}

	private target(tg: TargetStatus) {
		const href = targetHref(tg);
		const kindKey = `kind_${tg.kind}` as MessageKey;
		const name = html`<span class="name">${tg.title ?? tg.name}</span>`;
		return html`<li class="target" data-kind=${tg.kind}>
			<div class="what">
				<div class="kind">
					${t(kindKey)}${tg.host ? html` · <span class="name">${tg.host}</span>` : nothing}
				</div>
				${href ? html`<a class="touch" href=${href}>${name}</a>` : name}
				${tg.reason && statusOf(tg.status) !== 'ok'
					? html`<div class="reason name">${tg.reason}</div>`
					: nothing}
				${tg.stale ? html`<span class="stale-badge">${t('stale')}</span>` : nothing}
			</div>
			<mon-status-light
				.state=${statusOf(tg.status)}
				.since=${tg.since}
				.label=${stoppedLabel(tg.status, tg.stale === true)}
			></mon-status-light>
		</li>`;
	}

	/** Cards for a handful of hosts; the fleet view for many, or once a filter is in use. */
	private hosts(hosts: HostOverview[]) {
		const overview = this.data?.overview;
		const total = overview?.fleet?.hosts ?? hosts.length;
		if (total > CARDS_UP_TO || this.route?.q || this.route?.status)
			return html`<mon-fleet .data=${overview} .route=${this.route}></mon-fleet>`;
		if (!hosts.length) return html`<p class="muted">${t('noHosts')}</p>`;
		return html`<div class="grid">
			${hosts.map((h) => this.host({ ...h, host: String(h.host) }))}
		</div>`;
	}

	render() {
		const overview = this.data?.overview;
		const hosts = Array.isArray(overview?.hosts)
			? overview.hosts.filter((h) => h && h.host != null)
			: [];
		const targets = Array.isArray(overview?.targets)
			? overview.targets.filter((x) => x && x.name != null)
			: [];
		return html`<mon-alerts mode="active" .data=${this.data?.alerts}></mon-alerts>
			<mon-unusual .data=${this.data?.unusual}></mon-unusual>
			<section>
				<h1>${t('hosts')}</h1>
				${this.hosts(hosts)}
			</section>
			<section>
				<h1>${t('targets')}</h1>
				${targets.length
					? html`<div class="card">
							<ul class="targets">
								${targets.map((x) => this.target({ ...x, name: String(x.name) }))}
							</ul>
						</div>`
					: html`<p class="muted">${t('noTargets')}</p>`}
			</section>`;
	}
}

export const overviewView: ViewDef = defineView({
	tag: 'mon-overview',
	element: MonOverview,
	needs: overviewNeeds,
	render: (p) =>
		html`<mon-overview .route=${p.route} .data=${p.data} .theme=${p.theme}></mon-overview>`,
});
