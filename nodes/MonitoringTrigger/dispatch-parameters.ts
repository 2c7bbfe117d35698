import type { IPollFunctions } from 'n8n-workflow';

import {
	AlertConfigError,
	buildGroupConfig,
	buildInhibitRule,
	type DispatchConfig,
	type GroupInput,
	type InhibitRuleInput,
} from '../../core/alerts';

/**
 * The trigger's grouping and inhibition settings, checked; undefined when neither is on (events
 * then go out one by one, as they always did).
 */
export function readDispatchConfig(ctx: IPollFunctions): DispatchConfig | undefined {
	const options = ctx.getNodeParameter('options', {}) as {
		groupEvents?: { settings?: GroupInput };
	};
	const group = options.groupEvents?.settings;
	const hostDown = ctx.getNodeParameter('inhibitHostDown', false) as unknown;
	if (typeof hostDown !== 'boolean')
		throw new AlertConfigError(
			'Hold Back Alerts of Down Hosts must be true or false',
			'Switch it on or off, or map it to a boolean.',
		);
	const rules = ((ctx.getNodeParameter('inhibitRules.rule', []) as InhibitRuleInput[]) ?? []).map(
		buildInhibitRule,
	);
	const config: DispatchConfig = {
		...(group ? { grouping: buildGroupConfig(group) } : {}),
		...(hostDown || rules.length ? { inhibition: { hostDown, rules } } : {}),
	};
	return config.grouping || config.inhibition ? config : undefined;
}
