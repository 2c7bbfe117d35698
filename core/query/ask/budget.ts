/**
 * The size budget of an answer: models read answers into a limited context, so every answer is a
 * few lines, worst or most useful first, cut at a line boundary with what was left out counted.
 */

/** What an answer holds at most unless asked otherwise (characters of its text). */
export const ANSWER_BUDGET_CHARS = 4000;
/** The budget can be set from here… */
export const MIN_BUDGET_CHARS = 500;
/** …to here. */
export const MAX_BUDGET_CHARS = 20_000;
/** The lines a list answer (Status, Find) holds at most unless asked otherwise. */
export const DEFAULT_MAX_LINES = 20;
export const MAX_LINES = 200;

export interface Answer {
	/** The answer in words, at most the budget's characters. */
	text: string;
	/** Whether lines were left out to keep within the budget or the line count. */
	truncated: boolean;
}

/**
 * A header, then as many lines as fit in `maxLines` and `budget` characters, then a last line
 * that says how many were left out and how to see them. The header always fits (it is cut if
 * it must), so an answer is never empty.
 */
export function fitLines(
	header: string[],
	lines: string[],
	options: { budget: number; maxLines?: number; more?: string },
): Answer {
	const budget = options.budget;
	const maxLines = options.maxLines ?? MAX_LINES;
	const out: string[] = [];
	let used = 0;
	const push = (line: string) => {
		out.push(line);
		used += line.length + 1;
	};
	for (const line of header) {
		if (used + line.length + 1 > budget) break;
		push(line);
	}
	if (out.length === 0) push(header.join(' ').slice(0, Math.max(0, budget - 2)) + '…');
	let shown = 0;
	// Room for the closing line, which is at most ~120 characters.
	const tail = (left: number) =>
		`… ${left} more line${left === 1 ? '' : 's'} left out${options.more ? `: ${options.more}` : ''}.`;
	for (const line of lines) {
		if (shown >= maxLines) break;
		const reserve = shown + 1 < lines.length ? tail(lines.length).length + 1 : 0;
		if (used + line.length + 1 + reserve > budget) break;
		push(line);
		shown++;
	}
	const left = lines.length - shown;
	if (left > 0) {
		const last = tail(left);
		if (used + last.length <= budget) out.push(last);
	}
	return { text: out.join('\n'), truncated: left > 0 };
}

/** A budget or line count asked for, checked (QueryError-free: the node checks its parameters). */
export function clampBudget(chars: number | undefined): number {
	if (chars === undefined || !Number.isFinite(chars)) return ANSWER_BUDGET_CHARS;
	return Math.min(MAX_BUDGET_CHARS, Math.max(MIN_BUDGET_CHARS, Math.round(chars)));
}
