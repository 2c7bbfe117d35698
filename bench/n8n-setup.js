// @ts-check
/*
 * What a bench against a real n8n needs first: the owner, an API key, the "This n8n (API)"
 * credential for this n8n, and a way to create workflows (inactive) that name it. Through the
 * public API: each n8n CLI call would boot n8n once more.
 */
'use strict';
const runtime = require('../scripts/n8n-runtime');

/** @param {{ baseUrl: string }} server */
async function setUpN8n(server) {
	const client = await runtime.setupOwner(server.baseUrl, {
		email: 'owner@example.com',
		password: runtime.generatePassword(),
	});
	const apiKey = await runtime.createApiKey(client);
	/** @type {(method: string, urlPath: string, body?: unknown) => Promise<any>} */
	const api = (method, urlPath, body) =>
		runtime.publicApi(server.baseUrl, apiKey, method, urlPath, body);
	const credential = await api('POST', '/credentials', {
		name: 'This n8n (API)',
		type: 'n8nApi',
		data: { apiKey, baseUrl: `${server.baseUrl}/api/v1` },
	});
	/** Creates a workflow, inactive, its n8n API nodes on this n8n's credential; returns its id. */
	const create = async (workflow) => {
		for (const node of workflow.nodes)
			if (node.credentials?.n8nApi)
				node.credentials.n8nApi = { id: credential.id, name: credential.name };
		const { name, nodes, connections, settings } = workflow;
		return String((await api('POST', '/workflows', { name, nodes, connections, settings })).id);
	};
	return { apiKey, api, create };
}

module.exports = { setUpN8n };
