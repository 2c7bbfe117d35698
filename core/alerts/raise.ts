import type { AlertEvent } from '../model';
import type { StoreReader } from '../store';
import { handOver } from './lifecycle';
import type { Severity } from './types';

export interface RaiseRequest {
	key: string;
	/** What people read as the alert's name; the key (stable, for deduplication) when absent. */
	title?: string;
	severity: Severity;
	message: string;
	host?: string;
	link?: string;
	/** Resolve by itself after this long; 0 or undefined keeps it open until resolved. */
	resolveAfterMs?: number;
	now: number;
}

export interface RaiseResult {
	alertId: number;
	/** False when an alert with this key was already open (it is updated, not duplicated). */
	created: boolean;
	event?: AlertEvent;
}

const alertKey = (key: string) => `workflow|${key}`;

function event(
	status: AlertEvent['status'],
	r: Omit<RaiseRequest, 'now' | 'resolveAfterMs'>,
	since: number,
	now: number,
): AlertEvent {
	return {
		status,
		source: 'workflow',
		key: r.key,
		rule: r.title || r.key,
		severity: r.severity,
		host: r.host ?? null,
		metric: null,
		labels: {},
		value: null,
		threshold: null,
		since,
		sinceIso: new Date(since).toISOString(),
		at: now,
		atIso: new Date(now).toISOString(),
		repeat: false,
		message: r.message,
		link: r.link ?? null,
	};
}

/**
 * An alert raised by a workflow (a failed import, a business check): into the same store,
 * dashboard and triggers as the rules' alerts. Raising a key that is open updates it.
 */
export async function raiseAlert(
	store: Pick<StoreReader, 'alerts'>,
	r: RaiseRequest,
): Promise<RaiseResult> {
	return await store.alerts.transaction(async (ledger) => {
		const e = event('firing', r, r.now, r.now);
		// The alert row holds what its first event says, under the ledger's key for it.
		const { id, created } = await ledger.open({
			...e,
			scope: '',
			key: alertKey(r.key),
			startedAt: r.now,
			now: r.now,
			expiresAt: r.resolveAfterMs ? r.now + r.resolveAfterMs : null,
		});
		if (!created) return { alertId: id, created };
		// A silence may hold it back from the triggers (core/alerts/lifecycle.ts).
		await handOver(ledger, '', id, e, await ledger.lifecycle.silences(r.now), r.now);
		return { alertId: id, created, event: { ...e, alertId: id } };
	});
}

/** Resolves the open alert of a key; `resolved` is false when none was open. */
export async function resolveAlert(
	store: Pick<StoreReader, 'alerts'>,
	r: { key: string; message?: string; now: number },
): Promise<{ resolved: boolean; alertId?: number }> {
	return await store.alerts.transaction(async (ledger) => {
		const open = await ledger.openWorkflowAlert(alertKey(r.key));
		if (!open) return { resolved: false };
		const message = r.message || `Resolved: ${open.message}`;
		const id = await ledger.close(alertKey(r.key), r.now, { message: open.message });
		await handOver(
			ledger,
			'',
			id!,
			event(
				'resolved',
				{
					key: r.key,
					title: open.rule,
					severity: open.severity,
					message,
					host: open.host ?? undefined,
					link: open.link ?? undefined,
				},
				open.startedAt,
				r.now,
			),
			await ledger.lifecycle.silences(r.now),
			r.now,
		);
		return { resolved: true, alertId: id! };
	});
}
