/**
 * The bad-input table: for every node and parameter, values of the wrong type, empty, out of
 * range and hostile text, each with the outcome it must have. test/workflow/bad-input.test.ts runs
 * every row through n8n-core's WorkflowExecute; docs/BAD-INPUT.md is rendered from the same rows
 * (`renderTable`), and a test checks that the committed file is up to date.
 *
 * Values reach a node typed in (n8n checks required parameters itself) or from expressions
 * (`={{ ... }}`, evaluated by n8n: numbers, objects, lists, null, NUL and half surrogate pairs).
 */

/** What a row must end in. */
export type Expectation =
	/** A NodeOperationError whose message and description contain these texts. */
	| { kind: 'error'; message: string; hint: string }
	/** n8n refuses to start the workflow: `Parameter "<name>" is required`. */
	| { kind: 'required'; parameter: string }
	/** Stored verbatim: `column` of `table` holds `value` afterwards; every table is still there. */
	| { kind: 'stored'; table: string; column: string; value: string; note: string }
	/** The node succeeds with items that `check` accepts; `note` says what they are, for the docs. */
	| { kind: 'items'; note: string; check: (items: Array<Record<string, unknown>>) => void }
	/** The store credential's test answers Error with a message that contains this text. */
	| { kind: 'credentialTest'; message: string; hint: string };

export interface BadInputCase {
	node: 'Monitoring' | 'Monitoring Trigger' | 'Monitoring Store credential';
	/** resource/operation, or the trigger's part, or credential use */
	where: string;
	parameter: string;
	/** What was put in, in words, for the table. */
	input: string;
	/** The node's parameters (Monitoring: merged over the resource's base parameters). */
	parameters: Record<string, unknown>;
	/** Credentials by type (the node names each one it uses). */
	credentials?: Record<string, Record<string, unknown>>;
	expect: Expectation;
}

/** Hosts, ports and files the test sets up before the rows run. */
export interface Fixtures {
	/** http://127.0.0.1:<port> of a local server: /health, /metrics, /api/v1/... */
	base: string;
	/** An SQLite database to monitor. */
	appDb: string;
	/** A folder (not a file), and a file that is not SQLite. */
	folder: string;
	notSqlite: string;
}

const LONG = 100_000;
/** Expressions that n8n evaluates into values of the wrong kind. */
const expr = {
	number: '={{ 42 }}',
	object: '={{ { "a": 1 } }}',
	list: '={{ [1, 2] }}',
	null: '={{ null }}',
	long: `={{ "x".repeat(${LONG}) }}`,
	nul: '={{ "a" + String.fromCharCode(0) + "b" }}',
	surrogate: '={{ "a" + String.fromCharCode(0xd800) + "b" }}',
	text: (s: string) => `={{ ${JSON.stringify(s)} }}`,
};

/** Hostile text that is valid text: kept as data, never as SQL or HTML. */
export const HOSTILE = {
	quotes: `it's "quoted" \`twice\``,
	sql: "'; DROP TABLE mon_series; --",
	html: '<img src=x onerror=alert(1)>',
	// Two bytes that are not UTF-8, read as Latin-1: "ÿþ", valid text once decoded.
	latin1: Buffer.from([0xff, 0xfe]).toString('latin1') + '-host',
} as const;

const err = (message: string, hint: string): Expectation => ({ kind: 'error', message, hint });

function set(target: Record<string, unknown>, path: string, value: unknown) {
	const keys = path.split('.');
	let at = target;
	for (const key of keys.slice(0, -1)) {
		if (!at[key] || typeof at[key] !== 'object') at[key] = {};
		at = at[key] as Record<string, unknown>;
	}
	at[keys[keys.length - 1]] = value;
}

/** Base parameters of each Monitoring operation: what a working node would have. */
export function baseParameters(where: string, f: Fixtures): Record<string, unknown> {
	switch (where) {
		case 'host/collect':
			return { resource: 'host', operation: 'collect', hostName: '', options: {} };
		case 'gpu/collect':
			return {
				resource: 'gpu',
				operation: 'collect',
				// No GPU tools here: each run is a failed collection, stored as data.
				options: { nvidiaSmiPath: '/nonexistent/nvidia-smi', rocmSmiPath: '/nonexistent/rocm-smi' },
			};
		case 'modelServer/collect':
			return {
				resource: 'modelServer',
				operation: 'collect',
				endpoints: { endpoint: [{ type: 'ollama', url: `${f.base}/ollama` }] },
				options: {},
			};
		case 'database/collect':
			return {
				resource: 'database',
				operation: 'collect',
				engine: 'sqlite',
				sqlitePath: f.appDb,
				options: {},
			};
		case 'endpoint/collect':
			return {
				resource: 'endpoint',
				operation: 'collect',
				checks: { check: [{ url: `${f.base}/health`, method: 'GET' }] },
				options: {},
			};
		case 'n8n/collect':
			return { resource: 'n8n', operation: 'collect', options: {} };
		case 'history/query':
			return {
				resource: 'history',
				operation: 'query',
				metric: 'cpu_usage_percent',
				hostName: 'web-1',
				labels: '{}',
				range: '24h',
			};
		case 'history/summary':
			return { resource: 'history', operation: 'summary', period: 'day' };
		case 'history/uptime':
			return {
				resource: 'history',
				operation: 'uptime',
				targets: { target: [{ kind: 'endpoint', host: 'web-1', name: 'api' }] },
				period: 'lastDays',
				days: 7,
				granularity: 'day',
				maintenance: {},
				options: {},
			};
		case 'alert/raise':
			return { resource: 'alert', operation: 'raise', key: 'k', message: 'm', severity: 'warning' };
		case 'alert/resolve':
			return { resource: 'alert', operation: 'resolve', key: 'k' };
		case 'alert/openIncident':
			return {
				resource: 'alert',
				operation: 'openIncident',
				incidentTitle: 'Checkout is slow',
				targets: { target: [{ kind: 'endpoint', host: 'web-1', name: 'api' }] },
				severity: 'critical',
				incidentStatus: 'investigating',
				incidentMessage: 'Looking into it.',
				incidentOptions: {},
			};
		case 'alert/postIncidentUpdate':
			return {
				resource: 'alert',
				operation: 'postIncidentUpdate',
				incidentId: 'm999999',
				incidentStatus: 'update',
				incidentMessage: 'More soon.',
				updateOptions: {},
			};
		case 'alert/listIncidents':
			return {
				resource: 'alert',
				operation: 'listIncidents',
				targets: {},
				incidentPeriod: 'lastDays',
				incidentDays: 7,
				listOptions: {},
			};
		case 'prometheus/scrape':
			return {
				resource: 'prometheus',
				operation: 'scrape',
				url: `${f.base}/metrics`,
				exporter: 'generic',
				options: {},
			};
		default:
			return {};
	}
}

/** Credentials an operation needs to run at all. */
function baseCredentials(where: string, f: Fixtures) {
	if (where === 'n8n/collect') return { n8nApi: { baseUrl: f.base, apiKey: 'k' } };
	return undefined;
}

