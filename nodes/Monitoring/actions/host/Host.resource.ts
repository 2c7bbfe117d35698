import type { INodeProperties } from 'n8n-workflow';

import { collectOperation } from '../../descriptions/common';
import * as collect from './collect.operation';

export { collect };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Host', value: 'host' };
export const operations = { collect };

export const description: INodeProperties[] = [
	collectOperation(
		'host',
		'Collect CPU, memory, filesystems, disk and network I/O, temperatures and (optionally) top processes of this machine',
		'Collect host metrics',
	),
	...collect.description,
];
