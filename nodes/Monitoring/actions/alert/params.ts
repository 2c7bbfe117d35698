import type { IExecuteFunctions } from 'n8n-workflow';

import { readText } from '../../helpers/parameters';

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
	return readText(ctx, ctx.getNodeParameter(name, itemIndex, '') as unknown, {
		name: label,
		itemIndex,
		...spec,
	});
}

export const alertKey = (ctx: IExecuteFunctions, itemIndex: number) =>
	textParameter(ctx, 'key', 'Key', itemIndex, { required: true, max: MAX_KEY });

export const MAX_MESSAGE = MAX_TEXT;
