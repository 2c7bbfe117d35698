/**
 * Runs workflow JSON in process through n8n's own execution engine (`WorkflowExecute` from
 * n8n-core), the way n8n's node test harness does (n8n repo: packages/core/nodes-testing/
 * node-test-harness.ts, credentials-helper.ts, node-types.ts), so node tests need no n8n server.
 *
 * What runs is real: n8n-core and n8n-workflow are the exact copies the pinned n8n runtime uses
 * (the cache that scripts/ensure-n8n.sh fills), our nodes and credentials are the built files in
 * dist/ loaded the way n8n loads a community package (package.json `n8n.nodes` /
 * `n8n.credentials`, type name `<package name>.<description.name>`), and n8n's own base nodes
 * (Manual Trigger, Schedule Trigger, No Operation, ...) come from the cached n8n-nodes-base,
 * loaded lazily by name from its `dist/known/nodes.json` like n8n's lazy loader does. Nothing is
 * mocked: where n8n's harness hands WorkflowExecute a jest-mock-extended `mock()` for
 * `additionalData`, this file builds a plain object with the fields that n8n-core 2.40 reads.
 *
 * Two copies of n8n-workflow: n8n-core (from the cache) uses the cache's n8n-workflow, while
 * dist/ resolves `n8n-workflow` to this package's devDependency (the same version, 2.40.1, but
 * another module instance). So `error instanceof NodeOperationError` is false across the two:
 * compare by `error.name` (see `isNodeOperationError`). The same split exists when n8n loads a
 * linked checkout (test/e2e); a Community Nodes install deletes devDependencies and resolves
 * n8n's copy instead. What differs for us: n8n-core's ErrorReporter (`buildErrorReport`) does not
 * recognise our NodeOperationError as a BaseError, so it logs it as an unexpected error; run
 * data and the workflow's outcome are the same.
 *
 * Requires Node.js 24 (n8n 2.x): run with `scripts/node24.sh npx jest test/workflow`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

const REPO_ROOT = path.join(__dirname, '..', '..');
const N8N_VERSION = process.env.N8N_VERSION || '2.40.7';

/** The cached n8n install (N8N_MONITORING_CACHE, default ~/.cache/n8n-nodes-monitoring). */
export function n8nModulesDir(): string {
	const cache =
		process.env.N8N_MONITORING_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-monitoring');
	const dir = path.join(cache, `n8n-${N8N_VERSION}`, 'node_modules');
	if (!fs.existsSync(path.join(dir, 'n8n-core', 'package.json'))) {
		throw new Error(
			`n8n ${N8N_VERSION} is not installed in ${path.dirname(dir)}: run \`bash scripts/ensure-n8n.sh\` ` +
				'(or run the tests through scripts/node24.sh, which does)',
		);
	}
	return dir;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
interface N8nRuntime {
	workflow: typeof import('n8n-workflow');
	WorkflowExecute: new (
		additionalData: IWorkflowExecuteAdditionalData,
		mode: WorkflowExecuteMode,
		runExecutionData?: IRunExecutionData,
	) => { processRunExecutionData(workflow: unknown): Promise<IRun> };
	ExecutionLifecycleHooks: new (
		mode: WorkflowExecuteMode,
		executionId: string,
		workflowData: IWorkflowBase,
	) => {
		addHandler(name: string, handler: (...args: any[]) => unknown): void;
	};
	nodeTypes: INodeTypes;
	credentialTypes: Map<string, ICredentialType>;
	userFolder: string;
}

let runtime: N8nRuntime | undefined;

/**
 * n8n-core keeps an instance settings file (with an encryption key) in N8N_USER_FOLDER/.n8n,
 * read once per process: point it at a temp folder before n8n-core first needs it, so tests never
 * write into a real ~/.n8n. Removed by shutdownWorkflowRunner() (jest's sandboxed `process`
 * never sees the real process exit, so an exit handler would not run).
 */
function privateUserFolder(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'mon-wf-n8n-'));
}

