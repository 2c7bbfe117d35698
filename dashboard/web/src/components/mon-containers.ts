import { LitElement, html, nothing } from 'lit';
import type { ContainerCounts, ContainerInfo, ContainersState, Status } from '../api';
import { fmtBytes, fmtNumber, fmtPercent, fmtTime, isNum } from '../format';
import { t, type MessageKey } from '../i18n';
import { formatHash, type RangeKey } from '../router';
import { sharedStyles } from './shared.styles';
import { containersStyles } from './mon-containers.styles';

/** The columns the table sorts by (highest first); by name otherwise. */
type SortKey = 'name' | 'cpu' | 'memory';

const HEALTH_LIGHT: Record<string, Status> = {
	healthy: 'ok',
	unhealthy: 'critical',
	starting: 'warning',
};

const healthWords = (health: string): string =>
	['healthy', 'unhealthy', 'starting', 'none'].includes(health)
		? t(`health_${health}` as MessageKey)
		: health;

/** "3 d 4 h", "5 h 2 min", "40 s": how long a container has run. */
export function fmtUptime(seconds: number | undefined): string {
	if (!isNum(seconds)) return '—';
	const d = Math.floor(seconds / 86_400);
	const h = Math.floor((seconds % 86_400) / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	if (d) return `${d} d ${h} h`;
	if (h) return `${h} h ${m} min`;
	if (m) return `${m} min`;
	return `${Math.round(seconds)} s`;
}

const rate = (v: number | undefined) => (isNum(v) ? `${fmtBytes(v)}/s` : '—');

/** "120 MB / 512 MB (23 %)", or "120 MB (no limit)" when the limit is the host's memory. */
export function fmtContainerMemory(c: ContainerInfo): string {
	if (!isNum(c.memoryUsedBytes)) return '—';
	if (!c.memoryLimited) return `${fmtBytes(c.memoryUsedBytes)} (${t('ctrNoLimit')})`;
	return `${fmtBytes(c.memoryUsedBytes)} / ${fmtBytes(c.memoryLimitBytes)} (${fmtPercent(c.memoryPercent)})`;
}

/** The state word the light shows: "exited (1)" says more than "exited". */
const stateWords = (c: ContainerInfo) =>
	c.state === 'exited' || c.state === 'dead'
		? `${c.state} (${c.exitCode}${c.oomKilled ? ', OOM' : ''})`
		: c.state;

/**
 * The containers section of the host view, from /api/status's `containers` (the containers
 * collector's latest snapshot): the engine's own message when it found no engine, the failed
 * collection's error, else a table of every container with state and health lights, sortable
 * by CPU and memory. Names, images and status words are the engine's: text bindings only.
 */
export class MonContainers extends LitElement {
	static styles = [sharedStyles, containersStyles];
	static properties = {
		state: { attribute: false },
		host: { attribute: false },
		range: { attribute: false },
		sort: { state: true },
	};

	declare state: ContainersState | undefined;
	declare host: string;
	declare range: RangeKey | undefined;
	declare sort: SortKey;

	constructor() {
		super();
		this.sort = 'name';
		this.host = '';
	}

	private rows(): ContainerInfo[] {
		const rows = Array.isArray(this.state?.containers) ? [...this.state.containers] : [];
		const by = (v: number | undefined) => (isNum(v) ? v : -Infinity);
		if (this.sort === 'cpu') rows.sort((a, b) => by(b.cpuPercent) - by(a.cpuPercent));
		else if (this.sort === 'memory')
			rows.sort((a, b) => by(b.memoryUsedBytes) - by(a.memoryUsedBytes));
		return rows;
	}

	private sortHeader(key: SortKey, label: string) {
		const on = this.sort === key;
		return html`<th aria-sort=${on ? 'descending' : 'none'}>
			<button
				class="sort"
				data-sort=${key}
				aria-pressed=${on ? 'true' : 'false'}
				title=${t('ctrSortedBy', { column: label })}
				@click=${() => (this.sort = on ? 'name' : key)}
			>
				${label}${on ? ' ↓' : ''}
			</button>
		</th>`;
	}

	private row(c: ContainerInfo) {
		const link = formatHash({
			view: 'container',
			args: [this.host, c.name],
			range: this.range ?? '1h',
		});
		return html`<tr data-container=${c.name}>
			<td class="name"><a href=${link}>${c.name}</a></td>
			<td class="name">${c.image}</td>
			<td>
				<mon-status-light
					class="state"
					.state=${c.stateLight}
					.label=${stateWords(c)}
					title=${c.status}
				></mon-status-light>
			</td>
			<td>
				<mon-status-light
					class="health"
					.state=${HEALTH_LIGHT[c.health] ?? 'nodata'}
					.label=${healthWords(c.health)}
				></mon-status-light>
			</td>
			<td>${fmtNumber(c.restarts, 0)}</td>
			<td>${isNum(c.cpuPercent) ? fmtPercent(c.cpuPercent) : '—'}</td>
			<td>${fmtContainerMemory(c)}</td>
			<td>${rate(c.netRxBytesPerSecond)} / ${rate(c.netTxBytesPerSecond)}</td>
			<td>${fmtUptime(c.uptimeSeconds)}</td>
		</tr>`;
	}

	render() {
		const s = this.state;
		if (!s || typeof s !== 'object') return nothing;
		const engine = s.engine ? `${s.engine.product} ${s.engine.version ?? ''}`.trim() : '';
		const notes = html`${s.ok === false && s.error
			? html`<p class="message failed">${t('ctrFailed', { error: s.error })}</p>`
			: nothing}
		${s.stale
			? html`<p class="message muted">${t('ctrStaleNote', { time: fmtTime(s.ts) })}</p>`
			: nothing}`;
		const head = html`<h3>
			${t('containers')}${engine ? html` <span class="muted">· ${engine}</span>` : nothing}
		</h3>`;
		// No engine at the socket: the collector's own words, not an empty table.
		if (s.message)
			return html`<div class="card" data-containers="message">
				${head} ${notes}
				<p class="message no-engine">${s.message}</p>
			</div>`;
		const rows = this.rows();
		if (!rows.length)
			return html`<div class="card" data-containers="empty">
				${head} ${notes}
				<p class="message muted">${s.ok === false ? '' : t('ctrNone')}</p>
			</div>`;
		return html`<div class="card" data-containers="table">
			${head} ${notes}
			${isNum(s.matched) && s.matched > rows.length
				? html`<p class="message muted">
						${t('ctrShown', { shown: rows.length, matched: s.matched })}
					</p>`
				: nothing}
			<div class="table-wrap">
				<table class="containers">
					<thead>
						<tr>
							<th>${t('ctrName')}</th>
							<th>${t('ctrImage')}</th>
							<th>${t('ctrState')}</th>
							<th>${t('ctrHealth')}</th>
							<th>${t('ctrRestarts')}</th>
							${this.sortHeader('cpu', t('ctrCpu'))} ${this.sortHeader('memory', t('ctrMemory'))}
							<th>${t('ctrNet')}</th>
							<th>${t('ctrUptime')}</th>
						</tr>
					</thead>
					<tbody>
						${rows.map((c) => this.row(c))}
					</tbody>
				</table>
			</div>
		</div>`;
	}
}

/**
 * A host card's container line (overview and fleet): running / unhealthy / exited (and how many
 * of those failed), or that the
 * collector found no engine, or that its counts are no longer current. Nothing for a host
 * without the containers collector.
 */
export function containerCountsLine(c: ContainerCounts | undefined) {
	if (!c || typeof c !== 'object') return nothing;
	const words = c.message
		? t('ctrNoEngine')
		: c.stale
			? t('ctrCountsStale')
			: t(c.failed > 0 ? 'ctrCountsFailed' : 'ctrCounts', {
					running: c.running,
					unhealthy: c.unhealthy,
					exited: c.exited,
					failed: c.failed,
				});
	// A stopped container is not trouble (docker stop, a finished job); a failed exit is.
	const bad = !c.message && !c.stale && (c.unhealthy > 0 || c.failed > 0);
	return html`<span
		class="ctr-counts"
		data-running=${c.running}
		data-unhealthy=${c.unhealthy}
		data-exited=${c.exited}
		data-failed=${c.failed}
		data-bad=${bad ? 'true' : 'false'}
		title=${c.message ?? ''}
		>${t('containers')}: ${words}</span
	>`;
}
