import {
	type ICredentialType,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type INodeTypeDescription,
	Workflow,
} from 'n8n-workflow';

import { PRESETS } from '../../core/alerts/presets';
import { MonitoringStoreApi } from '../../credentials/MonitoringStoreApi.credentials';
import { Monitoring } from '../../nodes/Monitoring/Monitoring.node';
import { MonitoringDashboard } from '../../nodes/MonitoringDashboard/MonitoringDashboard.node';
import { MonitoringTrigger } from '../../nodes/MonitoringTrigger/MonitoringTrigger.node';

/**
 * What an n8n user meets in the editor, checked on every node description: labels that tell the
 * fields apart, lists in the order n8n sorts its own, n8n's and the tools' own spellings, and no
 * "Custom API Call" (there is no Monitoring API; test/workflow/custom-api-call.test.ts runs n8n's
 * own injection of it).
 */
const nodes: INodeTypeDescription[] = [
	new Monitoring().description,
	new MonitoringDashboard().description,
	new MonitoringTrigger().description,
];
const credentials: ICredentialType[] = [new MonitoringStoreApi()];

type Option = INodePropertyOptions | INodeProperties | INodePropertyCollection;
const isPlainOption = (o: Option): o is INodePropertyOptions => 'value' in o && !('type' in o);

/**
 * Every property, nested ones included, with the path that leads to it, its scope (the fixed
 * collections it sits in: each entry of one is a card of its own, so a Host of a rule and a Host
 * of a maintenance window do not clash, while a card's field and the node's own do) and the
 * conditions of the collections around it (a field inside a collection shown for one preset
 * only shows with it).
 */
function walk(properties: INodeProperties[], path: string[] = [], scope = '', around = '') {
	const out: Array<{ property: INodeProperties; path: string[]; scope: string; around: string }> =
		[];
	for (const property of properties) {
		out.push({ property, path, scope, around });
		const inside = around + otherConditions(property);
		for (const option of property.options ?? []) {
			const inner = [...path, property.name];
			if ('values' in option)
				out.push(
					...walk(option.values, [...inner, option.name], `${scope}/${inner.join('.')}`, inside),
				);
			else if ('type' in option) out.push(...walk([option], inner, scope, inside));
		}
	}
	return out;
}

/** Lists whose order is their meaning, not the alphabet. */
const ORDERED_LISTS = new Set([
	// Time ranges, shortest first (as n8n's own range pickers).
	'Monitoring: range',
]);

/** The (resource, operation) pairs a node offers; one empty pair for a node without resources. */
function views(node: INodeTypeDescription): Array<{ resource?: string; operation?: string }> {
	const resource = node.properties.find((p) => p.name === 'resource');
	if (!resource) return [{}];
	return (resource.options as INodePropertyOptions[]).flatMap((r) => {
		const operations = node.properties.filter(
			(p) =>
				p.name === 'operation' &&
				(p.displayOptions?.show?.resource as string[] | undefined)?.includes(String(r.value)),
		);
		return operations.flatMap((p) =>
			(p.options as INodePropertyOptions[]).map((o) => ({
				resource: String(r.value),
				operation: String(o.value),
			})),
		);
	});
}

/** Whether a top-level property shows for the view, judged on resource and operation alone. */
function shows(property: INodeProperties, view: { resource?: string; operation?: string }) {
	const show = property.displayOptions?.show ?? {};
	for (const key of ['resource', 'operation'] as const) {
		const allowed = show[key] as string[] | undefined;
		if (allowed && view[key] !== undefined && !allowed.includes(view[key]!)) return false;
	}
	return true;
}

/** Conditions beyond resource and operation: fields under different ones may share a label. */
function otherConditions(property: INodeProperties): string {
	const { resource: _r, operation: _o, ...show } = property.displayOptions?.show ?? {};
	return JSON.stringify([show, property.displayOptions?.hide ?? {}]);
}

