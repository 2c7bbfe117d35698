/**
 * displayOptions conditions on a node's version. A later version moves fields (into an options
 * collection, say); the earlier one keeps its own so that workflows saved with it keep working:
 * n8n drops every parameter a node version does not describe.
 */
export const ONLY_V1 = { '@version': [1] };
export const SINCE_V2 = { '@version': [{ _cnd: { gte: 2 } }] };
