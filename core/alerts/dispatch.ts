import type { AlertEvent } from '../model';
import type { StoreReader } from '../store';
import {
	addToGroup,
	alertRef,
	type GroupConfig,
	groupItem,
	type GroupItem,
	type Groups,
	takeDue,
} from './group';
import {
	type AlertLike,
	downHosts,
	type HeldBy,
	inhibitor,
	type InhibitionConfig,
	isCollectedOnHost,
} from './inhibit';

/**
 * Between the event log and a trigger's workflows: inhibition holds events back, grouping
 * gathers them. Everything this needs to remember is in `DispatchState`, which the trigger keeps
 * in its static data beside its cursor: n8n commits both with the execution the poll starts, so
 * a crash in between repeats the items (the log still has their events) and loses none.
 */
export interface DispatchState {
	/** Alerts held back before the workflows heard that they fire: the event to send on release. */
	held: Record<string, { eventId: number; by: string }>;
	groups: Groups;
}

export interface DispatchConfig {
	grouping?: GroupConfig;
	inhibition?: InhibitionConfig;
}

/** What leaves: an event as it is (or let go by an inhibition), or a group. */
export type Delivery =
	| { kind: 'event'; eventId: number; releasedFrom?: string }
	| {
			kind: 'group';
			key: string;
			values: Record<string, string>;
			alerts: GroupAlertRef[];
			repeat: boolean;
	  };

type GroupAlertRef = { eventId: number; firing: boolean; releasedFrom?: string };

export interface RouteContext {
	now: number;
	/** What holds an alert back now; absent: no inhibition. */
	heldBy?: HeldBy;
	/** The alerts firing now, by alertRef: a held one that is not among them is forgotten. */
	firing: ReadonlyMap<string, AlertLike>;
	grouping?: GroupConfig;
	/** Quiet hours for every host: nothing leaves, nothing is let go. */
	quiet: boolean;
}

export const emptyDispatchState = (): DispatchState => ({ held: {}, groups: {} });

/**
 * One poll's routing, pure: the events after the cursor (with their log ids, oldest first) and
 * the state before → the state after and what to send. Events of other kinds than firing and
 * resolved (later kinds of the log) pass as they are.
 */
export function route(
	before: DispatchState,
	events: ReadonlyArray<AlertEvent & { eventId: number }>,
	ctx: RouteContext,
): { state: DispatchState; deliveries: Delivery[] } {
	const state = JSON.parse(JSON.stringify(before)) as DispatchState;
	state.held ??= {};
	state.groups ??= {};
	const passed: Array<{ event: AlertEvent & { eventId: number }; releasedFrom?: string }> = [];
	for (const e of events) {
		const ref = alertRef(e);
		if (e.status === 'firing') {
			const by = ctx.heldBy?.(e) ?? null;
			if (by) {
				// A first firing, or news of one still held: kept for its release. A reminder of an
				// alert the workflows already know of is simply not sent.
				if (!e.repeat || state.held[ref]) state.held[ref] = { eventId: e.eventId, by };
				continue;
			}
			delete state.held[ref];
		} else if (e.status === 'resolved' && state.held[ref]) {
			// Held back from its start to its end: the workflows never heard of it.
			delete state.held[ref];
			continue;
		}
		passed.push({ event: e });
	}
	const released: Array<{ eventId: number; by: string; ref: string }> = [];
	if (!ctx.quiet) {
		for (const [ref, h] of Object.entries(state.held)) {
			const alert = ctx.firing.get(ref);
			// Closed without a resolve in the log (its rule was removed): nothing to tell.
			if (!alert) delete state.held[ref];
			else if (!ctx.heldBy?.(alert)) {
				released.push({ eventId: h.eventId, by: h.by, ref });
				delete state.held[ref];
			}
		}
	}

	if (!ctx.grouping) {
		const deliveries: Delivery[] = [
			...passed.map(({ event }) => ({ kind: 'event' as const, eventId: event.eventId })),
			...released.map((r) => ({ kind: 'event' as const, eventId: r.eventId, releasedFrom: r.by })),
		];
		return { state, deliveries };
	}
	const deliveries: Delivery[] = [];
	for (const { event } of passed) {
		if (event.status === 'firing' || event.status === 'resolved')
			addToGroup(state.groups, event, ctx.grouping, ctx.now);
		// Another kind of event is news of its own: it leaves at once.
		else deliveries.push({ kind: 'event', eventId: event.eventId });
	}
	for (const r of released) {
		const alert = ctx.firing.get(r.ref)!;
		addToGroup(
			state.groups,
			{ ...asEvent(alert), eventId: r.eventId, alertId: alert.id },
			ctx.grouping,
			ctx.now,
			r.by,
		);
	}
	if (!ctx.quiet)
		for (const flush of takeDue(state.groups, ctx.grouping, ctx.now))
			deliveries.push({ kind: 'group', ...flush });
	return { state, deliveries };
}

