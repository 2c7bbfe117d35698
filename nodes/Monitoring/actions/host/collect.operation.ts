import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { hostCollector, type HostOptions } from '../../../../core/collectors/host';
import { collectOptions, hostNameField } from '../../descriptions/common';
import { collectWithNode } from '../../helpers/collect';
import { collectSettings, hostNameParameter, readInteger } from '../../helpers/parameters';

export const description: INodeProperties[] = [
	{
		...hostNameField('web-01'),
		displayOptions: { show: { resource: ['host'], operation: ['collect'] } },
	},
	collectOptions('host', [
		{
			displayName: 'Top Processes',
			name: 'topProcesses',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 0,
			description:
				'How many processes to list by CPU and by memory in the output (0 = off). They are kept in the latest snapshot, not as series.',
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
		topProcesses?: unknown;
	};
	const settings = collectSettings(this, options, itemIndex);
	const hostOptions: HostOptions = {
		topProcesses: readInteger(this, options.topProcesses, {
			name: 'Top Processes',
			min: 0,
			max: 100,
			fallback: 0,
			itemIndex,
		}),
	};
	const hostName = hostNameParameter(this, itemIndex);
	return await collectWithNode.call(this, hostCollector, hostOptions, {
		itemIndex,
		host: hostName,
		...settings,
	});
}
