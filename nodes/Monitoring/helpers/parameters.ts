import os from 'node:os';

import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

/** Longest host, database, endpoint or instance name the store keeps (its host columns' width). */
export const MAX_NAME = 255;

type Reader = Pick<IExecuteFunctions, 'getNode'>;

/**
 * An integer parameter checked in code: n8n's min/max hints do not hold for values that come
 * from expressions.
 */
export function readInteger(
	ctx: Reader,
	value: unknown,
	spec: { name: string; min: number; max: number; fallback: number; itemIndex: number },
): number {
	if (value === undefined || value === null || value === '') return spec.fallback;
	const n = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < spec.min || n > spec.max) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${spec.name} must be a whole number from ${spec.min} to ${spec.max}, not ${shown(value)}`,
			{
				itemIndex: spec.itemIndex,
				description: `Set ${spec.name} to a whole number between ${spec.min} and ${spec.max}.`,
			},
		);
	}
	return n;
}

/** The Timeout (Seconds) option of every Collect operation, undefined when it is not set. */
export function readTimeout(ctx: Reader, value: unknown, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return readInteger(ctx, value, { name: 'Timeout', min: 1, max: 600, fallback: 30, itemIndex });
}

/**
 * A text parameter checked in code: an expression can hand over a number (taken as its text), an
 * object, or text the store cannot keep as it is (NUL, half a UTF-16 surrogate pair; PostgreSQL
 * refuses the first and would store the second as U+FFFD), so those are the workflow's to fix.
 */
export function readText(
	ctx: Reader,
	value: unknown,
	spec: {
		name: string;
		itemIndex: number;
		max: number;
		required?: boolean;
		trim?: boolean;
		/** What to enter when it is required and empty. */
		description?: string;
	},
): string {
	const { name, itemIndex } = spec;
	if (value !== null && value !== undefined && typeof value === 'object') {
		throw new NodeOperationError(
			ctx.getNode(),
			`${name} must be text, not ${Array.isArray(value) ? 'a list' : 'an object'}`,
			{ itemIndex, description: `Map ${name} to a text field, e.g. {{ $json.name }}.` },
		);
	}
	const raw = value === null || value === undefined ? '' : String(value);
	// Request bodies and expected answers are sent and compared as they are.
	const text = spec.trim === false ? raw : raw.trim();
	if (spec.required && !text.trim()) {
		throw new NodeOperationError(ctx.getNode(), `${name} is empty`, {
			itemIndex,
			description: spec.description ?? `Enter ${name}.`,
		});
	}
	if (text.length > spec.max) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${name} is ${text.length} characters long; at most ${spec.max} are allowed`,
			{ itemIndex, description: `Shorten ${name}.` },
		);
	}
	if (/\u0000/.test(text) || /[\uD800-\uDFFF]/u.test(text)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${name} contains ${text.includes('\u0000') ? 'a NUL character' : 'half of a UTF-16 surrogate pair'}, which cannot be stored`,
			{
				itemIndex,
				description: `Remove the character from ${name}; if it comes from an expression, clean the text first.`,
			},
		);
	}
	return text;
}

/** An options parameter checked in code: an expression can name a value the list does not have. */
export function readChoice<const T extends string>(
	ctx: Reader,
	value: unknown,
	spec: { name: string; choices: readonly T[]; fallback: T; itemIndex: number },
): T {
	if (value === undefined || value === null || value === '') return spec.fallback;
	if (typeof value !== 'string' || !(spec.choices as readonly string[]).includes(value)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${spec.name} must be ${either(spec.choices)}, not ${shown(value)}`,
			{ itemIndex: spec.itemIndex, description: `Pick ${spec.name} from the list.` },
		);
	}
	return value as T;
}

/** A boolean parameter checked in code: "false" from an expression must not mean true. */
export function readBoolean(
	ctx: Reader,
	value: unknown,
	spec: { name: string; fallback: boolean; itemIndex: number },
): boolean {
	if (value === undefined || value === null || value === '') return spec.fallback;
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw new NodeOperationError(
		ctx.getNode(),
		`${spec.name} must be true or false, not ${shown(value)}`,
		{
			itemIndex: spec.itemIndex,
			description: `Turn ${spec.name} on or off, or map it to a boolean.`,
		},
	);
}

/** `a, b or c` */
function either(choices: readonly string[]): string {
	return choices.length < 2
		? choices.join('')
		: `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
}

/** A value for a message: short, whatever its type. */
function shown(value: unknown): string {
	const text =
		typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The Host Name parameter, or this machine's host name when it is empty. */
export function hostNameParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return (
		readText(ctx, ctx.getNodeParameter('hostName', itemIndex, ''), {
			name: 'Host Name',
			max: MAX_NAME,
			itemIndex,
		}) || os.hostname()
	);
}

/** The options every Collect operation shares: Store and Timeout. */
export function collectSettings(
	ctx: IExecuteFunctions,
	options: { store?: unknown; timeout?: unknown },
	itemIndex: number,
): { store: boolean; timeoutSeconds: number | undefined } {
	return {
		store: readBoolean(ctx, options.store, { name: 'Store', fallback: true, itemIndex }),
		timeoutSeconds: readTimeout(ctx, options.timeout, itemIndex),
	};
}
