import type { INodeProperties } from 'n8n-workflow';

/** The Resource selector of a node, its options in alphabetical order (n8n's linter asks it). */
export function resourceField(resources: Array<{ name: string; value: string }>): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources
			.map(({ name, value }) => ({ name, value }))
			.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })),
		default: 'host',
	};
}

/** Options every Collect operation shares, so each resource offers them the same way. */
export const storeOption: INodeProperties = {
	displayName: 'Store',
	name: 'store',
	type: 'boolean',
	default: true,
	description:
		'Whether to write the samples to the monitoring store (the credential, or an SQLite file in the n8n user folder)',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 600 },
	default: 30,
	description: 'A collection that runs longer is recorded as failed, and the workflow goes on',
};

/** Host Name, with a placeholder that fits what the resource watches. */
export function hostNameField(placeholder: string): INodeProperties {
	return {
		displayName: 'Host Name',
		name: 'hostName',
		type: 'string',
		default: '',
		placeholder,
		description: "Name to store the samples under. Empty means this machine's host name.",
	};
}

/** The Options collection of a Collect operation: Store and Timeout, then its own options. */
export function collectOptions(resource: string, own: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: [resource], operation: ['collect'] } },
		options: [storeOption, timeoutOption, ...own],
	};
}

/**
 * The Operation selector of a resource whose only operation collects (value `collect`, which
 * saved workflows hold); `name` is the verb its action starts with, so the two read alike.
 */
export function collectOperation(
	resource: string,
	description: string,
	action: string,
	name = 'Collect',
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [{ name, value: 'collect', description, action }],
		default: 'collect',
	};
}

/** Which of n8n's own credentials a request sends; the credential pickers follow the choice. */
export const authenticationField: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'Basic Auth Credential', value: 'basicAuth' },
		{ name: 'Header Auth Credential', value: 'headerAuth' },
		{ name: 'None', value: 'none' },
	],
	default: 'none',
};
