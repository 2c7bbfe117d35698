import { EndpointError } from '../../http';
import type { LoadedModel, ServerModule, ServerReading } from './types';

/*
 * Ollama has no Prometheus page. GET /api/ps lists the loaded models (size in memory, the part in
 * VRAM, when they unload); GET /api/version is the health check and the version. No request or
 * token counters are exposed, so only model and up/down samples come from an Ollama endpoint.
 */

interface PsModel {
	name?: unknown;
	model?: unknown;
	size?: unknown;
	size_vram?: unknown;
	expires_at?: unknown;
	details?: { parameter_size?: unknown; quantization_level?: unknown };
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Reads an /api/ps answer; throws when it is not the documented shape. */
export function parseOllamaPs(body: unknown): LoadedModel[] {
	const models = (body as { models?: unknown } | null)?.models;
	if (!Array.isArray(models)) {
		throw new EndpointError(
			'GET /api/ps: the answer has no "models" list (is this an Ollama server?)',
		);
	}
	return models.map((m: PsModel) => {
		const name = str(m?.name) ?? str(m?.model) ?? '(unnamed)';
		const model: LoadedModel = { name };
		const assign = <K extends keyof LoadedModel>(key: K, value: LoadedModel[K] | undefined) => {
			if (value !== undefined) model[key] = value;
		};
		assign('model', str(m?.model));
		assign('sizeBytes', num(m?.size));
		assign('vramBytes', num(m?.size_vram));
		assign('expiresAt', str(m?.expires_at));
		assign('parameterSize', str(m?.details?.parameter_size));
		assign('quantization', str(m?.details?.quantization_level));
		return model;
	});
}

export function parseOllamaVersion(body: unknown): string {
	const version = (body as { version?: unknown } | null)?.version;
	if (typeof version !== 'string') {
		throw new EndpointError(
			'GET /api/version: the answer has no "version" (is this an Ollama server?)',
		);
	}
	return version;
}

export const ollamaModule: ServerModule = {
	type: 'ollama',
	async read(io): Promise<ServerReading> {
		const [version, ps] = await Promise.all([io.getJson('/api/version'), io.getJson('/api/ps')]);
		return {
			version: parseOllamaVersion(version),
			counters: {},
			histograms: {},
			models: parseOllamaPs(ps),
		};
	},
};
