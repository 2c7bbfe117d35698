/** A rule or trigger setting that cannot work, with what to change (a NodeOperationError in n8n). */
export class AlertConfigError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'AlertConfigError';
	}
}
