import { html } from 'lit';
import { unitOf } from '../axis';
import { lineOptions, toLines } from '../charts';
import { fmtSeconds, fmtTime, isNum, toMs } from '../format';
import { t, type MessageKey } from '../i18n';
import { apiRequest, type ExecutionRow } from '../api';
import { seriesNeeds, type NeedsOf } from '../requests';
import type { Route } from '../router';
import { DetailView, chartCard, detailView } from './detail-base';

const FILTERS = ['', 'success', 'error', 'running', 'waiting'] as const;

/** One workflow's failure rate (its `workflow` label) and its latest executions. */
export function workflowNeeds(route: Route) {
	const [instance = '', workflow = ''] = route.args;
	return seriesNeeds(
		route,
		{
			failure: {
				host: instance,
				metric: 'n8n_execution_failure_rate',
				labels: { workflow },
			},
			// What "Workflow runs far less than usual" watches.
			runs: {
				host: instance,
				metric: 'n8n_executions_total',
				labels: { workflow, kind: 'production', status: 'success' },
			},
		},
		{
			status: apiRequest('status', { kind: 'workflow', host: instance, name: workflow }),
			executions: apiRequest('executions', {
				instance,
				workflowId: workflow,
				status: route.status,
				limit: 50,
			}),
		},
	);
}

/** A workflow's failure rate over the range and its latest executions, filtered by status. */
export class MonWorkflowDetail extends DetailView<NeedsOf<typeof workflowNeeds>> {
	protected readonly kind = 'workflow' as const;

	protected expectedAsks() {
		const [host = '', workflow = ''] = this.route.args;
		const labels = { workflow, kind: 'production', status: 'success' };
		return { runs: { host, metric: 'n8n_executions_total', labels } };
	}

	private rows(): ExecutionRow[] {
		return this.data?.executions?.executions ?? [];
	}

	protected heading() {
		const id = this.route.args[1] ?? '';
		const name = this.rows().find((r) => r.workflowName)?.workflowName;
		return t('workflowDetail', {
			instance: this.route.args[0] ?? '',
			workflow: name && name !== id ? `${name} (${id})` : id,
		});
	}

	private pickStatus(status: string) {
		// mon-app folds the detail into the route and the hash (&status=…), like the range.
		this.dispatchEvent(
			new CustomEvent('mon-range', {
				detail: { status: status || undefined },
				bubbles: true,
				composed: true,
			}),
		);
	}

	private filters() {
		const current = this.route.status ?? '';
		return html`<div class="filters" role="group" aria-label=${t('statusFilter')}>
			${FILTERS.map(
				(s) =>
					html`<button
						class="touch"
						aria-pressed=${s === current ? 'true' : 'false'}
						@click=${() => this.pickStatus(s)}
					>
						${t(`filter_${s || 'all'}` as MessageKey)}
					</button>`,
			)}
		</div>`;
	}

	private executions() {
		const rows = this.rows();
		if (!rows.length) return html`<p class="muted">${t('noExecutions')}</p>`;
		return html`<div class="table-wrap">
			<table>
				<thead>
					<tr>
						<th>ID</th>
						<th>${t('status')}</th>
						<th>${t('started')}</th>
						<th>${t('duration')}</th>
					</tr>
				</thead>
				<tbody>
					${rows.map((r) => {
						const a = toMs(r.startedAt);
						const b = toMs(r.stoppedAt);
						return html`<tr>
							<td class="name">${r.id ?? ''}</td>
							<td class="name">${r.status ?? ''}</td>
							<td>${fmtTime(a)}</td>
							<td>${isNum(a) && isNum(b) ? fmtSeconds((b - a) / 1000) : '—'}</td>
						</tr>`;
					})}
				</tbody>
			</table>
		</div>`;
	}

	protected body() {
		const w = this.window;
		// A 0–1 ratio, drawn in percent by its unit (the min/max band with it).
		const lines = toLines(this.series('failure')?.series, () => t('failureRate'));
		const runs = this.withUsual(
			'runs',
			toLines(this.series('runs')?.series, () => t('productionRuns')),
		);
		return html`<div class="charts">
				${this.chart(t('productionRuns'), runs, unitOf('n8n_executions_total'), { min: 0 })}
				${chartCard(
					t('failureRate'),
					html`<mon-chart
						.options=${lineOptions(lines, {
							unit: unitOf('n8n_execution_failure_rate'),
							min: 0,
							max: 1,
							window: w,
						})}
					></mon-chart>`,
				)}
			</div>
			<div class="card" style="margin-top:12px">
				<h2>${t('executions')}</h2>
				${this.filters()} ${this.executions()}
			</div>`;
	}
}

export const workflowView = detailView('mon-workflow-detail', MonWorkflowDetail, workflowNeeds);
