/**
 * Alerts: rules judged on what the store holds (a pure evaluation, core/alerts/evaluate.ts),
 * alerts raised by workflows, and the log of events that Monitoring Trigger nodes hand over.
 */
export { aggregate, NOT_GROWING_DAYS } from './aggregate';
export { AlertConfigError } from './errors';
export { compare, evaluateRule, GONE_AFTER_MS, lookbackMs } from './evaluate';
export {
	dispatchAlerts,
	type DispatchConfig,
	type DispatchResult,
	type DispatchState,
	route,
} from './dispatch';
export {
	buildGroupConfig,
	groupAtOnce,
	type GroupConfig,
	type GroupInput,
	type GroupItem,
} from './group';
export {
	buildInhibitRule,
	type InhibitionConfig,
	type InhibitRule,
	type InhibitRuleInput,
} from './inhibit';
export { listAlerts, type AlertEvent, type AlertRow } from './ledger';
export { dueLevel, parseEscalation, type EscalationPolicy } from './escalation';
export { acknowledgeAlert, decide, type Decision, type GateState } from './lifecycle';
export {
	ackLink,
	DEFAULT_ACK_LINK_MS,
	LINK_SECRET,
	signLink,
	verifyLink,
	type LinkCheck,
	type LinkPurpose,
} from './links';
export { dashboardLink, eventMessage } from './message';
export { observe } from './observe';
export { pollAlerts, previewAlerts, withAckLinks, type PollOptions, type PollResult } from './poll';
export { PRESETS, type PresetName } from './presets';
export { raiseAlert, resolveAlert, type RaiseRequest } from './raise';
export {
	checkTimeZone,
	inQuietHours,
	isQuiet,
	parseClock,
	type MaintenanceWindow,
	type QuietHours,
	type Schedule,
} from './schedule';
export {
	buildSilence,
	createSilence,
	expireSilence,
	isActive,
	listSilences,
	MAX_SILENCE_MS,
	silencedBy,
	silenceMatches,
	toSilenceRow,
	type SilenceRecord,
} from './silences';
export * from './types';
export {
	buildRule,
	checkDistinctNames,
	checkRuleAgainstStore,
	closestNames,
	parseLabelFilter,
	type RuleInput,
} from './validate';
