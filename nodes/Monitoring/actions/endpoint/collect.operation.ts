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
import { collectOptions, hostNameField } from '../../descriptions/common';
import { collectWithNode } from '../../helpers/collect';
import { hostNameParameter, readInteger } from '../../helpers/parameters';

const show = { show: { resource: ['endpoint'], operation: ['collect'] } };

export const description: INodeProperties[] = [
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
						displayName: 'Authentication',
						name: 'authentication',
						type: 'options',
						options: [
							{ name: 'None', value: 'none' },
							{ name: 'Basic Auth Credential', value: 'basicAuth' },
							{ name: 'Header Auth Credential', value: 'headerAuth' },
						],
						default: 'none',
					},
					{
						displayName: 'Body',
						name: 'body',
						type: 'string',
						default: '',
						description: 'Request body, sent as is (e.g. JSON for a POST)',
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
						displayName: 'Body Contains',
						name: 'bodyContains',
						type: 'string',
						default: '',
						description: 'Text the answer must contain to count as up',
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
						displayName: 'JSON Equals',
						name: 'jsonEquals',
						type: 'string',
						default: '',
						placeholder: 'ok',
						description: 'What the value at JSON Path must equal (empty: only that it exists)',
					},
					{
						displayName: 'Timeout (Seconds)',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 300 },
						default: 10,
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
				],
			},
		],
	},
	{ ...hostNameField, displayOptions: show },
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

interface CheckParameter {
	url?: string;
	name?: string;
	method?: string;
	authentication?: 'none' | 'basicAuth' | 'headerAuth';
	body?: string;
	contentType?: string;
	expectedStatus?: string;
	bodyContains?: string;
	jsonPath?: string;
	jsonEquals?: string;
	timeout?: number;
	followRedirects?: boolean;
	ignoreTlsErrors?: boolean;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const listed = (this.getNodeParameter('checks.check', itemIndex, []) ?? []) as CheckParameter[];
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		store?: boolean;
		timeout?: number;
		concurrency?: number;
	};
	const checks: EndpointCheck[] = [];
	for (const c of listed) {
		const headers: Record<string, string> = {};
		if (c.contentType?.trim()) headers['content-type'] = c.contentType.trim();
		if (c.authentication === 'headerAuth') {
			const h = (await this.getCredentials('httpHeaderAuth', itemIndex)) as {
				name?: string;
				value?: string;
			};
			if (h.name) headers[h.name] = String(h.value ?? '');
		} else if (c.authentication === 'basicAuth') {
			const b = (await this.getCredentials('httpBasicAuth', itemIndex)) as {
				user?: string;
				password?: string;
			};
			headers.authorization = `Basic ${Buffer.from(`${b.user ?? ''}:${b.password ?? ''}`).toString('base64')}`;
		}
		checks.push({
			url: String(c.url ?? '').trim(),
			...(c.name?.trim() ? { name: c.name.trim() } : {}),
			method: c.method ?? 'GET',
			...(Object.keys(headers).length ? { headers } : {}),
			...(c.body ? { body: c.body } : {}),
			...(c.expectedStatus?.trim() ? { expectedStatus: c.expectedStatus.trim() } : {}),
			...(c.bodyContains ? { bodyContains: c.bodyContains } : {}),
			...(c.jsonPath?.trim() ? { jsonPath: c.jsonPath.trim() } : {}),
			...(c.jsonPath?.trim() && c.jsonEquals ? { jsonEquals: c.jsonEquals } : {}),
			timeoutMs: (c.timeout ?? 10) * 1000,
			followRedirects: c.followRedirects ?? true,
			ignoreTlsErrors: c.ignoreTlsErrors ?? false,
		});
	}
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
		store: options.store ?? true,
		timeoutSeconds: options.timeout ?? Math.max(30, rounds * slowest + 5),
	});
}
