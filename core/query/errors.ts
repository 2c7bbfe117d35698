/**
 * Bad input to a query (a reversed range, an unknown host name that is too long, an absurd
 * number of points). Its message is meant for the caller as is: the dashboard server answers
 * it with a 400 and the message, never with a stack trace.
 */
export class QueryError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'QueryError';
	}
}
