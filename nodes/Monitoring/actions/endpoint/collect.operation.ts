import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import {
	type EndpointCheck,
	endpointCollector,
	type EndpointOptions,
	validateChecks,
} from '../../../../core/collectors/endpoints';
import { authenticationField, collectOptions, hostNameField } from '../../descriptions/common';
import { flattenOptions, ONLY_V1, SINCE_V2 } from '../../../shared/versions';
import { AUTHENTICATIONS, authHeader, type Authentication } from '../../helpers/auth-header';
import { collectWithNode } from '../../helpers/collect';
import {
	collectSettings,
	hostNameParameter,
	MAX_NAME,
	readBoolean,
	readChoice,
	readInteger,
	readText,
} from '../../helpers/parameters';

const show = { show: { resource: ['endpoint'], operation: ['collect'] } };

const v1 = (property: INodeProperties): INodeProperties => ({
	...property,
	displayOptions: { show: { ...property.displayOptions?.show, ...ONLY_V1 } },
});

/** What a check can add to its request and answer; version 2 keeps these in its Options. */
const checkSettings: INodeProperties[] = [
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		default: '',
		description: 'Request body, sent as is (e.g. JSON for a POST)',
	},
	{
		displayName: 'Body Contains',
		name: 'bodyContains',
		type: 'string',
		default: '',
		description: 'Text the answer must contain to count as up',
	},
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'string',
		default: '',
		placeholder: 'application/json',
	},
	{
		displayName: 'Expected Status',
		name: 'expectedStatus',
		type: 'string',
		default: '200-299',
		description: 'Status codes that count as up: a list and ranges, e.g. 200-299,301',
	},
	{
		displayName: 'Follow Redirects',
		name: 'followRedirects',
		type: 'boolean',
		default: true,
	},
	{
		displayName: 'Ignore TLS Errors',
		name: 'ignoreTlsErrors',
		type: 'boolean',
		default: false,
		description:
			'Whether to accept a certificate that does not verify (self-signed); its expiry is reported either way',
	},
	{
		displayName: 'JSON Equals',
		name: 'jsonEquals',
		type: 'string',
		default: '',
		placeholder: 'ok',
		description: 'What the value at JSON Path must equal (empty: only that it exists)',
	},
	{
		displayName: 'JSON Path',
		name: 'jsonPath',
		type: 'string',
		default: '',
		placeholder: 'status',
		description: 'Dotted path into a JSON answer that must exist, e.g. data.items.0.state',
	},
	{
		// Not "Timeout (Seconds)": the Options' Timeout bounds the whole collection.
		displayName: 'Request Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 300 },
		default: 10,
		description: 'A check whose answer takes longer counts as down, with that reason',
	},
];

/** Version 1's order, kept for workflows saved with it. */
const V1_ORDER = [
	'body',
	'contentType',
	'expectedStatus',
	'bodyContains',
	'jsonPath',
	'jsonEquals',
	'timeout',
	'followRedirects',
	'ignoreTlsErrors',
];

export const description: INodeProperties[] = [
	{
		...authenticationField,
		description: 'A login or token for the checks that turn Authenticate on',
		displayOptions: { show: { ...show.show, ...SINCE_V2 } },
	},
	{
		displayName: 'Checks',
		name: 'checks',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Check',
		default: { check: [{ url: 'https://example.com', method: 'GET' }] },
		displayOptions: show,
		options: [
			{
				displayName: 'Check',
				name: 'check',
				values: [
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://api.example.com/health',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Label for its samples; empty means the URL without query',
					},
					{
						displayName: 'Method',
						name: 'method',
						type: 'options',
						options: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].map((m) => ({
							name: m,
							value: m,
						})),
						default: 'GET',
					},
					{
						displayName: 'Authenticate',
						name: 'authenticate',
						type: 'boolean',
						default: true,
						description:
							"Whether to send the node's credential with this check (turn off for servers that must not see it)",
						displayOptions: {
							show: { '/authentication': ['basicAuth', 'headerAuth'], ...SINCE_V2 },
						},
					},
					{
						displayName: 'Options',
						name: 'options',
						type: 'collection',
						placeholder: 'Add Option',
						default: {},
						displayOptions: { show: SINCE_V2 },
						options: checkSettings,
					},
					v1(authenticationField),
					...V1_ORDER.map((name) => v1(checkSettings.find((p) => p.name === name)!)),
				],
			},
		],
	},
	{ ...hostNameField('monitor-01'), displayOptions: show },
	collectOptions('endpoint', [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 64 },
			default: 8,
			description:
				'How many checks run at once; a slow endpoint delays no other beyond its own timeout',
		},
	]),
];

/** Fields of a check as n8n hands them over: an expression can put anything in each. */
type CheckParameter = Record<string, unknown>;

