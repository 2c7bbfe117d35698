import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import {
	MODEL_SERVER_TYPES,
	type ModelServerEndpoint,
	modelServerCollector,
	type ModelServerOptions,
} from '../../../../core/collectors/model-servers';
import { collectOptions, hostNameField } from '../../descriptions/common';
import { authHeader } from '../../helpers/auth-header';
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
import { ONLY_V1, SINCE_V2 } from '../../../shared/versions';

const show = { show: { resource: ['modelServer'], operation: ['collect'] } };

const authenticateField: INodeProperties = {
	displayName: 'Authenticate',
	name: 'authenticate',
	type: 'boolean',
	default: false,
	description:
		'Whether to send the header of the Header Auth credential (e.g. an Authorization token) to this server',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'Header Auth Credential', value: 'headerAuth' },
			{ name: 'None', value: 'none' },
		],
		default: 'none',
		description: 'A token for the servers that turn Authenticate on',
		displayOptions: { show: { ...show.show, ...SINCE_V2 } },
	},
	{
		displayName: 'Model Servers',
		name: 'endpoints',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Model Server',
		default: { endpoint: [{ type: 'ollama', url: 'http://127.0.0.1:11434' }] },
		displayOptions: show,
		options: [
			{
				displayName: 'Model Server',
				name: 'endpoint',
				values: [
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Hugging Face TGI', value: 'tgi' },
							{ name: 'Llama.cpp Server', value: 'llamacpp' },
							{ name: 'Ollama', value: 'ollama' },
							{ name: 'vLLM', value: 'vllm' },
						],
						default: 'ollama',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'http://127.0.0.1:11434',
						description: 'Base URL of the server (without /metrics or /api)',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Label for its samples; empty means host:port of the URL',
					},
					{ ...authenticateField, displayOptions: { show: ONLY_V1 } },
					{
						...authenticateField,
						default: true,
						displayOptions: { show: { '/authentication': ['headerAuth'], ...SINCE_V2 } },
					},
					{
						displayName: 'Only Once It Answers',
						name: 'onlyOnceAnswered',
						type: 'boolean',
						default: false,
						description:
							'Whether to watch this server only after it has answered once: until then nothing is stored for it, so a machine without it shows no server that is down',
					},
				],
			},
		],
	},
	{ ...hostNameField('llm-01'), displayOptions: show },
	collectOptions('modelServer', [
		{
			displayName: 'Endpoint Timeout (Seconds)',
			name: 'endpointTimeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 120 },
			default: 5,
			description: 'A server that takes longer is marked down with that reason',
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 64 },
			default: 4,
			description: 'How many servers to query at once',
		},
	]),
];

/** Fields of a model server as n8n hands them over: an expression can put anything in each. */
type EndpointParameter = Record<string, unknown>;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const listed = (this.getNodeParameter('endpoints.endpoint', itemIndex, []) ??
		[]) as EndpointParameter[];
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		store?: unknown;
		timeout?: unknown;
		endpointTimeout?: unknown;
		concurrency?: unknown;
	};
	const settings = collectSettings(this, options, itemIndex);
	if (listed.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No model server to collect from', {
			itemIndex,
			description: 'Add at least one model server under Model Servers (type and URL).',
		});
	}
	const collectorOptions: ModelServerOptions = {
		endpoints: await readEndpoints(this, listed, itemIndex),
		timeoutMs:
			readInteger(this, options.endpointTimeout, {
				name: 'Endpoint Timeout',
				min: 1,
				max: 120,
				fallback: 5,
				itemIndex,
			}) * 1000,
		concurrency: readInteger(this, options.concurrency, {
			name: 'Concurrency',
			min: 1,
			max: 64,
			fallback: 4,
			itemIndex,
		}),
	};
	const hostName = hostNameParameter(this, itemIndex);
	return await collectWithNode.call(this, modelServerCollector, collectorOptions, {
		itemIndex,
		host: hostName,
		...settings,
	});
}

/** The listed model servers as the collector takes them, with the credential's header where asked. */
async function readEndpoints(
	ctx: IExecuteFunctions,
	listed: EndpointParameter[],
	itemIndex: number,
): Promise<ModelServerEndpoint[]> {
	// Version 2 sends the token only where the node chose Header Auth (each server may opt out).
	const v2 = ctx.getNode().typeVersion >= 2;
	const useHeader =
		!v2 ||
		readChoice(ctx, ctx.getNodeParameter('authentication', itemIndex, 'none'), {
			name: 'Authentication',
			choices: ['none', 'headerAuth'] as const,
			fallback: 'none',
			itemIndex,
		}) === 'headerAuth';
	const read = listed.map((e, i) => {
		const at = `Model Server ${i + 1}`;
		const text = (field: string, label: string, max: number) =>
			readText(ctx, e[field], { name: `${at} ${label}`, max, itemIndex });
		return {
			type: text('type', 'Type', 100),
			url: text('url', 'URL', 8192),
			name: text('name', 'Name', MAX_NAME),
			authenticate:
				useHeader &&
				readBoolean(ctx, e.authenticate, {
					name: `${at} Authenticate`,
					fallback: v2,
					itemIndex,
				}),
			onlyOnceAnswered: readBoolean(ctx, e.onlyOnceAnswered, {
				name: `${at} Only Once It Answers`,
				fallback: false,
				itemIndex,
			}),
		};
	});
	const header = read.some((e) => e.authenticate)
		? await authHeader(ctx, 'headerAuth', {
				askedBy: 'An endpoint asks to authenticate with',
				itemIndex,
				otherwise: 'turn Authenticate off',
			})
		: undefined;
	const endpoints: ModelServerEndpoint[] = read.map((e) => ({
		type: e.type as ModelServerEndpoint['type'],
		url: e.url,
		...(e.name ? { name: e.name } : {}),
		...(e.authenticate && header ? { headers: header } : {}),
		...(e.onlyOnceAnswered ? { onlyOnceAnswered: true } : {}),
	}));
	// An unknown type is the workflow's mistake and stops the node; a URL that is not a URL only
	// marks that endpoint down with the reason, so the other servers are still collected.
	const unknown = endpoints.filter(
		(e) => !(MODEL_SERVER_TYPES as readonly string[]).includes(e.type),
	);
	if (unknown.length > 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Unknown model server type ${unknown.map((e) => `"${e.type}"`).join(', ')}`,
			{
				itemIndex,
				description: `Use one of the types that exist: ${MODEL_SERVER_TYPES.join(', ')}.`,
			},
		);
	}
	return endpoints;
}
