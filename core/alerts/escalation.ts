import { AlertConfigError } from './errors';

/** When an unacknowledged alert escalates: level i+1 once it was handed over `levelsMs[i]` ago. */
export interface EscalationPolicy {
	levelsMs: number[];
}

const MAX_LEVELS = 10;

/**
 * "30" escalates at 30, 60, 90… minutes up to `levels` times; "15, 60, 240" at those minutes
 * after the alert was first handed over. Empty: no escalation.
 */
export function parseEscalation(text: unknown, levels: unknown = 3): EscalationPolicy | undefined {
	const raw = text === undefined || text === null ? '' : String(text).trim();
	if (!raw) return undefined;
	const parts = raw.split(/[\s,;]+/).filter(Boolean);
	const minutes = parts.map(Number);
	if (minutes.some((m) => !Number.isFinite(m) || m <= 0) || minutes.length > MAX_LEVELS)
		throw new AlertConfigError(
			`Escalate After must be minutes above 0, one number or a list of up to ${MAX_LEVELS}, not ${JSON.stringify(raw.slice(0, 60))}`,
			'Write 30 (every 30 minutes) or 15, 60, 240 (one time per level), or leave it empty.',
		);
	if (minutes.some((m, i) => i > 0 && m <= minutes[i - 1]))
		throw new AlertConfigError(
			`The escalation times must grow: ${raw.slice(0, 60)}`,
			'List each level later than the one before, e.g. 15, 60, 240.',
		);
	if (minutes.length > 1) return { levelsMs: minutes.map((m) => Math.round(m * 60_000)) };
	const count = Number(levels);
	if (!Number.isInteger(count) || count < 1 || count > MAX_LEVELS)
		throw new AlertConfigError(
			`Escalation Levels must be a whole number from 1 to ${MAX_LEVELS}, not ${JSON.stringify(levels)}`,
			'Pick how many times an unacknowledged alert escalates.',
		);
	return {
		levelsMs: Array.from({ length: count }, (_, i) => Math.round(minutes[0] * 60_000 * (i + 1))),
	};
}

/** The level an alert handed over `elapsedMs` ago has reached (0: none; a clock gone back: 0). */
export function dueLevel(policy: EscalationPolicy, elapsedMs: number): number {
	return policy.levelsMs.filter((ms) => elapsedMs >= ms).length;
}
