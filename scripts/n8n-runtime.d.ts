// Types for scripts/n8n-runtime.js, so TypeScript tests and benchmarks can use it.
import type { ChildProcess } from 'node:child_process';

export interface Runtime {
	cacheDir: string;
	nodeDir: string;
	nodeBin: string;
	n8nDir: string;
	n8nBin: string;
}

export interface N8nOptions {
	/** N8N_USER_FOLDER; n8n keeps its files in <userFolder>/.n8n. */
	userFolder?: string;
	/** A path list for N8N_CUSTOM_EXTENSIONS, false to drop an inherited one, undefined to keep it. */
	customExtensions?: string | false;
	port?: number;
	brokerPort?: number;
	/** Extra environment variables, applied last; undefined removes an inherited one. */
	env?: Record<string, string | undefined>;
}

export interface CliOptions extends N8nOptions {
	timeoutMs?: number;
	/** Throw on a non-zero exit code (default true). */
	check?: boolean;
}

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface ExecuteResult extends CliResult {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	run: any;
	/** n8n died of SIGSEGV at exit after a finished, successful run (n8n's isolated-vm race). */
	crashedAtExit: boolean;
}

export interface StartOptions extends N8nOptions {
	healthTimeoutMs?: number;
	/** Start a queue-mode `n8n worker` (health server on `port`) instead of `n8n start`. */
	worker?: { concurrency?: number };
	logFile?: string;
	inheritOutput?: boolean;
}

export interface N8nServer {
	baseUrl: string;
	editorUrl: string;
	port: number;
	pid: number;
	child: ChildProcess;
	exited: Promise<unknown>;
	output(): string;
	startupMs: number | undefined;
	stop(graceMs?: number): Promise<void>;
}

export interface RestResponse {
	status: number;
	ok: boolean;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
	text: string;
}

export interface RestClient {
	request(
		method: string,
		urlPath: string,
		body?: unknown,
		headers?: Record<string, string>,
	): Promise<RestResponse>;
	readonly cookie: string;
}

export interface Owner {
	email: string;
	password: string;
	firstName?: string;
	lastName?: string;
}

export const REPO_ROOT: string;
export const PACKAGE_NAME: string;
export const N8N_VERSION: string;
/** Settings of n8n that make a poll or an execution cheaper; npm start runs n8n with them. */
export const LEAN_N8N_ENV: Readonly<Record<string, string>>;
export function nodesDir(userFolder: string): string;
export function linkPackage(userFolder: string, packageDir?: string): string;
export function ensureRuntime(): Runtime;
export function findFreePort(preferred?: number): Promise<number>;
export function n8nEnv(options?: N8nOptions): NodeJS.ProcessEnv;
export function runCli(args: string[], options?: CliOptions): Promise<CliResult>;
export function listWorkflowIds(options?: CliOptions & { active?: boolean }): Promise<string[]>;
export function importWorkflow(file: string, options?: CliOptions): Promise<CliResult>;
export function publishWorkflow(id: string, options?: CliOptions): Promise<CliResult>;
export function executeWorkflow(id: string, options?: CliOptions): Promise<ExecuteResult>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parseExecuteOutput(stdout: string): any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function nodeOutput(run: any, nodeName: string): any[];
export function importMissingWorkflows(
	files: string[],
	options?: CliOptions & { publish?: boolean },
): Promise<{ imported: string[]; inactive: string[]; skipped: string[] }>;
export function waitForHealth(
	baseUrl: string,
	options?: { timeoutMs?: number; child?: ChildProcess; worker?: boolean },
): Promise<void>;
export function startN8n(options?: StartOptions): Promise<N8nServer>;
export function stopProcess(
	child: ChildProcess,
	exited: Promise<unknown>,
	graceMs?: number,
): Promise<void>;
export function restClient(baseUrl: string): RestClient;
export function needsOwnerSetup(baseUrl: string): Promise<boolean>;
export function setupOwner(baseUrl: string, owner: Owner): Promise<RestClient>;
export function login(baseUrl: string, email: string, password: string): Promise<RestClient>;
export function createApiKey(client: RestClient, label?: string): Promise<string>;
export function publicApi(
	baseUrl: string,
	apiKey: string,
	method: string,
	urlPath: string,
	body?: unknown,
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function activateWorkflow(baseUrl: string, apiKey: string, id: string): Promise<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function deactivateWorkflow(baseUrl: string, apiKey: string, id: string): Promise<any>;
export function killChildrenOnSignals(): void;
export function generatePassword(): string;
export function defaultStorePath(env?: NodeJS.ProcessEnv): string;
export function sleep(ms: number): Promise<void>;
