import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import * as alert from './alert/Alert.resource';
import * as ask from './ask/Ask.resource';
import * as container from './container/Container.resource';
import * as database from './database/Database.resource';
import * as endpoint from './endpoint/Endpoint.resource';
import * as gpu from './gpu/Gpu.resource';
import * as history from './history/History.resource';
import * as host from './host/Host.resource';
import * as modelServer from './modelServer/ModelServer.resource';
import * as n8n from './n8n/N8n.resource';
import * as prometheus from './prometheus/Prometheus.resource';

export type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<INodeExecutionData[]>;

/** A resource of the Monitoring node: its option, its parameters and its operations. */
export interface ResourceModule {
	resource: { name: string; value: string };
	description: INodeProperties[];
	operations: Record<string, { execute: Operation }>;
}

/**
 * Every resource of the Monitoring node. Adding one is its folder under actions/ (a
 * <Name>.resource.ts exporting `resource`, `description` and `operations`) plus one line here.
 */
export const RESOURCES: ResourceModule[] = [
	alert,
	ask,
	container,
	database,
	endpoint,
	gpu,
	history,
	host,
	modelServer,
	n8n,
	prometheus,
];