export function buildCases(f: Fixtures): BadInputCase[] {
	const cases: BadInputCase[] = [];
	const add = (
		where: string,
		parameter: string,
		input: string,
		changes: Record<string, unknown>,
		expect: Expectation,
		credentials?: BadInputCase['credentials'],
	) => {
		const parameters = JSON.parse(JSON.stringify(baseParameters(where, f)));
		for (const [path, value] of Object.entries(changes)) set(parameters, path, value);
		cases.push({
			node: 'Monitoring',
			where,
			parameter,
			input,
			parameters,
			credentials: credentials ?? baseCredentials(where, f),
			expect,
		});
	};

	/** A whole number parameter checked in code. */
	const integer = (where: string, path: string, name: string, min: number, max: number) => {
		const msg = (shown: string) =>
			`${name} must be a whole number from ${min} to ${max}, not ${shown}`;
		const hint = `Set ${name} to a whole number between ${min} and ${max}.`;
		add(where, name, 'text "abc"', { [path]: 'abc' }, err(msg('"abc"'), hint));
		add(
			where,
			name,
			`below range (${min - 1})`,
			{ [path]: min - 1 },
			err(msg(String(min - 1)), hint),
		);
		add(
			where,
			name,
			`above range (${max + 1})`,
			{ [path]: max + 1 },
			err(msg(String(max + 1)), hint),
		);
		add(where, name, 'fraction (2.5)', { [path]: 2.5 }, err(msg('2.5'), hint));
		add(where, name, 'object (expression)', { [path]: expr.object }, err(msg('{"a":1}'), hint));
	};
	/** A text parameter: wrong kinds and unstorable text are errors. */
	const textErrors = (where: string, path: string, name: string, max: number) => {
		add(
			where,
			name,
			'object (expression)',
			{ [path]: expr.object },
			err(`${name} must be text, not an object`, `Map ${name} to a text field`),
		);
		add(
			where,
			name,
			'list (expression)',
			{ [path]: expr.list },
			err(`${name} must be text, not a list`, `Map ${name} to a text field`),
		);
		add(
			where,
			name,
			`${LONG.toLocaleString('en')} characters (expression)`,
			{ [path]: expr.long },
			err(`${name} is ${LONG} characters long; at most ${max} are allowed`, `Shorten ${name}`),
		);
		add(
			where,
			name,
			'NUL character (expression)',
			{ [path]: expr.nul },
			err(`${name} contains a NUL character`, `Remove the character from ${name}`),
		);
		add(
			where,
			name,
			'lone surrogate U+D800 (expression)',
			{ [path]: expr.surrogate },
			err(`${name} contains half of a UTF-16 surrogate pair`, `Remove the character from ${name}`),
		);
	};
	const boolean = (where: string, path: string, name: string) =>
		add(
			where,
			name,
			'text "no" (expression)',
			{ [path]: expr.text('no') },
			err(`${name} must be true or false, not "no"`, `Turn ${name} on or off`),
		);
	/** An options parameter; `noDataExpression` ones take no expression, only typed values. */
	const choice = (where: string, path: string, name: string, listed: string, expression = true) => {
		const e = err(`${name} must be ${listed}, not "nope"`, `Pick ${name} from the list`);
		add(where, name, 'value not in the list "nope"', { [path]: 'nope' }, e);
		if (expression)
			add(where, name, 'value not in the list (expression)', { [path]: expr.text('nope') }, e);
	};
	/** Host names: hostile text is stored verbatim (a bound parameter), wrong kinds are errors. */
	const hostName = (where: string, path = 'hostName', table = 'mon_collections') => {
		for (const [label, value] of Object.entries(HOSTILE))
			add(
				where,
				'Host Name',
				`hostile text (${label}): ${value}`,
				{ [path]: value },
				{
					kind: 'stored',
					table,
					column: 'host',
					value,
					note: 'stored verbatim as the host name',
				},
			);
		add(
			where,
			'Host Name',
			'number 42 (expression)',
			{ [path]: expr.number },
			{
				kind: 'stored',
				table,
				column: 'host',
				value: '42',
				note: 'taken as the text "42"',
			},
		);
		textErrors(where, path, 'Host Name', 255);
	};
	const collectCommon = (where: string) => {
		boolean(where, 'options.store', 'Store');
		integer(where, 'options.timeout', 'Timeout', 1, 600);
	};

	// Host
	hostName('host/collect');
	add(
		'host/collect',
		'Host Name',
		'null (expression)',
		{ hostName: expr.null },
		{
			kind: 'items',
			note: "empty: this machine's host name",
			check: (items) => expect(items[0].host).toBe(require('node:os').hostname()),
		},
	);
	integer('host/collect', 'options.topProcesses', 'Top Processes', 0, 100);
	collectCommon('host/collect');

	// GPU
	hostName('gpu/collect');
	choice('gpu/collect', 'options.vendor', 'Vendor', 'auto, nvidia or amd');
	boolean('gpu/collect', 'options.processes', 'GPU Processes');
	integer('gpu/collect', 'options.toolTimeout', 'Tool Timeout', 1, 120);
	textErrors('gpu/collect', 'options.nvidiaSmiPath', 'nvidia-smi Path', 4096);
	add(
		'gpu/collect',
		'nvidia-smi Path',
		`hostile text (sql): ${HOSTILE.sql}`,
		{
			'options.nvidiaSmiPath': HOSTILE.sql,
			'options.vendor': 'nvidia',
		},
		{
			kind: 'items',
			note: 'run as a file name, never through a shell: "no GPU found", the tool reported absent',
			check: (items) => {
				const snapshot = items[0].snapshot as {
					gpus: unknown[];
					sources: Array<Record<string, string>>;
				};
				expect(snapshot.gpus).toEqual([]);
				expect(snapshot.sources[0]).toMatchObject({ tool: HOSTILE.sql, status: 'absent' });
			},
		},
	);
	textErrors('gpu/collect', 'options.rocmSmiPath', 'rocm-smi Path', 4096);
	collectCommon('gpu/collect');

	// Model servers
	hostName('modelServer/collect');
	add(
		'modelServer/collect',
		'Type',
		'value not in the list "nope"',
		{
			'endpoints.endpoint': [{ type: 'nope', url: `${f.base}/x` }],
		},
		err('Unknown model server type "nope"', 'Use one of the types that exist'),
	);
	add(
		'modelServer/collect',
		'Model Servers',
		'empty list',
		{ 'endpoints.endpoint': [] },
		err('No model server to collect from', 'Add at least one model server'),
	);
	for (const [field, name] of [
		['url', 'URL'],
		['name', 'Name'],
	] as const) {
		add(
			'modelServer/collect',
			name,
			'object (expression)',
			{
				'endpoints.endpoint': [{ type: 'ollama', url: `${f.base}/x`, [field]: expr.object }],
			},
			err(`Model Server 1 ${name} must be text, not an object`, 'Map Model Server 1'),
		);
		add(
			'modelServer/collect',
			name,
			'NUL character (expression)',
			{
				'endpoints.endpoint': [{ type: 'ollama', url: `${f.base}/x`, [field]: expr.nul }],
			},
			err(`Model Server 1 ${name} contains a NUL character`, 'Remove the character'),
		);
	}
	add(
		'modelServer/collect',
		'URL',
		'not a URL "javascript:alert(1)"',
		{
			'endpoints.endpoint': [{ type: 'ollama', url: 'javascript:alert(1)' }],
		},
		{
			kind: 'items',
			note: 'that server is marked down with the reason; the others are still collected',
			check: (items) => expect(items[0].sampleCount).toBeGreaterThan(0),
		},
	);
	add(
		'modelServer/collect',
		'Name',
		`hostile text (html): ${HOSTILE.html}`,
		{
			'endpoints.endpoint': [{ type: 'ollama', url: `${f.base}/x`, name: HOSTILE.html }],
		},
		{
			kind: 'stored',
			table: 'mon_series',
			column: 'labels',
			value: `%${HOSTILE.html}%`,
			note: 'stored verbatim as the model label',
		},
	);
	add(
		'modelServer/collect',
		'Authenticate',
		'text "no" (expression)',
		{
			'endpoints.endpoint': [{ type: 'ollama', url: `${f.base}/x`, authenticate: expr.text('no') }],
		},
		err('Model Server 1 Authenticate must be true or false, not "no"', 'Turn Model Server 1'),
	);
	add(
		'modelServer/collect',
		'Authenticate',
		'on, without a Header Auth credential',
		{
			'endpoints.endpoint': [{ type: 'ollama', url: `${f.base}/x`, authenticate: true }],
		},
		err('no Header Auth credential is set', 'Select a Header Auth credential'),
	);
	add(
		'modelServer/collect',
		'Authenticate',
		'on, Header Auth credential without a header name',
		{
			'endpoints.endpoint': [{ type: 'ollama', url: `${f.base}/x`, authenticate: true }],
		},
		err(
			'The Header Auth credential has no header name',
			'Set the header name (e.g. Authorization)',
		),
		{ httpHeaderAuth: { name: ' ', value: 'secret' } },
	);
	integer('modelServer/collect', 'options.endpointTimeout', 'Endpoint Timeout', 1, 120);
	integer('modelServer/collect', 'options.concurrency', 'Concurrency', 1, 64);
	collectCommon('modelServer/collect');

	// Database
	hostName('database/collect');
	choice('database/collect', 'engine', 'Database Type', 'mysql, postgres, sqlite or n8n', false);
	add(
		'database/collect',
		'SQLite File Path',
		'empty',
		{ sqlitePath: '' },
		err('No SQLite file path is set', 'Set SQLite File Path'),
	);
	textErrors('database/collect', 'sqlitePath', 'SQLite File Path', 4096);
	add(
		'database/collect',
		'SQLite File Path',
		'a file that does not exist',
		{
			sqlitePath: `${f.folder}/missing.sqlite`,
		},
		{
			kind: 'items',
			note: 'the database is down (db_up 0) with the reason; no file is created',
			check: (items) => {
				expect(items[0].snapshot).toMatchObject({
					up: false,
					reason: expect.stringMatching(/does not exist/),
				});
				expect(require('node:fs').existsSync(`${f.folder}/missing.sqlite`)).toBe(false);
			},
		},
	);
	add(
		'database/collect',
		'SQLite File Path',
		'a folder',
		{ sqlitePath: f.folder },
		{
			kind: 'items',
			note: 'the database is down (db_up 0) with the reason',
			check: (items) =>
				expect(items[0].snapshot).toMatchObject({
					up: false,
					reason: expect.stringMatching(/I\/O|directory|folder/i),
				}),
		},
	);
	add(
		'database/collect',
		'SQLite File Path',
		'a file that is not SQLite',
		{ sqlitePath: f.notSqlite },
		{
			kind: 'items',
			note: 'the database is down (db_up 0): "file is not a database"',
			check: (items) =>
				expect(items[0].snapshot).toMatchObject({
					up: false,
					reason: expect.stringMatching(/not a database/),
				}),
		},
	);
	add(
		'database/collect',
		'SQLite File Path',
		`hostile text (sql): ${HOSTILE.sql}`,
		{
			sqlitePath: HOSTILE.sql,
		},
		{
			kind: 'items',
			note: 'a file name like any other: the database is down, "does not exist"',
			check: (items) =>
				expect(items[0].snapshot).toMatchObject({
					up: false,
					reason: expect.stringMatching(/does not exist/),
				}),
		},
	);
	textErrors('database/collect', 'name', 'Name', 255);
	for (const [label, value] of Object.entries(HOSTILE))
		add(
			'database/collect',
			'Name',
			`hostile text (${label}): ${value}`,
			{ name: value },
			{
				kind: 'stored',
				table: 'mon_series',
				column: 'labels',
				value: `%${JSON.stringify(value).slice(1, -1)}%`,
				note: 'stored verbatim as the db label',
			},
		);
	add(
		'database/collect',
		'Postgres credential',
		'none selected',
		{ engine: 'postgres' },
		err('No Postgres credential is set', 'Select a Postgres credential'),
	);
	integer('database/collect', 'options.topTables', 'Top Tables', 1, 500);
	integer('database/collect', 'options.slowQueries', 'Slow Queries', 0, 100);
	integer('database/collect', 'options.queryTimeout', 'Query Timeout', 1, 300);
	add(
		'database/collect',
		'Size Limit (GB)',
		'negative (-1)',
		{ 'options.sizeLimitGb': -1 },
		err('Size Limit must be 0 or more GB, not -1', 'Set Size Limit (GB) to a positive number'),
	);
	add(
		'database/collect',
		'Size Limit (GB)',
		'text "abc"',
		{ 'options.sizeLimitGb': 'abc' },
		err('Size Limit must be 0 or more GB, not "abc"', 'Set Size Limit (GB) to a positive number'),
	);
	add(
		'database/collect',
		'Size Limit (GB)',
		'object (expression)',
		{
			'options.sizeLimitGb': expr.object,
		},
		err('Size Limit must be 0 or more GB', 'Set Size Limit (GB) to a positive number'),
	);
	collectCommon('database/collect');

	// Endpoints
	hostName('endpoint/collect');
	const check = (fields: Record<string, unknown>) => ({
		'checks.check': [{ url: `${f.base}/health`, method: 'GET', ...fields }],
	});
	add(
		'endpoint/collect',
		'Checks',
		'empty list',
		{ 'checks.check': [] },
		err('no checks: add at least one URL', 'Fix the checks'),
	);
	add(
		'endpoint/collect',
		'URL',
		'empty',
		check({ url: '' }),
		err('check 1: url is missing', 'Fix the checks'),
	);
	add(
		'endpoint/collect',
		'URL',
		'not a URL "javascript:alert(1)"',
		check({ url: 'javascript:alert(1)' }),
		err('check 1', 'each needs an http:// or https:// URL'),
	);
	add(
		'endpoint/collect',
		'URL',
		`hostile text (sql): ${HOSTILE.sql}`,
		check({ url: HOSTILE.sql }),
		err('check 1', 'each needs an http:// or https:// URL'),
	);
	for (const [field, name] of [
		['url', 'URL'],
		['name', 'Name'],
		['body', 'Body'],
		['contentType', 'Content Type'],
		['expectedStatus', 'Expected Status'],
		['bodyContains', 'Body Contains'],
		['jsonPath', 'JSON Path'],
		['jsonEquals', 'JSON Equals'],
	] as const) {
		add(
			'endpoint/collect',
			name,
			'object (expression)',
			check({ [field]: expr.object }),
			err(`Check 1 ${name} must be text, not an object`, 'Map Check 1'),
		);
		add(
			'endpoint/collect',
			name,
			'NUL character (expression)',
			check({ [field]: expr.nul }),
			err(`Check 1 ${name} contains a NUL character`, 'Remove the character'),
		);
	}
	add(
		'endpoint/collect',
		'Name',
		`${LONG.toLocaleString('en')} characters (expression)`,
		check({ name: expr.long }),
		err(`Check 1 Name is ${LONG} characters long; at most 255`, 'Shorten Check 1 Name'),
	);
	for (const [label, value] of Object.entries(HOSTILE))
		add('endpoint/collect', 'Name', `hostile text (${label}): ${value}`, check({ name: value }), {
			kind: 'stored',
			table: 'mon_series',
			column: 'labels',
			value: `%${JSON.stringify(value).slice(1, -1)}%`,
			note: 'stored verbatim as the endpoint label',
		});
	add(
		'endpoint/collect',
		'Expected Status',
		'text "abc"',
		check({ expectedStatus: 'abc' }),
		err('expected status "abc" is not a list of codes', 'expected status like 200-299,301'),
	);
	add(
		'endpoint/collect',
		'Expected Status',
		'out of range "99-700"',
		check({ expectedStatus: '99-700' }),
		err('expected status "99-700"', 'expected status like 200-299,301'),
	);
	add(
		'endpoint/collect',
		'Content Type',
		'a line break (header injection)',
		check({ contentType: 'text/plain\r\nX-Injected: 1' }),
		err('check 1', 'Fix the checks'),
	);
	add(
		'endpoint/collect',
		'Body Contains',
		`hostile text (html): ${HOSTILE.html}`,
		check({ bodyContains: HOSTILE.html }),
		{
			kind: 'items',
			note: 'compared as text: the check is down (not contained), no error',
			check: (items) => expect(items[0].ok).toBe(true),
		},
	);
	add(
		'endpoint/collect',
		'Method',
		'value not in the list "nope"',
		check({ method: 'nope' }),
		err(
			'Check 1 Method must be DELETE, GET, HEAD, OPTIONS, PATCH, POST or PUT, not "nope"',
			'Pick Check 1 Method from the list',
		),
	);
	add(
		'endpoint/collect',
		'Authentication',
		'value not in the list "nope"',
		check({ authentication: 'nope' }),
		err(
			'Check 1 Authentication must be none, basicAuth or headerAuth, not "nope"',
			'Pick Check 1 Authentication from the list',
		),
	);
	add(
		'endpoint/collect',
		'Authentication',
		'Basic Auth without a credential',
		check({ authentication: 'basicAuth' }),
		err(
			'Check 1 asks for Basic Auth, but no Basic Auth credential is set',
			'Select a Basic Auth credential',
		),
	);
	add(
		'endpoint/collect',
		'Authentication',
		'Header Auth without a credential',
		check({ authentication: 'headerAuth' }),
		err(
			'Check 1 asks for Header Auth, but no Header Auth credential is set',
			'Select a Header Auth credential',
		),
	);
	add(
		'endpoint/collect',
		'Authentication',
		'Header Auth credential without a header name',
		check({ authentication: 'headerAuth' }),
		err(
			'The Header Auth credential has no header name',
			'Set the header name (e.g. Authorization)',
		),
		{ httpHeaderAuth: { name: ' ', value: 'secret' } },
	);
	for (const [field, name] of [
		['followRedirects', 'Follow Redirects'],
		['ignoreTlsErrors', 'Ignore TLS Errors'],
	] as const)
		add(
			'endpoint/collect',
			name,
			'text "no" (expression)',
			check({ [field]: expr.text('no') }),
			err(`Check 1 ${name} must be true or false, not "no"`, `Turn Check 1 ${name} on or off`),
		);
	for (const [input, value, shown] of [
		['text "abc"', 'abc', '"abc"'],
		['below range (0)', 0, '0'],
		['above range (301)', 301, '301'],
	] as const)
		add(
			'endpoint/collect',
			'Timeout (check)',
			input,
			check({ timeout: value }),
			err(
				`Check 1 Timeout must be a whole number from 1 to 300, not ${shown}`,
				'Set Check 1 Timeout',
			),
		);
	integer('endpoint/collect', 'options.concurrency', 'Concurrency', 1, 64);
	collectCommon('endpoint/collect');

	// n8n
	textErrors('n8n/collect', 'instance', 'Instance Name', 255);
	for (const [label, value] of Object.entries(HOSTILE))
		add(
			'n8n/collect',
			'Instance Name',
			`hostile text (${label}): ${value}`,
			{ instance: value },
			{
				kind: 'stored',
				table: 'mon_collections',
				column: 'host',
				value,
				note: 'stored verbatim as the instance name',
			},
		);
	add(
		'n8n/collect',
		'Store',
		'off',
		{ 'options.store': false },
		err('The n8n resource needs the monitoring store', 'turn the Store option back on'),
	);
	boolean('n8n/collect', 'options.store', 'Store');
	boolean('n8n/collect', 'options.queueMetrics', 'Queue Metrics');
	integer('n8n/collect', 'options.windowHours', 'Window', 1, 8760);
	integer('n8n/collect', 'options.timeout', 'Timeout', 1, 600);
	add(
		'n8n/collect',
		'Workflow ID',
		'object (expression)',
		{
			'expected.workflow': [{ workflowId: expr.object, minutes: 5 }],
		},
		err('Workflow ID must be text, not an object', 'Map Workflow ID'),
	);
	add(
		'n8n/collect',
		'Every (Minutes)',
		'text "abc"',
		{
			'expected.workflow': [{ workflowId: 'w1', minutes: 'abc' }],
		},
		err(
			'Every (Minutes) must be a whole number from 1 to 525600, not "abc"',
			'Set Every (Minutes)',
		),
	);
	add(
		'n8n/collect',
		'Every (Minutes)',
		'below range (0)',
		{
			'expected.workflow': [{ workflowId: 'w1', minutes: 0 }],
		},
		err('Every (Minutes) must be a whole number from 1 to 525600, not 0', 'Set Every (Minutes)'),
	);
	add(
		'n8n/collect',
		'n8n API credential',
		'none selected',
		{},
		err('No n8n API credential is set', 'Select an n8n API credential'),
		{},
	);
	add(
		'n8n/collect',
		'n8n API credential',
		'base URL that is not a URL',
		{},
		err('', 'Check the base URL and API key'),
		{ n8nApi: { baseUrl: 'not a url', apiKey: 'k' } },
	);

	// History
	add(
		'history/query',
		'Metric',
		'empty (typed in)',
		{ metric: '' },
		{
			kind: 'required',
			parameter: 'Metric Name or ID',
		},
	);
	add(
		'history/query',
		'Metric',
		'empty (expression)',
		{ metric: expr.text(' ') },
		err('Metric is empty', 'Enter Metric'),
	);
	textErrors('history/query', 'metric', 'Metric', 200);
	for (const [label, value] of Object.entries(HOSTILE))
		add(
			'history/query',
			'Metric',
			`hostile text (${label}): ${value}`,
			{ metric: value },
			{
				kind: 'items',
				note: 'a bound parameter: no series, no error, tables intact',
				check: (items) => expect(items).toEqual([]),
			},
		);
	textErrors('history/query', 'hostName', 'Host Name', 255);
	for (const value of ["x'; DROP TABLE mon_series; --", "' OR 1=1 --"])
		add(
			'history/query',
			'Host Name',
			`hostile text: ${value}`,
			{ hostName: value },
			{
				kind: 'items',
				note: 'a bound parameter: no series, no error, tables intact',
				check: (items) => expect(items).toEqual([]),
			},
		);
	const labelsError = err(
		'Labels must be a JSON object of text values',
		'Write the labels as a JSON object',
	);
	add('history/query', 'Labels (JSON)', 'not JSON "{cpu"', { labels: '{cpu' }, labelsError);
	add('history/query', 'Labels (JSON)', 'a list [1,2]', { labels: '[1,2]' }, labelsError);
	add(
		'history/query',
		'Labels (JSON)',
		'a number value {"cpu":1}',
		{ labels: '{"cpu":1}' },
		labelsError,
	);
	add('history/query', 'Labels (JSON)', 'null (expression)', { labels: expr.null }, labelsError);
	add(
		'history/query',
		'Labels (JSON)',
		`hostile value {"cpu":"${HOSTILE.sql}"}`,
		{
			labels: JSON.stringify({ cpu: HOSTILE.sql }),
		},
		{
			kind: 'items',
			note: 'a bound parameter: no series, no error, tables intact',
			check: (items) => expect(items).toEqual([]),
		},
	);
	choice('history/query', 'range', 'Range', '1h, 24h, 7d or 30d');
	integer('history/query', 'maxPoints', 'Max Points', 10, 5000);
	choice('history/summary', 'period', 'Period', 'day or week');
	const uptime = 'history/uptime';
	choice(uptime, 'period', 'Period', 'lastMonth, lastDays, month or custom');
	integer(uptime, 'days', 'Days', 1, 366);
	choice(uptime, 'granularity', 'Granularity', 'day or month');
	const monthHint = 'Enter the month as YYYY-MM, e.g. 2026-03';
	add(uptime, 'Month', 'empty', { period: 'month', month: '' }, err('Month is empty', monthHint));
	for (const value of ['March', '2026-13', '2026-3'])
		add(
			uptime,
			'Month',
			`not YYYY-MM (${value})`,
			{ period: 'month', month: value },
			err(`Month must be written YYYY-MM, not "${value}"`, monthHint),
		);
	add(
		uptime,
		'From',
		'not a date ("yesterday")',
		{ period: 'custom', from: 'yesterday', to: '2026-03-01T00:00:00Z' },
		err('From is not a date: "yesterday"', 'Pick a date and time'),
	);
	add(
		uptime,
		'To',
		'before From',
		{ period: 'custom', from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' },
		err('To must be after From', 'Set To to a later time than From'),
	);
	add(
		uptime,
		'To',
		'400 days after From',
		{ period: 'custom', from: '2025-01-01T00:00:00Z', to: '2026-02-05T00:00:00Z' },
		err('The period is 400 days long; at most 366 are allowed', 'Shorten the period'),
	);
	add(
		uptime,
		'Targets: Kind',
		'value not in the list (expression)',
		{ 'targets.target.0.kind': expr.text('nope') },
		err(
			'Kind of a target must be database, endpoint, host, model_server or workflow, not "nope"',
			'Pick Kind of a target from the list',
		),
	);
	add(
		uptime,
		'Targets: Host Name',
		'empty while Name is set',
		{ 'targets.target.0.host': '' },
		err(
			'The endpoint target "api" has no Host Name',
			'Enter the host whose collector checks it, or leave Name empty',
		),
	);
	textErrors(uptime, 'targets.target.0.host', 'Host Name of a target', 255);
	textErrors(uptime, 'targets.target.0.name', 'Name of a target', 255);
	for (const [label, value] of Object.entries(HOSTILE))
		add(
			uptime,
			'Targets: Name',
			`hostile text (${label}): ${value}`,
			{ 'targets.target.0.name': value },
			{
				kind: 'items',
				note: 'a bound parameter: a target that never reported, all no data, tables intact',
				check: (items) => {
					expect(items).toHaveLength(7);
					for (const item of items)
						expect(item).toMatchObject({ name: value, uptimePercent: null, downMinutes: 0 });
				},
			},
		);
	add(
		uptime,
		'Maintenance Windows',
		'To before From',
		{
			'maintenance.window': [
				{ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z', host: '' },
			],
		},
		err(
			'A maintenance window ends (2026-03-01T00:00:00Z) before it starts (2026-03-02T00:00:00Z)',
			'Set To after From',
		),
	);
	add(
		uptime,
		'Maintenance Windows',
		'From not a date',
		{ 'maintenance.window': [{ from: 'soon', to: '2026-03-01T00:00:00Z', host: '' }] },
		err('From of a maintenance window is not a date: "soon"', 'Pick a date and time'),
	);
	boolean(uptime, 'options.csv', 'CSV File');

	// Alerts
	add(
		'alert/raise',
		'Key',
		'empty (typed in)',
		{ key: '' },
		{ kind: 'required', parameter: 'Key' },
	);
	add(
		'alert/raise',
		'Key',
		'empty (expression)',
		{ key: expr.text('') },
		err('Key is empty', 'Enter Key'),
	);
	textErrors('alert/raise', 'key', 'Key', 200);
	add(
		'alert/raise',
		'Message',
		'empty (typed in)',
		{ message: '' },
		{
			kind: 'required',
			parameter: 'Message',
		},
	);
	textErrors('alert/raise', 'message', 'Message', 4000);
	for (const [label, value] of Object.entries(HOSTILE)) {
		add(
			'alert/raise',
			'Key',
			`hostile text (${label}): ${value}`,
			{ key: value },
			{
				kind: 'stored',
				table: 'mon_alerts',
				column: 'rule',
				value,
				note: 'stored verbatim as the alert key',
			},
		);
		add(
			'alert/raise',
			'Message',
			`hostile text (${label}): ${value}`,
			{ key: `m-${label}`, message: value },
			{
				kind: 'stored',
				table: 'mon_alerts',
				column: 'message',
				value,
				note: 'stored verbatim; the dashboard shows it as text',
			},
		);
	}
	add(
		'alert/raise',
		'Message',
		'number 42 (expression)',
		{ key: 'num', message: expr.number },
		{
			kind: 'stored',
			table: 'mon_alerts',
			column: 'message',
			value: '42',
			note: 'taken as the text "42"',
		},
	);
	choice('alert/raise', 'severity', 'Severity', 'info, warning or critical');
	textErrors('alert/raise', 'alertOptions.host', 'Host', 255);
	add(
		'alert/raise',
		'Host',
		`hostile text (html): ${HOSTILE.html}`,
		{
			key: 'host-html',
			'alertOptions.host': HOSTILE.html,
		},
		{
			kind: 'stored',
			table: 'mon_alerts',
			column: 'host',
			value: HOSTILE.html,
			note: 'stored verbatim as the host',
		},
	);
	add(
		'alert/raise',
		'Link',
		'not a web address "javascript:alert(1)"',
		{
			'alertOptions.link': 'javascript:alert(1)',
		},
		err(
			'Link must be an http:// or https:// address, not "javascript:alert(1)"',
			'Use the address of an execution',
		),
	);
	add(
		'alert/raise',
		'Link',
		'object (expression)',
		{ 'alertOptions.link': expr.object },
		err('Link must be text, not an object', 'Map Link'),
	);
	integer('alert/raise', 'alertOptions.resolveAfterMinutes', 'Resolve After (Minutes)', 0, 525_600);
	add(
		'alert/resolve',
		'Key',
		'empty (typed in)',
		{ key: '' },
		{ kind: 'required', parameter: 'Key' },
	);
	textErrors('alert/resolve', 'key', 'Key', 200);
	add(
		'alert/resolve',
		'Key',
		"hostile text: x' OR 1=1 --",
		{ key: "x' OR 1=1 --" },
		{
			kind: 'items',
			note: 'a bound parameter: "not open", tables intact',
			check: (items) => expect(items[0].status).toBe('not open'),
		},
	);
	textErrors('alert/resolve', 'resolveMessage', 'Message', 4000);

	// Incidents
	const open = 'alert/openIncident';
	add(
		open,
		'Title',
		'empty (typed in)',
		{ incidentTitle: '' },
		{ kind: 'required', parameter: 'Title' },
	);
	add(
		open,
		'Title',
		'empty (expression)',
		{ incidentTitle: expr.text(' ') },
		err('Title is empty', 'Enter the name status pages give the incident'),
	);
	textErrors(open, 'incidentTitle', 'Title', 200);
	add(
		open,
		'Message',
		'empty (typed in)',
		{ incidentMessage: '' },
		{ kind: 'required', parameter: 'Message' },
	);
	textErrors(open, 'incidentMessage', 'Message', 2000);
	for (const [label, value] of Object.entries(HOSTILE)) {
		add(
			open,
			'Title',
			`hostile text (${label}): ${value}`,
			{ incidentTitle: value },
			{
				kind: 'stored',
				table: 'mon_incidents',
				column: 'title',
				value,
				note: 'stored verbatim; a status page shows it as text',
			},
		);
		add(
			open,
			'Message',
			`hostile text (${label}): ${value}`,
			{ incidentMessage: value },
			{
				kind: 'stored',
				table: 'mon_incident_updates',
				column: 'message',
				value,
				note: 'stored verbatim; a status page shows it as text',
			},
		);
	}
	choice(
		open,
		'incidentStatus',
		'Status',
		'investigating, identified, monitoring, update or resolved',
	);
	choice(open, 'severity', 'Severity', 'info, warning or critical');
	add(
		open,
		'Targets',
		'none',
		{ targets: {} },
		err('An incident needs at least one target', 'Add Target'),
	);
	add(
		open,
		'Targets',
		'an endpoint without its name',
		{ targets: { target: [{ kind: 'endpoint', host: 'web-1', name: '' }] } },
		err('Name of the endpoint target is empty', 'ID as stored'),
	);
	add(
		open,
		'Targets',
		'a named endpoint without its host',
		{ targets: { target: [{ kind: 'endpoint', host: '', name: 'api' }] } },
		err('The endpoint target "api" has no Host Name', 'Enter the host whose collector checks it'),
	);
	add(
		open,
		'Targets',
		'a kind not in the list "printer"',
		{ targets: { target: [{ kind: 'printer', host: 'web-1', name: 'p' }] } },
		err(
			'Kind of a target must be database, endpoint, host, model_server or workflow, not "printer"',
			'Pick Kind of a target from the list',
		),
	);
	textErrors(open, 'incidentOptions.author', 'Author', 200);
	add(
		open,
		'Started At',
		'not a date ("yesterday-ish")',
		{ 'incidentOptions.startedAt': 'yesterday-ish' },
		err('Started At is not a date: "yesterday-ish"', 'Pick a date and time'),
	);
	add(
		open,
		'Started At',
		'next year',
		{ 'incidentOptions.startedAt': `${new Date().getUTCFullYear() + 1}-06-01T00:00:00Z` },
		err('Started At is in the future', 'Leave Started At empty for now'),
	);
	const post = 'alert/postIncidentUpdate';
	add(
		post,
		'Incident ID',
		'empty (typed in)',
		{ incidentId: '' },
		{ kind: 'required', parameter: 'Incident ID' },
	);
	add(
		post,
		'Incident ID',
		'empty (expression)',
		{ incidentId: expr.text('') },
		err('Incident ID is empty', 'Map the id from List Incidents'),
	);
	add(
		post,
		'Incident ID',
		'an incident that does not exist (m999999)',
		{},
		err('No incident m999999 in the store', 'Take the id from List Incidents'),
	);
	add(
		post,
		'Incident ID',
		'an alert that does not exist (number 999999, expression)',
		{ incidentId: '={{ 999999 }}' },
		err('No incident alert 999999 in the store', 'Take the id from List Incidents'),
	);
	for (const value of ['INC-7', "x' OR 1=1 --", 'a-1'])
		add(
			post,
			'Incident ID',
			`not an id (${value})`,
			{ incidentId: value },
			err(`Incident ${JSON.stringify(value)} is not an incident or alert id`, 'm12, a34'),
		);
	textErrors(post, 'incidentId', 'Incident ID', 100);
	add(
		post,
		'Message',
		'empty (typed in)',
		{ incidentMessage: '' },
		{ kind: 'required', parameter: 'Message' },
	);
	add(
		post,
		'Message',
		'only spaces (expression)',
		{ incidentMessage: expr.text('   ') },
		err('Message is empty', 'Enter the words readers of the status page should see'),
	);
	textErrors(post, 'incidentMessage', 'Message', 2000);
	choice(
		post,
		'incidentStatus',
		'Status',
		'investigating, identified, monitoring, update or resolved',
	);
	textErrors(post, 'updateOptions.author', 'Author', 200);
	const list = 'alert/listIncidents';
	choice(list, 'incidentPeriod', 'Period', 'custom or lastDays');
	integer(list, 'incidentDays', 'Days', 1, 366);
	add(
		list,
		'From',
		'not a date ("yesterday")',
		{ incidentPeriod: 'custom', incidentFrom: 'yesterday', incidentTo: '2026-03-01T00:00:00Z' },
		err('From is not a date: "yesterday"', 'Pick a date and time'),
	);
	add(
		list,
		'To',
		'before From',
		{
			incidentPeriod: 'custom',
			incidentFrom: '2026-03-02T00:00:00Z',
			incidentTo: '2026-03-01T00:00:00Z',
		},
		err('To must be after From', 'Set To later than From'),
	);
	add(
		list,
		'To',
		'400 days after From',
		{
			incidentPeriod: 'custom',
			incidentFrom: '2025-01-01T00:00:00Z',
			incidentTo: '2026-02-05T00:00:00Z',
		},
		err('The period is 400 days long; at most 366 are allowed', 'Shorten the period'),
	);
	add(
		list,
		'Targets',
		`hostile text (sql): ${HOSTILE.sql}`,
		{ targets: { target: [{ kind: 'endpoint', host: HOSTILE.sql, name: HOSTILE.sql }] } },
		{
			kind: 'items',
			note: 'a bound parameter: no incidents, no error, tables intact',
			check: (items) => expect(items).toEqual([]),
		},
	);
	boolean(list, 'listOptions.onlyOpen', 'Only Open');

	// Prometheus
	hostName('prometheus/scrape');
	add(
		'prometheus/scrape',
		'URL',
		'empty (typed in)',
		{ url: '' },
		{ kind: 'required', parameter: 'URL' },
	);
	add(
		'prometheus/scrape',
		'URL',
		'empty (expression)',
		{ url: expr.text('') },
		err('URL is empty', "Enter the metrics page's address"),
	);
	textErrors('prometheus/scrape', 'url', 'URL', 8192);
	add(
		'prometheus/scrape',
		'Authentication',
		'Basic Auth without a credential',
		{ authentication: 'basicAuth' },
		err(
			'Authentication is Basic Auth, but no Basic Auth credential is set',
			'Select a Basic Auth credential',
		),
	);
	add(
		'prometheus/scrape',
		'Authentication',
		'Header Auth credential without a header name',
		{ authentication: 'headerAuth' },
		err(
			'The Header Auth credential has no header name',
			'Set the header name (e.g. Authorization)',
		),
		{ httpHeaderAuth: { name: ' ', value: 'secret' } },
	);
	add(
		'prometheus/scrape',
		'URL',
		'not a URL "javascript:alert(1)"',
		{ url: 'javascript:alert(1)' },
		err('javascript:// URLs are not supported', 'Use the http:// or https:// address'),
	);
	add(
		'prometheus/scrape',
		'URL',
		`hostile text (sql): ${HOSTILE.sql}`,
		{ url: HOSTILE.sql },
		err('is not a URL', 'Use the http:// or https:// address'),
	);
	add(
		'prometheus/scrape',
		'URL',
		'with a password in it',
		{ url: 'http://u:secret@127.0.0.1:1/metrics' },
		err('the URL carries a user name or password', 'Use the http:// or https:// address'),
	);
	choice('prometheus/scrape', 'exporter', 'Exporter', 'node_exporter, dcgm or generic');
	choice('prometheus/scrape', 'authentication', 'Authentication', 'none, basicAuth or headerAuth');
	add(
		'prometheus/scrape',
		'Include Metrics',
		'not a regular expression "(("',
		{ 'options.include': '((' },
		err('', 'a valid regular expression in Include Metrics'),
	);
	textErrors('prometheus/scrape', 'options.include', 'Include Metrics', 1000);
	textErrors('prometheus/scrape', 'options.prefixes', 'Metric Prefixes', 10_000);
	boolean('prometheus/scrape', 'options.ignoreTlsErrors', 'Ignore TLS Errors');
	integer('prometheus/scrape', 'options.maxSeries', 'Max Series', 1, 50_000);
	integer('prometheus/scrape', 'options.scrapeTimeout', 'Scrape Timeout', 1, 300);
	collectCommon('prometheus/scrape');

	// The node itself
	add(
		'host/collect',
		'Resource',
		'value not in the list "nope"',
		{ resource: 'nope' },
		err('The resource "nope" is not known', 'Pick a resource from the list'),
	);
	add(
		'host/collect',
		'Operation',
		'value not in the list "nope"',
		{ operation: 'nope' },
		err(
			'The operation "nope" is not known for the resource "host"',
			'Pick a resource and operation',
		),
	);

	cases.push(...triggerCases(), ...storeCases(f));
	return cases;
}

function triggerCases(): BadInputCase[] {
	const cases: BadInputCase[] = [];
	const rule = { preset: 'custom', metric: 'cpu_usage_percent', threshold: '90' };
	const add = (
		where: string,
		parameter: string,
		input: string,
		parameters: Record<string, unknown>,
		expect: Expectation,
	) =>
		cases.push({
			node: 'Monitoring Trigger',
			where,
			parameter,
			input,
			parameters: { rules: { rule: [rule] }, options: {}, ...parameters },
			expect,
		});
	const withRule = (fields: Record<string, unknown>) => ({
		rules: { rule: [{ ...rule, ...fields }] },
	});
	add(
		'rules',
		'Rules',
		'empty list',
		{ rules: { rule: [] } },
		err('The trigger has no rules', 'Add at least one rule'),
	);
	add(
		'rules',
		'Threshold',
		'text "ninety"',
		withRule({ threshold: 'ninety' }),
		err('Rule 1: Threshold must be a number, not "ninety"', 'plain number'),
	);
	add(
		'rules',
		'Threshold',
		'object (expression)',
		withRule({ threshold: expr.object }),
		err('Rule 1: Threshold must be a number', 'plain number'),
	);
	add(
		'rules',
		'Metric',
		'empty',
		withRule({ metric: '' }),
		err('needs a metric', 'cpu_usage_percent'),
	);
	add(
		'rules',
		'Metric',
		`hostile text (sql): ${HOSTILE.sql}`,
		withRule({ metric: HOSTILE.sql }),
		err('is not in the store', ''),
	);
	add(
		'rules',
		'Window (Minutes)',
		'fraction (0.5)',
		withRule({ windowMinutes: '0.5' }),
		err('Window must be from 1 to 10080 minutes, not 0.5', 'between 1 and 10080'),
	);
	add(
		'options',
		'Time Zone',
		'unknown "Mars/Base"',
		{ options: { timeZone: 'Mars/Base' } },
		err('The time zone "Mars/Base" is not known', 'Use an IANA name'),
	);
	add(
		'options',
		'Time Zone',
		'object (expression)',
		{ options: { timeZone: expr.object } },
		err('Time Zone must be text, not an object', 'Map Time Zone'),
	);
	add(
		'options',
		'Time Zone',
		`${LONG.toLocaleString('en')} characters (expression)`,
		{ options: { timeZone: expr.long } },
		err(`Time Zone is ${LONG} characters long; at most 100`, 'Shorten Time Zone'),
	);
	add(
		'options',
		'Dashboard URL',
		'not a web address "javascript:alert(1)"',
		{ options: { dashboardUrl: 'javascript:alert(1)' } },
		err('Dashboard URL must be an http:// or https:// address', "Use the dashboard's address"),
	);
	add(
		'options',
		'Dashboard URL',
		'object (expression)',
		{ options: { dashboardUrl: expr.object } },
		err('Dashboard URL must be text, not an object', 'Map Dashboard URL'),
	);
	add(
		'quiet hours',
		'Start',
		'not a time "25:00"',
		{ quietHours: { window: [{ start: '25:00', end: '07:00' }] } },
		err('The start of quiet hours must be a time like 22:00, not "25:00"', '24-hour clock'),
	);
	add(
		'quiet hours',
		'End',
		'object (expression)',
		{ quietHours: { window: [{ start: '22:00', end: expr.object }] } },
		err('The end of quiet hours must be text, not an object', 'Map The end of quiet hours'),
	);
	add(
		'quiet hours',
		'Days',
		'day 9 (expression)',
		{ quietHours: { window: [{ start: '22:00', end: '07:00', days: '={{ [9] }}' }] } },
		err(
			'The days of quiet hours must be a list of days 0 (Sunday) to 6, not [9]',
			'Pick the days from the list',
		),
	);
	add(
		'maintenance',
		'From',
		'not a date "yesterday"',
		{ maintenance: { window: [{ from: 'yesterday', to: '2030-01-01T00:00:00Z' }] } },
		err('From of a maintenance window is not a date: "yesterday"', 'Pick a date and time'),
	);
	add(
		'maintenance',
		'To',
		'before From',
		{ maintenance: { window: [{ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }] } },
		err('ends (2030-01-01T00:00:00Z) before it starts', 'Set To after From'),
	);
	add(
		'maintenance',
		'Host',
		'object (expression)',
		{
			maintenance: {
				window: [{ from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z', host: expr.object }],
			},
		},
		err(
			'The host of a maintenance window must be text, not an object',
			'Map The host of a maintenance window',
		),
	);
	return cases;
}

/** The Monitoring Store credential: used by a node (Host: Collect) and by its credential test. */
function storeCases(f: Fixtures): BadInputCase[] {
	const cases: BadInputCase[] = [];
	const rows: Array<[string, string, Record<string, unknown>, string, string]> = [
		[
			'SQLite File Path',
			'in a folder that does not exist',
			{ type: 'sqlite', sqlitePath: '/nonexistent/dir/store.sqlite' },
			'The folder of the monitoring store does not exist: /nonexistent/dir',
			'Create the folder',
		],
		[
			'SQLite File Path',
			'a folder, not a file',
			{ type: 'sqlite', sqlitePath: f.folder },
			"The store credential's SQLite File Path is a folder",
			'Add a file name',
		],
		[
			'SQLite File Path',
			'a file that is not SQLite',
			{ type: 'sqlite', sqlitePath: f.notSqlite },
			'The file is not an SQLite database',
			'this file was left untouched',
		],
		[
			'SQLite File Path',
			'a number',
			{ type: 'sqlite', sqlitePath: 42 },
			'SQLite File Path is not text',
			'Set SQLite File Path',
		],
		[
			'SQLite File Path',
			'NUL character',
			{ type: 'sqlite', sqlitePath: 'a\u0000b' },
			'SQLite File Path contains a NUL character',
			'Retype SQLite File Path',
		],
		[
			'Port',
			'text "abc"',
			{ type: 'postgres', port: 'abc' },
			'port "abc" is not a port number',
			'Set Port',
		],
		[
			'Port',
			'out of range (70000)',
			{ type: 'postgres', port: 70000 },
			'port 70000 is not a port number',
			'Set Port',
		],
		['Port', 'zero', { type: 'postgres', port: 0 }, 'port 0 is not a port number', 'Set Port'],
		[
			'Schema',
			'64 bytes (PostgreSQL keeps 63)',
			{ type: 'postgres', schema: 's'.repeat(64) },
			'schema name is 64 bytes long; PostgreSQL keeps 63',
			'Shorten Schema',
		],
		[
			'Schema',
			'with a dot "mon.x" (read as schema.table)',
			{ type: 'postgres', schema: 'mon.x' },
			'schema name "mon.x" contains a dot',
			'Use one schema name without a dot',
		],
		[
			'Schema',
			'NUL character',
			{ type: 'postgres', schema: 'a\u0000b' },
			'Schema contains a NUL character',
			'Retype Schema',
		],
		[
			'Password',
			'NUL character',
			{ type: 'postgres', password: 'a\u0000b' },
			'Password contains a NUL character',
			'Retype Password',
		],
		[
			'Host',
			'nothing listens (127.0.0.1:1)',
			{ type: 'postgres', host: '127.0.0.1', port: 1 },
			'PostgreSQL at 127.0.0.1:1 refused the connection',
			'Check that the server runs',
		],
	];
	for (const [parameter, input, credential, message, hint] of rows) {
		const data = {
			host: '127.0.0.1',
			port: 5432,
			database: 'monitoring',
			user: 'monitoring',
			password: 'x',
			...credential,
		};
		if (credential.type === 'sqlite')
			for (const k of ['host', 'port', 'database', 'user', 'password'])
				delete (data as Record<string, unknown>)[k];
		cases.push({
			node: 'Monitoring Store credential',
			where: 'used by Host: Collect',
			parameter,
			input,
			parameters: { resource: 'host', operation: 'collect', hostName: '', options: {} },
			credentials: { monitoringStoreApi: data },
			expect: err(message, hint),
		});
		cases.push({
			node: 'Monitoring Store credential',
			where: 'credential test',
			parameter,
			input,
			parameters: {},
			credentials: { monitoringStoreApi: data },
			expect: { kind: 'credentialTest', message, hint },
		});
	}
	return cases;
}

/** What a row's outcome says in the table. */
function outcome(e: Expectation): string {
	switch (e.kind) {
		case 'error':
			return `error: ${e.message || '(the cause)'}${e.hint ? ` — hint: ${e.hint}` : ''}`;
		case 'required':
			return `n8n refuses to run: Parameter "${e.parameter}" is required`;
		case 'stored':
			return `partial: ${e.note} (${e.table}.${e.column}); tables intact`;
		case 'items':
			return `partial: ${e.note}`;
		case 'credentialTest':
			return `test answers Error: ${e.message} — hint: ${e.hint}`;
	}
}

const cell = (s: string) =>
	s
		.replace(/\\/g, '\\\\')
		.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
		.replace(/\|/g, '\\|')
		.replace(/</g, '&lt;')
		.replace(/`/g, '\\`')
		.replace(/\*/g, '\\*')
		.replace(/_/g, '\\_');

/** docs/BAD-INPUT.md, from the rows. */
export function renderTable(cases: BadInputCase[]): string {
	const byNode = new Map<string, number>();
	for (const c of cases) byNode.set(c.node, (byNode.get(c.node) ?? 0) + 1);
	const lines = [
		'# Bad input',
		'',
		'<!-- Generated from test/workflow/bad-input/cases.ts: run',
		'     BAD_INPUT_WRITE=1 bash scripts/node24.sh node_modules/.bin/jest test/workflow/bad-input.test.ts -->',
		'',
		`${cases.length} cases, each a test in test/workflow/bad-input.test.ts run through n8n-core's`,
		'WorkflowExecute over a real SQLite store: ' +
			[...byNode].map(([node, n]) => `${node} ${n}`).join(', ') +
			'.',
		'',
		'Every case ends in a NodeOperationError whose message names the parameter and whose',
		'description says what to do, or in a documented partial result: names are data, stored',
		'verbatim through bound parameters (the table `mon_series` and the others are checked to be',
		'intact after each), and faults of the monitored system are a failed collection, not an error.',
		'"Expression" means the value came from `={{ ... }}`; other values are typed in. The',
		'Monitoring Dashboard node is covered by the security tests (test/e2e/dashboard.test.ts).',
		'',
		'| # | Node | Resource / operation | Parameter | Input | Outcome |',
		'| - | ---- | -------------------- | --------- | ----- | ------- |',
		...cases.map(
			(c, i) =>
				`| ${i + 1} | ${c.node} | ${cell(c.where)} | ${cell(c.parameter)} | ${cell(c.input)} | ${cell(outcome(c.expect))} |`,
		),
		'',
	];
	return lines.join('\n');
}
