/** How urgent an alert is. */
export type Severity = 'info' | 'warning' | 'critical';

/** One alert as it is handed to a workflow, shown on the dashboard and stored in the event log. */
export interface AlertEvent {
	/** Id of the event in the log (grows with every event). */
	eventId?: number;
	alertId?: number;
	/**
	 * firing and resolved come from rules and workflows; acknowledged when someone acknowledged
	 * it (dashboard or signed link); escalated when nobody did within the trigger's escalation
	 * times (`escalationLevel` says which).
	 */
	status: 'firing' | 'resolved' | 'acknowledged' | 'escalated';
	/** `rule` (a trigger's rule) or `workflow` (raised by the Alert resource). */
	source: 'rule' | 'workflow';
	/** What identifies the alert: the rule and series, or the key a workflow gave. */
	key: string;
	rule: string;
	severity: Severity;
	host: string | null;
	metric: string | null;
	labels: Record<string, string>;
	value: number | null;
	threshold: number | null;
	resolveThreshold?: number | null;
	comparison?: string;
	/** Since when the condition holds (Unix ms and ISO). */
	since: number;
	sinceIso: string;
	/** When this event happened. */
	at: number;
	atIso: string;
	repeat: boolean;
	message: string;
	link: string | null;
	reason?: string;
	/**
	 * A signed one-click link that acknowledges the alert (firing and escalated events, when the
	 * trigger knows the dashboard's address); made at hand-over, never stored.
	 */
	ackLink?: string;
	/** Acknowledged events: who (a dashboard user, or `link`) and when. */
	acknowledgedBy?: string;
	acknowledgedAt?: number;
	/** Escalated events: 1 for the first escalation, 2 for the next… */
	escalationLevel?: number;
}

export type { AlertRow } from '../contract/dashboard-api';
