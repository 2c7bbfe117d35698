/**
 * displayOptions conditions on a node's version. A later version moves fields (into an options
 * collection, say); the earlier one keeps its own so that workflows saved with it keep working:
 * n8n drops every parameter a node version does not describe.
 */
export const ONLY_V1 = { '@version': [1] };
export const SINCE_V2 = { '@version': [{ _cnd: { gte: 2 } }] };

/**
 * An entry of a fixed collection as version 1 saved it: version 2 moved some of its fields into
 * the entry's own Options collection, and this puts them back beside the others, so one reader
 * serves both versions. An entry without Options is returned as it is. n8n drops the fields a
 * version does not show before a node runs, so no field is both beside Options and in it; were
 * one, Options (what the version 2 editor shows) would win.
 */
export function flattenOptions<T extends object>({
	options,
	...entry
}: T & { options?: unknown }): T {
	return (
		options && typeof options === 'object' && !Array.isArray(options)
			? { ...entry, ...options }
			: entry
	) as T;
}

/** The Monitoring Trigger's version 3 turned a default on (inhibition by a down host). */
export const BEFORE_V3 = { '@version': [{ _cnd: { lt: 3 } }] };
export const SINCE_V3 = { '@version': [{ _cnd: { gte: 3 } }] };
