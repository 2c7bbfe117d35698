/** A number from a window of samples. */
export type Aggregation =
	| 'last'
	| 'avg'
	| 'min'
	| 'max'
	| 'rate'
	| 'consecutiveZero'
	| 'daysUntil'
	/** How unusual the window's mean is for its hours (core/analysis/anomaly.ts), in spreads. */
	| 'anomaly';
export type Comparison = '>' | '>=' | '<' | '<=';
import type { Judged } from '../analysis/anomaly';
import type { Severity } from '../model';

export type { Severity };

/** What a rule watches: a stored metric, or a silence that the store can tell about. */
export type RuleSource =
	| {
			kind: 'metric';
			metric: string;
			/** Exact host name, or a pattern with `*`; empty or `*` for every host. */
			host?: string;
			/** Only series whose labels have exactly these values. */
			labels?: Record<string, string>;
			aggregation: Aggregation;
			windowMs: number;
			/** For `daysUntil`: the value the fitted line is projected to reach (100 for a percentage). */
			limit?: number;
			/** For `anomaly`: which side counts; both by default. */
			direction?: 'up' | 'down' | 'both';
			/** For `anomaly`: hours of history before a series is judged; 24 by default. */
			minHistoryHours?: number;
			/** For `anomaly`: the smallest spread, in the metric's unit (a percentage point for CPU). */
			minSpread?: number;
	  }
	/** A host whose collector stopped reporting: the value is minutes since its last run. */
	| { kind: 'silentHost'; collector: string; host?: string }
	/** A workflow without a successful run: the value is hours since its last success. */
	| { kind: 'workflowWithoutSuccess'; workflow?: string };

export interface AlertRule {
	/** Stable identity of the rule within its trigger: its state is kept under this key. */
	key: string;
	name: string;
	source: RuleSource;
	comparison: Comparison;
	threshold: number;
	/** Firing stops only once the value is back past this one (hysteresis); the threshold when unset. */
	resolveThreshold?: number;
	/** How long the condition must hold before the rule fires; 0 fires at once. */
	forMs: number;
	severity: Severity;
	/** Notify again every so often while firing; 0 is off. */
	repeatMs: number;
	/** The unit of the value and threshold, for messages. */
	unit?: string;
	/**
	 * The preset the rule comes from. A preset watches what a machine may not have (a GPU, an
	 * endpoint check): where its metric is not collected it waits instead of failing the trigger.
	 */
	preset?: string;
}

/** A preset that cannot be judged on this store, and why: a notice, not an error. */
export interface InactiveRule {
	rule: string;
	metric: string;
	reason: string;
}

/** One series (or host, or workflow) a rule judges on its own, with its recent points. */
export interface Observed {
	/** Identity within the rule: host plus labels. */
	key: string;
	host: string;
	labels: Record<string, string>;
	/** Points in the lookback, oldest first (time in Unix ms). */
	points: Array<[number, number]>;
	/** For `anomaly` rules: the window judged against the series' baseline (observe.ts). */
	anomaly?: Judged | { status: string; score: null };
}

export type Phase = 'pending' | 'firing' | 'ok';

export interface SeriesState {
	phase: Phase;
	host: string;
	labels: Record<string, string>;
	/** When the condition started to hold (pending or firing since). */
	since: number;
	firedAt?: number;
	/** Whether the outside world was told that it fires (and not yet that it resolved). */
	notified: boolean;
	notifiedAt?: number;
	value: number | null;
	/** Resolved because it stopped reporting (kept until that is told). */
	gone?: boolean;
	/** For `anomaly` rules: what was observed and expected when the value was last known. */
	anomaly?: Judged;
}

/** What a rule remembers between evaluations: only series that are not plainly ok. */
export interface RuleState {
	evaluatedAt: number;
	series: Record<string, SeriesState>;
}

export interface RuleEvent {
	kind: 'firing' | 'resolved';
	ruleKey: string;
	ruleName: string;
	severity: Severity;
	seriesKey: string;
	host: string;
	labels: Record<string, string>;
	/** The value that decided it; null when the series stopped reporting. */
	value: number | null;
	threshold: number;
	resolveThreshold: number;
	comparison: Comparison;
	/** When the condition started to hold. */
	since: number;
	at: number;
	/** A reminder while still firing (Repeat Every). */
	repeat: boolean;
	/** Why it resolved when not by its value. */
	reason?: 'stopped reporting';
	/** For `anomaly` rules: observed value, expected range, direction, since when. */
	anomaly?: Judged;
}

/** A series that fires now, notified or not (for the dashboard during quiet hours too). */
export interface FiringSeries {
	seriesKey: string;
	host: string;
	labels: Record<string, string>;
	value: number | null;
	since: number;
}

export interface Evaluation {
	state: RuleState;
	events: RuleEvent[];
	/** Phase changes into and out of firing, whether notified or held back by quiet hours. */
	started: FiringSeries[];
	ended: FiringSeries[];
}
