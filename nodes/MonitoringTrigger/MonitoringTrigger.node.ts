import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	dispatchAlerts,
	type DispatchConfig,
	type DispatchState,
	groupAtOnce,
	type InactiveRule,
	isQuiet,
	pollAlerts,
	previewAlerts,
	withAckLinks,
} from '../../core/alerts';
import type { AlertEvent } from '../../core/model';
import { openStore } from '../../core/store';
import { getStoreConfig } from '../shared/store-config';
import { monitoringStoreTest, STORE_CREDENTIAL_LABEL } from '../shared/store-test';
import { ackLinkOption, escalationOptions, readLifecycle } from './lifecycle.description';
import { groupEventsOption, inhibitionFields } from './dispatch.description';
import { readDispatchConfig } from './dispatch-parameters';
import { readDashboardUrl, readRules, readSchedule, toTriggerError } from './parameters';
import { ruleFields, scheduleFields } from './rules.description';

/**
 * What each trigger last said about its waiting presets, so that a poll every minute logs a
 * change once instead of the same notice sixty times an hour. Only a log line depends on it.
 */
const lastNotice = new Map<string, string>();

/** Sends what waits in every group at once, and lets every held alert go. */
const DRAIN: DispatchConfig = {
	grouping: { by: [], labels: [], waitMs: 0, intervalMs: 0, repeatMs: 0 },
};

function inactiveNotice(inactive: InactiveRule[]): string {
	return inactive.length
		? `Rules waiting for a metric this store does not hold: ${inactive
				.map((r) => `${r.rule} (${r.metric})`)
				.join(', ')}. Collect it (e.g. the GPU or endpoint starter) or remove the rule.`
		: '';
}

/**
 * Starts a workflow when an alert rule starts firing and when it resolves, never while nothing
 * changes. Rules are judged on the monitoring store at every poll; their state lives in the
 * store and the hand-over cursor in the trigger's static data, which n8n commits with the
 * execution it starts, so a restart of n8n neither repeats nor loses an alert.
 */
