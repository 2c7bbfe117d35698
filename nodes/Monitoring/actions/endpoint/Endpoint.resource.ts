import type { INodeProperties } from 'n8n-workflow';

import { collectOperation } from '../../descriptions/common';
import * as collect from './collect.operation';

export { collect };

/** The Resource option this module is, and what its Operation values run. */
export const resource = { name: 'Endpoint', value: 'endpoint' };
export const operations = { collect };

export const description: INodeProperties[] = [
	collectOperation(
		'endpoint',
		'Check HTTP(S) endpoints: up/down with the reason, status, DNS/connect/TLS/first-byte timings, size, certificate expiry',
		'Check endpoints',
		'Check',
	),
	...collect.description,
];
