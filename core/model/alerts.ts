/** How urgent an alert is. */
export type Severity = 'info' | 'warning' | 'critical';

/** One alert as it is handed to a workflow, shown on the dashboard and stored in the event log. */
export interface AlertEvent {
	/** Id of the event in the log (grows with every event). */
	eventId?: number;
	alertId?: number;
	status: 'firing' | 'resolved';
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
}

export type { AlertRow } from '../contract/dashboard-api';