const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;
/** Request and answer texts (body, expected content) may be long, but not without bound. */
const MAX_BODY = 1_000_000;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const listed = (this.getNodeParameter('checks.check', itemIndex, []) ?? []) as CheckParameter[];
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		store?: unknown;
		timeout?: unknown;
		concurrency?: unknown;
	};
	const settings = collectSettings(this, options, itemIndex);
	// Version 2: one credential choice for the node, each check's settings in its Options.
	const v2 = this.getNode().typeVersion >= 2;
	const nodeAuthentication = v2
		? readChoice(this, this.getNodeParameter('authentication', itemIndex, 'none'), {
				name: 'Authentication',
				choices: AUTHENTICATIONS,
				fallback: 'none',
				itemIndex,
			})
		: 'none';
	const checks: EndpointCheck[] = [];
	for (const [i, listedCheck] of listed.entries())
		checks.push(
			await readCheck(this, v2 ? flattenOptions(listedCheck) : listedCheck, {
				at: `Check ${i + 1}`,
				nodeAuthentication: v2 ? nodeAuthentication : undefined,
				itemIndex,
			}),
		);
	const problems = validateChecks(checks);
	if (problems.length > 0) {
		throw new NodeOperationError(this.getNode(), problems.map((p) => p.message).join('; '), {
			itemIndex,
			description:
				'Fix the checks: each needs an http:// or https:// URL; expected status like 200-299,301.',
		});
	}
	const endpointOptions: EndpointOptions = {
		checks,
		concurrency: readInteger(this, options.concurrency, {
			name: 'Concurrency',
			min: 1,
			max: 64,
			fallback: 8,
			itemIndex,
		}),
	};
	// Unless the user set one, the collection may take as long as its slowest round of checks.
	const rounds = Math.ceil(checks.length / (endpointOptions.concurrency ?? 8));
	const slowest = Math.max(...checks.map((c) => (c.timeoutMs ?? 10_000) / 1000));
	return await collectWithNode.call(this, endpointCollector, endpointOptions, {
		itemIndex,
		host: hostNameParameter(this, itemIndex),
		store: settings.store,
		timeoutSeconds: settings.timeoutSeconds ?? Math.max(30, rounds * slowest + 5),
	});
}

/**
 * One check's fields, read and bounded, as the collector takes it. `nodeAuthentication` is the
 * node's credential choice (version 2, which a check's Authenticate turns off); absent, each
 * check names its own (version 1).
 */
async function readCheck(
	ctx: IExecuteFunctions,
	c: CheckParameter,
	{
		at,
		nodeAuthentication,
		itemIndex,
	}: {
		at: string;
		nodeAuthentication: Authentication | undefined;
		itemIndex: number;
	},
): Promise<EndpointCheck> {
	const text = (field: string, label: string, max: number, trim = true) =>
		readText(ctx, c[field], { name: `${at} ${label}`, max, itemIndex, trim });
	const url = text('url', 'URL', 8192);
	const name = text('name', 'Name', MAX_NAME);
	const contentType = text('contentType', 'Content Type', 1000);
	const expectedStatus = text('expectedStatus', 'Expected Status', 1000);
	const jsonPath = text('jsonPath', 'JSON Path', 1000);
	const body = text('body', 'Body', MAX_BODY, false);
	const bodyContains = text('bodyContains', 'Body Contains', MAX_BODY, false);
	const jsonEquals = text('jsonEquals', 'JSON Equals', MAX_BODY, false);
	const method = readChoice(ctx, c.method, {
		name: `${at} Method`,
		choices: METHODS,
		fallback: 'GET',
		itemIndex,
	});
	const authentication =
		nodeAuthentication !== undefined
			? readBoolean(ctx, c.authenticate, { name: `${at} Authenticate`, fallback: true, itemIndex })
				? nodeAuthentication
				: 'none'
			: readChoice(ctx, c.authentication, {
					name: `${at} Authentication`,
					choices: AUTHENTICATIONS,
					fallback: 'none',
					itemIndex,
				});
	const timeoutSeconds = readInteger(ctx, c.timeout, {
		name: `${at} Timeout`,
		min: 1,
		max: 300,
		fallback: 10,
		itemIndex,
	});
	const headers: Record<string, string> = {};
	if (contentType) headers['content-type'] = contentType;
	Object.assign(
		headers,
		await authHeader(ctx, authentication, { askedBy: `${at} asks for`, itemIndex }),
	);
	return {
		url,
		...(name ? { name } : {}),
		method,
		...(Object.keys(headers).length ? { headers } : {}),
		...(body ? { body } : {}),
		...(expectedStatus ? { expectedStatus } : {}),
		...(bodyContains ? { bodyContains } : {}),
		...(jsonPath ? { jsonPath } : {}),
		...(jsonPath && jsonEquals ? { jsonEquals } : {}),
		timeoutMs: timeoutSeconds * 1000,
		followRedirects: readBoolean(ctx, c.followRedirects, {
			name: `${at} Follow Redirects`,
			fallback: true,
			itemIndex,
		}),
		ignoreTlsErrors: readBoolean(ctx, c.ignoreTlsErrors, {
			name: `${at} Ignore TLS Errors`,
			fallback: false,
			itemIndex,
		}),
	};
}
