import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import {
	closeAllStores,
	resolveSqliteDriver,
	StoreError,
	type StoreConfig,
} from '../../core/store';
import { storeConfigFromFields, type StoreFields } from '../../core/store/config-fields';
import type { StatusPageConfig } from '../../core/query/status-page';
import { parseStatusPageFile, StatusPageConfigError } from '../../core/query/status-page-config';
import { createDashboardHandler, type DashboardAuth, type DashboardHandler } from './handler';
import { createStatusPageHandler } from './status-page/handler';
import { LANGUAGES, type Language } from './status-page/i18n';

export const USAGE = `Usage: n8n-nodes-monitoring dashboard --store <sqlite file | postgres://user:pass@host:port/db>
                                    [--port 8080] [--host 127.0.0.1] [--token T | --no-auth]
                                    [--allow-remote] [--refresh 30]
       n8n-nodes-monitoring status-page --store <…> --page <page.json>
                                    [--port 8081] [--host 127.0.0.1] [--allow-remote]
                                    [--language auto|en|ko] [--refresh 60] [--cache 30]

dashboard: serves the monitoring dashboard from a store that n8n's Monitoring nodes write.
status-page: serves one public status page (no login; only what page.json names, under its
  display names) with its status.json, feed.atom and badge.svg; see the README for page.json.
  --store         an SQLite file path, or a PostgreSQL URL (?schema=name&ssl=true optional)
  --port          TCP port (0 picks a free one); default 8080 (dashboard), 8081 (status page)
  --host          address to bind; only loopback unless --allow-remote
  --token         the access token; a random one is made and printed when absent
  --no-auth       no authentication at all (only sensible behind another proxy that has it)
  --allow-remote  allow binding to an address other than loopback
  --page          the status page's JSON file: title, description, groups of items, maintenance
  --language      the page's language; auto follows the reader's browser
  --cache         the page is built at most once per this many seconds (1..3600); default 30
`;

export interface CliOptions {
	command: 'dashboard' | 'status-page';
	store: StoreConfig;
	port: number;
	host: string;
	auth: DashboardAuth;
	generatedToken: boolean;
	refreshSeconds: number;
	/** status-page only. */
	page?: StatusPageConfig;
	language?: Language | 'auto';
	cacheSeconds?: number;
}

