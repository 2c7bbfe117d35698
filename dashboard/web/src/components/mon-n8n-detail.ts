import { html, nothing } from 'lit';
import { apiRequest } from '../api';
import { unitOf } from '../axis';
import { toLines } from '../charts';
import { fmtSeconds, fmtTime, isNum } from '../format';
import { t } from '../i18n';
import { seriesNeeds, type NeedsOf, type SeriesAsk, type SeriesNames } from '../requests';
import { formatHash, type RangeKey, type Route } from '../router';
import type { MetricName } from '../../../../core/catalog/metrics';
import type { N8nInstance } from '../../../../core/contract/dashboard-api';
import { DetailView, detailView } from './detail-base';
import { fmtUptime } from './mon-containers';

/** An n8n instance (the n8n collector's host): its own process and its executions now. */
export function n8nNeeds(route: Route) {
	const host = route.args[0] ?? '';
	const q = (metric: MetricName): SeriesAsk => ({ host, metric });
	return seriesNeeds(
		route,
		{
			cpu: q('n8n_process_cpu_percent'),
			memory: q('n8n_process_memory_bytes'),
			heap: q('n8n_heap_used_bytes'),
			lag: q('n8n_event_loop_lag_seconds'),
			http: q('n8n_http_request_mean_seconds'),
			running: q('n8n_executions_running'),
			waiting: q('n8n_executions_waiting'),
			queue: q('n8n_queue_jobs'),
			poolUsed: q('store_pool_used'),
			poolPending: q('store_pool_pending'),
			poolWait: q('store_pool_acquire_wait_seconds'),
		},
		{
			snapshot: apiRequest('snapshot', { host, collector: 'n8n' }),
			instance: apiRequest('n8n', { instance: host }),
			status: apiRequest('status', { kind: 'n8n', host }),
		},
	);
}
type N8nNeeds = NeedsOf<typeof n8nNeeds>;

/** One figure of a facts list. */
const fact = (label: string, value: string) =>
	html`<div>
		<dt>${label}</dt>
		<dd>${value}</dd>
	</div>`;

/** n8n's execution statuses of a stuck one: new is queued (not started by a worker yet). */
function statusText(status: string): string {
	if (status === 'new') return t('n8nQueued');
	if (status === 'running') return t('n8nRunning');
	if (status === 'waiting') return t('n8nWaiting');
	return status;
}

/** The process figures of the latest collection's snapshot (stored JSON: every field checked). */
function processOf(answer: unknown) {
	const snap = (answer as { snapshot?: unknown } | undefined)?.snapshot;
	const p = (snap && typeof snap === 'object' ? (snap as { process?: unknown }).process : null) as
		| Record<string, unknown>
		| null
		| undefined;
	if (!p || typeof p !== 'object') return null;
	const n = (k: string) => (isNum(p[k]) ? (p[k] as number) : undefined);
	return {
		version: typeof p.version === 'string' ? p.version : null,
		uptimeSeconds:
			isNum(p.at) && isNum(p.startedAt)
				? ((p.at as number) - (p.startedAt as number)) / 1000
				: undefined,
		activeWorkflows: n('activeWorkflows'),
		openFds: n('openFds'),
		maxFds: n('maxFds'),
	};
}

/**
 * n8n itself over the chosen range: its process (CPU, memory and heap, event-loop lag, HTTP
 * time, from n8n's /metrics with the Process Health option) and its executions running and
 * waiting (from its public API), under the state of the n8n collector.
 */
export class MonN8nDetail extends DetailView<N8nNeeds> {
	protected readonly kind = 'n8n' as const;

	protected heading() {
		return t('n8nDetail', { host: this.route.args[0] ?? '' });
	}

	private lines(name: SeriesNames<N8nNeeds>, label: string) {
		return toLines(this.series(name)?.series, () => label);
	}

	private get instance(): N8nInstance | undefined {
		return this.data?.instance;
	}

	private facts() {
		const p = processOf(this.data?.snapshot);
		// n8n answered, but not with its figures (N8N_METRICS off): the reason, not an empty view.
		const reason = this.instance?.processError;
		if (!p && reason)
			return html`<p class="facts no-process process-error">
				${t('n8nProcessError')} <span class="reason-line">${reason}</span>
			</p>`;
		if (!p) return html`<p class="muted facts no-process">${t('n8nNoProcess')}</p>`;
		return html`<dl class="facts process-facts">
			${fact(t('n8nVersion'), p.version ?? '—')} ${fact(t('n8nUptime'), fmtUptime(p.uptimeSeconds))}
			${fact(t('n8nActiveWorkflows'), isNum(p.activeWorkflows) ? String(p.activeWorkflows) : '—')}
			${fact(
				t('n8nOpenFiles'),
				isNum(p.openFds)
					? isNum(p.maxFds)
						? `${p.openFds} / ${p.maxFds}`
						: String(p.openFds)
					: '—',
			)}
		</dl>`;
	}

