import type { StoreReader } from '../store';

import { AlertConfigError } from './errors';
import { isPreset, type Preset, PRESETS } from './presets';
import type {
	Aggregation,
	AlertRule,
	Comparison,
	InactiveRule,
	RuleSource,
	Severity,
} from './types';

const MINUTE_MS = 60_000;
const AGGREGATIONS: Aggregation[] = [
	'last',
	'avg',
	'min',
	'max',
	'rate',
	'consecutiveZero',
	'daysUntil',
	'anomaly',
];
const DIRECTIONS = ['up', 'down', 'both'] as const;
const COMPARISONS: Comparison[] = ['>', '>=', '<', '<='];
const SEVERITIES: Severity[] = ['info', 'warning', 'critical'];
/** A week: longer windows belong to the History resource, not to a rule polled every minute. */
const MAX_WINDOW_MINUTES = 7 * 24 * 60;

/** A rule as the trigger's parameters describe it; every field may come from an expression. */
export interface RuleInput {
	preset?: string;
	name?: unknown;
	metric?: unknown;
	host?: unknown;
	labels?: unknown;
	aggregation?: unknown;
	windowMinutes?: unknown;
	comparison?: unknown;
	threshold?: unknown;
	resolveThreshold?: unknown;
	forMinutes?: unknown;
	severity?: unknown;
	repeatMinutes?: unknown;
	/** For Host Stopped Reporting: which collector must keep running. */
	collector?: unknown;
	/** For Workflow Without Success: a workflow id or name, empty for all. */
	workflow?: unknown;
	/** For the anomaly aggregation: up, down or both; and hours of history before judging. */
	direction?: unknown;
	minHistoryHours?: unknown;
}

const isEmpty = (v: unknown) =>
	v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function numberField(value: unknown, what: string, fallback?: number): number {
	if (isEmpty(value)) {
		if (fallback !== undefined) return fallback;
		throw new AlertConfigError(`${what} is empty`, `Enter a number for ${what}.`);
	}
	const n = typeof value === 'string' ? Number(value.trim().replace(',', '.')) : value;
	if (typeof n !== 'number' || !Number.isFinite(n))
		throw new AlertConfigError(
			`${what} must be a number, not ${JSON.stringify(value)}`,
			`Enter ${what} as a plain number in the metric's unit, e.g. 90 for 90 %.`,
		);
	return n;
}

function minutesField(
	value: unknown,
	what: string,
	fallbackMs: number,
	min: number,
	max: number,
): number {
	const minutes = numberField(value, what, fallbackMs / MINUTE_MS);
	if (minutes < min || minutes > max)
		throw new AlertConfigError(
			`${what} must be from ${min} to ${max} minutes, not ${minutes}`,
			`Set ${what} between ${min} and ${max} minutes.`,
		);
	return Math.round(minutes * MINUTE_MS);
}

function oneOf<T extends string>(value: unknown, allowed: T[], what: string, fallback: T): T {
	if (isEmpty(value)) return fallback;
	if (allowed.includes(value as T)) return value as T;
	throw new AlertConfigError(
		`${what} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`,
		`Pick ${what} from the list.`,
	);
}

/** Text from a parameter; an object or list (from an expression) is refused, not "[object Object]". */
function textField(value: unknown, what: string): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new AlertConfigError(
		`${what} must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`,
		`Map ${what} to a text value, e.g. {{ $json.name }}.`,
	);
}

/** "mount=/, device=sda1" as labels. */
export function parseLabelFilter(value: unknown): Record<string, string> | undefined {
	if (isEmpty(value)) return undefined;
	if (typeof value === 'object') {
		const entries = Array.isArray(value) ? [] : Object.entries(value as object);
		if (Array.isArray(value) || entries.some(([, v]) => typeof v !== 'string'))
			throw new AlertConfigError(
				'The label filter must be name=value pairs or an object of text values',
				'Write it like mount=/, fstype=ext4, or map it to an object such as {"mount": "/"}.',
			);
		return Object.fromEntries(entries) as Record<string, string>;
	}
	const labels: Record<string, string> = {};
	for (const part of String(value).split(',')) {
		if (!part.trim()) continue;
		const eq = part.indexOf('=');
		if (eq <= 0)
			throw new AlertConfigError(
				`The label filter ${JSON.stringify(value)} is not a list of name=value pairs`,
				'Write it like mount=/, fstype=ext4 (commas between pairs).',
			);
		labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
	}
	return labels;
}

