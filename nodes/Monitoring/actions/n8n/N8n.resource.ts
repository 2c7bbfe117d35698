import type { INodeProperties } from 'n8n-workflow';

import { collectOperation } from '../../descriptions/common';
import * as collect from './collect.operation';

export { collect };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'n8n', value: 'n8n' };
export const operations = { collect };

export const description: INodeProperties[] = [
	collectOperation(
		'n8n',
		'Sync n8n executions incrementally and compute runs, failures, durations, waiting and stalled workflows',
		'Collect n8n execution metrics',
	),
	...collect.description,
];
