/**
 * Why a target is down, as its collector wrote it into the snapshot: an endpoint check's reason,
 * a model server's (`GET /api/version: connection refused`), a database's. The text comes from
 * remote systems; the dashboard shows it as text (Lit escapes it), never as markup.
 */

export type TargetKindName = 'model_server' | 'database' | 'endpoint' | 'workflow';

/** The collector that checks each kind of target. */
export function collectorOfKind(kind: string): string {
	if (kind === 'container') return 'containers';
	return kind === 'workflow' ? 'n8n' : kind;
}

/** The label that names a target of each kind in its samples and snapshot. */
export const NAME_LABEL: Record<TargetKindName, string> = {
	model_server: 'server',
	database: 'db',
	endpoint: 'endpoint',
	workflow: 'workflow',
};

const MAX_REASON = 500;

function text(v: unknown): string | null {
	if (typeof v !== 'string' || v.trim() === '') return null;
	return v.length > MAX_REASON ? `${v.slice(0, MAX_REASON)}…` : v;
}

/** This target's entry in its collector's snapshot; undefined when the snapshot has none. */
export function snapshotEntry(
	kind: string,
	name: string,
	snapshot: unknown,
): Record<string, unknown> | undefined {
	if (!snapshot || typeof snapshot !== 'object') return undefined;
	const snap = snapshot as Record<string, unknown>;
	const find = (list: unknown, key: string) =>
		Array.isArray(list)
			? (list.find((e) => e && typeof e === 'object' && String(e[key]) === name) as
					| Record<string, unknown>
					| undefined)
			: undefined;
	switch (kind) {
		case 'endpoint':
			return find(snap.checks, 'endpoint');
		case 'model_server':
			return find(snap.endpoints, 'server');
		case 'database':
			// A node collects one database per run: the snapshot is this one's only when it names it.
			return String(snap.db) === name ? snap : undefined;
		default:
			return undefined;
	}
}

/** The reason this target's snapshot gives for it being down; null when it gives none. */
export function reasonFromSnapshot(kind: string, name: string, snapshot: unknown): string | null {
	const entry = snapshotEntry(kind, name, snapshot);
	return entry ? text(entry.reason) : null;
}

/** A collection error, shortened the same way. */
export function reasonText(v: unknown): string | null {
	return text(v);
}
