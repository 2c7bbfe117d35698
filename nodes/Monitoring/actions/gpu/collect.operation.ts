import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { gpuCollector, type GpuOptions } from '../../../../core/collectors/gpu';
import { collectOptions, hostNameField } from '../../descriptions/common';
import { collectWithNode } from '../../helpers/collect';
import {
	collectSettings,
	hostNameParameter,
	readBoolean,
	readChoice,
	readInteger,
	readText,
} from '../../helpers/parameters';

const show = { show: { resource: ['gpu'], operation: ['collect'] } };

export const description: INodeProperties[] = [
	{ ...hostNameField('gpu-server-01'), displayOptions: show },
	collectOptions('gpu', [
		{
			displayName: 'Vendor',
			name: 'vendor',
			type: 'options',
			options: [
				{ name: 'AMD (rocm-smi)', value: 'amd' },
				{ name: 'Auto (Whichever Tools Are Installed)', value: 'auto' },
				{ name: 'NVIDIA (nvidia-smi)', value: 'nvidia' },
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
				'nvidia-smi or rocm-smi is killed after this long (a hung driver) and the collection is recorded as failed',
		},
		{
			displayName: 'nvidia-smi Path',
			name: 'nvidiaSmiPath',
			type: 'string',
			default: '',
			placeholder: '/usr/bin/nvidia-smi',
			description: 'Empty means nvidia-smi on the PATH of the n8n process',
		},
		{
			displayName: 'rocm-smi Path',
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
	const options = this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	const settings = collectSettings(this, options, itemIndex);
	const path = (value: unknown, name: string) =>
		readText(this, value, { name, max: 4096, itemIndex });
	const nvidiaSmiPath = path(options.nvidiaSmiPath, 'nvidia-smi Path');
	const rocmSmiPath = path(options.rocmSmiPath, 'rocm-smi Path');
	const gpuOptions: GpuOptions = {
		vendor: readChoice(this, options.vendor, {
			name: 'Vendor',
			choices: ['auto', 'nvidia', 'amd'] as const,
			fallback: 'auto',
			itemIndex,
		}),
		processes: readBoolean(this, options.processes, {
			name: 'GPU Processes',
			fallback: true,
			itemIndex,
		}),
		timeoutMs:
			readInteger(this, options.toolTimeout, {
				name: 'Tool Timeout',
				min: 1,
				max: 120,
				fallback: 10,
				itemIndex,
			}) * 1000,
		...(nvidiaSmiPath ? { nvidiaSmiPath } : {}),
		...(rocmSmiPath ? { rocmSmiPath } : {}),
	};
	const hostName = hostNameParameter(this, itemIndex);
	return await collectWithNode.call(this, gpuCollector, gpuOptions, {
		itemIndex,
		host: hostName,
		...settings,
	});
}
