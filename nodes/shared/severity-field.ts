import type { INodeProperties } from 'n8n-workflow';

/** The Severity picker: an alert raised by a workflow and a trigger's rule offer the same three. */
export function severityField(byDefault: string): INodeProperties {
	return {
		displayName: 'Severity',
		name: 'severity',
		type: 'options',
		options: [
			{ name: 'Critical', value: 'critical' },
			{ name: 'Info', value: 'info' },
			{ name: 'Warning', value: 'warning' },
		],
		default: byDefault,
	};
}
