import {
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';

import {
	databaseCollector,
	type DatabaseOptions,
	type DatabaseTarget,
} from '../../../../core/collectors/database';
import { N8nDatabaseError, n8nOwnDatabase } from '../../../../core/collectors/database/n8n-own';
import { collectOptions, hostNameField } from '../../descriptions/common';
import { collectWithNode } from '../../helpers/collect';
import {
	collectSettings,
	hostNameParameter,
	MAX_NAME,
	readChoice,
	readInteger,
	readText,
} from '../../helpers/parameters';

const show = { show: { resource: ['database'], operation: ['collect'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Database Type',
		name: 'engine',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'MySQL / MariaDB', value: 'mysql' },
			{ name: 'PostgreSQL', value: 'postgres' },
			{ name: 'SQLite', value: 'sqlite' },
			{
				name: "This n8n's Own Database",
				value: 'n8n',
				description:
					'The SQLite file or PostgreSQL database this n8n runs on, from its own settings; no credential needed',
			},
		],
		default: 'postgres',
		description:
			"PostgreSQL and MySQL use n8n's own Postgres and MySQL credentials; a read-only monitoring user is enough (see the README for its grants)",
		displayOptions: show,
	},
	{
		displayName: 'SQLite File Path',
		name: 'sqlitePath',
		type: 'string',
		default: '',
		placeholder: '/data/app.sqlite',
		displayOptions: { show: { ...show.show, engine: ['sqlite'] } },
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		description:
			'Label of this database in the samples; empty means host:port/database or the file name',
		displayOptions: show,
	},
	{ ...hostNameField('db-01'), displayOptions: show },
	collectOptions('database', [
		{
			displayName: 'Top Tables',
			name: 'topTables',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 500 },
			default: 10,
			description: 'How many of the largest tables to report, with their growth',
		},
		{
			displayName: 'Slow Queries',
			name: 'slowQueries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 10,
			description:
				'How many statements to list by mean and by total time (pg_stat_statements, performance_schema)',
		},
		{
			displayName: 'Size Limit (GB)',
			name: 'sizeLimitGb',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				'Forecast the date the database reaches this size (0 = no limit; SQLite also forecasts its disk filling)',
		},
		{
			displayName: 'Query Timeout (Seconds)',
			name: 'queryTimeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 10,
		},
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const engine = readChoice(this, this.getNodeParameter('engine', itemIndex), {
		name: 'Database Type',
		choices: ['mysql', 'postgres', 'sqlite', 'n8n'] as const,
		fallback: 'postgres',
		itemIndex,
	});
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		store?: unknown;
		timeout?: unknown;
		topTables?: unknown;
		slowQueries?: unknown;
		sizeLimitGb?: unknown;
		queryTimeout?: unknown;
	};
	const settings = collectSettings(this, options, itemIndex);
	const target = await readTarget(this, engine, itemIndex);
	const name =
		readText(this, this.getNodeParameter('name', itemIndex, ''), {
			name: 'Name',
			max: MAX_NAME,
			itemIndex,
		}) || (engine === 'n8n' ? 'n8n' : '');
	const sizeLimitGb =
		typeof options.sizeLimitGb === 'string' || typeof options.sizeLimitGb === 'number'
			? Number(options.sizeLimitGb || 0)
			: options.sizeLimitGb == null
				? 0
				: NaN;
	if (!Number.isFinite(sizeLimitGb) || sizeLimitGb < 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Size Limit must be 0 or more GB, not ${JSON.stringify(options.sizeLimitGb)?.slice(0, 60)}`,
			{
				itemIndex,
				description: 'Set Size Limit (GB) to a positive number, or 0 for none.',
			},
		);
	}
	const queryTimeoutMs =
		readInteger(this, options.queryTimeout, {
			name: 'Query Timeout',
			min: 1,
			max: 300,
			fallback: 10,
			itemIndex,
		}) * 1000;
	const dbOptions: DatabaseOptions = {
		target,
		...(name ? { name } : {}),
		topTables: readInteger(this, options.topTables, {
			name: 'Top Tables',
			min: 1,
			max: 500,
			fallback: 10,
			itemIndex,
		}),
		slowQueries: readInteger(this, options.slowQueries, {
			name: 'Slow Queries',
			min: 0,
			max: 100,
			fallback: 10,
			itemIndex,
		}),
		...(sizeLimitGb > 0 ? { sizeLimitBytes: Math.round(sizeLimitGb * 1024 ** 3) } : {}),
		connectTimeoutMs: queryTimeoutMs,
		queryTimeoutMs,
	};
	return await collectWithNode.call(this, databaseCollector, dbOptions, {
		itemIndex,
		host: hostNameParameter(this, itemIndex),
		store: settings.store,
		timeoutSeconds: settings.timeoutSeconds ?? Math.max(30, (queryTimeoutMs / 1000) * 3),
	});
}

/** The target from n8n's own Postgres or MySQL credential, or the SQLite path parameter. */
async function readTarget(
	ctx: IExecuteFunctions,
	engine: string,
	itemIndex: number,
): Promise<DatabaseTarget> {
	if (engine === 'n8n') {
		try {
			return n8nOwnDatabase();
		} catch (error) {
			const reason = error instanceof N8nDatabaseError ? error.message : String(error);
			throw new NodeOperationError(ctx.getNode(), `Cannot monitor n8n's own database: ${reason}`, {
				itemIndex,
				description: 'Choose the database type and its credential instead.',
			});
		}
	}
	if (engine === 'sqlite') {
		const filename = readText(ctx, ctx.getNodeParameter('sqlitePath', itemIndex, ''), {
			name: 'SQLite File Path',
			max: 4096,
			itemIndex,
		});
		if (!filename) {
			throw new NodeOperationError(ctx.getNode(), 'No SQLite file path is set', {
				itemIndex,
				description: 'Set SQLite File Path to the database file to monitor.',
			});
		}
		return { type: 'sqlite', filename };
	}
	if (engine !== 'postgres' && engine !== 'mysql') {
		throw new NodeOperationError(ctx.getNode(), `Unknown database type "${engine}"`, {
			itemIndex,
			description: 'Use one of the types that exist: postgres, mysql, sqlite.',
		});
	}
	const type = engine === 'postgres' ? 'postgres' : 'mySql';
	let c: ICredentialDataDecryptedObject;
	try {
		c = (await ctx.getCredentials(type, itemIndex)) as ICredentialDataDecryptedObject;
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			`No ${engine === 'postgres' ? 'Postgres' : 'MySQL'} credential is set`,
			{
				itemIndex,
				description: `Select a ${engine === 'postgres' ? 'Postgres' : 'MySQL'} credential for the database to monitor.`,
			},
		);
	}
	const common = {
		host: String(c.host ?? 'localhost'),
		port: Number(c.port ?? (engine === 'postgres' ? 5432 : 3306)),
		database: String(c.database ?? ''),
		user: String(c.user ?? ''),
		password: String(c.password ?? ''),
	};
	if (engine === 'postgres') {
		// n8n's Postgres credential: ssl is disable | allow | require | verify | verify-full
		const ssl = String(c.ssl ?? 'disable');
		return {
			type: 'postgres',
			...common,
			ssl:
				ssl === 'disable'
					? false
					: { rejectUnauthorized: !c.allowUnauthorizedCerts && ssl.startsWith('verify') },
		};
	}
	return { type: 'mysql', ...common, ssl: Boolean(c.ssl) };
}