function loadRuntime(): N8nRuntime {
	if (runtime) return runtime;
	if (Number(process.versions.node.split('.')[0]) < 24) {
		throw new Error(
			`n8n 2.x needs Node.js 24; this is ${process.version}. Run: scripts/node24.sh npx jest test/workflow`,
		);
	}
	const modules = n8nModulesDir();
	const workflow = require(path.join(modules, 'n8n-workflow')) as typeof import('n8n-workflow');
	const engine = path.join(modules, 'n8n-core', 'dist', 'execution-engine');
	const { WorkflowExecute } = require(path.join(engine, 'workflow-execute'));
	const { ExecutionLifecycleHooks } = require(path.join(engine, 'execution-lifecycle-hooks'));

	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	const ownNodes = new Map<string, INodeType | IVersionedNodeType>();
	for (const file of pkg.n8n.nodes as string[]) {
		for (const instance of instances<INodeType | IVersionedNodeType>(path.join(REPO_ROOT, file))) {
			ownNodes.set(`${pkg.name}.${instance.description.name}`, instance);
		}
	}
	const credentialTypes = new Map<string, ICredentialType>();
	for (const file of pkg.n8n.credentials as string[]) {
		for (const instance of instances<ICredentialType>(path.join(REPO_ROOT, file))) {
			credentialTypes.set(instance.name, instance);
		}
	}

	const baseDir = path.join(modules, 'n8n-nodes-base');
	const known = JSON.parse(
		fs.readFileSync(path.join(baseDir, 'dist', 'known', 'nodes.json'), 'utf8'),
	) as Record<string, { className: string; sourcePath: string }>;
	const baseNodes = new Map<string, INodeType | IVersionedNodeType>();

	// A node with usableAsTool is offered to agents as "<type>Tool": n8n's NodeTypes builds it on
	// request with its own convertNodeToAiTool (n8n/dist/tool-generation), and so does this.
	const { convertNodeToAiTool } = require(path.join(modules, 'n8n', 'dist', 'tool-generation')) as {
		convertNodeToAiTool<T>(item: T): T;
	};
	const tools = new Map<string, INodeType>();
	const toolOf = (type: string): INodeType | undefined => {
		if (!type.endsWith('Tool') || !ownNodes.has(type.slice(0, -4))) return undefined;
		let tool = tools.get(type);
		if (!tool) {
			const base = workflow.NodeHelpers.getVersionedNodeType(ownNodes.get(type.slice(0, -4))!);
			// As n8n's NodeTypes.getByNameAndVersion: a copy whose description n8n may change.
			const description = Object.create(base.description, {
				properties: { value: [...base.description.properties] },
			}) as INodeType['description'];
			const converted: INodeType = convertNodeToAiTool(
				Object.create(base, { description: { value: description } }) as INodeType,
			);
			tools.set(type, converted);
			tool = converted;
		}
		return tool;
	};

	const getByName = (type: string): INodeType | IVersionedNodeType => {
		const own = ownNodes.get(type) ?? extraNodeTypes.get(type) ?? toolOf(type);
		if (own) return own;
		const baseName = type.startsWith('n8n-nodes-base.') ? type.slice('n8n-nodes-base.'.length) : '';
		const entry = baseName ? known[baseName] : undefined;
		if (!entry) {
			throw new Error(
				`Unknown node type "${type}": this runner knows ${[...ownNodes.keys()].join(', ')} and n8n-nodes-base.*`,
			);
		}
		let node = baseNodes.get(type);
		if (!node) {
			const NodeClass = require(path.join(baseDir, entry.sourcePath))[entry.className];
			node = new NodeClass() as INodeType | IVersionedNodeType;
			baseNodes.set(type, node);
		}
		return node;
	};
	const nodeTypes: INodeTypes = {
		getByName,
		getByNameAndVersion: (type: string, version?: number) =>
			workflow.NodeHelpers.getVersionedNodeType(getByName(type), version),
		getKnownTypes: () => ({}),
	};

	runtime = {
		workflow,
		WorkflowExecute,
		ExecutionLifecycleHooks,
		nodeTypes,
		credentialTypes,
		userFolder: privateUserFolder(),
	};
	return runtime;
}

/**
 * Node types a test adds (a driver that plays the part of an agent or an MCP client: it takes the
 * tools n8n-core hands it and calls them), by type name. Register before the first run.
 */
const extraNodeTypes = new Map<string, INodeType>();
export function registerNodeType(type: string, node: INodeType): void {
	extraNodeTypes.set(type, node);
}

/** Every class a module exports, instantiated (what n8n's directory loader does for a file). */
function instances<T>(file: string): T[] {
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
	const exported = require(file) as Record<string, unknown>;
	return Object.values(exported)
		.filter((value): value is new () => T => typeof value === 'function')
		.map((Class) => new Class());
}

/**
 * Serves credential data that the test hands in, as n8n's test harness does, but like n8n's real
 * CredentialsHelper it fills in the credential type's defaults for fields the data leaves out
 * (only fields that its displayOptions show), so a test credential looks like a saved one.
 * Looked up by the node's credential id first, then by credential type name.
 */
