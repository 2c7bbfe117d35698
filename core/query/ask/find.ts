/**
 * Ask > Find: which hosts, targets and metrics match a name or pattern, so that a model can look
 * names up before it asks Explain or Query. A pattern is text to find anywhere in the name, case
 * insensitive; `*` matches any run of characters.
 */
import type { StoreReader } from '../../store';
import { metricInfo } from '../../catalog/metrics';
import { NAME_LABEL } from '../reasons';
import { fitLines, type Answer } from './budget';
import { quoted, unitWords } from './words';

export const FIND_WHAT = ['all', 'hosts', 'targets', 'metrics'] as const;
export type FindWhat = (typeof FIND_WHAT)[number];

/** The metric whose series name each kind of target, with the label that holds the name. */
const TARGETS: Array<{ kind: string; metric: string; label: string }> = [
	{ kind: 'endpoint', metric: 'endpoint_up', label: NAME_LABEL.endpoint },
	{ kind: 'database', metric: 'db_up', label: NAME_LABEL.database },
	{ kind: 'model_server', metric: 'model_server_up', label: NAME_LABEL.model_server },
	{ kind: 'workflow', metric: 'n8n_execution_failure_rate', label: NAME_LABEL.workflow },
	{ kind: 'container', metric: 'docker_container_up', label: 'container' },
];

export interface FindOptions {
	pattern: string;
	what: FindWhat;
	budget: number;
	maxLines: number;
}

export interface FindAnswer extends Answer {
	hosts: string[];
	targets: Array<{ kind: string; host: string; name: string }>;
	metrics: string[];
}

/** A matcher for a pattern: empty matches all; `*` is any text; otherwise text anywhere. */
export function patternMatcher(pattern: string): (name: string) => boolean {
	const p = pattern.trim().toLowerCase();
	if (p === '' || p === '*') return () => true;
	if (!p.includes('*')) return (name) => name.toLowerCase().includes(p);
	const re = new RegExp(
		`^${p
			.split('*')
			.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
			.join('.*')}$`,
	);
	return (name) => re.test(name.toLowerCase());
}

export async function askFind(
	store: Pick<StoreReader, 'samples'>,
	options: FindOptions,
): Promise<FindAnswer> {
	const match = patternMatcher(options.pattern);
	const want = (w: FindWhat) => options.what === 'all' || options.what === w;
	const pairs = await store.samples.hostMetrics();
	const lines: string[] = [];

	const metricsOf = new Map<string, string[]>();
	for (const p of pairs) {
		const list = metricsOf.get(p.host) ?? [];
		list.push(p.metric);
		metricsOf.set(p.host, list);
	}
	const hosts = want('hosts') ? [...metricsOf.keys()].filter(match).sort() : [];
	for (const h of hosts)
		lines.push(
			`- host ${quoted(h)} (${metricsOf.get(h)!.length} metrics) → Explain kind "host", host ${quoted(h)}`,
		);

	const targets: FindAnswer['targets'] = [];
	if (want('targets'))
		for (const t of TARGETS) {
			const seen = new Set<string>();
			for (const s of await store.samples.ofMetric(t.metric)) {
				const name = s.labels[t.label];
				if (name === undefined || name === '_all') continue;
				const key = `${s.host}\u0000${name}`;
				if (seen.has(key) || !(match(name) || match(s.host))) continue;
				seen.add(key);
				targets.push({ kind: t.kind, host: s.host, name });
			}
		}
	targets.sort(
		(a, b) =>
			a.kind.localeCompare(b.kind) || a.host.localeCompare(b.host) || a.name.localeCompare(b.name),
	);
	for (const t of targets)
		lines.push(
			`- ${t.kind.replace('_', ' ')} ${quoted(t.name)} on host ${quoted(t.host)} → Explain kind "${t.kind}", host ${quoted(t.host)}, name ${quoted(t.name)}`,
		);

	const metrics = want('metrics')
		? [...new Set(pairs.map((p) => p.metric))]
				.filter((m) => match(m) || match(metricInfo(m)?.help ?? ''))
				.sort()
		: [];
	for (const m of metrics) {
		const on = pairs.filter((p) => p.metric === m).length;
		lines.push(
			`- metric ${quoted(m)}: ${metricInfo(m)?.help ?? 'not in the catalog'}; unit ${unitWords(m)}; on ${on} host${on === 1 ? '' : 's'}`,
		);
	}

	const what = options.what === 'all' ? 'hosts, targets or metrics' : options.what;
	const pattern = options.pattern.trim()
		? `matching ${quoted(options.pattern.trim())}`
		: '(no pattern: everything)';
	const found = hosts.length + targets.length + metrics.length;
	const header =
		pairs.length === 0
			? [
					`No data: the monitoring store holds no series yet, so there are no ${what} to find. Publish a collecting workflow first.`,
				]
			: found === 0
				? [
						`No ${what} ${pattern}. The store has ${metricsOf.size} host${metricsOf.size === 1 ? '' : 's'}; try a shorter pattern, or none to list everything.`,
					]
				: [
						`${found} ${what} ${pattern} (${hosts.length} hosts, ${targets.length} targets, ${metrics.length} metrics):`,
					];
	const answer = fitLines(header, lines, {
		budget: options.budget,
		maxLines: options.maxLines,
		more: 'use a narrower pattern or raise Max Lines',
	});
	return { ...answer, hosts, targets, metrics };
}
