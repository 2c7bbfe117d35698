import type { INodeProperties } from 'n8n-workflow';

import { collectOperation } from '../../descriptions/common';
import * as collect from './collect.operation';

export { collect };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Model Server', value: 'modelServer' };
export const operations = { collect };

export const description: INodeProperties[] = [
	collectOperation(
		'modelServer',
		'Check AI model servers (Ollama, vLLM, TGI, llama.cpp): up/down, queue, KV cache, tokens per second, latency, loaded models',
		'Collect model server metrics',
	),
	...collect.description,
];