function createCredentialsHelper(
	rt: N8nRuntime,
	credentials: Record<string, ICredentialDataDecryptedObject>,
) {
	const { workflow, credentialTypes } = rt;
	class TestCredentialsHelper extends workflow.ICredentialsHelper {
		getParentTypes(): string[] {
			return [];
		}

		getCredentialsProperties(type: string) {
			return credentialTypes.get(type)?.properties ?? [];
		}

		isCredentialUsableByNode(): boolean {
			return true;
		}

		async authenticate(
			data: ICredentialDataDecryptedObject,
			type: string,
			request: IHttpRequestOptions,
		): Promise<IHttpRequestOptions> {
			const authenticate = credentialTypes.get(type)?.authenticate;
			if (typeof authenticate === 'function') return await authenticate(data, request);
			return request;
		}

		async preAuthentication() {
			return undefined;
		}

		async runPreAuthentication() {
			return undefined;
		}

		async getDecrypted(
			_additionalData: IWorkflowExecuteAdditionalData,
			nodeCredentials: INodeCredentialsDetails,
			type: string,
		): Promise<ICredentialDataDecryptedObject> {
			const data =
				(nodeCredentials.id ? credentials[nodeCredentials.id] : undefined) ?? credentials[type];
			if (!data) {
				// n8n's wording when a workflow names a credential that is not in its database.
				throw new workflow.NodeOperationError(
					{ name: '', type: '', typeVersion: 1, position: [0, 0], parameters: {}, id: '' },
					`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`,
				);
			}
			const properties = this.getCredentialsProperties(type);
			if (!properties.length) return { ...data };
			return workflow.NodeHelpers.getNodeParameters(
				properties,
				data as never,
				true,
				false,
				null,
				null,
			) as ICredentialDataDecryptedObject;
		}

		async getCredentials(): Promise<never> {
			throw new Error('getCredentials is not supported by the workflow test runner');
		}

		async updateCredentials(): Promise<void> {}

		async updateCredentialsOauthTokenData(): Promise<void> {}
	}
	return new TestCredentialsHelper();
}

export interface RunWorkflowOptions {
	/** Decrypted credential data, keyed by credential id (as in the node's `credentials`) or type. */
	credentials?: Record<string, object>;
	/** Environment variables for the duration of the run (undefined removes one); restored after. */
	env?: Record<string, string | undefined>;
	/**
	 * The workflow's static data from an earlier run (`result.staticData`), as n8n would have
	 * saved it; the default is the workflow JSON's `staticData`, else empty.
	 */
	staticData?: IDataObject;
	/** `manual` (the editor's test button, `n8n execute`) by default; or e.g. `trigger`. */
	mode?: WorkflowExecuteMode;
	/** The node to start at; default the Manual Trigger, else the workflow's first trigger. */
	startNode?: string;
}

export interface RunError {
	name: string;
	message: string;
	description?: string | null;
	node?: string;
}

export interface RunWorkflowResult {
	/** The `json` of the items each node put out on its first output, in its last run. */
	items: Record<string, IDataObject[]>;
	/** Every output of each node's last run (`INodeExecutionData[][]`), for nodes with several. */
	outputs: Record<string, INodeExecutionData[][]>;
	/** Per node: the error its last run ended with, if any. */
	nodeErrors: Record<string, RunError>;
	/** The error the execution ended with (a node that failed without "continue on fail"). */
	error?: RunError;
	status: IRun['status'];
	finished: boolean;
	/** The nodes in the order they finished. */
	executionOrder: string[];
	/** Static data as n8n would save it after the run (a JSON copy): pass it to the next run. */
	staticData: IDataObject;
	/** The raw run data. */
	run: IRun;
}

/**
 * Closes the stores that the built node opened (core/store caches one open store per config per
 * process; the node in dist/ has its own copy of that cache, not the TS source's): call it in
 * afterAll, before removing SQLite files, or jest will not exit.
 */
export async function closeNodeStores(): Promise<void> {
	const file = path.join(REPO_ROOT, 'dist', 'core', 'store', 'index.js');
	if (!fs.existsSync(file)) return;
	const store = require(file) as { closeAllStores(): Promise<void> };
	await store.closeAllStores();
}

/**
 * For afterAll of a test file: closes the node's stores and removes the runner's private n8n user
 * folder. Run no more workflows in that file afterwards.
 */