export class MonitoringTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Monitoring Trigger',
		name: 'monitoringTrigger',
		icon: 'file:monitoring.svg',
		group: ['trigger'],
		// 2: a rule's overrides sit in its own options collection (rules.description.ts).
		// 3: alerts of what is collected on a down host are held back by default.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle:
			'={{ ($parameter["rules"]["rule"] || []).length === 1 ? "1 rule" : ($parameter["rules"]["rule"] || []).length + " rules" }}',
		// n8n's node creator shows the Monitoring node and this trigger as one entry, under the
		// trigger's description: it speaks for both. The trigger's own words are on its action below.
		description:
			'Collect host, GPU, database, endpoint and n8n metrics, chart them, and start workflows when alerts fire or resolve',
		defaults: { name: 'Monitoring Trigger' },
		polling: true,
		// A trigger starts workflows; an AI agent has nothing to call here.
		usableAsTool: undefined,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'monitoringStoreApi',
				displayName: STORE_CREDENTIAL_LABEL,
				required: false,
				testedBy: 'monitoringStoreTest',
			},
		],
		properties: [
			{
				// The node creator names a trigger's actions after the options of a parameter labelled
				// "Trigger On" (without one: "On new Monitoring event"). There is one event, so nothing
				// to choose in the node: hidden.
				displayName: 'Trigger On',
				name: 'event',
				type: 'hidden',
				default: 'alertChange',
				options: [
					{
						name: 'Alert Fires or Resolves',
						value: 'alertChange',
						action: 'On alert firing or resolving',
						description:
							'Starts the workflow when an alert rule starts firing and when it resolves (and when it is acknowledged or escalates)',
					},
				],
			},
			{
				displayName: 'Rules',
				name: 'rules',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				default: { rule: [{ preset: 'cpuHigh' }] },
				placeholder: 'Add Rule',
				options: [{ displayName: 'Rule', name: 'rule', values: ruleFields }],
			},
			...scheduleFields,
			...inhibitionFields,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					ackLinkOption,
					{
						displayName: 'Dashboard URL',
						name: 'dashboardUrl',
						type: 'string',
						default: '',
						placeholder: 'https://n8n.example.com/webhook/monitoring/',
						description:
							"The dashboard's address for the links in alerts; empty: this n8n's /webhook/monitoring/",
					},
					...escalationOptions,
					groupEventsOption,
					{
						displayName: 'Include Alerts Raised by Workflows',
						name: 'includeWorkflowAlerts',
						type: 'boolean',
						default: true,
						description:
							'Whether to also start on alerts that workflows raise and resolve with the Monitoring node',
					},
					{
						displayName: 'Time Zone',
						name: 'timeZone',
						type: 'string',
						default: '',
						placeholder: "The workflow's time zone",
						description: 'For quiet hours, e.g. Europe/Berlin',
					},
				],
			},
		],
	};

	methods = { credentialTest: { monitoringStoreTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		try {
			const rules = readRules(this);
			const schedule = readSchedule(this);
			const dispatch = readDispatchConfig(this);
			const options = this.getNodeParameter('options', {}) as {
				dashboardUrl?: unknown;
				includeWorkflowAlerts?: unknown;
			} & Parameters<typeof readLifecycle>[0];
			const lifecycle = readLifecycle(options);
			const dashboardUrl =
				readDashboardUrl(options.dashboardUrl) || `${this.getInstanceBaseUrl()}webhook/monitoring/`;
			const store = await openStore(await getStoreConfig(this));
			const now = Date.now();
			if (this.getMode() === 'manual') {
				// Fetching a test event changes nothing: it shows what fires right now.
				const preview = await previewAlerts(store, { rules, dashboardUrl, now });
				const notice = inactiveNotice(preview.inactive);
				if (notice) this.logger.info(notice, { node: node.name });
				// With grouping on, the test event has the shape the workflow will get.
				const shown = dispatch?.grouping
					? groupAtOnce(preview.events, dispatch.grouping, now).map((g) => ({
							...g,
							preview: true,
						}))
					: preview.events;
				if (shown.length) return [this.helpers.returnJsonArray(shown as unknown as IDataObject[])];
				// A test event that says why some rules cannot fire beats an empty one. It carries a
				// message too: testing a whole starter then posts that line, not an empty one.
				if (!notice) return null;
				const text = `Nothing fires right now. ${notice}`;
				return [
					this.helpers.returnJsonArray([
						{
							preview: true,
							status: 'notice',
							notice: text,
							message: text,
							inactiveRules: preview.inactive as unknown as IDataObject[],
						},
					]),
				];
			}
			const staticData = this.getWorkflowStaticData('node') as {
				cursor?: number;
				dispatch?: DispatchState;
			};
			const scope = `${this.getWorkflow().id ?? 'unsaved'}:${node.id}`;
			const result = await pollAlerts(store, {
				scope,
				rules,
				schedule,
				includeWorkflowAlerts: options.includeWorkflowAlerts !== false,
				cursor: staticData.cursor,
				dashboardUrl,
				...lifecycle,
				now,
			});
			staticData.cursor = result.cursor;
			let items: unknown[] = result.events;
			// Grouping and inhibition switched off with alerts still waiting: they go out now.
			const waiting = staticData.dispatch;
			const drain =
				!dispatch &&
				waiting &&
				(Object.keys(waiting.groups ?? {}).length || Object.keys(waiting.held ?? {}).length)
					? DRAIN
					: undefined;
			const config = dispatch ?? drain;
			if (config) {
				// Held and grouped alerts wait in static data beside the cursor: n8n commits both with
				// the execution this poll starts, so a crash before it repeats them, never loses them.
				const out = await dispatchAlerts(store, {
					...config,
					scope,
					now,
					events: result.events,
					state: staticData.dispatch,
					quiet: isQuiet(schedule, now, ''),
				});
				staticData.dispatch = out.state;
				// Items rebuilt from the log (released, or grouped in an earlier poll) carry no ack
				// link yet: every firing alert handed over gets one, inside groups too.
				const links = { dashboardUrl, now, ackLinkMs: lifecycle.ackLinkMs };
				items = await Promise.all(
					out.items.map(async (item) =>
						'alerts' in item && Array.isArray(item.alerts)
							? { ...item, alerts: await withAckLinks(store, item.alerts, links) }
							: (await withAckLinks(store, [item as AlertEvent], links))[0],
					),
				);
			}
			if (!dispatch) delete staticData.dispatch;
			const notice = inactiveNotice(result.inactive);
			if ((lastNotice.get(scope) ?? '') !== notice) {
				lastNotice.set(scope, notice);
				if (notice)
					this.logger.info(notice, { node: node.name, workflowId: this.getWorkflow().id });
			}
			if (items.length === 0) return null;
			return [this.helpers.returnJsonArray(items as unknown as IDataObject[])];
		} catch (error) {
			throw toTriggerError(node, error);
		}
	}
}
