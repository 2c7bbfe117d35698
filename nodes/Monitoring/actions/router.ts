import {
	type IExecuteFunctions,
	type INodeExecutionData,
	NodeOperationError,
} from 'n8n-workflow';

import * as host from './host/Host.resource';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const resources: Record<string, Record<string, { execute: Operation }>> = {
	host: { collect: host.collect },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const run = resources[resource]?.[operation]?.execute;
		if (!run) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" is not known for the resource "${resource}"`,
				{ itemIndex, description: 'Pick a resource and operation from the lists in the node.' },
			);
		}
		try {
			output.push(...(await run.call(this, itemIndex)));
		} catch (error) {
			if (!this.continueOnFail()) throw error;
			const err = error as NodeOperationError & { partial?: Record<string, unknown> };
			output.push({
				json: { ...(err.partial ?? {}), error: err.message, description: err.description ?? undefined },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