export async function shutdownWorkflowRunner(): Promise<void> {
	await closeNodeStores();
	if (runtime) fs.rmSync(runtime.userFolder, { recursive: true, force: true });
}

/** n8n's NodeOperationError, from either copy of n8n-workflow (compared by name, see above). */
export function isNodeOperationError(error: unknown): boolean {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as { name?: unknown }).name === 'NodeOperationError'
	);
}

function toRunError(error: unknown): RunError | undefined {
	if (!error || typeof error !== 'object') return undefined;
	const e = error as { name?: string; message?: string; description?: string | null; node?: INode };
	return {
		name: e.name ?? 'Error',
		message: e.message ?? String(error),
		description: e.description,
		node: e.node?.name,
	};
}

export interface WorkflowJson {
	nodes: INode[];
	connections: IWorkflowBase['connections'];
	settings?: IWorkflowBase['settings'];
	staticData?: IDataObject;
	id?: string;
	name?: string;
}

let executionCounter = 0;

export async function runWorkflow(
	workflowJson: WorkflowJson,
	options: RunWorkflowOptions = {},
): Promise<RunWorkflowResult> {
	const rt = loadRuntime();
	// n8n's Logger is created on first use and reads N8N_LOG_LEVEL then; silent unless asked for,
	// since its ErrorReporter logs every node error with a stack (see the note on two copies).
	const restore = applyEnv({
		N8N_USER_FOLDER: rt.userFolder,
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'silent',
		...options.env,
	});
	try {
		return await execute(rt, workflowJson, options);
	} finally {
		restore();
	}
}

async function execute(
	rt: N8nRuntime,
	workflowJson: WorkflowJson,
	options: RunWorkflowOptions,
): Promise<RunWorkflowResult> {
	const { workflow: wf } = rt;
	const mode = options.mode ?? 'manual';
	// JSON copies: the run must not change the caller's workflow or static data objects.
	const nodes = JSON.parse(JSON.stringify(workflowJson.nodes)) as INode[];
	const staticData = JSON.parse(
		JSON.stringify(options.staticData ?? workflowJson.staticData ?? {}),
	) as IDataObject;
	const workflowId = workflowJson.id ?? 'workflow-test';
	const settings = { executionOrder: 'v1' as const, ...workflowJson.settings };
	const workflow = new wf.Workflow({
		id: workflowId,
		name: workflowJson.name ?? 'workflow test',
		nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes: rt.nodeTypes,
		staticData,
		settings,
	});

	const startNode = pickStartNode(workflow, nodes, options.startNode);
	const executionId = String(++executionCounter);
	const hooks = new rt.ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: workflowJson.name ?? 'workflow test',
		nodes,
		connections: workflowJson.connections,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
		settings,
	} as unknown as IWorkflowBase);
	const executionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName: string) => {
		executionOrder.push(nodeName);
	});
	// workflowExecuteAfter gets the static data only when a node changed it (as n8n saves it).
	let savedStaticData: IDataObject | undefined;
	hooks.addHandler('workflowExecuteAfter', (_run: IRun, newStaticData?: IDataObject) => {
		savedStaticData = newStaticData;
	});

	const additionalData = additionalDataFor(rt, options, executionId, workflowId, hooks);

	const runExecutionData = wf.createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [[{ json: {} }]] }, source: null } as IExecuteData,
			],
		},
	});
	const workflowExecute = new rt.WorkflowExecute(additionalData, mode, runExecutionData);
	const run = await workflowExecute.processRunExecutionData(workflow);

	const items: Record<string, IDataObject[]> = {};
	const outputs: Record<string, INodeExecutionData[][]> = {};
	const nodeErrors: Record<string, RunError> = {};
	for (const [name, tasks] of Object.entries(run.data.resultData.runData)) {
		const last = tasks[tasks.length - 1];
		const main = (last?.data?.main ?? []) as Array<INodeExecutionData[] | null>;
		outputs[name] = main.map((output) => output ?? []);
		items[name] = (main[0] ?? []).map((item) => item.json);
		const nodeError = toRunError(last?.error);
		if (nodeError) nodeErrors[name] = { ...nodeError, node: nodeError.node ?? name };
	}
	const finalStaticData = JSON.parse(
		JSON.stringify(savedStaticData ?? workflow.staticData ?? {}),
	) as IDataObject;
	delete finalStaticData.__dataChanged;
	return {
		items,
		outputs,
		nodeErrors,
		error: toRunError(run.data.resultData.error),
		status: run.status,
		finished: run.finished === true,
		executionOrder,
		staticData: finalStaticData,
		run,
	};
}

