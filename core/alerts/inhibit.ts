import { metricInfo } from '../catalog/metrics';
import type { AlertRow } from '../model';
import { collectorStatuses } from '../query/overview';
import type { StoreReader } from '../store';
import { AlertConfigError } from './errors';

/**
 * Inhibition, as Alertmanager's inhibit_rules: while a source fires, the alerts it covers are
 * held back from workflows (they still fire in the store, marked as held). One rule is built in
 * and reads the store rather than an alert: while a host is down or stale (its host collector
 * failing or silent, core/staleness.ts), the alerts of what is collected on that host —
 * endpoints, databases, containers, model servers — are held back.
 */

/** What inhibition looks at in an alert: the event's and the stored row's shared fields. */
export type AlertLike = Pick<
	AlertRow,
	'key' | 'rule' | 'severity' | 'host' | 'metric' | 'labels' | 'source'
> & { id?: number };

/** One `name=value` (or `name!=value`) test; the value may hold `*`. */
export interface Matcher {
	name: string;
	value: string;
	negate: boolean;
}

export interface InhibitRule {
	source: Matcher[];
	target: Matcher[];
	/** Names (fields or labels) whose values source and target must share. */
	equal: string[];
}

export interface InhibitionConfig {
	/** The built-in rule: a down or stale host holds back what is collected on it. */
	hostDown: boolean;
	rules: InhibitRule[];
}

/** The collectors whose alerts a down host holds back (the metric catalog names the writer). */
const COLLECTED_ON_HOST = new Set(['endpoint', 'database', 'containers', 'model_server']);

/** Whether a metric is of what a down host holds back (an endpoint, a database, …). */
export function isCollectedOnHost(metric: string | null | undefined): boolean {
	const collector = metric ? metricInfo(metric)?.collector : undefined;
	return collector !== undefined && COLLECTED_ON_HOST.has(collector);
}

const FIELDS = ['rule', 'severity', 'host', 'metric', 'source'] as const;

/** A field of the alert, else its label; absent is empty, as Alertmanager has it. */
function valueOf(a: AlertLike, name: string): string {
	if ((FIELDS as readonly string[]).includes(name))
		return String(a[name as (typeof FIELDS)[number]] ?? '');
	return a.labels?.[name] ?? '';
}

/** Whether text is the pattern, `*` standing for any text (an empty pattern is the empty text). */
function glob(pattern: string, text: string): boolean {
	if (!pattern.includes('*')) return pattern === text;
	const re = pattern
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${re}$`, 's').test(text);
}

export function matches(a: AlertLike, matchers: readonly Matcher[]): boolean {
	return matchers.every((m) => glob(m.value, valueOf(a, m.name)) !== m.negate);
}

/** "rule=Host stopped reporting, severity!=info": commas between tests, `*` in values. */
export function parseMatchers(text: unknown, what: string): Matcher[] {
	if (typeof text !== 'string' || !text.trim())
		throw new AlertConfigError(
			`${what} of an inhibit rule is empty`,
			'Write what it matches, e.g. rule=Host stopped reporting or severity=critical, host=web-*.',
		);
	return text
		.split(',')
		.filter((part) => part.trim())
		.map((part) => {
			const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(!?=)\s*(.*?)\s*$/.exec(part);
			if (!m)
				throw new AlertConfigError(
					`${what} ${JSON.stringify(text.slice(0, 80))} is not a list of name=value tests`,
					'Write it like rule=Host stopped reporting, severity=critical (name!=value for "not"; * matches any text).',
				);
			return { name: m[1], value: m[3], negate: m[2] === '!=' };
		});
}

export interface InhibitRuleInput {
	source?: unknown;
	target?: unknown;
	equal?: unknown;
}

export function buildInhibitRule(input: InhibitRuleInput, index: number): InhibitRule {
	const where = `Inhibit rule ${index + 1}:`;
	const equal = typeof input.equal === 'string' ? input.equal : '';
	if (input.equal !== undefined && input.equal !== null && typeof input.equal !== 'string')
		throw new AlertConfigError(
			`${where} Equal Labels must be text`,
			'Write label names separated by commas, e.g. host, mount.',
		);
	const names = equal
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const bad = names.find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
	if (bad)
		throw new AlertConfigError(
			`${where} "${bad.slice(0, 60)}" in Equal Labels is not a label name`,
			'Label names are letters, digits and _, e.g. host, mount.',
		);
	return {
		source: parseMatchers(input.source, `${where} Source`),
		target: parseMatchers(input.target, `${where} Target`),
		equal: names,
	};
}

/** What holds an alert back now (a sentence naming the source), or null. */
export type HeldBy = (a: AlertLike) => string | null;

/**
 * The inhibition in force: hosts down or stale (by host, with the words that say so), the alerts
 * firing now (sources of user rules), and the rules.
 */
export function inhibitor(
	config: InhibitionConfig,
	downHosts: ReadonlyMap<string, string>,
	firing: readonly AlertLike[],
): HeldBy {
	const sourcesOf = config.rules.map((rule) => firing.filter((a) => matches(a, rule.source)));
	return (a) => {
		if (config.hostDown && a.host && downHosts.has(a.host) && isCollectedOnHost(a.metric))
			return downHosts.get(a.host)!;
		for (const [i, rule] of config.rules.entries()) {
			if (!matches(a, rule.target)) continue;
			// Alertmanager: an alert on both sides of a rule is not held back by one that is too,
			// so a rule cannot silence its own sources.
			const both = matches(a, rule.source);
			const source = sourcesOf[i].find(
				(s) =>
					s.key !== a.key &&
					!(both && matches(s, rule.target)) &&
					rule.equal.every((name) => valueOf(s, name) === valueOf(a, name)),
			);
			if (source) return source.host ? `${source.rule} on ${source.host}` : source.rule;
		}
		return null;
	};
}

/**
 * Hosts whose host collector is failing or has stopped reporting (the overview's own rule), with
 * the words the dashboard and the items show.
 */
export async function downHosts(
	store: Pick<StoreReader, 'samples' | 'runs'>,
	now: number,
): Promise<Map<string, string>> {
	const { statusOf } = await collectorStatuses(store, now);
	const down = new Map<string, string>();
	for (const c of statusOf.values()) {
		if (c.collector !== 'host') continue;
		if (c.stale) down.set(c.host, `${c.host} stopped reporting (host collector silent)`);
		else if (!c.ok) down.set(c.host, `${c.host} down (host collector failing)`);
	}
	return down;
}
