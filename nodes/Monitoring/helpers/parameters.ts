import os from 'node:os';

import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

/**
 * An integer parameter checked in code: n8n's min/max hints do not hold for values that come
 * from expressions.
 */
export function readInteger(
	ctx: IExecuteFunctions,
	value: unknown,
	spec: { name: string; min: number; max: number; fallback: number; itemIndex: number },
): number {
	if (value === undefined || value === null || value === '') return spec.fallback;
	const n = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < spec.min || n > spec.max) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${spec.name} must be a whole number from ${spec.min} to ${spec.max}, not ${JSON.stringify(value)}`,
			{
				itemIndex: spec.itemIndex,
				description: `Set ${spec.name} to a whole number between ${spec.min} and ${spec.max}.`,
			},
		);
	}
	return n;
}

/** The Host Name parameter, or this machine's host name when it is empty. */
export function hostNameParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return (ctx.getNodeParameter('hostName', itemIndex, '') as string).trim() || os.hostname();
}