/** What n8n-core reads of an execution's additional data, with no n8n server behind it. */
function additionalDataFor(
	rt: N8nRuntime,
	options: RunWorkflowOptions,
	executionId: string,
	workflowId: string,
	hooks: unknown,
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	const notAvailable = (what: string) => async () => {
		throw new Error(`${what} is not available in the in-process workflow runner`);
	};
	return {
		hooks,
		credentialsHelper: createCredentialsHelper(
			rt,
			(options.credentials ?? {}) as Record<string, ICredentialDataDecryptedObject>,
		),
		executionId,
		workflowId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		// Parameters come from node.parameters (what n8n's harness sets too).
		currentNodeParameters: undefined,
		variables: {},
		executeWorkflow: notAvailable('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('The task runner (Code node)'),
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface PollTriggerResult {
	/** The items the poll hands to the workflow; null when it starts no execution. */
	items: IDataObject[] | null;
	error?: RunError;
	/** The workflow's static data after the poll (a JSON copy): pass it to the next poll. */
	staticData: IDataObject;
}

/**
 * One poll of a polling trigger in production mode (`trigger`, what n8n runs on its schedule for
 * a published workflow), through n8n-core's own PollContext: the node reads its parameters,
 * credentials and static data as it does in n8n. `runWorkflow` in manual mode runs a trigger's
 * test poll instead.
 */
export async function pollTrigger(
	workflowJson: WorkflowJson,
	options: RunWorkflowOptions & { node?: string } = {},
): Promise<PollTriggerResult> {
	const rt = loadRuntime();
	const restore = applyEnv({
		N8N_USER_FOLDER: rt.userFolder,
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'silent',
		...options.env,
	});
	try {
		const nodes = JSON.parse(JSON.stringify(workflowJson.nodes)) as INode[];
		const staticData = JSON.parse(
			JSON.stringify(options.staticData ?? workflowJson.staticData ?? {}),
		) as IDataObject;
		const workflowId = workflowJson.id ?? 'workflow-test';
		const workflow = new rt.workflow.Workflow({
			id: workflowId,
			name: workflowJson.name ?? 'workflow test',
			nodes,
			connections: workflowJson.connections,
			active: true,
			nodeTypes: rt.nodeTypes,
			staticData,
			settings: { executionOrder: 'v1' as const, ...workflowJson.settings },
		});
		const node = options.node ? workflow.getNode(options.node) : workflow.getStartNode();
		if (!node) throw new Error(`No node "${options.node ?? '(start)'}" to poll`);
		const nodeType = rt.nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
		if (!nodeType.poll) throw new Error(`${node.type} is not a polling trigger`);
		const engine = path.join(n8nModulesDir(), 'n8n-core', 'dist', 'execution-engine');
		const { PollContext } = require(path.join(engine, 'node-execution-context'));
		const executionId = String(++executionCounter);
		const context = new PollContext(
			workflow,
			node,
			additionalDataFor(rt, options, executionId, workflowId, undefined),
			'trigger',
			'trigger',
		);
		let items: IDataObject[] | null = null;
		let error: RunError | undefined;
		try {
			const out = (await nodeType.poll.call(context)) as INodeExecutionData[][] | null;
			items = out ? (out[0] ?? []).map((item) => item.json) : null;
		} catch (e) {
			error = toRunError(e);
		}
		const after = JSON.parse(JSON.stringify(workflow.staticData ?? {})) as IDataObject;
		delete after.__dataChanged;
		return { items, error, staticData: after };
	} finally {
		restore();
	}
}

function pickStartNode(
	workflow: { getStartNode(): INode | undefined; getNode(name: string): INode | null },
	nodes: INode[],
	wanted?: string,
): INode {
	if (wanted) {
		const node = workflow.getNode(wanted);
		if (!node) throw new Error(`Start node "${wanted}" is not in the workflow`);
		return node;
	}
	const manual = nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger' && !n.disabled);
	const node = manual ? workflow.getNode(manual.name) : workflow.getStartNode();
	if (!node) throw new Error('The workflow has no node to start at (add a Manual Trigger)');
	return node;
}

function applyEnv(env: Record<string, string | undefined>): () => void {
	const saved = new Map<string, string | undefined>();
	for (const [key, value] of Object.entries(env)) {
		saved.set(key, process.env[key]);
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
	}
	return () => {
		for (const [key, value] of saved) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	};
}
/* eslint-enable @typescript-eslint/no-explicit-any */