export function ruleKey(name: string): string {
	return name.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, 200);
}

/** A rule from its parameters: a preset with overrides, or every field of a custom rule. */
export function buildRule(input: RuleInput): AlertRule {
	const presetName = input.preset && input.preset !== 'custom' ? input.preset : undefined;
	if (presetName && !isPreset(presetName))
		throw new AlertConfigError(
			`There is no rule preset named ${JSON.stringify(presetName)}`,
			`Pick one of: custom, ${Object.keys(PRESETS).join(', ')}.`,
		);
	const preset: Preset | undefined =
		presetName && isPreset(presetName) ? PRESETS[presetName] : undefined;
	const name = isEmpty(input.name) ? preset?.name : textField(input.name, 'Name');
	let source: RuleSource;
	if (preset) {
		source = { ...preset.source };
		if (source.kind === 'metric') {
			if (!isEmpty(input.windowMinutes))
				source.windowMs = minutesField(
					input.windowMinutes,
					'Window',
					source.windowMs,
					1,
					MAX_WINDOW_MINUTES,
				);
			if (!isEmpty(input.labels))
				source.labels = { ...source.labels, ...parseLabelFilter(input.labels) };
		}
		if (source.kind === 'silentHost' && !isEmpty(input.collector))
			source.collector = textField(input.collector, 'Collector');
		if (source.kind === 'workflowWithoutSuccess' && !isEmpty(input.workflow))
			source.workflow = textField(input.workflow, 'Workflow');
	} else {
		if (isEmpty(input.metric))
			throw new AlertConfigError(
				'A custom rule needs a metric',
				'Enter a stored metric name, e.g. cpu_usage_percent, or pick a preset.',
			);
		source = {
			kind: 'metric',
			metric: textField(input.metric, 'Metric'),
			labels: parseLabelFilter(input.labels),
			aggregation: oneOf(input.aggregation, AGGREGATIONS, 'Aggregation', 'avg'),
			windowMs: minutesField(input.windowMinutes, 'Window', 5 * MINUTE_MS, 1, MAX_WINDOW_MINUTES),
		};
	}
	if (source.kind === 'metric' && source.aggregation === 'anomaly') anomalyFields(source, input);
	if (!isEmpty(input.host) && (source.kind === 'metric' || source.kind === 'silentHost'))
		source.host = textField(input.host, 'Host');
	const comparison = oneOf(input.comparison, COMPARISONS, 'Comparison', preset?.comparison ?? '>');
	const threshold = numberField(input.threshold, 'Threshold', preset?.threshold);
	// A preset's threshold moved without its resolve threshold keeps the preset's distance.
	const presetGap =
		preset?.resolveThreshold !== undefined ? preset.threshold - preset.resolveThreshold : 0;
	const resolveThreshold = isEmpty(input.resolveThreshold)
		? threshold - presetGap
		: numberField(input.resolveThreshold, 'Resolve Threshold');
	const rule: AlertRule = {
		key: '',
		name:
			name ?? (source.kind === 'metric' ? `${source.metric} ${comparison} ${threshold}` : 'rule'),
		source,
		comparison,
		threshold,
		resolveThreshold,
		forMs: minutesField(input.forMinutes, 'For', preset?.forMs ?? 0, 0, 7 * 24 * 60),
		severity: oneOf(input.severity, SEVERITIES, 'Severity', preset?.severity ?? 'warning'),
		repeatMs: minutesField(input.repeatMinutes, 'Repeat Every', 0, 0, 7 * 24 * 60),
		unit: preset?.unit,
		...(presetName ? { preset: presetName } : {}),
	};
	rule.key = ruleKey(rule.name);
	checkHysteresis(rule);
	return rule;
}

/** Direction and minimum history of an anomaly rule; its threshold is a score, so never "below". */
function anomalyFields(source: Extract<RuleSource, { kind: 'metric' }>, input: RuleInput) {
	source.direction = oneOf(
		input.direction,
		[...DIRECTIONS],
		'Direction',
		source.direction ?? 'both',
	);
	if (!isEmpty(input.minHistoryHours)) {
		const hours = numberField(input.minHistoryHours, 'Minimum History (Hours)');
		if (hours < 24 || hours > 28 * 24)
			throw new AlertConfigError(
				`Minimum History must be from 24 to 672 hours, not ${hours}`,
				'Set Minimum History between 24 hours (a day) and 672 hours (the four weeks a baseline learns from).',
			);
		source.minHistoryHours = hours;
	}
	if (input.comparison === '<' || input.comparison === '<=')
		throw new AlertConfigError(
			'An anomaly rule fires when its score is above the threshold: the comparison must be > or >=',
			'Set Comparison to > or >=, and Direction to down to catch values far below usual.',
		);
}