export class UsageError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Parses `dashboard ...` arguments; throws UsageError with a message for exit code 2. */
export function parseArgs(
	argv: string[],
	random = () => randomBytes(24).toString('base64url'),
): CliOptions {
	const [command, ...rest] = argv;
	if (command !== 'dashboard' && command !== 'status-page')
		throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
	const statusPage = command === 'status-page';
	const values: Record<string, string> = {};
	const flags = new Set<string>();
	for (let i = 0; i < rest.length; i++) {
		const arg = rest[i];
		if (arg === '--no-auth' || arg === '--allow-remote') {
			flags.add(arg);
			continue;
		}
		const match = statusPage
			? /^--(store|port|host|page|language|refresh|cache)(?:=(.*))?$/.exec(arg)
			: /^--(store|port|host|token|refresh)(?:=(.*))?$/.exec(arg);
		if (!match) throw new UsageError(`unknown option: ${arg}`);
		const value = match[2] ?? rest[++i];
		if (value === undefined || value === '') throw new UsageError(`--${match[1]} needs a value`);
		values[match[1]] = value;
	}
	if (!values.store) throw new UsageError('--store is required');
	const port = values.port === undefined ? (statusPage ? 8081 : 8080) : Number(values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new UsageError('--port must be 0..65535');
	const host = values.host ?? '127.0.0.1';
	if (!LOOPBACK.has(host) && !flags.has('--allow-remote'))
		throw new UsageError(
			`refusing to listen on ${host}: the ${statusPage ? 'status page' : 'dashboard'} would be reachable from other machines. ` +
				`Add --allow-remote if that is what you want${statusPage ? '' : ' (and keep a token)'}.`,
		);
	const store = parseStore(values.store);
	if (statusPage) return { ...parseStatusPageArgs(values), command, store, port, host };
	if (values.token !== undefined && flags.has('--no-auth'))
		throw new UsageError('--token and --no-auth exclude each other');
	const refreshSeconds = values.refresh === undefined ? 30 : Number(values.refresh);
	if (!Number.isInteger(refreshSeconds) || refreshSeconds < 1 || refreshSeconds > 3600)
		throw new UsageError('--refresh must be 1..3600 seconds');
	let auth: DashboardAuth;
	let generatedToken = false;
	if (flags.has('--no-auth')) auth = { type: 'none' };
	else if (values.token !== undefined) auth = { type: 'token', token: values.token };
	else {
		auth = { type: 'token', token: random() };
		generatedToken = true;
	}
	return { command, store, port, host, auth, generatedToken, refreshSeconds };
}

function parseStatusPageArgs(values: Record<string, string>) {
	if (!values.page) throw new UsageError('--page is required: the status page JSON file');
	let raw: unknown;
	try {
		raw = JSON.parse(fs.readFileSync(values.page, 'utf8'));
	} catch (error) {
		throw new UsageError(`--page ${values.page}: ${(error as Error).message}`);
	}
	let page: StatusPageConfig;
	try {
		page = parseStatusPageFile(raw);
	} catch (error) {
		if (error instanceof StatusPageConfigError)
			throw new UsageError(`--page ${values.page}: ${error.message}. ${error.hint}`);
		throw error;
	}
	const language = (values.language ?? 'auto') as Language | 'auto';
	if (language !== 'auto' && !LANGUAGES.includes(language as Language))
		throw new UsageError(`--language must be auto, ${LANGUAGES.join(' or ')}`);
	const seconds = (name: string, fallback: number) => {
		const n = values[name] === undefined ? fallback : Number(values[name]);
		if (!Number.isInteger(n) || n < 1 || n > 3600)
			throw new UsageError(`--${name} must be 1..3600 seconds`);
		return n;
	};
	return {
		page,
		language,
		refreshSeconds: seconds('refresh', 60),
		cacheSeconds: seconds('cache', 30),
		auth: { type: 'none' } as const,
		generatedToken: false,
	};
}

/**
 * The store --store names, refused with the Monitoring Store credential's own message and hint
 * where the node would refuse the same values (a schema with a dot, a port that is not one, …).
 */
export function parseStore(text: string): StoreConfig {
	try {
		return storeConfigFromFields(storeFields(text));
	} catch (error) {
		if (error instanceof StoreError)
			throw new UsageError(`--store: ${error.message}. ${error.hint}`);
		throw error;
	}
}

/** --store as the credential's fields: a PostgreSQL URL's parts, or an SQLite file path. */
function storeFields(text: string): StoreFields {
	if (/^postgres(ql)?:\/\//i.test(text)) {
		let url: URL;
		try {
			url = new URL(text);
		} catch {
			throw new UsageError('--store: not a valid PostgreSQL URL');
		}
		const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
		if (!url.hostname || !database)
			throw new UsageError(
				'--store: a PostgreSQL URL needs a host and a database: postgres://user:pass@host:5432/db',
			);
		return {
			type: 'postgres',
			host: url.hostname,
			port: url.port || undefined,
			database,
			user: decodeURIComponent(url.username),
			password: decodeURIComponent(url.password),
			ssl: url.searchParams.get('ssl') === 'true' || url.searchParams.get('sslmode') === 'require',
			schema: url.searchParams.get('schema') ?? undefined,
		};
	}
	return { type: 'sqlite', sqlitePath: path.resolve(text) };
}

/** Runs the CLI; resolves with the exit code once the server is closed (or at once on errors). */
export async function main(
	argv: string[],
	io: { out: (line: string) => void; err: (line: string) => void } = {
		out: (l) => process.stdout.write(l + '\n'),
		err: (l) => process.stderr.write(l + '\n'),
	},
): Promise<number> {
	if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
		io.out(USAGE);
		return argv.length === 0 ? 2 : 0;
	}
	let options: CliOptions;
	try {
		options = parseArgs(argv);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		io.err(`n8n-nodes-monitoring: ${error.message}`);
		io.err(USAGE);
		return 2;
	}
	// Never print a URL whose every answer would be a 503: an SQLite store needs a driver here.
	if (options.store.type === 'sqlite') {
		try {
			resolveSqliteDriver(options.store.driver);
		} catch (error) {
			if (!(error instanceof StoreError)) throw error;
			io.err(`n8n-nodes-monitoring: cannot open ${options.store.filename}: ${error.message}`);
			io.err(
				`To fix: run it with Node.js 22.5 or later (node:sqlite is built in), or build sqlite3 ` +
					`for this Node.js: cd ${path.resolve(__dirname, '..', '..', '..')} && npm rebuild sqlite3 --ignore-scripts=false`,
			);
			return 1;
		}
	}
	const handler: DashboardHandler =
		options.command === 'status-page' && options.page
			? createStatusPageHandler({
					store: options.store,
					page: options.page,
					language: options.language ?? 'auto',
					refreshSeconds: options.refreshSeconds,
					cacheSeconds: options.cacheSeconds ?? 30,
				})
			: createDashboardHandler({
					store: options.store,
					auth: options.auth,
					refreshSeconds: options.refreshSeconds,
				});
	const server = http.createServer((req, res) => {
		handler(req, res).catch(() => {
			if (!res.headersSent) res.writeHead(500);
			res.end();
		});
	});
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.port, options.host, () => resolve());
		});
	} catch (error) {
		io.err(
			`n8n-nodes-monitoring: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`,
		);
		return 1;
	}
	const address = server.address() as AddressInfo;
	const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const url = `http://${hostPart}:${address.port}/`;
	if (options.command === 'status-page') {
		io.out(`Status page listening on ${hostPart}:${address.port} (public: no login)`);
		io.out(`Open ${url}`);
	} else io.out(`Monitoring dashboard listening on ${hostPart}:${address.port}`);
	if (options.command === 'status-page') {
		// A public page by design: no warning, no token.
	} else if (options.auth.type === 'none') {
		io.err('WARNING: --no-auth: anyone who can reach this address can read the monitoring data.');
		io.out(`Open ${url}`);
	} else if (options.auth.type === 'token') {
		io.out(`Open ${url}?token=${encodeURIComponent(options.auth.token)}`);
		if (options.generatedToken)
			io.out('(a new token is made at each start; pass --token to keep one)');
	}
	return await new Promise<number>((resolve) => {
		const stop = (signal: string) => {
			io.out(`${signal}: closing`);
			server.closeAllConnections?.();
			server.close(() => {
				closeAllStores()
					.catch(() => undefined)
					.finally(() => resolve(0));
			});
		};
		process.once('SIGINT', () => stop('SIGINT'));
		process.once('SIGTERM', () => stop('SIGTERM'));
	});
}
