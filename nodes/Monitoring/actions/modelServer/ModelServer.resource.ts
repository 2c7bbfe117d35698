import type { INodeProperties } from 'n8n-workflow';

import * as collect from './collect.operation';

export { collect };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['modelServer'] } },
		options: [
			{
				name: 'Collect',
				value: 'collect',
				description:
					'Check AI model servers (Ollama, vLLM, TGI, llama.cpp): up/down, queue, KV cache, tokens per second, latency, loaded models',
				action: 'Collect model server metrics',
			},
		],
		default: 'collect',
	},
	...collect.description,
];
