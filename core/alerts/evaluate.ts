import type { Judged } from '../analysis/anomaly';
import { aggregate, anomalyValue } from './aggregate';
import type {
	AlertRule,
	Comparison,
	Evaluation,
	FiringSeries,
	Observed,
	RuleEvent,
	RuleState,
	SeriesState,
} from './types';

/** A series that has sent nothing for this long (or three windows) has stopped reporting. */
export const GONE_AFTER_MS = 15 * 60_000;

export function compare(value: number, comparison: Comparison, threshold: number): boolean {
	switch (comparison) {
		case '>':
			return value > threshold;
		case '>=':
			return value >= threshold;
		case '<':
			return value < threshold;
		case '<=':
			return value <= threshold;
	}
}

/** How far back points are needed: the window, and enough to tell a gap from a series gone. */
export function lookbackMs(rule: AlertRule): number {
	const windowMs = rule.source.kind === 'metric' ? rule.source.windowMs : 0;
	return Math.max(windowMs, goneAfterMs(rule));
}

function goneAfterMs(rule: AlertRule): number {
	return Math.max(GONE_AFTER_MS, 3 * (rule.source.kind === 'metric' ? rule.source.windowMs : 0));
}

/**
 * One evaluation of one rule: a pure function of the rule, what each series reported recently,
 * the state the previous evaluation left and the time. Each series is judged on its own:
 *
 * - the condition (value against threshold) must hold for `forMs` before the series fires;
 * - a firing series resolves only once the value is past the resolve threshold (hysteresis),
 *   or once it stopped reporting altogether (a filesystem unmounted, a host removed);
 * - a gap shorter than that changes nothing;
 * - during quiet hours the state keeps moving, and what the outside world was told catches up
 *   when they end (a series that fired and resolved within them is never announced);
 * - a clock that went back shifts the remembered times by as much, so that durations hold.
 */
export function evaluateRule(
	rule: AlertRule,
	observed: readonly Observed[],
	previous: RuleState | undefined,
	now: number,
	quiet: boolean | ((host: string) => boolean) = false,
): Evaluation {
	const skew = previous && now < previous.evaluatedAt ? previous.evaluatedAt - now : 0;
	const series: Record<string, SeriesState> = {};
	for (const [key, s] of Object.entries(previous?.series ?? {})) series[key] = shift(s, skew);

	const judging: Judging = {
		rule,
		resolveThreshold: rule.resolveThreshold ?? rule.threshold,
		now,
		started: [],
		ended: [],
	};
	const events: RuleEvent[] = [];
	const seen = new Set<string>();
	const goneAfter = goneAfterMs(rule);

	for (const o of observed) {
		const lastTs = o.points.reduce((m, [ts]) => Math.max(m, ts), -Infinity);
		if (lastTs < now - goneAfter) continue; // judged below as gone
		seen.add(o.key);
		const value =
			rule.source.kind !== 'metric'
				? aggregate(o.points, 'last', now, goneAfter)
				: rule.source.aggregation === 'anomaly'
					? anomalyValue(o.anomaly, rule.source.direction)
					: aggregate(
							o.points,
							rule.source.aggregation,
							now,
							rule.source.windowMs,
							rule.source.limit,
						);
		series[o.key] = step(judging, o.key, series[o.key], o.host, o.labels, value);
		if (value !== null && o.anomaly?.score != null) series[o.key].anomaly = o.anomaly as Judged;
	}
	endSilent(series, seen, judging.ended);

	for (const [key, s] of Object.entries(series)) {
		if (!(typeof quiet === 'function' ? quiet(s.host) : quiet)) {
			const event = announce(judging, key, s);
			if (event) events.push(event);
		}
		// Plainly ok and nothing owed to the outside world: nothing to remember.
		if (s.phase === 'ok' && !s.notified) delete series[key];
	}
	const { started, ended } = judging;
	return { state: { evaluatedAt: now, series }, events, started, ended };
}

