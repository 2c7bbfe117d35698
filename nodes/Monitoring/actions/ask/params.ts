import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { readStore } from '../../../../core/pipeline';
import {
	ANSWER_BUDGET_CHARS,
	DEFAULT_MAX_LINES,
	MAX_BUDGET_CHARS,
	MAX_LINES,
	MIN_BUDGET_CHARS,
} from '../../../../core/query/ask';
import type { StoreReader } from '../../../../core/store';
import { getStoreConfig } from '../../../shared/store-config';
import { toNodeError } from '../../helpers/collect';
import { readChoice, readInteger, readText } from '../../helpers/parameters';

/** The ranges a question can cover, shortest first; the value is what a model writes. */
export const ASK_RANGES: Record<string, number> = {
	'1h': 3_600_000,
	'6h': 6 * 3_600_000,
	'24h': 86_400_000,
	'7d': 7 * 86_400_000,
	'30d': 30 * 86_400_000,
};

export const show = (operation: string) => ({
	show: { resource: ['ask'], operation: [operation] },
});

export function hostField(operation: string): INodeProperties {
	return {
		displayName: 'Host Name',
		name: 'host',
		type: 'string',
		default: '',
		required: true,
		description: 'The host exactly as stored (Find lists the names)',
		displayOptions: show(operation),
	};
}

export function readHost(ctx: IExecuteFunctions, itemIndex: number): string {
	return readText(ctx, ctx.getNodeParameter('host', itemIndex, ''), {
		name: 'Host Name',
		max: 255,
		required: true,
		description: 'Enter the host exactly as stored; Ask > Find lists the names.',
		itemIndex,
	});
}

export function rangeField(operation: string, defaultRange: string): INodeProperties {
	return {
		displayName: 'Range',
		name: 'range',
		type: 'options',
		options: [
			{ name: 'Last Hour', value: '1h' },
			{ name: 'Last 6 Hours', value: '6h' },
			{ name: 'Last 24 Hours', value: '24h' },
			{ name: 'Last 7 Days', value: '7d' },
			{ name: 'Last 30 Days', value: '30d' },
		],
		default: defaultRange,
		description: 'How far back to look: one of 1h, 6h, 24h, 7d, 30d',
		displayOptions: show(operation),
	};
}

export function budgetField(operation: string): INodeProperties {
	return {
		displayName: 'Max Characters',
		name: 'maxChars',
		type: 'number',
		typeOptions: { minValue: MIN_BUDGET_CHARS, maxValue: MAX_BUDGET_CHARS },
		default: ANSWER_BUDGET_CHARS,
		description: `The answer's text is at most this many characters (${MIN_BUDGET_CHARS} to ${MAX_BUDGET_CHARS}); lines past it are left out and counted`,
		displayOptions: show(operation),
	};
}

export function maxLinesField(operation: string): INodeProperties {
	return {
		displayName: 'Max Lines',
		name: 'maxLines',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_LINES },
		default: DEFAULT_MAX_LINES,
		description: 'At most this many lines in the list, worst or best match first',
		displayOptions: show(operation),
	};
}

export function readRange(ctx: IExecuteFunctions, itemIndex: number, fallback: string): number {
	const range = readChoice(ctx, ctx.getNodeParameter('range', itemIndex, fallback), {
		name: 'Range',
		choices: Object.keys(ASK_RANGES),
		fallback,
		itemIndex,
	});
	return ASK_RANGES[range];
}

export function readBudget(ctx: IExecuteFunctions, itemIndex: number): number {
	return readInteger(ctx, ctx.getNodeParameter('maxChars', itemIndex, ANSWER_BUDGET_CHARS), {
		name: 'Max Characters',
		min: MIN_BUDGET_CHARS,
		max: MAX_BUDGET_CHARS,
		fallback: ANSWER_BUDGET_CHARS,
		itemIndex,
	});
}

export function readMaxLines(ctx: IExecuteFunctions, itemIndex: number): number {
	return readInteger(ctx, ctx.getNodeParameter('maxLines', itemIndex, DEFAULT_MAX_LINES), {
		name: 'Max Lines',
		min: 1,
		max: MAX_LINES,
		fallback: DEFAULT_MAX_LINES,
		itemIndex,
	});
}

/**
 * Runs one question against the store and makes its item. A QueryError (a name the store cannot
 * hold, an unknown kind) is the caller's to fix: a NodeOperationError that says what is wrong.
 */
export async function answer(
	ctx: IExecuteFunctions,
	itemIndex: number,
	question: (store: StoreReader) => Promise<object>,
	hint: string,
): Promise<INodeExecutionData[]> {
	try {
		const json = await readStore(await getStoreConfig(ctx, itemIndex), question);
		return [{ json: json as INodeExecutionData['json'], pairedItem: { item: itemIndex } }];
	} catch (error) {
		if (error instanceof Error && error.name === 'QueryError')
			throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: hint });
		throw toNodeError(ctx, error, itemIndex);
	}
}
