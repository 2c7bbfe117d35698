import { LitElement, html, nothing } from 'lit';
import { actionEvent } from '../actions';
import { apiRequest, type AlertRow, type AlertsResponse } from '../api';
import { fmtTime } from '../format';
import { alertText } from '../alert-text';
import { t } from '../i18n';
import { formatHash, windowOf, type Route } from '../router';
import { defineView, type ViewDef } from '../view-def';
import { sharedStyles } from './shared.styles';
import { alertsStyles } from './mon-alerts.styles';

/** The alert history view (#/alerts) asks for the alerts and the incidents of its range. */
export function alertsNeeds(route: Route) {
	return {
		key: formatHash(route),
		requests: () => ({
			alerts: apiRequest('alerts', windowOf(route)),
			incidents: apiRequest('incidents', windowOf(route)),
		}),
	};
}

/** The dashboard view of what an alert is about, by its metric and labels. */
export function alertHref(a: AlertRow): string | undefined {
	const host = a.host ?? '';
	const labels = a.labels ?? {};
	const m = a.metric ?? '';
	if (!host) return undefined;
	if (m.startsWith('gpu_')) return formatHash({ view: 'gpu', args: [host] });
	if (m.startsWith('db_') && labels.db)
		return formatHash({ view: 'database', args: [host, labels.db] });
	if (m.startsWith('endpoint_') && labels.endpoint)
		return formatHash({ view: 'endpoint', args: [host, labels.endpoint] });
	if (m.startsWith('model_server') && labels.server)
		return formatHash({ view: 'model', args: [host, labels.server] });
	if ((m.startsWith('n8n_') || m === 'workflow') && labels.workflow && labels.workflow !== '_all')
		return formatHash({ view: 'workflow', args: [host, labels.workflow] });
	if (m.startsWith('n8n_') || m === 'workflow' || a.source === 'workflow') return undefined;
	return formatHash({ view: 'host', args: [host] });
}

/**
 * Alerts: the open ones (on the overview) or the history of a range (#/alerts). Messages and
 * names come from rules, workflows and remote hosts: they are rendered as text, never as HTML.
 */
export class MonAlerts extends LitElement {
	static styles = [sharedStyles, alertsStyles];
	static properties = {
		data: { attribute: false },
		mode: {},
		route: { attribute: false },
	};

	declare data: AlertsResponse | undefined;
	/** `active` (overview) or `history`. */
	declare mode: string;
	declare route: Route | undefined;
	/** Alerts whose Ack is on its way, and the last error of one. */
	private pending = new Set<number>();
	private failed: string | undefined;

	constructor() {
		super();
		this.mode = 'active';
	}

	private ack(a: AlertRow) {
		this.pending.add(a.id);
		this.failed = undefined;
		this.requestUpdate();
		this.dispatchEvent(
			actionEvent({
				route: 'ack',
				body: { alertId: a.id },
				reply: (_result, error) => {
					this.pending.delete(a.id);
					this.failed = error;
					this.requestUpdate();
				},
			}),
		);
	}

	/** Who acknowledged it, a silence over it, its escalation; or the Ack button while it fires. */
	private lifecycle(a: AlertRow) {
		const parts = [];
		if (a.ackedBy && a.ackedAt)
			parts.push(
				html`<span class="acked"
					>${t('ackedBy', { who: a.ackedBy, time: fmtTime(a.ackedAt) })}</span
				>`,
			);
		if (a.status === 'firing' && a.silencedBy?.length)
			parts.push(html`<span class="badge silenced">${t('silenced')}</span>`);
		if (a.status === 'firing' && a.escalationLevel > 0)
			parts.push(
				html`<span class="badge escalated">${t('escalated', { level: a.escalationLevel })}</span>`,
			);
		if (a.status === 'firing' && !a.ackedBy)
			parts.push(
				html`<button
					class="touch ack"
					?disabled=${this.pending.has(a.id)}
					@click=${() => this.ack(a)}
				>
					${t('ack')}
				</button>`,
			);
		return parts.length ? html`<div class="lifecycle">${parts}</div>` : nothing;
	}

	private item(a: AlertRow) {
		const status = a.status === 'resolved' ? 'resolved' : 'firing';
		const href = alertHref(a);
		const severity = a.severity ?? 'warning';
		const what = html`<span class="name">${a.rule ?? ''}</span>${a.host
				? html` · <span class="name">${a.host}</span>`
				: nothing}`;
		return html`<li class="alert" data-status=${status} data-severity=${severity} data-id=${a.id}>
			<span class="sev" data-severity=${severity}
				>${status === 'resolved' ? t('alertResolved') : t(`severity_${severity}` as never)}</span
			>
			<div>
				<div>${href ? html`<a class="touch" href=${href}>${what}</a>` : what}</div>
				<div class="message muted">${alertText(a.message)}</div>
				${a.inhibitedBy && status === 'firing'
					? html`<div class="held muted">${t('alertHeldBackBy', { source: a.inhibitedBy })}</div>`
					: nothing}
				${this.lifecycle(a)}
			</div>
			<div class="when muted">
				${t('since', { time: fmtTime(a.startedAt) })}${a.resolvedAt
					? html`<br />${t('alertResolvedAt', { time: fmtTime(a.resolvedAt) })}`
					: nothing}
			</div>
		</li>`;
	}

	render() {
		const history = this.mode === 'history';
		const list = (history ? this.data?.history : this.data?.active) ?? [];
		const items = Array.isArray(list) ? list.filter((a) => a && typeof a === 'object') : [];
		return html`<section class="alerts-section">
			<h1>${history ? t('alertHistory') : t('activeAlerts')}</h1>
			${history
				? html`<mon-range-picker
						.range=${this.route?.range ?? '7d'}
						.from=${this.route?.from}
						.to=${this.route?.to}
					></mon-range-picker>`
				: nothing}
			<div class="card">
				${this.failed
					? html`<p class="banner error" role="alert">
							${t('actionFailed', { message: this.failed })}
						</p>`
					: nothing}
				${items.length
					? html`<ul class="alerts">
							${items.map((a) => this.item(a))}
						</ul>`
					: html`<p class="muted">${history ? t('noAlertHistory') : t('noActiveAlerts')}</p>`}
				${history
					? nothing
					: html`<a class="touch" href=${formatHash({ view: 'alerts', range: '7d' })}
								>${t('alertHistoryLink')}</a
							>
							<a class="touch" href=${formatHash({ view: 'silences' })}>${t('silences')}</a>`}
			</div>
		</section>`;
	}
}

export const alertsView: ViewDef = defineView({
	tag: 'mon-alerts',
	element: MonAlerts,
	needs: alertsNeeds,
	render: (p) =>
		html`<mon-alerts mode="history" .route=${p.route} .data=${p.data?.alerts}></mon-alerts>
			<mon-incidents .data=${p.data?.incidents}></mon-incidents>`,
});