/** One evaluation's rule and time, and the series that started and stopped firing in it. */
interface Judging {
	rule: AlertRule;
	resolveThreshold: number;
	now: number;
	started: FiringSeries[];
	ended: FiringSeries[];
}

/** A series' next state from its value now (null: a gap). */
function step(
	{ rule, resolveThreshold, now, started, ended }: Judging,
	key: string,
	before: SeriesState | undefined,
	host: string,
	labels: Record<string, string>,
	value: number | null,
): SeriesState {
	let s: SeriesState = before ?? {
		phase: 'ok',
		host,
		labels,
		since: now,
		notified: false,
		value,
	};
	s = { ...s, host, labels, gone: undefined };
	if (value === null) {
		// A gap: keep judging from what is known.
	} else if (s.phase === 'firing') {
		s.value = value;
		if (!compare(value, rule.comparison, resolveThreshold)) {
			ended.push(firing(key, s));
			s = { ...s, phase: 'ok', firedAt: undefined };
		}
	} else if (compare(value, rule.comparison, rule.threshold)) {
		s.value = value;
		if (s.phase === 'ok') s = { ...s, phase: 'pending', since: now };
		if (now - s.since >= rule.forMs) {
			s = { ...s, phase: 'firing', firedAt: now };
			started.push(firing(key, s));
		}
	} else {
		s = { ...s, phase: 'ok', value };
	}
	return s;
}

/** Series that stopped reporting: a pending one is forgotten, a firing one resolves. */
function endSilent(
	series: Record<string, SeriesState>,
	seen: Set<string>,
	ended: FiringSeries[],
): void {
	for (const [key, s] of Object.entries(series)) {
		if (seen.has(key) || s.phase === 'ok') continue;
		if (s.phase === 'firing') ended.push(firing(key, s));
		series[key] = {
			...s,
			phase: 'ok',
			value: null,
			firedAt: undefined,
			gone: s.phase === 'firing',
		};
	}
}

/**
 * What the outside world must be told about a series now (first firing, a repeat, a resolve),
 * if anything; marks `s` as told.
 */
function announce(
	{ rule, resolveThreshold, now }: Judging,
	key: string,
	s: SeriesState,
): RuleEvent | undefined {
	const base = {
		ruleKey: rule.key,
		ruleName: rule.name,
		severity: rule.severity,
		seriesKey: key,
		host: s.host,
		labels: s.labels,
		value: s.value,
		threshold: rule.threshold,
		resolveThreshold,
		comparison: rule.comparison,
		since: s.since,
		at: now,
		...(s.anomaly ? { anomaly: s.anomaly } : {}),
	};
	if (s.phase === 'firing' && !s.notified) {
		s.notified = true;
		s.notifiedAt = now;
		return { ...base, kind: 'firing', repeat: false };
	}
	if (s.phase === 'firing' && rule.repeatMs > 0 && now - (s.notifiedAt ?? now) >= rule.repeatMs) {
		s.notifiedAt = now;
		return { ...base, kind: 'firing', repeat: true };
	}
	if (s.phase !== 'firing' && s.notified) {
		s.notified = false;
		s.notifiedAt = undefined;
		return {
			...base,
			kind: 'resolved',
			repeat: false,
			...(s.gone ? { reason: 'stopped reporting' as const } : {}),
		};
	}
	return undefined;
}

function firing(key: string, s: SeriesState): FiringSeries {
	return { seriesKey: key, host: s.host, labels: s.labels, value: s.value, since: s.since };
}

function shift(s: SeriesState, skew: number): SeriesState {
	if (skew === 0) return { ...s };
	return {
		...s,
		since: s.since - skew,
		firedAt: s.firedAt === undefined ? undefined : s.firedAt - skew,
		notifiedAt: s.notifiedAt === undefined ? undefined : s.notifiedAt - skew,
	};
}