describe.each(nodes.map((n) => [n.displayName, n] as const))('%s', (_name, node) => {
	test.each(views(node).map((v) => [`${v.resource ?? '-'}/${v.operation ?? '-'}`, v] as const))(
		'%s: no two fields visible together share a label',
		(_view, view) => {
			const visible = node.properties.filter((p) => shows(p, view));
			const seen = new Map<string, Array<{ where: string; scope: string }>>();
			const duplicates: string[] = [];
			for (const top of visible)
				for (const { property, path, scope, around } of walk([top])) {
					if (property.type === 'notice' || property.type === 'hidden') continue;
					const key = `${property.displayName}|${around}${otherConditions(property)}`;
					const where = [...path, property.name].join('.');
					const before = seen.get(key) ?? [];
					const clash = before.find((b) => scope.startsWith(b.scope) || b.scope.startsWith(scope));
					if (clash) duplicates.push(`${property.displayName}: ${clash.where}, ${where}`);
					seen.set(key, [...before, { where, scope }]);
				}
			expect(duplicates).toEqual([]);
		},
	);

	test('lists of options are sorted by name as n8n sorts them', () => {
		const unsorted = walk(node.properties)
			.filter(({ property }) => property.type === 'options' && property.options?.length)
			.filter(({ property }) => !ORDERED_LISTS.has(`${node.displayName}: ${property.name}`))
			.map(({ property, path }) => ({
				where: [...path, property.name].join('.'),
				names: (property.options as Option[]).filter(isPlainOption).map((o) => o.name),
			}))
			.filter(({ names }) => {
				const sorted = [...names].sort((a, b) =>
					a.localeCompare(b, undefined, { sensitivity: 'base' }),
				);
				return names.some((n, i) => n !== sorted[i]);
			});
		expect(unsorted).toEqual([]);
	});

	test('no Custom API Call is offered', () => {
		const offered = walk(node.properties).filter(({ property }) =>
			(property.options as Option[] | undefined)?.some(
				(o) =>
					isPlainOption(o) && (o.name === 'Custom API Call' || o.value === '__CUSTOM_API_CALL__'),
			),
		);
		expect(offered.map(({ property }) => property.name)).toEqual([]);
	});
});

test.each([
	...nodes.map((n) => [n.displayName, n] as const),
	...credentials.map((c) => [c.displayName, c] as const),
])('%s spells n8n, nvidia-smi and rocm-smi as they spell themselves', (_name, description) => {
	const text = JSON.stringify(description);
	expect(text.match(/\bN8n\b[^"]{0,30}/g) ?? []).toEqual([]);
	expect(text.match(/Nvidia-Smi|Rocm-Smi/g) ?? []).toEqual([]);
});

test('each node carries its own description, the trigger speaking for the merged entry', () => {
	const texts = nodes.map((n) => n.description);
	expect(new Set(texts).size).toBe(texts.length);
	const trigger = new MonitoringTrigger().description;
	// n8n's node creator names the trigger's action after its "Trigger On" option.
	const triggerOn = trigger.properties.find((p) => p.displayName === 'Trigger On');
	expect((triggerOn?.options as INodePropertyOptions[])[0].action).toMatch(/fir.*resolv/i);
});

test('the dashboard node shows one address, and its hints keep their words', () => {
	const dashboard = new MonitoringDashboard().description;
	const shown = (dashboard.webhooks ?? []).filter((w) => !w.ndvHideUrl);
	expect(shown.map((w) => w.path)).toEqual(['={{$parameter["path"]}}']);
	// n8n renders descriptions as HTML: anything in angle brackets but a link is dropped as a tag.
	const tagged = nodes.flatMap((n) =>
		walk(n.properties)
			.map(({ property }) => `${property.description ?? ''} ${property.hint ?? ''}`)
			.map((text) => text.replace(/<a href="https:\/\/[^"]+">[^<]*<\/a>/g, ''))
			.filter((text) => /<[a-z][^>]*>/i.test(text)),
	);
	expect(tagged).toEqual([]);
});

/** A node's subtitle as n8n's expression engine works it out for the given parameters. */
function subtitle(description: INodeTypeDescription, parameters: Record<string, unknown>): unknown {
	const node = {
		id: '1',
		name: 'Node',
		type: `n8n-nodes-monitoring.${description.name}`,
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: parameters as INodeParameters,
	};
	const type = { description } as INodeType;
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => type,
			getByNameAndVersion: () => type,
			getKnownTypes: () => ({}),
		},
	});
	return workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'internal', {});
}

test("the canvas subtitle is the operation's action, or the number of rules", () => {
	const monitoring = new Monitoring().description;
	expect(views(monitoring).map((v) => subtitle(monitoring, v))).toEqual(
		views(monitoring).map(
			(v) =>
				(
					monitoring.properties
						.find(
							(p) =>
								p.name === 'operation' &&
								(p.displayOptions?.show?.resource as string[]).includes(v.resource!),
						)!
						.options!.find((o) => 'value' in o && o.value === v.operation) as INodePropertyOptions
				).action,
		),
	);
	expect(subtitle(monitoring, { resource: 'endpoint', operation: 'collect' })).toBe(
		'Check endpoints',
	);
	const trigger = new MonitoringTrigger().description;
	expect(subtitle(trigger, { rules: { rule: [{ preset: 'cpuHigh' }] } })).toBe('1 rule');
	expect(subtitle(trigger, { rules: { rule: [{}, {}] } })).toBe('2 rules');
});

