import { LitElement, html, nothing } from 'lit';
import type { IncidentRow, IncidentsResponse, IncidentTimelineRow } from '../api';
import { fmtTime } from '../format';
import { t } from '../i18n';
import { sharedStyles } from './shared.styles';
import { incidentsStyles } from './mon-incidents.styles';

type Target = IncidentRow['targets'][number];

const STATUSES = ['investigating', 'identified', 'monitoring', 'update', 'resolved'];

/** A target as people name it: a host by itself, anything else with the host that checks it. */
function targetName(target: Target): string {
	return target.kind === 'host' ? target.host : `${target.name} (${target.host})`;
}

/**
 * Incidents of the range with their timelines (on #/alerts): alerts of the targets grouped, and
 * those opened by hand, with the words people posted. Titles, names and messages come from
 * workflows and remote systems: rendered as text, never as HTML.
 */
export class MonIncidents extends LitElement {
	static styles = [sharedStyles, incidentsStyles];
	static properties = { data: { attribute: false } };

	declare data: IncidentsResponse | undefined;

	private entry(e: IncidentTimelineRow) {
		let what: string;
		if (e.kind === 'update')
			what = t(
				(STATUSES.includes(e.status ?? '')
					? `incidentStatus_${e.status}`
					: 'incidentStatus_update') as never,
			);
		else
			what = t(e.kind === 'down' ? 'incidentDown' : 'incidentUp', {
				target: e.target ? targetName(e.target) : t('incidentTheAlert'),
			});
		return html`<li data-kind=${e.kind}>
			<span class="at muted">${fmtTime(e.at)}</span><span class="what">${what}</span>${e.author
				? html` <span class="muted">· ${e.author}</span>`
				: nothing}
			${e.message ? html`<div class="message">${e.message}</div>` : nothing}
		</li>`;
	}

	private item(i: IncidentRow) {
		const open = i.resolvedAt === null;
		const severity = ['info', 'warning', 'critical'].includes(i.severity) ? i.severity : 'warning';
		const targets = i.targets.map(targetName).join(', ');
		const minutes = Math.max(1, Math.round(i.durationMs / 60_000));
		return html`<li
			class="incident"
			data-id=${i.id}
			data-source=${i.source}
			data-status=${open ? 'open' : 'resolved'}
		>
			<div class="head">
				<span class="sev" data-severity=${severity}
					>${open ? t(`severity_${severity}` as never) : t('incidentResolved')}</span
				>
				<span class="title">${i.title ?? (targets || t('incidentUntitled'))}</span>
				<span class="when muted"
					>${t('since', { time: fmtTime(i.startedAt) })} ·
					${t(open ? 'incidentOpenFor' : 'incidentLasted', { minutes })}${i.source === 'manual'
						? html` · ${t('incidentByHand')}`
						: nothing}</span
				>
			</div>
			${i.title && targets ? html`<div class="targets muted">${targets}</div>` : nothing}
			<ol class="timeline">
				${i.timeline.map((e) => this.entry(e))}
			</ol>
		</li>`;
	}

	render() {
		const list = this.data?.incidents;
		const items = Array.isArray(list) ? list.filter((i) => i && typeof i === 'object') : [];
		return html`<section class="incidents-section">
			<h2>${t('incidents')}</h2>
			<div class="card">
				${items.length
					? html`<ul class="incidents">
							${items.map((i) => this.item(i))}
						</ul>`
					: html`<p class="muted">${t('noIncidents')}</p>`}
			</div>
		</section>`;
	}
}
