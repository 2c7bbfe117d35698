import type { INodeProperties } from 'n8n-workflow';

import { collectOperation } from '../../descriptions/common';
import * as collect from './collect.operation';

export { collect };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Database', value: 'database' };
export const operations = { collect };

export const description: INodeProperties[] = [
	collectOperation(
		'database',
		'Monitor a PostgreSQL, MySQL/MariaDB or SQLite database: availability, latency, connections, size and growth, slow queries, health',
		'Collect database metrics',
	),
	...collect.description,
];
