import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	NodeConnectionTypes,
	NodeOperationError,
} from 'n8n-workflow';

import { resourceField } from '../Monitoring/descriptions/common';
import { monitoringCredentials } from '../Monitoring/descriptions/credentials';
import { RESOURCES } from '../Monitoring/actions/resources';
import { router } from '../Monitoring/actions/router';
import { monitoringStoreTest } from '../shared/store-test';

/*
 * Collects on n8n's poll schedule and stores, starting no execution unless asked to.
 *
 * A Schedule Trigger in front of the Monitoring node costs one n8n execution per collection:
 * profiled (--cpu-prof) in n8n 2.40.7, the execution's rows in n8n's database, its lifecycle
 * hooks, event bus messages and an expression isolate took ~100 ms of n8n's CPU, where the
 * collection itself took a few ms. n8n starts no execution when a poll returns null, so this
 * trigger runs the same Collect operation inside the poll and hands items over only when Emit
 * says so. A poll that throws (the store cannot be written, a bad parameter) is recorded by n8n
 * as a failed execution and runs the error workflow, as a failed Monitoring node would.
 */

/** The resources with an operation that collects (every one but Alert and History). */
const COLLECTING = RESOURCES.flatMap((r) => {
	const operation = ['collect', 'scrape'].find((name) => Object.hasOwn(r.operations, name));
	if (!operation) return [];
	const module = r.operations[operation] as { description?: INodeProperties[] };
	return [{ ...r.resource, operation, fields: module.description ?? [] }];
});

type Emit = 'never' | 'failures' | 'always';

/**
 * The poll's context as the Collect operations read it: they ask for parameters and credentials
 * by item index, and a poll has no items (its getNodeParameter takes the fallback second).
 */
function asOperationContext(poll: IPollFunctions): IExecuteFunctions {
	const context = {
		getNode: () => poll.getNode(),
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown, options?: object) =>
			poll.getNodeParameter(name, fallback, options),
		getCredentials: async (type: string) => await poll.getCredentials(type),
		getWorkflowStaticData: (type: string) => poll.getWorkflowStaticData(type),
		continueOnFail: () => false,
	};
	return new Proxy(context, {
		get(target, key) {
			if (Object.hasOwn(target, key)) return target[key as keyof typeof target];
			throw new NodeOperationError(
				poll.getNode(),
				`The Collector Trigger cannot run this operation (it asks n8n for ${String(key)})`,
				{ description: 'Use the Monitoring node after a Schedule Trigger for it instead.' },
			);
		},
	}) as unknown as IExecuteFunctions;
}

export class MonitoringCollectorTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Monitoring Collector Trigger',
		name: 'monitoringCollectorTrigger',
		icon: 'file:monitoring.svg',
		group: ['trigger'],
		// Version 2 from the start: it shares the Monitoring node's Collect fields, whose current
		// shape is that node's version 2 (the operations read fields by the node's version). A list,
		// not a number: n8n would otherwise append "Custom API Call" to its Resource list (see the
		// Monitoring node's version).
		version: [2],
		defaultVersion: 2,
		subtitle: '={{ "Collect " + $parameter["resource"] + ", emit: " + $parameter["emit"] }}',
		description:
			'Collects host, GPU, database, endpoint or n8n metrics into the monitoring store on a schedule, without an n8n execution per collection',
		defaults: { name: 'Monitoring Collector Trigger' },
		polling: true,
		usableAsTool: undefined,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: monitoringCredentials,
		properties: [
			resourceField(COLLECTING),
			...COLLECTING.map(
				({ value, operation }): INodeProperties => ({
					displayName: 'Operation',
					name: 'operation',
					type: 'hidden',
					default: operation,
					displayOptions: { show: { resource: [value] } },
				}),
			),
			{
				displayName: 'Emit',
				name: 'emit',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Every Collection',
						value: 'always',
						description:
							'Start the workflow with every collection, as a Schedule Trigger and the Monitoring node would (one n8n execution each)',
					},
					{
						name: 'Never (Only Store)',
						value: 'never',
						description:
							'Store every collection and start no execution: the cheapest way to collect',
					},
					{
						name: 'When a Collection Fails',
						value: 'failures',
						description:
							'Start the workflow with the item of a collection whose source failed (ok: false)',
					},
				],
				default: 'never',
				description:
					'When to start the workflow with the collection as an item. Samples are stored either way.',
			},
			...COLLECTING.flatMap((c) => c.fields),
		],
	};

	methods = { credentialTest: { monitoringStoreTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const emit = this.getNodeParameter('emit', 'never') as Emit;
		if (!['never', 'failures', 'always'].includes(emit)) {
			throw new NodeOperationError(this.getNode(), `Emit "${String(emit)}" is not known`, {
				description: 'Pick Never, When a Collection Fails or Every Collection.',
			});
		}
		// A trigger's items start the workflow: they pair with no input item.
		const items = (await router.call(asOperationContext(this), 0)).map(({ json }) => ({ json }));
		// A test (Fetch Test Event) always shows what was collected.
		if (this.getMode() === 'manual' || emit === 'always') return [items];
		if (emit === 'failures') {
			const failed = items.filter((item) => (item.json as IDataObject).ok === false);
			return failed.length ? [failed] : null;
		}
		return null;
	}
}
