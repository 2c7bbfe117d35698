import type { IncomingMessage } from 'node:http';

import { acknowledgeAlert, createSilence, expireSilence } from '../../core/alerts';
import type {
	ActionRoute,
	AckBody,
	DashboardActions,
	ExpireSilenceBody,
	SilenceBody,
} from '../../core/contract/dashboard-api';
import type { MonitoringStore } from '../../core/store';

/** The largest body a POST may carry: a silence form is well under 4 KB. */
const MAX_BODY = 64 * 1024;

export class ActionError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

/** What every action gets: the store, who is logged in, the time. */
export interface ActionContext {
	store: MonitoringStore;
	user: string;
	now: number;
}

type Actions = {
	[A in ActionRoute]: (
		body: DashboardActions[A]['body'],
		ctx: ActionContext,
	) => Promise<DashboardActions[A]['response']>;
};

const ACTIONS: Actions = {
	async ack(body: AckBody, { store, user, now }) {
		const alertId = Number(body.alertId);
		if (!Number.isSafeInteger(alertId) || alertId < 1)
			throw new ActionError(400, 'alertId must be the id of an alert');
		return await acknowledgeAlert(store, { alertId, by: user, now });
	},
	async silences(body: SilenceBody, { store, user, now }) {
		return await createSilence(store, body, user, now);
	},
	async 'expire-silence'(body: ExpireSilenceBody, { store, now }) {
		const id = Number(body.id);
		if (!Number.isSafeInteger(id) || id < 1)
			throw new ActionError(400, 'id must be the id of a silence');
		return { expired: await expireSilence(store, id, now) };
	},
};

/** The routes that change something, posted to /api/<name>. */
export const ACTION_ROUTES = Object.keys(ACTIONS) as ActionRoute[];

export function isAction(name: string): name is ActionRoute {
	return Object.hasOwn(ACTIONS, name);
}

export async function runAction(name: ActionRoute, req: IncomingMessage, ctx: ActionContext) {
	const body = await readJson(req);
	return await (ACTIONS[name] as (b: unknown, c: ActionContext) => Promise<unknown>)(body, ctx);
}

/**
 * The JSON body of a POST. Inside n8n the webhook has parsed it already (`req.body`); the CLI's
 * server hands over the stream.
 */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	const type = String(req.headers['content-type'] ?? '');
	if (!/^application\/json\b/i.test(type))
		throw new ActionError(415, 'send the body as application/json');
	const parsed = (req as IncomingMessage & { body?: unknown }).body;
	let value: unknown = parsed;
	if (parsed === undefined || typeof parsed === 'string' || Buffer.isBuffer(parsed)) {
		const text =
			parsed === undefined ? await readStream(req) : Buffer.from(parsed as string).toString('utf8');
		try {
			value = text.trim() ? JSON.parse(text) : {};
		} catch {
			throw new ActionError(400, 'the body is not JSON');
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value))
		throw new ActionError(400, 'the body must be a JSON object');
	return value as Record<string, unknown>;
}

async function readStream(req: IncomingMessage): Promise<string> {
	const parts: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY) throw new ActionError(413, 'the body is too large');
		parts.push(chunk as Buffer);
	}
	return Buffer.concat(parts).toString('utf8');
}
