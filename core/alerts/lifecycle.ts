import type { AckResult } from '../contract/dashboard-api';
import type { AlertEvent } from '../model';
import type { AlertLedger, AlertLifecycleRow, SilenceRecord, StoreReader } from '../store';
import { dueLevel, type EscalationPolicy } from './escalation';
import { silencedBy } from './silences';

/** What is known about an alert when one of its events is to be handed to workflows. */
export interface GateState {
	/** When its firing was handed over; null while none was. */
	handedAt: number | null;
	ackedAt: number | null;
	/** A silence holds its firing back (owed once the silence ends). */
	heldBy: number | null;
}

/**
 * What happens to an event: `log` it for the triggers to hand over; `hold` a first firing
 * under a silence (owed when the silence ends); `drop` it; `release` (drop, and nothing is owed
 * any more: the alert resolved while a silence held its firing, so nobody was ever told).
 */
export type Decision = 'log' | 'hold' | 'drop' | 'release';

/**
 * The lifecycle as a pure function of the event, the alert's state and whether a silence covers
 * it now. A workflow hears of an alert's resolve, acknowledgement or escalation only if it heard
 * of its firing, so what a workflow opened (a ticket, a page) is always closed, and nothing is
 * closed that was never opened; an acknowledged alert neither repeats nor escalates.
 */
export function decide(
	event: Pick<AlertEvent, 'status' | 'repeat'>,
	alert: GateState,
	silenced: boolean,
): Decision {
	const held = alert.heldBy !== null;
	switch (event.status) {
		case 'firing':
			if (!event.repeat) return held ? 'drop' : silenced ? 'hold' : 'log';
			return held || silenced || alert.ackedAt !== null ? 'drop' : 'log';
		case 'resolved':
			return held ? 'release' : 'log';
		case 'acknowledged':
			return held ? 'drop' : 'log';
		case 'escalated':
			return held || silenced || alert.ackedAt !== null ? 'drop' : 'log';
	}
}

/**
 * Logs an event of an alert for the triggers, or holds, drops or releases it (see `decide`),
 * inside the caller's transaction. Returns the decision.
 */
export async function handOver(
	ledger: AlertLedger,
	scope: string,
	alertId: number,
	event: AlertEvent,
	silences: readonly SilenceRecord[],
	now: number,
): Promise<Decision> {
	const alert = alertId ? await ledger.lifecycle.alert(alertId) : undefined;
	if (!alert) {
		await ledger.logEvent(scope, alertId, event);
		return 'log';
	}
	const silence = silencedBy(silences, alert, now);
	const decision = decide(event, alert, silence !== undefined);
	if (decision === 'log') {
		await ledger.logEvent(scope, alertId, event);
		if (event.status === 'firing') await ledger.lifecycle.markHanded(alertId, now);
	} else if (decision === 'hold') {
		await ledger.lifecycle.hold(alertId, silence!.id, JSON.stringify({ ...event, alertId }));
	} else if (decision === 'release') {
		await ledger.lifecycle.unhold(alertId);
	}
	return decision;
}

/**
 * Alerts whose firing a silence held back and that no silence covers any more: their firing is
 * handed over now, once (the hold is cleared in the same transaction as the event is logged, so
 * a second poll, or a poll after a restart, finds nothing owed).
 */
export async function releaseHeld(
	ledger: AlertLedger,
	silences: readonly SilenceRecord[],
	now: number,
): Promise<number> {
	let released = 0;
	for (const alert of await ledger.lifecycle.held()) {
		if (silencedBy(silences, alert, now)) continue;
		let event: AlertEvent;
		try {
			event = JSON.parse(alert.heldEvent ?? '') as AlertEvent;
		} catch {
			event = eventOf(alert, 'firing', now, alert.message);
		}
		await ledger.logEvent(alert.scope, alert.id, {
			...event,
			at: now,
			atIso: new Date(now).toISOString(),
		});
		await ledger.lifecycle.unhold(alert.id);
		await ledger.lifecycle.markHanded(alert.id, now);
		released++;
	}
	return released;
}

