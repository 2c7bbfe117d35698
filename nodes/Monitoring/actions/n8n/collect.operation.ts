import {
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import { syncN8nAndStore } from '../../../../core/pipeline';
import { collectOptions } from '../../descriptions/common';
import { resultToItems, toNodeError } from '../../helpers/collect';
import {
	MAX_NAME,
	readBoolean,
	readInteger,
	readText,
	readTimeout,
} from '../../helpers/parameters';
import { getStoreConfig } from '../../../shared/store-config';

const show = { show: { resource: ['n8n'], operation: ['collect'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Instance Name',
		name: 'instance',
		type: 'string',
		default: '',
		placeholder: 'n8n-production',
		description: "Names this n8n in the store; empty means the base URL's host:port",
		displayOptions: show,
	},
	{
		displayName: 'Expected Intervals',
		name: 'expected',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Workflow',
		default: {},
		description:
			"How often a workflow should succeed; when its last success is older than twice that, it is stalled. Workflows not listed use their Schedule Trigger's interval where it is a simple one; list the others (webhooks, manual ones) here.",
		displayOptions: show,
		options: [
			{
				displayName: 'Workflow',
				name: 'workflow',
				values: [
					{
						displayName: 'Workflow Name or ID',
						name: 'workflowId',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'n8nWorkflows' },
						default: '',
						description:
							'A workflow of the watched n8n, listed through its API credential. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Every (Minutes)',
						name: 'minutes',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 60,
					},
				],
			},
		],
	},
	collectOptions('n8n', [
		{
			displayName: 'Stuck After (Minutes)',
			name: 'stuckAfterMinutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10080 },
			default: 0,
			description:
				'An execution queued or running longer than this, or waiting this long past its resume time, counts as stuck. 0: per workflow, the larger of 10 minutes and 3 times its own p95 duration.',
		},
		{
			displayName: 'Window (Hours)',
			name: 'windowHours',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 8760 },
			default: 24,
			description:
				'The figures (runs, failures, durations) cover executions started in this window',
		},
		{
			displayName: 'Process Health',
			name: 'processHealth',
			type: 'boolean',
			default: false,
			description:
				"Whether to read n8n's /metrics for its own process: CPU, memory, heap, event-loop lag, open files, HTTP latency (needs N8N_METRICS=true on that n8n; npm start sets it)",
		},
		{
			displayName: 'Queue Metrics',
			name: 'queueMetrics',
			type: 'boolean',
			default: false,
			description:
				"Whether to read n8n's /metrics for queue-mode job counts (needs N8N_METRICS=true on that n8n)",
		},
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		store?: unknown;
		timeout?: unknown;
		windowHours?: unknown;
		queueMetrics?: unknown;
		processHealth?: unknown;
		stuckAfterMinutes?: unknown;
	};
	if (!readBoolean(this, options.store, { name: 'Store', fallback: true, itemIndex })) {
		throw new NodeOperationError(this.getNode(), 'The n8n resource needs the monitoring store', {
			itemIndex,
			description:
				'Executions are synced into the store incrementally; turn the Store option back on.',
		});
	}
	let credentials: ICredentialDataDecryptedObject;
	try {
		credentials = (await this.getCredentials(
			'n8nApi',
			itemIndex,
		)) as ICredentialDataDecryptedObject;
	} catch {
		throw new NodeOperationError(this.getNode(), 'No n8n API credential is set', {
			itemIndex,
			description:
				"Select an n8n API credential (base URL and an API key from n8n's Settings > n8n API).",
		});
	}
	const expected = (this.getNodeParameter('expected.workflow', itemIndex, []) ?? []) as Array<{
		workflowId?: unknown;
		minutes?: unknown;
	}>;
	const expectedIntervals: Record<string, number> = {};
	for (const e of expected) {
		const id = readText(this, e.workflowId, { name: 'Workflow ID', max: 64, itemIndex });
		const minutes = readInteger(this, e.minutes, {
			name: 'Every (Minutes)',
			min: 1,
			max: 525_600,
			fallback: 60,
			itemIndex,
		});
		if (id) expectedIntervals[id] = minutes * 60_000;
	}
	const windowHours = readInteger(this, options.windowHours, {
		name: 'Window',
		min: 1,
		max: 8760,
		fallback: 24,
		itemIndex,
	});
	const instance = readText(this, this.getNodeParameter('instance', itemIndex, ''), {
		name: 'Instance Name',
		max: MAX_NAME,
		itemIndex,
	});
	const timeoutMs = (readTimeout(this, options.timeout, itemIndex) ?? 120) * 1000;
	const stuckAfter = readInteger(this, options.stuckAfterMinutes, {
		name: 'Stuck After (Minutes)',
		min: 0,
		max: 10080,
		fallback: 0,
		itemIndex,
	});
	const signal = AbortSignal.timeout(timeoutMs);
	try {
		const result = await syncN8nAndStore(
			await getStoreConfig(this, itemIndex),
			{
				baseUrl: String(credentials.baseUrl ?? ''),
				apiKey: String(credentials.apiKey ?? ''),
			},
			{
				...(instance ? { instance } : {}),
				windowMs: windowHours * 3_600_000,
				expectedIntervals,
				queueMetrics: readBoolean(this, options.queueMetrics, {
					name: 'Queue Metrics',
					fallback: false,
					itemIndex,
				}),
				...(stuckAfter ? { stuckAfterMs: stuckAfter * 60_000 } : {}),
				processHealth: readBoolean(this, options.processHealth, {
					name: 'Process Health',
					fallback: false,
					itemIndex,
				}),
				signal,
			},
		);
		return resultToItems(this, result, itemIndex);
	} catch (error) {
		// A base URL that is not a URL, or a store that cannot open: the user's to fix.
		throw toNodeError(this, error, itemIndex);
	}
}
