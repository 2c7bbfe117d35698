import type { INodeProperties } from 'n8n-workflow';

import { collectOperation } from '../../descriptions/common';
import * as collect from './collect.operation';

export { collect };

export const description: INodeProperties[] = [
	collectOperation(
		'host',
		'Collect CPU, memory, filesystems, disk and network I/O, temperatures and (optionally) top processes of this machine',
		'Collect host metrics',
	),
	...collect.description,
];
