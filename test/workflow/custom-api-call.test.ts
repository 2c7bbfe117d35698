import fs from 'node:fs';
import path from 'node:path';

import type { ICredentialType, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { n8nModulesDir } from '../helpers/workflow-runner';

/**
 * n8n appends "Custom API Call" to the Resource and Operation lists of nodes whose credentials
 * authenticate requests. This runs n8n 2.40's own injection (the pinned runtime's
 * LoadNodesAndCredentials.injectCustomApiCallOptions, as n8n runs it after loading packages) over
 * every node of this package with the real credential types it names: none may get the entry,
 * since there is no Monitoring API to call.
 */
const ROOT = path.join(__dirname, '..', '..');
const CUSTOM_API_CALL = 'Custom API Call';

type Loader = Record<string, (this: unknown, ...args: unknown[]) => unknown>;

/** n8n's loader class, whose methods need only what `this` is handed here. */
function loaderPrototype(): Loader {
	const modules = n8nModulesDir();
	require(path.join(modules, 'reflect-metadata'));
	const mod = require(path.join(modules, 'n8n', 'dist', 'load-nodes-and-credentials.js')) as {
		LoadNodesAndCredentials: { prototype: Loader };
	};
	return mod.LoadNodesAndCredentials.prototype;
}

function inject(nodes: unknown[], credentials: ICredentialType[]) {
	const proto = loaderPrototype();
	proto.injectCustomApiCallOptions.call({
		types: { nodes, credentials },
		logger: {
			warn: (message: string) => {
				throw new Error(message);
			},
		},
		supportsProxyAuth: proto.supportsProxyAuth,
		extendsProxyAuthBaseType: proto.extendsProxyAuthBaseType,
	});
}

function load<T>(file: string): T {
	const mod = require(file) as Record<string, new () => T>;
	return new (Object.values(mod)[0])();
}

test('no node of the package is offered a Custom API Call', () => {
	const modules = n8nModulesDir();
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const nodes = pkg.n8n.nodes.map((f) => load<INodeType>(path.join(ROOT, f)).description);
	const own = pkg.n8n.credentials.map((f) => load<ICredentialType>(path.join(ROOT, f)));
	const named = new Set(nodes.flatMap((d) => (d.credentials ?? []).map((c) => c.name)));
	const base = fs
		.readdirSync(path.join(modules, 'n8n-nodes-base', 'dist', 'credentials'))
		.filter((f) => f.endsWith('.credentials.js'))
		.map((f) => path.join(modules, 'n8n-nodes-base', 'dist', 'credentials', f))
		.filter((f) => named.has(lowerFirst(path.basename(f, '.credentials.js'))))
		.map((f) => load<ICredentialType>(f));
	const credentials = [...own, ...base];
	// Every credential the nodes name is known, else n8n would skip it and the test prove nothing.
	expect([...named].filter((n) => !credentials.some((c) => c.name === n))).toEqual([]);
	// The proof that the test can see the injection: the credentials do authenticate.
	expect(credentials.some((c) => c.authenticate !== undefined)).toBe(true);

	inject(nodes, credentials);

	const offered = (d: INodeTypeDescription) =>
		d.properties
			.filter((p) => p.options?.some((o) => 'name' in o && o.name === CUSTOM_API_CALL))
			.map((p) => `${d.name}.${p.name}`);
	expect(nodes.flatMap(offered)).toEqual([]);
});

test("n8n's injection would add it without the version list (the test can fail)", () => {
	const modules = n8nModulesDir();
	const header = load<ICredentialType>(
		path.join(modules, 'n8n-nodes-base', 'dist', 'credentials', 'HttpHeaderAuth.credentials.js'),
	);
	const description = {
		name: 'probe',
		version: 1,
		credentials: [{ name: 'httpHeaderAuth' }],
		properties: [{ name: 'resource', type: 'options', options: [{ name: 'A', value: 'a' }] }],
	};
	inject([description], [header]);
	expect(description.properties[0].options.map((o) => o.name)).toEqual(['A', CUSTOM_API_CALL]);
});

function lowerFirst(s: string): string {
	return s.charAt(0).toLowerCase() + s.slice(1);
}
