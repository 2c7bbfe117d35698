import type { SilenceBody, SilenceRow } from '../contract/dashboard-api';
import type { SilenceRecord, StoreReader } from '../store';
import { AlertConfigError } from './errors';
import { matchesHost as matchesGlob } from './match';
import { parseLabelFilter } from './validate';

export type { SilenceRecord };

/** The longest a silence may last: a forgotten one should not mute an alert for ever. */
export const MAX_SILENCE_MS = 366 * 24 * 3_600_000;
const MAX_TEXT = 255;
const MAX_REASON = 1000;

/** What a silence is matched against: an alert's host, rule (its name) and labels. */
export interface Silenceable {
	host: string | null;
	rule: string;
	labels: Record<string, string>;
}

/** A silence in force at `now`: started and not ended. */
export function isActive(s: Pick<SilenceRecord, 'startsAt' | 'endsAt'>, now: number): boolean {
	return s.startsAt <= now && now < s.endsAt;
}

/**
 * Whether a silence covers an alert: every matcher it has must match (`*` in a pattern matches
 * any text; a label the alert lacks matches only `*`).
 */
export function silenceMatches(s: Pick<SilenceRecord, 'host' | 'rule' | 'labels'>, a: Silenceable) {
	if (s.host !== null && !matchesGlob(s.host, a.host ?? '')) return false;
	if (s.rule !== null && !matchesGlob(s.rule, a.rule)) return false;
	return Object.entries(s.labels).every(([name, pattern]) =>
		pattern.trim() === '*' ? true : name in a.labels && matchesGlob(pattern, a.labels[name]),
	);
}

/** The first of `silences` in force at `now` that covers the alert. */
export function silencedBy(
	silences: readonly SilenceRecord[],
	a: Silenceable,
	now: number,
): SilenceRecord | undefined {
	return silences.find((s) => isActive(s, now) && silenceMatches(s, a));
}

function text(value: unknown, what: string, max: number): string {
	if (value !== null && value !== undefined && typeof value === 'object')
		throw new AlertConfigError(`${what} must be text`, `Write ${what} as text.`);
	const s = value === null || value === undefined ? '' : String(value).trim();
	if (s.length > max)
		throw new AlertConfigError(
			`${what} is ${s.length} characters long; at most ${max} are allowed`,
			`Shorten ${what}.`,
		);
	return s;
}

function time(value: unknown, what: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms =
		typeof value === 'number'
			? value
			: /^\d{1,15}$/.test(String(value))
				? Number(value)
				: Date.parse(String(value));
	if (!Number.isFinite(ms) || ms < 0)
		throw new AlertConfigError(
			`${what} is not a time: ${JSON.stringify(String(value)).slice(0, 60)}`,
			'Give an ISO date such as 2026-12-24T18:00:00Z.',
		);
	return ms;
}

/**
 * A silence from what a person typed (dashboard form, Alert resource): at least one matcher,
 * a reason, and an end after its start, within a year.
 */
export function buildSilence(
	input: SilenceBody,
	author: string,
	now: number,
): Omit<SilenceRecord, 'id'> {
	const host = text(input.host, 'Host', MAX_TEXT);
	const rule = text(input.rule, 'Rule', MAX_TEXT);
	const labels = parseLabelFilter(input.labels) ?? {};
	for (const [name, value] of Object.entries(labels)) {
		text(name, 'A label name', MAX_TEXT);
		text(value, `The label ${name}`, MAX_TEXT);
	}
	if (!host && !rule && Object.keys(labels).length === 0)
		throw new AlertConfigError(
			'A silence needs at least one matcher: a host, a rule or a label',
			'Enter a host (web-*), a rule name (CPU busy) or labels (mount=/); * silences every alert.',
		);
	const reason = text(input.reason, 'Reason', MAX_REASON);
	if (!reason)
		throw new AlertConfigError(
			'A silence needs a reason',
			'Say why, e.g. "disk replacement, ticket 4711": others see it beside the silenced alerts.',
		);
	const startsAt = time(input.startsAt, 'The start') ?? now;
	let endsAt = time(input.endsAt, 'The end');
	if (endsAt === undefined) {
		const minutes = Number(input.durationMinutes);
		if (!Number.isFinite(minutes) || minutes <= 0)
			throw new AlertConfigError(
				`A silence needs an end or a duration in minutes above 0, not ${JSON.stringify(input.durationMinutes ?? '')}`,
				'Give the duration (e.g. 120 minutes) or the end time.',
			);
		endsAt = startsAt + Math.round(minutes * 60_000);
	}
	if (endsAt <= startsAt)
		throw new AlertConfigError(
			'A silence must end after it starts',
			'Set the end after the start.',
		);
	if (endsAt <= now)
		throw new AlertConfigError('This silence would already be over', 'Set an end in the future.');
	if (endsAt - startsAt > MAX_SILENCE_MS)
		throw new AlertConfigError(
			'A silence may last at most 366 days',
			'Choose an earlier end; silence again when it runs out.',
		);
	return {
		host: host || null,
		rule: rule || null,
		labels,
		reason,
		author: text(author, 'Author', MAX_TEXT) || 'unknown',
		startsAt,
		endsAt,
		createdAt: now,
	};
}

export function toSilenceRow(s: SilenceRecord, now: number): SilenceRow {
	return { ...s, active: isActive(s, now) };
}

type Store = Pick<StoreReader, 'alerts'>;

export async function createSilence(
	store: Store,
	input: SilenceBody,
	author: string,
	now: number,
): Promise<SilenceRow> {
	const silence = buildSilence(input, author, now);
	return toSilenceRow(await store.alerts.lifecycle.createSilence(silence), now);
}

/** Silences not ended at `now` (active, or starting later). */
export async function listSilences(store: Store, now: number): Promise<SilenceRow[]> {
	return (await store.alerts.lifecycle.silences(now)).map((s) => toSilenceRow(s, now));
}

/** Ends a silence now; what it held back is handed over at the next poll of a trigger. */
export async function expireSilence(store: Store, id: number, now: number): Promise<boolean> {
	return await store.alerts.lifecycle.expireSilence(id, now);
}