/** The resolve threshold must lie on the calm side of the firing one, or the rule never resolves. */
function checkHysteresis(rule: AlertRule) {
	const r = rule.resolveThreshold ?? rule.threshold;
	const above = rule.comparison === '>' || rule.comparison === '>=';
	if (above ? r > rule.threshold : r < rule.threshold)
		throw new AlertConfigError(
			`The resolve threshold ${r} of "${rule.name}" is on the wrong side of its threshold ${rule.threshold}: it fires ${above ? 'above' : 'below'} ${rule.threshold}, so it must resolve at or ${above ? 'below' : 'above'} it`,
			`Set Resolve Threshold ${above ? 'at or below' : 'at or above'} ${rule.threshold}, or leave it empty to resolve at the threshold.`,
		);
}

export function checkDistinctNames(rules: AlertRule[]) {
	const seen = new Set<string>();
	for (const rule of rules) {
		if (seen.has(rule.key))
			throw new AlertConfigError(
				`Two rules are named "${rule.name}"`,
				'Give each rule its own name: the name is what the rule remembers its state under.',
			);
		seen.add(rule.key);
	}
}

/**
 * Checks a metric rule against what the store holds: the metric must exist (else the closest
 * names are suggested), and its window must not be shorter than the interval the metric is
 * collected at (else most windows would be empty). A preset whose metric is not stored is not
 * a mistake but a machine without that part (no GPU, no endpoint checks): it is returned as
 * inactive, and judged once its metric arrives. Null means the rule can be judged.
 */
export async function checkRuleAgainstStore(
	store: Pick<StoreReader, 'samples'>,
	rule: AlertRule,
	now: number,
): Promise<InactiveRule | null> {
	if (rule.source.kind !== 'metric') return null;
	const { metric, windowMs } = rule.source;
	const series = await store.samples.anyOf(metric);
	if (series === undefined && rule.preset)
		return {
			rule: rule.name,
			metric,
			reason: `"${metric}" is not collected into this store; the rule waits until it is`,
		};
	if (series === undefined) {
		const names = await store.samples.metricNames();
		const closest = closestNames(metric, names, 3);
		throw new AlertConfigError(
			`The metric "${metric}" of rule "${rule.name}" is not in the store`,
			closest.length
				? `Did you mean ${closest.map((n) => `"${n}"`).join(', ')}? Metric names are exact and case-sensitive.`
				: 'No metric is stored yet: run a collecting workflow first, or check the store credential.',
		);
	}
	const interval = await collectionIntervalMs(store, series, now);
	if (interval !== null && windowMs < interval)
		throw new AlertConfigError(
			`The window of rule "${rule.name}" (${windowMs / MINUTE_MS} min) is shorter than the interval "${metric}" is collected at (${Math.round(interval / 1000)} s)`,
			`Make Window at least ${Math.ceil(interval / MINUTE_MS)} minutes, or collect more often.`,
		);
	return null;
}

/** The median spacing of one series' samples over the last 6 hours; null when unknown. */
async function collectionIntervalMs(
	store: Pick<StoreReader, 'samples'>,
	seriesId: number,
	now: number,
): Promise<number | null> {
	const samples = await store.samples.raw([seriesId], now - 6 * 60 * MINUTE_MS, now);
	if (samples.length < 3) return null;
	const gaps = samples
		.slice(1)
		.map((s, i) => s.ts - samples[i].ts)
		.sort((a, b) => a - b);
	return gaps[Math.floor(gaps.length / 2)];
}

/** Names by edit distance, nearest first, at most `count`, only plausible ones. */
export function closestNames(name: string, names: string[], count: number): string[] {
	return names
		.map((n) => ({ n, d: editDistance(name.toLowerCase(), n.toLowerCase()) }))
		.filter(
			({ n, d }) =>
				d <= Math.max(3, Math.floor(n.length / 2)) || n.includes(name) || name.includes(n),
		)
		.sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
		.slice(0, count)
		.map(({ n }) => n);
}

function editDistance(a: string, b: string): number {
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		for (let j = 1; j <= b.length; j++)
			cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		prev = cur;
	}
	return prev[b.length];
}
