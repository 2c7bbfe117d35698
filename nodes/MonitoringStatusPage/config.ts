import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { StatusPageConfig, StatusPageItemConfig } from '../../core/query/status-page';
import { checkStatusPageConfig, StatusPageConfigError } from '../../core/query/status-page-config';
import type { UptimeKind } from '../../core/query/uptime';
import { MAX_NAME, readBoolean, readChoice, readText } from '../Monitoring/helpers/parameters';

// Apart from the node's file: n8n's loaders take every function a node file exports for a class.

const KINDS = ['database', 'endpoint', 'host', 'model_server', 'workflow'] as const;

type Ctx = Pick<IWebhookFunctions, 'getNode' | 'getNodeParameter'>;

function bad(ctx: Ctx, message: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { description });
}

function date(ctx: Ctx, value: unknown, what: string): number {
	const ms = typeof value === 'string' && value.trim() ? Date.parse(value) : NaN;
	if (!Number.isFinite(ms))
		bad(
			ctx,
			`${what} is not a date: ${JSON.stringify(value ?? '')}`,
			'Pick a date and time, or remove the window.',
		);
	return ms;
}

/** The page's parameters, checked: what is wrong and what to do, never a half-built page. */
export function readStatusPageConfig(ctx: Ctx): StatusPageConfig {
	const text = (value: unknown, name: string, max: number, required = false) =>
		readText(ctx, value, { name, max, required, itemIndex: 0 });
	const groups = (ctx.getNodeParameter('groups.group', []) as IDataObject[]) ?? [];
	if (!Array.isArray(groups)) bad(ctx, 'Groups must be a list', 'Add groups with Add Group.');
	const config: StatusPageConfig = {
		title: text(ctx.getNodeParameter('title', 'Status'), 'Title', 200, true),
		description: text(ctx.getNodeParameter('pageDescription', ''), 'Description', 2000),
		groups: groups.map((g, gi) => {
			const where = `item of group ${gi + 1}`;
			const items = ((g.items as IDataObject | undefined)?.item ?? []) as IDataObject[];
			return {
				name: text(g.name, `Group Name of group ${gi + 1}`, 200),
				items: (Array.isArray(items) ? items : []).map((i): StatusPageItemConfig => {
					const kind: UptimeKind = readChoice(ctx, i.kind, {
						name: `Kind of an ${where}`,
						choices: KINDS,
						fallback: 'endpoint',
						itemIndex: 0,
					});
					const displayName = text(i.displayName, `Display Name of an ${where}`, 200, true);
					return {
						kind,
						host: text(i.host, `Host Name of ${displayName}`, MAX_NAME),
						name: text(i.name, `Name of ${displayName}`, MAX_NAME) || undefined,
						displayName,
						showDetails: readBoolean(ctx, i.showDetails, {
							name: `Show Details of ${displayName}`,
							fallback: false,
							itemIndex: 0,
						}),
					};
				}),
			};
		}),
	};
	const windows = ctx.getNodeParameter('maintenance.window', []) as IDataObject[];
	config.maintenance = (Array.isArray(windows) ? windows : []).map((w) => {
		const from = date(ctx, w.from, 'From of a maintenance window');
		const to = date(ctx, w.to, 'To of a maintenance window');
		const host = text(w.host, 'The host of a maintenance window', MAX_NAME);
		return {
			from,
			to,
			host: host || undefined,
			note: text(w.note, 'Public Note of a maintenance window', 2000),
		};
	});
	try {
		return checkStatusPageConfig(config);
	} catch (error) {
		// checkStatusPageConfig throws nothing else.
		const { message, hint } = error as StatusPageConfigError;
		bad(ctx, message, hint);
	}
}
