import type {
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	createStatusPageHandler,
	STATUS_PAGE_PATHS,
	type StatusPageOptions,
} from '../../dashboard/server/status-page/handler';
import { readChoice, readInteger } from '../Monitoring/helpers/parameters';
import { targetKindField } from '../shared/target-kind-field';
import { maintenanceField } from '../shared/maintenance-field';
import { getStoreConfig } from '../shared/store-config';
import { pagePath, pageWebhooks, serveWith, type RequestHandler } from '../shared/webhook-server';
import { monitoringStoreTest, STORE_CREDENTIAL_LABEL } from '../shared/store-test';
import { readStatusPageConfig } from './config';

const handlers = new Map<string, RequestHandler>();

const LANGUAGE_CHOICES = ['auto', 'en', 'ko'] as const;

const maintenance = maintenanceField(
	'Announced maintenance: shown on the page with its note; its minutes count neither up nor down, and items in it show "Maintenance"',
);
const windowValues = (maintenance.options as Array<{ values: INodeProperties[] }>)[0].values;
windowValues.push({
	displayName: 'Public Note',
	name: 'note',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	placeholder: 'Database upgrade: the shop is read-only for 10 minutes',
	description: 'Shown on the page as written, for everyone to read',
});

/**
 * A public status page (no login) on this node's path: the chosen targets under display names,
 * their status, 90 days of daily uptime, incidents and announced maintenance, with badges, a
 * JSON summary and an Atom feed under the same path. It answers every request itself and starts
 * no workflow. Each sub-path is a static webhook path of its own, so several pages (one node
 * each, on different paths) live side by side in one n8n.
 */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- a web server, not a tool an agent calls
export class MonitoringStatusPage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Monitoring Status Page',
		name: 'monitoringStatusPage',
		icon: 'file:status-page.svg',
		group: ['trigger'],
		version: 1,
		description:
			'Publishes a public status page of chosen targets, with uptime badges and an incident feed',
		subtitle: '={{"/webhook/" + $parameter["path"]}}',
		defaults: { name: 'Monitoring Status Page' },
		inputs: [],
		outputs: [],
		credentials: [
			{
				name: 'monitoringStoreApi',
				displayName: STORE_CREDENTIAL_LABEL,
				required: false,
				testedBy: 'monitoringStoreTest',
			},
		],
		webhooks: pageWebhooks({ GET: STATUS_PAGE_PATHS }),
		properties: [
			{
				displayName:
					'This page is public: anyone who can reach this n8n can read it. It shows only the titles, display names, statuses, uptime, incidents and notes you enter here, unless Show Details is on for an item.',
				name: 'publicNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'status',
				required: true,
				description:
					"The page's address once the workflow is active: your n8n URL, then /webhook/, then this path (e.g. https://n8n.example.com/webhook/status). Badges, status.json and feed.atom live under it.",
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: 'Status',
				required: true,
			},
			{
				displayName: 'Description',
				name: 'pageDescription',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'A line under the title, e.g. who to contact',
			},
			{
				displayName: 'Groups',
				name: 'groups',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Group',
				default: {},
				options: [
					{
						displayName: 'Group',
						name: 'group',
						values: [
							{
								displayName: 'Group Name',
								name: 'name',
								type: 'string',
								default: '',
								placeholder: 'Website',
							},
							{
								displayName: 'Items',
								name: 'items',
								type: 'fixedCollection',
								typeOptions: { multipleValues: true },
								placeholder: 'Add Item',
								default: {},
								options: [
									{
										displayName: 'Item',
										name: 'item',
										values: [
											targetKindField,
											{
												displayName: 'Host Name',
												name: 'host',
												type: 'string',
												default: '',
												description:
													'The host whose collector checks the target (for a host: the host itself); never shown on the page',
											},
											{
												displayName: 'Name',
												name: 'name',
												type: 'string',
												default: '',
												description:
													'The endpoint, database, server or workflow ID as stored; empty for a host; never shown on the page',
											},
											{
												displayName: 'Display Name',
												name: 'displayName',
												type: 'string',
												default: '',
												placeholder: 'Public API',
												description:
													'What the page calls it; its badges live at badge.svg?item= and this name in lower case with dashes',
											},
											{
												displayName: 'Show Details',
												name: 'showDetails',
												type: 'boolean',
												default: false,
												description:
													'Whether to show its host, name, URL and last error text on the public page (for this item only)',
											},
										],
									},
								],
							},
						],
					},
				],
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				options: [
					{ name: 'By the Browser (Accept-Language)', value: 'auto' },
					{ name: 'English', value: 'en' },
					{ name: '한국어 (Korean)', value: 'ko' },
				],
				default: 'auto',
			},
			{
				displayName: 'Refresh (Seconds)',
				name: 'refresh',
				type: 'number',
				typeOptions: { minValue: 10, maxValue: 3600 },
				default: 60,
				description: 'How often an open page reloads itself',
			},
			{
				displayName: 'Cache (Seconds)',
				name: 'cache',
				type: 'number',
				typeOptions: { minValue: 5, maxValue: 3600 },
				default: 30,
				description:
					'The page is worked out at most once per this many seconds, and browsers and proxies may keep it that long',
			},
			maintenance,
		],
	};

	methods = { credentialTest: { monitoringStoreTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options: StatusPageOptions = {
			store: await getStoreConfig(this),
			page: readStatusPageConfig(this),
			basePath: pagePath(this),
			language: readChoice(this, this.getNodeParameter('language', 'auto'), {
				name: 'Language',
				choices: LANGUAGE_CHOICES,
				fallback: 'auto',
				itemIndex: 0,
			}),
			refreshSeconds: readInteger(this, this.getNodeParameter('refresh', 60), {
				name: 'Refresh (Seconds)',
				min: 10,
				max: 3600,
				fallback: 60,
				itemIndex: 0,
			}),
			cacheSeconds: readInteger(this, this.getNodeParameter('cache', 30), {
				name: 'Cache (Seconds)',
				min: 5,
				max: 3600,
				fallback: 30,
				itemIndex: 0,
			}),
		};
		// One handler, and so one cached model, per configuration.
		return await serveWith(this, handlers, options, createStatusPageHandler);
	}
}
