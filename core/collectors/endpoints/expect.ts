import { formatExpected, type StatusRange } from './validate';

/** How much of a server's value goes into a reason. */
const QUOTE_CHARS = 80;

function quote(value: string): string {
	return JSON.stringify(value.length > QUOTE_CHARS ? `${value.slice(0, QUOTE_CHARS)}…` : value);
}

/** Why a status is not one of the expected ones, or undefined when it is. */
export function statusProblem(status: number, expected: StatusRange[]): string | undefined {
	if (expected.some(([lo, hi]) => status >= lo && status <= hi)) return undefined;
	return `status ${status}, expected ${formatExpected(expected)}`;
}

/** Walks a dotted path ("data.items.0.state") through objects and arrays. */
export function valueAtPath(root: unknown, path: string): { found: boolean; value?: unknown } {
	let node: unknown = root;
	for (const key of path.split('.')) {
		if (node === null || typeof node !== 'object') return { found: false };
		if (Array.isArray(node)) {
			if (!/^\d+$/.test(key) || Number(key) >= node.length) return { found: false };
			node = node[Number(key)];
		} else {
			if (!Object.prototype.hasOwnProperty.call(node, key)) return { found: false };
			node = (node as Record<string, unknown>)[key];
		}
	}
	return { found: true, value: node };
}

export interface BodyExpectations {
	bodyContains?: string;
	jsonPath?: string;
	jsonEquals?: string;
}

/**
 * Why a body fails the check's expectations, or undefined. `body` is what was kept (at most the
 * read limit), `truncated` whether more came. A string value compares as is; anything else
 * (number, boolean, null, object) by its JSON text, so jsonEquals "true" matches `true`.
 */
export function bodyProblem(
	body: string,
	truncated: boolean,
	expect: BodyExpectations,
	limitBytes: number,
): string | undefined {
	const within = truncated ? ` (in its first ${Math.round(limitBytes / 1024)} KiB)` : '';
	if (expect.bodyContains && !body.includes(expect.bodyContains)) {
		return `body does not contain ${JSON.stringify(expect.bodyContains)}${within}`;
	}
	if (!expect.jsonPath) return undefined;
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		return truncated
			? `body is larger than ${Math.round(limitBytes / 1024)} KiB; cannot read JSON path ${JSON.stringify(expect.jsonPath)}`
			: `body is not JSON; cannot read JSON path ${JSON.stringify(expect.jsonPath)}`;
	}
	const at = valueAtPath(json, expect.jsonPath.trim());
	if (!at.found) return `JSON path ${JSON.stringify(expect.jsonPath)} not found`;
	if (expect.jsonEquals === undefined) return undefined;
	const actual = typeof at.value === 'string' ? at.value : JSON.stringify(at.value);
	if (actual === expect.jsonEquals) return undefined;
	return `JSON path ${JSON.stringify(expect.jsonPath)} is ${quote(actual)}, expected ${quote(expect.jsonEquals)}`;
}
