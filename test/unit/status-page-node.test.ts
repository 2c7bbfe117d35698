import { NodeOperationError, type INode } from 'n8n-workflow';

import { readStatusPageConfig } from '../../nodes/MonitoringStatusPage/config';

/**
 * The Monitoring Status Page node's parameters as the editor stores them, read into a page
 * config; bad input is a NodeOperationError that says what is wrong and what to do.
 */
const node: INode = {
	id: '1',
	name: 'Monitoring Status Page',
	type: 'n8n-nodes-monitoring.monitoringStatusPage',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function ctx(parameters: Record<string, unknown>) {
	return {
		getNode: () => node,
		getNodeParameter: ((name: string, fallback: unknown) =>
			name in parameters ? parameters[name] : fallback) as never,
	};
}

const item = (over: Record<string, unknown> = {}) => ({
	kind: 'endpoint',
	host: 'web-1',
	name: 'api',
	displayName: 'Public API',
	...over,
});

test('groups, items, maintenance and their notes', () => {
	const config = readStatusPageConfig(
		ctx({
			title: ' Example ',
			pageDescription: 'Contact ops@example.com',
			'groups.group': [
				{
					name: 'Web',
					items: {
						item: [item(), item({ kind: 'host', host: '', name: 'web-1', displayName: 'Server' })],
					},
				},
				{ name: 'Empty', items: {} },
			],
			'maintenance.window': [
				{ from: '2026-03-01T02:00:00Z', to: '2026-03-01T03:00:00Z', host: 'db-*', note: 'Upgrade' },
			],
		}),
	);
	expect(config).toEqual({
		title: 'Example',
		description: 'Contact ops@example.com',
		groups: [
			{
				name: 'Web',
				items: [
					{
						kind: 'endpoint',
						host: 'web-1',
						name: 'api',
						displayName: 'Public API',
						showDetails: false,
					},
					// A host named in Name alone is the host.
					{
						kind: 'host',
						host: 'web-1',
						name: undefined,
						displayName: 'Server',
						showDetails: false,
					},
				],
			},
			{ name: 'Empty', items: [] },
		],
		maintenance: [
			{
				from: Date.UTC(2026, 2, 1, 2),
				to: Date.UTC(2026, 2, 1, 3),
				host: 'db-*',
				note: 'Upgrade',
			},
		],
	});
});

test.each([
	['no title', { title: '' }, /Title is empty/],
	[
		'no display name',
		{ 'groups.group': [{ items: { item: [item({ displayName: '' })] } }] },
		/Display Name/,
	],
	[
		'no host',
		{ 'groups.group': [{ items: { item: [item({ host: '' })] } }] },
		/Public API has no Host Name/,
	],
	[
		'no name',
		{ 'groups.group': [{ items: { item: [item({ name: '' })] } }] },
		/Public API has no Name/,
	],
	[
		'a kind the list lacks',
		{ 'groups.group': [{ items: { item: [item({ kind: 'gpu' })] } }] },
		/Kind/,
	],
	[
		'Show Details as text',
		{ 'groups.group': [{ items: { item: [item({ showDetails: 'yes' })] } }] },
		/Show Details of Public API must be true or false/,
	],
	[
		'a window that ends first',
		{ 'maintenance.window': [{ from: '2026-03-02', to: '2026-03-01' }] },
		/ends .* before it starts/,
	],
	[
		'a window without dates',
		{ 'maintenance.window': [{ from: '', to: '' }] },
		/From of a maintenance window is not a date/,
	],
])('%s is a NodeOperationError', (_what, parameters, message) => {
	let error: unknown;
	try {
		readStatusPageConfig(ctx({ title: 'Status', ...parameters }));
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as Error).message).toMatch(message);
	expect((error as NodeOperationError).description).toBeTruthy();
});
