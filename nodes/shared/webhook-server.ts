import type { IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A node:http style handler: the dashboard's, a status page's. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The node's page and each of `subpaths` below it, as static webhook paths of the node's own.
 * n8n has no wildcard paths, and its dynamic ones (`:a`) are keyed by path and method alone (of
 * two nodes only one would serve them) and looked up under the node's webhookId, not its path.
 * Only the page's address shows in the editor (ndvHideUrl); a browser needs no method.
 */
export function pageWebhooks(subpaths: {
	GET: readonly string[];
	POST?: readonly string[];
}): IWebhookDescription[] {
	return [
		{
			name: 'default',
			httpMethod: 'GET',
			responseMode: 'onReceived',
			path: '={{$parameter["path"]}}',
			isFullPath: true,
			ndvHideMethod: true,
		},
		...(['GET', 'POST'] as const).flatMap((method) =>
			(subpaths[method] ?? []).map(
				(sub): IWebhookDescription => ({
					name: 'default',
					httpMethod: method,
					responseMode: 'onReceived',
					path: `={{$parameter["path"] + "${sub}"}}`,
					isFullPath: true,
					ndvHideUrl: true,
				}),
			),
		),
	];
}

/** The page's path as requests reach the node, without a trailing slash: '/webhook/status'. */
export function pagePath(ctx: IWebhookFunctions): string {
	return new URL(ctx.getNodeWebhookUrl('default') ?? '/', 'http://n8n').pathname.replace(
		/\/+$/,
		'',
	);
}

const MAX_HANDLERS = 32;

/**
 * Answers the request with the handler made for these options, made once per configuration so
 * that its caches and shared in-flight queries live across requests. The key is hashed because
 * the options hold credentials; the oldest handlers go once there are more than MAX_HANDLERS
 * (each edit of a node's parameters makes a new configuration).
 */
export async function serveWith<O>(
	ctx: IWebhookFunctions,
	handlers: Map<string, RequestHandler>,
	options: O,
	create: (options: O) => RequestHandler,
): Promise<IWebhookResponseData> {
	const key = createHash('sha256').update(JSON.stringify(options)).digest('hex');
	let handler = handlers.get(key);
	if (handler) handlers.delete(key);
	else handler = create(options);
	handlers.set(key, handler);
	while (handlers.size > MAX_HANDLERS) handlers.delete(handlers.keys().next().value as string);
	await handler(ctx.getRequestObject(), ctx.getResponseObject());
	return { noWebhookResponse: true };
}
