import { type IExecuteFunctions, type INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { type Operation, RESOURCES } from './resources';

const resources: Record<string, Record<string, { execute: Operation }>> = Object.fromEntries(
	RESOURCES.map((r) => [r.resource.value, r.operations]),
);

/** Runs the operation that the item's resource and operation parameters name. */
export async function router(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const resource = this.getNodeParameter('resource', itemIndex) as string;
	if (!Object.hasOwn(resources, resource)) {
		throw new NodeOperationError(
			this.getNode(),
			`The resource "${resource}" is not known: use ${Object.keys(resources).join(', ')}`,
			{ itemIndex, description: 'Pick a resource from the list in the node.' },
		);
	}
	const operation = this.getNodeParameter('operation', itemIndex, '') as string;
	const run = Object.hasOwn(resources[resource], operation)
		? resources[resource][operation].execute
		: undefined;
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not known for the resource "${resource}"`,
			{ itemIndex, description: 'Pick a resource and operation from the lists in the node.' },
		);
	}
	return await run.call(this, itemIndex);
}
