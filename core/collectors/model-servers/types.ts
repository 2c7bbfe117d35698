import type { EndpointIO } from '../../http';

/** The server kinds this collector knows, one module each. */
export const MODEL_SERVER_TYPES = ['ollama', 'vllm', 'tgi', 'llamacpp'] as const;
export type ModelServerType = (typeof MODEL_SERVER_TYPES)[number];

export interface ModelServerEndpoint {
	/** Label for the samples; defaults to the URL's host:port. */
	name?: string;
	/** Base URL of the server, e.g. http://127.0.0.1:11434. */
	url: string;
	type: ModelServerType;
	/** Sent with every request (an Authorization token); never copied into samples, snapshot or errors. */
	headers?: Record<string, string>;
	/**
	 * Watched only once it has answered: until then a failed read stores nothing for it, so a
	 * machine without this server (a starter workflow's local Ollama) shows none instead of a
	 * server that is down. Once it has answered, a failure is a down server as usual.
	 */
	onlyOnceAnswered?: boolean;
}

export interface ModelServerOptions {
	endpoints: ModelServerEndpoint[];
	/** Per endpoint, for all of its requests together. Default 5000 ms. */
	timeoutMs?: number;
	/** Endpoints read at once. Default 4. */
	concurrency?: number;
}

/** p50/p95 of a server-side histogram. */
export interface LatencyQuantiles {
	p50: number | null;
	p95: number | null;
	/** 'interval': bucket increases since the previous collection; 'cumulative': since the server started. */
	window: 'interval' | 'cumulative';
	/** Requests the quantiles are computed over. */
	observations: number;
}

export interface LoadedModel {
	name: string;
	model?: string;
	sizeBytes?: number;
	vramBytes?: number;
	expiresAt?: string;
	parameterSize?: string;
	quantization?: string;
}

export interface EndpointStatus {
	server: string;
	type: string;
	/** The URL without credentials, query or fragment. */
	url: string;
	up: boolean;
	/** Why the endpoint is down. */
	reason?: string;
	/** Wall time until every request of this endpoint answered (null when down). */
	responseSeconds: number | null;
	version: string | null;
	requestsRunning: number | null;
	requestsWaiting: number | null;
	kvCacheUsageRatio: number | null;
	promptTokensPerSecond: number | null;
	generationTokensPerSecond: number | null;
	ttftSeconds: LatencyQuantiles | null;
	e2eLatencySeconds: LatencyQuantiles | null;
	/** Null where the server type does not tell (TGI, llama.cpp) or the endpoint is down. */
	models: LoadedModel[] | null;
}

export interface ModelServerSnapshot {
	endpoints: EndpointStatus[];
	up: number;
	down: number;
	/** Seconds since the previous collection the rates and interval quantiles span; null on a first run. */
	intervalSeconds: number | null;
}

/** One bucket of a cumulative Prometheus histogram. */
export interface Bucket {
	/** Upper bound (`le`); Infinity for +Inf. */
	le: number;
	count: number;
}

/**
 * What one server module reads from one endpoint: gauges as they are, counters and histogram buckets
 * raw (the collector turns them into rates and interval quantiles against the previous state).
 */
export interface ServerReading {
	version?: string | null;
	requestsRunning?: number | null;
	requestsWaiting?: number | null;
	kvCacheUsageRatio?: number | null;
	/** Monotonic counters, e.g. prompt_tokens, generation_tokens. */
	counters: Record<string, number>;
	/** Cumulative histograms, e.g. ttft, e2e. */
	histograms: Record<string, Bucket[]>;
	/** Loaded models where the server tells them (Ollama, vLLM); undefined where it does not. */
	models?: LoadedModel[];
}

export interface ServerModule {
	readonly type: ModelServerType;
	read(io: EndpointIO): Promise<ServerReading>;
}
