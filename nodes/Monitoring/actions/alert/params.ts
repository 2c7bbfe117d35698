import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

const MAX_KEY = 200;
const MAX_TEXT = 4000;

/** A text parameter checked in code: expressions can hand over anything. */
export function textParameter(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	spec: { required?: boolean; max: number },
): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (raw !== null && raw !== undefined && typeof raw === 'object')
		throw new NodeOperationError(ctx.getNode(), `${label} must be text, not an object`, {
			itemIndex,
			description: `Map ${label} to a text field, e.g. {{ $json.name }}.`,
		});
	const value = raw === null || raw === undefined ? '' : String(raw).trim();
	if (spec.required && !value)
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Enter ${label}; it identifies the alert.`,
		});
	if (value.length > spec.max)
		throw new NodeOperationError(
			ctx.getNode(),
			`${label} is ${value.length} characters long; at most ${spec.max} are kept`,
			{ itemIndex, description: `Shorten ${label}.` },
		);
	return value;
}

export const alertKey = (ctx: IExecuteFunctions, itemIndex: number) =>
	textParameter(ctx, 'key', 'Key', itemIndex, { required: true, max: MAX_KEY });

export const MAX_MESSAGE = MAX_TEXT;
