import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { AlertConfigError } from '../../../../core/alerts';
import { toNodeError } from '../../helpers/collect';

/** A silence that cannot be (no matcher, no reason, an end in the past) says what to change. */
export function silenceError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError {
	if (error instanceof AlertConfigError)
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: error.hint,
		});
	return toNodeError(ctx, error, itemIndex);
}
