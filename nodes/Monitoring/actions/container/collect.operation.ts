import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import {
	containerCollector,
	DEFAULT_MAX_CONTAINERS,
	DEFAULT_SOCKET,
	type ContainerOptions,
} from '../../../../core/collectors/containers';
import { collectOptions, hostNameField } from '../../descriptions/common';
import { collectWithNode } from '../../helpers/collect';
import {
	collectSettings,
	hostNameParameter,
	readChoice,
	readInteger,
	readText,
} from '../../helpers/parameters';

const show = { show: { resource: ['container'], operation: ['collect'] } };

export const description: INodeProperties[] = [
	{ ...hostNameField('docker-host-01'), displayOptions: show },
	{
		displayName: 'Socket Path',
		name: 'socketPath',
		type: 'string',
		default: DEFAULT_SOCKET,
		placeholder: DEFAULT_SOCKET,
		description:
			"The container engine's socket. Podman: /run/podman/podman.sock (root) or $XDG_RUNTIME_DIR/podman/podman.sock. With n8n in Docker, mount the host's socket into the n8n container (read-only).",
		displayOptions: show,
	},
	{
		displayName: 'Containers',
		name: 'which',
		type: 'options',
		options: [
			{
				name: 'All',
				value: 'all',
				description: 'Running, stopped, exited and created ones (an exited container can alert)',
			},
			{ name: 'Running Only', value: 'running' },
		],
		default: 'all',
		displayOptions: show,
	},
	collectOptions('container', [
		{
			displayName: 'Engine Timeout (Seconds)',
			name: 'engineTimeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 120 },
			default: 10,
			description:
				'A request the engine has not answered after this long fails the collection (a hung engine)',
		},
		{
			displayName: 'Label Filter',
			name: 'labels',
			type: 'string',
			default: '',
			placeholder: 'com.docker.compose.project=n8n, monitor',
			description:
				'Only containers that carry every one of these labels (key, or key=value), separated by commas',
		},
		{
			displayName: 'Max Containers',
			name: 'maxContainers',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: DEFAULT_MAX_CONTAINERS,
			description: 'At most this many containers, first by name; a warning says when more matched',
		},
		{
			displayName: 'Name Filter',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'postgres',
			description:
				'Only containers whose name contains this (the engine reads it as a regular expression)',
		},
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	const settings = collectSettings(this, options, itemIndex);
	const socketPath =
		readText(this, this.getNodeParameter('socketPath', itemIndex, DEFAULT_SOCKET), {
			name: 'Socket Path',
			max: 4096,
			itemIndex,
		}) || DEFAULT_SOCKET;
	if (!socketPath.startsWith('/')) {
		throw new NodeOperationError(
			this.getNode(),
			`Socket Path must be an absolute path, not ${JSON.stringify(socketPath.slice(0, 60))}`,
			{
				itemIndex,
				description:
					'Enter the path of the engine\'s socket, e.g. /var/run/docker.sock (a "unix://" prefix or a TCP address is not supported)',
			},
		);
	}
	const name = readText(this, options.name, { name: 'Name Filter', max: 255, itemIndex });
	const labels = readText(this, options.labels, { name: 'Label Filter', max: 2048, itemIndex })
		.split(',')
		.map((l) => l.trim())
		.filter(Boolean);
	for (const label of labels) {
		if (/^=|\s/.test(label.split('=')[0])) {
			throw new NodeOperationError(this.getNode(), `Label Filter has a bad entry: "${label}"`, {
				itemIndex,
				description: 'Write each label as key or key=value, separated by commas.',
			});
		}
	}
	const containerOptions: ContainerOptions = {
		socketPath,
		which: readChoice(this, this.getNodeParameter('which', itemIndex, 'all'), {
			name: 'Containers',
			choices: ['all', 'running'] as const,
			fallback: 'all',
			itemIndex,
		}),
		...(name ? { name } : {}),
		...(labels.length ? { labels } : {}),
		maxContainers: readInteger(this, options.maxContainers, {
			name: 'Max Containers',
			min: 1,
			max: 1000,
			fallback: DEFAULT_MAX_CONTAINERS,
			itemIndex,
		}),
		engineTimeoutMs:
			readInteger(this, options.engineTimeout, {
				name: 'Engine Timeout',
				min: 1,
				max: 120,
				fallback: 10,
				itemIndex,
			}) * 1000,
	};
	return await collectWithNode.call(this, containerCollector, containerOptions, {
		itemIndex,
		host: hostNameParameter(this, itemIndex),
		...settings,
	});
}
