import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import {
	DEFAULT_MAX_SERIES,
	HARD_MAX_SERIES,
	PROMETHEUS_COLLECTORS,
	PROMETHEUS_MODES,
	type PrometheusMode,
	type PrometheusOptions,
	targetHostName,
	validatePrometheusOptions,
} from '../../../../core/collectors/prometheus';
import {
	authenticationField,
	hostNameField,
	storeOption,
	timeoutOption,
} from '../../descriptions/common';
import { AUTHENTICATIONS, authHeader } from '../../helpers/auth-header';
import { collectWithNode } from '../../helpers/collect';
import {
	collectSettings,
	MAX_NAME,
	readBoolean,
	readChoice,
	readInteger,
	readText,
} from '../../helpers/parameters';

const show = { show: { resource: ['prometheus'], operation: ['scrape'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'http://gpu01:9100/metrics',
		description: 'The metrics page itself, path included',
		displayOptions: show,
	},
	{
		displayName: 'Exporter',
		name: 'exporter',
		type: 'options',
		options: [
			{
				name: 'Any /metrics Page (Stored As Is)',
				value: 'generic',
				description: 'Every series under its own name, labels kept; counters stored as counters',
			},
			{
				name: 'Node Exporter (Host)',
				value: 'node_exporter',
				description:
					'Stored as host metrics (CPU, memory, filesystems, disks, network...), like the Host resource on that machine',
			},
			{
				name: 'NVIDIA DCGM Exporter (GPUs)',
				value: 'dcgm',
				description: 'Stored as GPU metrics (gpu_*), like the GPU resource on that machine',
			},
		],
		default: 'node_exporter',
		displayOptions: show,
	},
	{
		...hostNameField('gpu01'),
		description: "Name to store the samples under. Empty means the URL's host name.",
		displayOptions: show,
	},
	{
		...authenticationField,
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			storeOption,
			timeoutOption,
			{
				displayName: 'Ignore TLS Errors',
				name: 'ignoreTlsErrors',
				type: 'boolean',
				default: false,
				description: 'Whether to accept a certificate that does not verify (self-signed)',
			},
			{
				displayName: 'Include Metrics',
				name: 'include',
				type: 'string',
				default: '',
				placeholder: '^(http_requests_total|process_)',
				description:
					'Any /metrics page: keep only metrics whose name (as on the page) matches this regular expression',
			},
			{
				displayName: 'Max Series',
				name: 'maxSeries',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: HARD_MAX_SERIES },
				default: DEFAULT_MAX_SERIES,
				description:
					'Series stored per scrape: the first ones on the page are kept, the rest dropped with a warning',
			},
			{
				displayName: 'Metric Prefixes',
				name: 'prefixes',
				type: 'string',
				default: '',
				placeholder: 'http_, process_',
				description:
					'Any /metrics page: keep only metrics whose name starts with one of these (comma-separated)',
			},
			{
				displayName: 'Scrape Timeout (Seconds)',
				name: 'scrapeTimeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 300 },
				default: 10,
				description: 'A page that takes longer is a failed collection with that reason',
			},
		],
	},
];

/** The Options collection as n8n hands it over: an expression can put anything in each. */
type ScrapeParameters = Record<string, unknown>;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const url = readText(this, this.getNodeParameter('url', itemIndex, ''), {
		name: 'URL',
		max: 8192,
		required: true,
		description: "Enter the metrics page's address, e.g. http://gpu01:9100/metrics.",
		itemIndex,
	});
	const mode = readChoice(this, this.getNodeParameter('exporter', itemIndex, 'node_exporter'), {
		name: 'Exporter',
		choices: PROMETHEUS_MODES,
		fallback: 'node_exporter',
		itemIndex,
	});
	const options = this.getNodeParameter('options', itemIndex, {}) as ScrapeParameters;
	const settings = collectSettings(this, options, itemIndex);
	const scrapeOptions = readScrapeOptions(this, { url, mode, options, itemIndex });
	const authentication = readChoice(this, this.getNodeParameter('authentication', itemIndex), {
		name: 'Authentication',
		choices: AUTHENTICATIONS,
		fallback: 'none',
		itemIndex,
	});
	const headers = await authHeader(this, authentication, {
		askedBy: 'Authentication is',
		itemIndex,
	});
	if (headers) scrapeOptions.headers = headers;
	const hostName =
		readText(this, this.getNodeParameter('hostName', itemIndex, ''), {
			name: 'Host Name',
			max: MAX_NAME,
			itemIndex,
		}) || targetHostName(url)!;
	return await collectWithNode.call(
		this,
		PROMETHEUS_COLLECTORS[mode as PrometheusMode],
		scrapeOptions,
		{
			itemIndex,
			host: hostName,
			store: settings.store,
			// Unless the user set one, the collection outlasts the scrape's own timeout.
			timeoutSeconds: settings.timeoutSeconds ?? Math.max(30, scrapeOptions.timeoutMs / 1000 + 5),
		},
	);
}

/** The page's Options, read and checked (a bad URL, Max Series or pattern stops the node). */
function readScrapeOptions(
	ctx: IExecuteFunctions,
	{
		url,
		mode,
		options,
		itemIndex,
	}: { url: string; mode: string; options: ScrapeParameters; itemIndex: number },
): PrometheusOptions & { timeoutMs: number } {
	const include = readText(ctx, options.include, {
		name: 'Include Metrics',
		max: 1000,
		itemIndex,
	});
	const prefixes = readText(ctx, options.prefixes, {
		name: 'Metric Prefixes',
		max: 10_000,
		itemIndex,
	});
	const scrapeSeconds = readInteger(ctx, options.scrapeTimeout, {
		name: 'Scrape Timeout',
		min: 1,
		max: 300,
		fallback: 10,
		itemIndex,
	});
	const scrapeOptions: PrometheusOptions & { timeoutMs: number } = {
		url,
		mode: mode as PrometheusMode,
		timeoutMs: scrapeSeconds * 1000,
		ignoreTlsErrors: readBoolean(ctx, options.ignoreTlsErrors, {
			name: 'Ignore TLS Errors',
			fallback: false,
			itemIndex,
		}),
		maxSeries: readInteger(ctx, options.maxSeries, {
			name: 'Max Series',
			min: 1,
			max: HARD_MAX_SERIES,
			fallback: DEFAULT_MAX_SERIES,
			itemIndex,
		}),
		...(include ? { include } : {}),
		...(prefixes
			? {
					prefixes: prefixes
						.split(',')
						.map((p) => p.trim())
						.filter(Boolean),
				}
			: {}),
	};
	const problems = validatePrometheusOptions(scrapeOptions);
	if (problems.length > 0) {
		throw new NodeOperationError(ctx.getNode(), problems.join('; '), {
			itemIndex,
			description:
				'Use the http:// or https:// address of the metrics page (e.g. http://gpu01:9100/metrics), Max Series from 1 to ' +
				`${HARD_MAX_SERIES}, and a valid regular expression in Include Metrics.`,
		});
	}
	return scrapeOptions;
}
