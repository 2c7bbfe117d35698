import type { INodeProperties } from 'n8n-workflow';

import { collectOperation } from '../../descriptions/common';
import * as collect from './collect.operation';

export { collect };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'GPU', value: 'gpu' };
export const operations = { collect };

export const description: INodeProperties[] = [
	collectOperation(
		'gpu',
		'Collect NVIDIA and AMD GPU utilisation, memory, temperature, power, clocks, throttling and per-process GPU memory',
		'Collect GPU metrics',
	),
	...collect.description,
];
