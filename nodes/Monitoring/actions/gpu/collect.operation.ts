import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { gpuCollector, type GpuOptions } from '../../../../core/collectors/gpu';
import { collectOptions, hostNameField } from '../../descriptions/common';
import { collectWithNode } from '../../helpers/collect';
import { hostNameParameter, readInteger } from '../../helpers/parameters';

const show = { show: { resource: ['gpu'], operation: ['collect'] } };

export const description: INodeProperties[] = [
	{ ...hostNameField, displayOptions: show },
	collectOptions('gpu', [
		{
			displayName: 'Vendor',
			name: 'vendor',
			type: 'options',
			options: [
				{ name: 'Auto (Whichever Tools Are Installed)', value: 'auto' },
				{ name: 'NVIDIA (Nvidia-Smi)', value: 'nvidia' },
				{ name: 'AMD (Rocm-Smi)', value: 'amd' },
			],
			default: 'auto',
		},
		{
			displayName: 'GPU Processes',
			name: 'processes',
			type: 'boolean',
			default: true,
			description:
				'Whether to list the processes on each GPU with their GPU memory, joined with the host process table',
		},
		{
			displayName: 'Tool Timeout (Seconds)',
			name: 'toolTimeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 120 },
			default: 10,
			description:
				'Nvidia-smi or rocm-smi is killed after this long (a hung driver) and the collection is recorded as failed',
		},
		{
			displayName: 'Nvidia-Smi Path',
			name: 'nvidiaSmiPath',
			type: 'string',
			default: '',
			placeholder: '/usr/bin/nvidia-smi',
			description: 'Empty means nvidia-smi on the PATH of the n8n process',
		},
		{
			displayName: 'Rocm-Smi Path',
			name: 'rocmSmiPath',
			type: 'string',
			default: '',
			placeholder: '/opt/rocm/bin/rocm-smi',
			description: 'Empty means rocm-smi on the PATH of the n8n process',
		},
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		store?: boolean;
		timeout?: number;
		vendor?: GpuOptions['vendor'];
		processes?: boolean;
		toolTimeout?: number;
		nvidiaSmiPath?: string;
		rocmSmiPath?: string;
	};
	const gpuOptions: GpuOptions = {
		vendor: options.vendor ?? 'auto',
		processes: options.processes ?? true,
		timeoutMs:
			readInteger(this, options.toolTimeout, {
				name: 'Tool Timeout',
				min: 1,
				max: 120,
				fallback: 10,
				itemIndex,
			}) * 1000,
		...(options.nvidiaSmiPath?.trim() ? { nvidiaSmiPath: options.nvidiaSmiPath.trim() } : {}),
		...(options.rocmSmiPath?.trim() ? { rocmSmiPath: options.rocmSmiPath.trim() } : {}),
	};
	const hostName = hostNameParameter(this, itemIndex);
	return await collectWithNode.call(this, gpuCollector, gpuOptions, {
		itemIndex,
		host: hostName,
		store: options.store ?? true,
		timeoutSeconds: options.timeout,
	});
}
