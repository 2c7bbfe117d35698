import type { StatusPageConfig, StatusPageItemConfig } from './status-page';
import { UPTIME_KINDS, type UptimeKind } from './uptime';

/**
 * What a status page's owner wrote, checked the same way whoever reads it: the Monitoring Status
 * Page node (from its parameters) and the standalone `status-page` command (from a JSON file).
 */

export class StatusPageConfigError extends Error {
	constructor(
		message: string,
		/** What to do about it. */
		readonly hint: string,
	) {
		super(message);
	}
}

const MAX_NAME = 255;

function bad(message: string, hint: string): never {
	throw new StatusPageConfigError(message, hint);
}

/**
 * The checks that hold between fields, once each field has its type: an item names the host
 * that checks it (a host may be named in Name alone) and, unless it is a host, its target; a
 * maintenance window ends after it starts. Returns the config with a host-only item normalised.
 */
export function checkStatusPageConfig(config: StatusPageConfig): StatusPageConfig {
	for (const group of config.groups) {
		group.items = group.items.map((item): StatusPageItemConfig => {
			const host = item.host || (item.kind === 'host' ? (item.name ?? '') : '');
			if (!host)
				bad(
					`${item.displayName} has no Host Name`,
					'Enter the host whose collector checks it (for a host: the host itself).',
				);
			if (item.kind !== 'host' && !item.name)
				bad(
					`${item.displayName} has no Name`,
					`Enter the ${item.kind.replace('_', ' ')}'s name as stored (its label in the Monitoring store).`,
				);
			return { ...item, host, name: item.kind === 'host' ? undefined : item.name };
		});
	}
	for (const w of config.maintenance ?? []) {
		if (w.to <= w.from)
			bad(
				`A maintenance window ends (${new Date(w.to).toISOString()}) before it starts (${new Date(w.from).toISOString()})`,
				'Set To after From.',
			);
	}
	return config;
}

/** A status page file (JSON, the node's fields by name) → the page's config, or what is wrong. */
export function parseStatusPageFile(raw: unknown): StatusPageConfig {
	const page = object(raw, 'The status page file');
	const groups = list(page.groups, 'groups');
	return checkStatusPageConfig({
		title: text(page.title ?? 'Status', 'title', 200, true),
		description: text(page.description, 'description', 2000),
		groups: groups.map((g, gi) => {
			const group = object(g, `groups[${gi}]`);
			return {
				name: text(group.name, `groups[${gi}].name`, 200),
				items: list(group.items, `groups[${gi}].items`).map((i, ii) => {
					const where = `groups[${gi}].items[${ii}]`;
					const item = object(i, where);
					const kind = item.kind ?? 'endpoint';
					if (!UPTIME_KINDS.includes(kind as UptimeKind))
						bad(
							`${where}.kind must be ${UPTIME_KINDS.join(', ')}, not ${JSON.stringify(kind)}`,
							'Pick one of the kinds.',
						);
					if (item.showDetails !== undefined && typeof item.showDetails !== 'boolean')
						bad(`${where}.showDetails must be true or false`, 'Write true or false, unquoted.');
					return {
						kind: kind as UptimeKind,
						host: text(item.host, `${where}.host`, MAX_NAME),
						name: text(item.name, `${where}.name`, MAX_NAME) || undefined,
						displayName: text(item.displayName, `${where}.displayName`, 200, true),
						showDetails: item.showDetails === true,
					};
				}),
			};
		}),
		maintenance: list(page.maintenance, 'maintenance').map((m, mi) => {
			const w = object(m, `maintenance[${mi}]`);
			const host = text(w.host, `maintenance[${mi}].host`, MAX_NAME);
			return {
				from: date(w.from, `maintenance[${mi}].from`),
				to: date(w.to, `maintenance[${mi}].to`),
				host: host || undefined,
				note: text(w.note, `maintenance[${mi}].note`, 2000),
			};
		}),
	});
}

function object(value: unknown, what: string): Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value))
		bad(`${what} must be an object ({…})`, 'See the example in the README.');
	return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
	if (value === undefined) return [];
	if (!Array.isArray(value)) bad(`${what} must be a list ([…])`, 'See the example in the README.');
	return value;
}

function text(value: unknown, what: string, max: number, required = false): string {
	if (value !== undefined && value !== null && typeof value !== 'string')
		bad(`${what} must be text`, `Quote ${what}.`);
	const t = (value ?? '').trim();
	if (required && !t) bad(`${what} is empty`, `Enter ${what}.`);
	if (t.length > max)
		bad(`${what} is ${t.length} characters long; at most ${max} are allowed`, `Shorten ${what}.`);
	return t;
}

function date(value: unknown, what: string): number {
	const ms = typeof value === 'string' && value.trim() ? Date.parse(value) : NaN;
	if (!Number.isFinite(ms))
		bad(
			`${what} is not a date: ${JSON.stringify(value ?? '')}`,
			'Write it as 2026-03-01T02:00:00Z.',
		);
	return ms;
}