	/** Executions that should have finished, each with a link into n8n's editor. */
	private stuckList() {
		const rows = this.instance?.stuck;
		if (!rows) return nothing;
		if (!rows.length)
			return html`<section class="card wide stuck" data-stuck="0">
				<h3>${t('n8nStuck')}</h3>
				<p class="muted none">${t('n8nStuckNone')}</p>
			</section>`;
		return html`<section class="card wide stuck" data-stuck=${rows.length}>
			<h3>${t('n8nStuck')} (${rows.length})</h3>
			<div class="table-wrap">
				<table class="stuck-table">
					<thead>
						<tr>
							<th>${t('kind_workflow')}</th>
							<th>${t('status')}</th>
							<th>${t('n8nStuckSince')}</th>
							<th>${t('n8nStuckOver')}</th>
							<th>${t('n8nExecution')}</th>
						</tr>
					</thead>
					<tbody>
						${rows.map(
							(r) =>
								html`<tr>
									<td class="name">${r.workflowName ?? r.workflowId}</td>
									<td>${statusText(r.status)}</td>
									<td>${fmtTime(r.since)}</td>
									<td>${fmtUptime(r.overMs / 1000)}</td>
									<td>
										${r.link
											? html`<a
													class="touch"
													href=${r.link}
													target="_blank"
													rel="noopener noreferrer"
													>#${r.id} ↗</a
												>`
											: `#${r.id}`}
									</td>
								</tr>`,
						)}
					</tbody>
				</table>
			</div>
		</section>`;
	}

	/** The monitoring store's pool in this n8n's process, and n8n's own database pool if it has one. */
	private pools() {
		const i = this.instance;
		if (!i) return nothing;
		const p = i.storePool;
		const n8nPool =
			i.n8nPools === null
				? nothing
				: i.n8nPools.length
					? html`<dl class="facts n8n-pool">
							${i.n8nPools.map((f) => fact(f.metric, String(f.value)))}
						</dl>`
					: html`<p class="muted n8n-pool-none">
							${t('n8nPoolNone', { version: processOf(this.data?.snapshot)?.version ?? '' })}
						</p>`;
		return html`<section class="card wide pools">
			<h3>${t('n8nPools')}</h3>
			${p
				? html`<dl class="facts store-pool">
						${fact(t('poolStore'), p.store === 'postgres' ? 'PostgreSQL' : 'SQLite')}
						${fact(t('poolUsed'), `${p.used} / ${p.max}`)} ${fact(t('poolFree'), String(p.free))}
						${fact(t('poolPending'), `${p.pending} (${t('poolPeak')} ${p.pendingPeak})`)}
						${fact(t('poolWait'), fmtSeconds(p.acquireWaitMaxSeconds))}
					</dl>`
				: html`<p class="muted">${t('poolUnknown')}</p>`}
			${n8nPool}
		</section>`;
	}

	protected body() {
		const memory = [...this.lines('memory', t('n8nResident')), ...this.lines('heap', t('n8nHeap'))];
		const now = [
			...this.lines('running', t('n8nRunning')),
			...this.lines('waiting', t('n8nWaiting')),
		];
		const queue = toLines(this.series('queue')?.series, (s) => s.labels?.state ?? '');
		const pool = [
			...this.lines('poolUsed', t('poolUsed')),
			...this.lines('poolPending', t('poolPending')),
		];
		const min0 = { min: 0 };
		return html`${this.facts()} ${this.stuckList()} ${this.pools()}
			<div class="charts">
				${this.chart(
					t('n8nCpu'),
					this.lines('cpu', t('cpu')),
					unitOf('n8n_process_cpu_percent'),
					min0,
				)}
				${this.chart(t('n8nMemory'), memory, unitOf('n8n_process_memory_bytes'), min0)}
				${this.chart(
					t('n8nLag'),
					this.lines('lag', t('n8nLag')),
					unitOf('n8n_event_loop_lag_seconds'),
					min0,
				)}
				${this.chart(
					t('n8nHttp'),
					this.lines('http', t('n8nHttp')),
					unitOf('n8n_http_request_mean_seconds'),
					min0,
				)}
				${this.chart(t('n8nExecutionsNow'), now, unitOf('n8n_executions_running'), min0)}
				${this.chart(t('n8nQueue'), queue, unitOf('n8n_queue_jobs'), min0)}
				${this.chart(t('poolChart'), pool, unitOf('store_pool_used'), min0)}
				${this.chart(
					t('poolWaitChart'),
					this.lines('poolWait', t('poolWait')),
					unitOf('store_pool_acquire_wait_seconds'),
					min0,
				)}
			</div>`;
	}
}

/** A link to the n8n view, for a host (instance name) whose n8n collector ran. */
export function n8nLink(host: string, has: boolean | undefined, range?: RangeKey) {
	if (!has) return nothing;
	const href = formatHash({ view: 'n8n', args: [host], range: range ?? '1h' });
	return html`<p class="n8n-link">
		<a class="touch" href=${href}>${t('n8nLink', { host })} →</a>
	</p>`;
}

export const n8nView = detailView('mon-n8n-detail', MonN8nDetail, n8nNeeds);