/** Enough of an event, from a stored alert, to put it in its group. */
function asEvent(a: AlertLike): AlertEvent {
	return {
		status: 'firing',
		source: a.source === 'workflow' ? 'workflow' : 'rule',
		key: a.key,
		rule: a.rule,
		severity: a.severity as AlertEvent['severity'],
		host: a.host,
		metric: a.metric,
		labels: a.labels,
		value: null,
		threshold: null,
		since: 0,
		sinceIso: '',
		at: 0,
		atIso: '',
		repeat: false,
		message: '',
		link: null,
	};
}

/** An event item let go by an inhibition that ended: sent now, saying what held it. */
export type ReleasedEvent = AlertEvent & { released: true; releasedFrom: string };

export interface DispatchResult {
	state: DispatchState;
	items: Array<AlertEvent | ReleasedEvent | GroupItem>;
}

/**
 * One poll's hand-over for a trigger with grouping or inhibition: reads what inhibition needs
 * (hosts down, alerts firing), marks this trigger's firing alerts held or not for the dashboard,
 * routes the events and builds the items from the log.
 */
export async function dispatchAlerts(
	store: Pick<StoreReader, 'samples' | 'runs' | 'alerts'>,
	options: DispatchConfig & {
		scope: string;
		now: number;
		events: AlertEvent[];
		state: DispatchState | undefined;
		quiet: boolean;
	},
): Promise<DispatchResult> {
	const { scope, now } = options;
	const firingRows = await store.alerts.firing();
	const firing = new Map(
		firingRows.map((r) => [alertRef({ alertId: r.id, key: r.key }), { ...r }]),
	);
	// Host states are read only when an alert fires that a down host could hold back.
	const hosts =
		options.inhibition?.hostDown && firingRows.some((r) => isCollectedOnHost(r.metric))
			? await downHosts(store, now)
			: new Map<string, string>();
	const heldBy = options.inhibition ? inhibitor(options.inhibition, hosts, firingRows) : undefined;
	// The dashboard shows what holds each of this trigger's alerts back, whether or not anything
	// is sent now (quiet hours hold everything).
	const marks = firingRows
		.filter((r) => r.source === 'rule' && r.key.startsWith(`${scope}|`))
		.map((r) => ({ id: r.id, by: heldBy?.(r) ?? null, was: r.inhibitedBy }))
		.filter((m) => m.by !== m.was);
	if (marks.length) await store.alerts.transaction((ledger) => ledger.markInhibited(marks));

	const events = options.events.filter((e): e is AlertEvent & { eventId: number } =>
		Number.isFinite(e.eventId),
	);
	const { state, deliveries } = route(options.state ?? emptyDispatchState(), events, {
		now,
		heldBy,
		firing,
		grouping: options.grouping,
		quiet: options.quiet,
	});

	const known = new Map<number, AlertEvent>(events.map((e) => [e.eventId, e]));
	const wanted = new Set<number>();
	for (const d of deliveries)
		for (const id of d.kind === 'event' ? [d.eventId] : d.alerts.map((a) => a.eventId))
			if (!known.has(id)) wanted.add(id);
	for (const e of await store.alerts.eventsByIds([...wanted])) known.set(e.eventId!, e);

	const atNow = (e: AlertEvent, releasedFrom: string): ReleasedEvent => ({
		...e,
		at: now,
		atIso: new Date(now).toISOString(),
		repeat: false,
		released: true,
		releasedFrom,
	});
	const items: DispatchResult['items'] = [];
	for (const d of deliveries) {
		if (d.kind === 'event') {
			const e = known.get(d.eventId);
			if (e) items.push(d.releasedFrom ? atNow(e, d.releasedFrom) : e);
			continue;
		}
		const alerts = d.alerts.flatMap((a) => {
			const e = known.get(a.eventId);
			if (!e) return [];
			return [a.releasedFrom ? atNow(e, a.releasedFrom) : e];
		});
		if (alerts.length) items.push(groupItem(d.key, d.values, alerts, now, d.repeat));
	}
	return { state, items };
}
