import { LitElement, html, nothing } from 'lit';
import { statusOf, type TargetState } from '../api';
import { fmtTime, isNum, toMs } from '../format';
import { t } from '../i18n';
import { sharedStyles } from './shared.styles';
import { stateStyles } from './mon-state.styles';

/** "5 min", "1 h", "2 d": how often a collector runs, for "expected every …". */
function fmtInterval(ms: number): string {
	const minutes = ms / 60_000;
	if (minutes < 1) return `${Math.round(ms / 1000)} s`;
	if (minutes < 90) return `${Math.round(minutes)} min`;
	if (minutes < 36 * 60) return `${Math.round(minutes / 60)} h`;
	return `${Math.round(minutes / 1440)} d`;
}

/**
 * The top of every detail view: the subject's state and since when, its last collection and
 * last successful one, and why it is down or failing, in the words the collector or the remote
 * system used (shown as text: Lit escapes it). Takes /api/status's answer as `state`.
 */
export class MonState extends LitElement {
	static styles = [sharedStyles, stateStyles];
	static properties = { state: { attribute: false } };

	declare state: TargetState | undefined;

	render() {
		const s = this.state;
		if (!s || typeof s !== 'object') return nothing;
		const status = statusOf(s.status);
		const last = toMs(s.lastTs);
		const lastOk = toMs(s.lastOkTs);
		const reason = typeof s.reason === 'string' && s.reason && status !== 'ok' ? s.reason : '';
		return html`<section class="card state" data-status=${status} aria-label=${t('status')}>
			<mon-status-light
				.state=${status}
				.since=${s.since}
				.label=${s.stale && s.reported !== false ? t('stateStale') : undefined}
			></mon-status-light>
			${reason
				? html`<p class="reason">
						<strong>${t('reasonLabel')}:</strong> <span class="text">${reason}</span>
					</p>`
				: nothing}
			${s.stale && last
				? html`<p class="muted">
						${t('noReportSince', {
							time: fmtTime(last),
							interval: isNum(s.intervalMs) ? fmtInterval(s.intervalMs) : '—',
						})}
					</p>`
				: nothing}
			<p class="muted times">
				<span>${t('lastCollection', { time: last ? fmtTime(last) : t('never') })}</span>
				<span>${t('lastSuccess', { time: lastOk ? fmtTime(lastOk) : t('never') })}</span>
			</p>
		</section>`;
	}
}