describe('the trigger, version 2', () => {
	const rule = new MonitoringTrigger().description.properties
		.find((p) => p.name === 'rules')!
		.options!.find((o): o is INodePropertyCollection => 'values' in o)!.values;
	const v2 = (p: INodeProperties) =>
		!('@version' in (p.displayOptions?.show ?? {})) ||
		JSON.stringify(p.displayOptions?.show?.['@version']).includes('gte');
	const shownFor = (preset: string) =>
		rule.filter(
			(p) =>
				v2(p) && (!p.displayOptions?.show?.preset || p.displayOptions.show.preset.includes(preset)),
		);

	test.each(Object.keys(PRESETS))(
		'%s: the rule and one options collection, nothing else',
		(key) => {
			expect(shownFor(key).map((p) => `${p.name}:${p.type}`)).toEqual([
				'preset:options',
				'options:collection',
			]);
		},
	);

	test.each(Object.entries(PRESETS))(
		"%s: the options' placeholders are the preset's own values",
		(_key, preset) => {
			const options = shownFor(_key).find((p) => p.name === 'options')!
				.options as INodeProperties[];
			const placeholder = (name: string) => options.find((o) => o.name === name)?.placeholder;
			expect(placeholder('name')).toBe(preset.name);
			expect(placeholder('threshold')).toMatch(
				new RegExp(`^${String(preset.threshold).replace('.', '\\.')}\\b`),
			);
			expect(placeholder('forMinutes')).toBe(String(preset.forMs / 60_000));
			if (preset.source.kind === 'metric')
				expect(placeholder('windowMinutes')).toBe(String(preset.source.windowMs / 60_000));
			expect(options.find((o) => o.name === 'severity')?.default).toBe(preset.severity);
		},
	);

	test('a custom rule shows what it cannot do without, the rest in options', () => {
		expect(shownFor('custom').map((p) => p.name)).toEqual([
			'preset',
			'metric',
			'aggregation',
			'windowMinutes',
			'comparison',
			'threshold',
			'options',
		]);
	});

	test('quiet hours and maintenance windows say what their button adds', () => {
		const props = new MonitoringTrigger().description.properties;
		expect(props.find((p) => p.name === 'quietHours')?.placeholder).toBe('Add Quiet Hours');
		expect(props.find((p) => p.name === 'maintenance')?.placeholder).toBe('Add Maintenance Window');
	});
});

describe('the trigger, version 3: inhibition and Group Events', () => {
	const trigger = new MonitoringTrigger().description;
	const props = trigger.properties;

	test('is the default version; holding back alerts of down hosts is on for it only', () => {
		expect(trigger.defaultVersion).toBe(3);
		const toggles = props.filter((p) => p.name === 'inhibitHostDown');
		expect(
			toggles.map((p) => [JSON.stringify(p.displayOptions?.show?.['@version']), p.default]),
		).toEqual([
			['[{"_cnd":{"gte":3}}]', true],
			['[{"_cnd":{"lt":3}}]', false],
		]);
	});

	test('every new field says what it does; text fields show an example', () => {
		const inhibit = props.find((p) => p.name === 'inhibitRules')!;
		const options = props.find((p) => p.name === 'options')!.options as INodeProperties[];
		const group = options.find((o) => o.name === 'groupEvents')!;
		expect(inhibit.placeholder).toBe('Add Inhibit Rule');
		expect(group.placeholder).toBe('Add Grouping');
		expect(inhibit.description).toBeTruthy();
		expect(group.description).toBeTruthy();
		const fields = walk([inhibit, group]).map(({ property }) => property);
		const inner = fields.filter((f) => f.type !== 'fixedCollection');
		expect(inner.filter((f) => !f.description).map((f) => f.name)).toEqual([]);
		expect(inner.filter((f) => f.type === 'string' && !f.placeholder).map((f) => f.name)).toEqual(
			[],
		);
		expect(inner.map((f) => f.name)).toEqual([
			'source',
			'target',
			'equal',
			'groupBy',
			'labels',
			'waitSeconds',
			'intervalMinutes',
			'repeatMinutes',
		]);
	});
});
