/**
 * A store that cannot be opened or written. `message` says what is wrong, `hint` what to do;
 * the node turns both into a NodeOperationError.
 */
export class StoreError extends Error {
	constructor(
		message: string,
		readonly hint: string,
		options?: { cause?: unknown },
	) {
		super(message, options);
		this.name = 'StoreError';
	}
}