/**
 * Escalates a trigger's alerts that nobody acknowledged: one `escalated` event when an alert
 * reaches a new level (a long stop or a clock jump forward reaches the highest due level in one
 * event, not one per level missed). Quiet hours and maintenance (`quiet`) and silences wait.
 */
export async function escalate(
	ledger: AlertLedger,
	scope: string,
	policy: EscalationPolicy,
	silences: readonly SilenceRecord[],
	now: number,
	quiet: (host: string) => boolean,
): Promise<void> {
	for (const alert of await ledger.lifecycle.unacknowledged(scope)) {
		const level = dueLevel(policy, now - alert.handedAt!);
		if (level <= alert.escalationLevel || quiet(alert.host ?? '')) continue;
		if (silencedBy(silences, alert, now)) continue;
		await ledger.lifecycle.setEscalation(alert.id, level, now);
		const minutes = Math.round((now - alert.handedAt!) / 60_000);
		await ledger.logEvent(scope, alert.id, {
			...eventOf(
				alert,
				'escalated',
				now,
				`Escalated (level ${level}, not acknowledged for ${minutes} min): ${alert.message}`,
			),
			escalationLevel: level,
		});
	}
}

/** An event about a stored alert (acknowledged, escalated, or a firing rebuilt). */
function eventOf(
	alert: AlertLifecycleRow,
	status: AlertEvent['status'],
	now: number,
	message: string,
): AlertEvent {
	return {
		alertId: alert.id,
		status,
		source: alert.source === 'workflow' ? 'workflow' : 'rule',
		// Workflow alerts are handed over under the key the workflow gave.
		key: alert.source === 'workflow' ? alert.alertKey.replace(/^workflow\|/, '') : alert.alertKey,
		rule: alert.rule,
		severity: alert.severity as AlertEvent['severity'],
		host: alert.host,
		metric: alert.metric,
		labels: alert.labels,
		value: alert.value,
		threshold: alert.threshold,
		since: alert.startedAt,
		sinceIso: new Date(alert.startedAt).toISOString(),
		at: now,
		atIso: new Date(now).toISOString(),
		repeat: false,
		message,
		link: alert.link,
	};
}

/**
 * Acknowledges an alert (from the dashboard or a signed link): it stops repeating and
 * escalating, and an `acknowledged` event goes to the triggers of its workflows. Acknowledging
 * twice keeps the first; a resolved or unknown alert is left as it is.
 */
export async function acknowledgeAlert(
	store: Pick<StoreReader, 'alerts'>,
	request: { alertId: number; by: string; now: number },
): Promise<AckResult> {
	const { alertId, now } = request;
	const by = request.by.trim().slice(0, 255) || 'unknown';
	return await store.alerts.transaction(async (ledger) => {
		const alert = await ledger.lifecycle.alert(alertId);
		if (!alert) return { outcome: 'unknown', alertId, ackedBy: null, ackedAt: null };
		if (alert.ackedAt !== null)
			return { outcome: 'already', alertId, ackedBy: alert.ackedBy, ackedAt: alert.ackedAt };
		if (alert.status !== 'firing')
			return { outcome: 'resolved', alertId, ackedBy: null, ackedAt: null };
		// Two acknowledgements at once (PostgreSQL runs them side by side): one row is changed,
		// the other finds it acknowledged and logs nothing.
		if (!(await ledger.lifecycle.acknowledge(alertId, by, now))) {
			const first = await ledger.lifecycle.alert(alertId);
			return {
				outcome: 'already',
				alertId,
				ackedBy: first?.ackedBy ?? null,
				ackedAt: first?.ackedAt ?? null,
			};
		}
		const silences = await ledger.lifecycle.silences(now);
		await handOver(
			ledger,
			alert.scope,
			alertId,
			{
				...eventOf(alert, 'acknowledged', now, `Acknowledged by ${by}: ${alert.message}`),
				acknowledgedBy: by,
				acknowledgedAt: now,
			},
			silences,
			now,
		);
		return { outcome: 'acknowledged', alertId, ackedBy: by, ackedAt: now };
	});
}
