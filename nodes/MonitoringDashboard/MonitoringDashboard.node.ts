import type {
	ICredentialDataDecryptedObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createHash } from 'node:crypto';

import {
	createDashboardHandler,
	DASHBOARD_SUBPATHS,
	type DashboardAuth,
	type DashboardHandler,
} from '../../dashboard/server/handler';
import { readInteger } from '../Monitoring/helpers/parameters';
import { getStoreConfig } from '../shared/store-config';
import { monitoringStoreTest, STORE_CREDENTIAL_LABEL } from '../shared/store-test';

const handlers = new Map<string, DashboardHandler>();

/**
 * Serves the monitoring dashboard (page, script, JSON API, Prometheus /metrics) on this workflow's
 * webhook path. It answers every request itself and starts no workflow, so page loads and API
 * polls do not fill n8n's execution list.
 */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- a web server, not a tool an agent calls
export class MonitoringDashboard implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Monitoring Dashboard',
		name: 'monitoringDashboard',
		icon: 'file:monitoring.svg',
		group: ['trigger'],
		version: 1,
		description: "Serves the monitoring dashboard from n8n, on this node's webhook URL",
		subtitle: '={{"/webhook/" + $parameter["path"]}}',
		defaults: { name: 'Monitoring Dashboard' },
		inputs: [],
		outputs: [],
		credentials: [
			{
				name: 'monitoringStoreApi',
				displayName: STORE_CREDENTIAL_LABEL,
				required: false,
				testedBy: 'monitoringStoreTest',
			},
			{
				name: 'httpBasicAuth',
				required: true,
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
			{
				name: 'httpHeaderAuth',
				required: true,
				displayOptions: { show: { authentication: ['headerAuth'] } },
			},
		],
		// n8n has no wildcard paths: the page and every path below it (script, API, /metrics, the
		// acknowledge page) are static paths of this node's own, so that several dashboards can be
		// active at once and the node works whatever webhookId the editor gave it (see
		// DASHBOARD_SUBPATHS for why not dynamic `:a` paths). The node shows only the page's
		// address, the one to open in a browser (ndvHideUrl); a browser needs no method.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
				ndvHideMethod: true,
			},
			...(['GET', 'POST'] as const).flatMap((method) =>
				DASHBOARD_SUBPATHS[method].map((sub) => ({
					name: 'default' as const,
					httpMethod: method,
					responseMode: 'onReceived',
					path: `={{$parameter["path"] + "${sub}"}}`,
					isFullPath: true,
					ndvHideUrl: true,
				})),
			),
		],
		properties: [
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'monitoring',
				required: true,
				// No angle brackets: n8n shows a description as HTML, and "<path>" would vanish as a tag.
				description:
					"The dashboard's address once the workflow is active: your n8n URL, then /webhook/, then this path (e.g. https://n8n.example.com/webhook/monitoring)",
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Basic Auth', value: 'basicAuth' },
					{ name: 'Header Auth', value: 'headerAuth' },
					{ name: 'None (Anyone Who Can Reach n8n Sees the Dashboard)', value: 'none' },
				],
				default: 'basicAuth',
			},
			{
				displayName:
					'Without authentication anyone who can reach this n8n can read every host, database and workflow name and figure in the monitoring store.',
				name: 'noAuthWarning',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['none'] } },
			},
			{
				displayName: 'Refresh (Seconds)',
				name: 'refresh',
				type: 'number',
				typeOptions: { minValue: 10, maxValue: 3600 },
				default: 60,
			},
		],
	};

	methods = { credentialTest: { monitoringStoreTest } };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const authentication = this.getNodeParameter('authentication', 'basicAuth') as string;
		let auth: DashboardAuth = { type: 'none' };
		if (authentication === 'basicAuth' || authentication === 'headerAuth') {
			const type = authentication === 'basicAuth' ? 'httpBasicAuth' : 'httpHeaderAuth';
			let c: ICredentialDataDecryptedObject;
			try {
				c = (await this.getCredentials(type)) as ICredentialDataDecryptedObject;
			} catch (error) {
				// A starter imported by hand names a login that npm start would have created: say what
				// to create, never serve the dashboard without the protection it asks for.
				res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(
					`The monitoring dashboard is not set up yet: its ${
						type === 'httpBasicAuth' ? 'Basic Auth' : 'Header Auth'
					} credential cannot be read (${(error as Error).message}). Open the Monitoring Dashboard node in the n8n editor and choose or create that credential under Authentication, then publish the workflow again.\n`,
				);
				return { noWebhookResponse: true };
			}
			auth =
				type === 'httpBasicAuth'
					? { type: 'basic', user: String(c.user ?? ''), password: String(c.password ?? '') }
					: { type: 'header', name: String(c.name ?? ''), value: String(c.value ?? '') };
		} else if (authentication !== 'none') {
			throw new NodeOperationError(
				this.getNode(),
				`Authentication must be basicAuth, headerAuth or none, not ${JSON.stringify(authentication)}`,
				{ description: 'Pick Authentication from the list.' },
			);
		}
		const basePath = new URL(
			this.getNodeWebhookUrl('default') ?? '/',
			'http://n8n',
		).pathname.replace(/\/+$/, '');
		const options = {
			store: await getStoreConfig(this),
			basePath,
			auth,
			refreshSeconds: readInteger(this, this.getNodeParameter('refresh', 60), {
				name: 'Refresh (Seconds)',
				min: 10,
				max: 3600,
				fallback: 60,
				itemIndex: 0,
			}),
		};
		// One handler per configuration, so that concurrent polls share its in-flight queries; the
		// key is hashed because it holds the credentials.
		const key = createHash('sha256').update(JSON.stringify(options)).digest('hex');
		let handler = handlers.get(key);
		if (!handler) {
			handler = createDashboardHandler(options);
			handlers.set(key, handler);
		}
		await handler(req, res);
		return { noWebhookResponse: true };
	}
}
