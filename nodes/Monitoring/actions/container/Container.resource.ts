import type { INodeProperties } from 'n8n-workflow';

import { collectOperation } from '../../descriptions/common';
import * as collect from './collect.operation';

export { collect };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Container', value: 'container' };
export const operations = { collect };

export const description: INodeProperties[] = [
	collectOperation(
		'container',
		"Collect state, health, restarts, exit codes, CPU, memory, network and block I/O of a Docker or Podman engine's containers",
		'Collect container metrics',
	),
	...collect.description,
];
