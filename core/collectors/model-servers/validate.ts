import { MODEL_SERVER_TYPES, type ModelServerEndpoint } from './types';

export interface EndpointProblem {
	/** Position in the endpoints list. */
	index: number;
	message: string;
}

/** The label an endpoint's samples carry: its name, else the URL's host:port. */
export function serverLabel(endpoint: Pick<ModelServerEndpoint, 'name' | 'url'>): string {
	const name = typeof endpoint.name === 'string' ? endpoint.name.trim() : '';
	if (name) return name;
	try {
		const u = new URL(endpoint.url);
		const port = u.port || (u.protocol === 'https:' ? '443' : '80');
		return `${u.hostname}:${port}`;
	} catch {
		return String(endpoint.url);
	}
}

/**
 * Problems with a list of endpoints, as data (the node turns them into NodeOperationErrors, the
 * collector into down endpoints): a URL that is not http(s), credentials in the URL (fetch refuses
 * them, and they would end up in labels: use headers), an unknown type (the message names the
 * types that exist), two endpoints with the same server label (their series would merge).
 * Header values are never quoted.
 */
export function validateEndpoints(endpoints: unknown): EndpointProblem[] {
	if (!Array.isArray(endpoints)) return [{ index: -1, message: 'endpoints must be a list' }];
	const problems: EndpointProblem[] = [];
	const seen = new Map<string, number>();
	endpoints.forEach((raw, index) => {
		const at = `endpoint ${index + 1}`;
		const endpoint = raw as Partial<ModelServerEndpoint> | null;
		if (!endpoint || typeof endpoint !== 'object') {
			problems.push({ index, message: `${at}: not an object with url and type` });
			return;
		}
		let urlOk = false;
		if (typeof endpoint.url !== 'string' || endpoint.url.trim() === '') {
			problems.push({ index, message: `${at}: url is missing` });
		} else {
			let u: URL | undefined;
			try {
				u = new URL(endpoint.url);
			} catch {
				problems.push({
					index,
					message: `${at}: "${endpoint.url}" is not a URL (expected http:// or https://, e.g. http://127.0.0.1:11434)`,
				});
			}
			if (u && u.protocol !== 'http:' && u.protocol !== 'https:') {
				problems.push({
					index,
					message: `${at}: ${u.protocol}// URLs are not supported (use http:// or https://)`,
				});
			} else if (u && (u.username || u.password)) {
				problems.push({
					index,
					message: `${at}: the URL carries credentials; put them in headers (e.g. Authorization) instead`,
				});
			} else if (u) urlOk = true;
		}
		if (!MODEL_SERVER_TYPES.includes(endpoint.type as never)) {
			problems.push({
				index,
				message: `${at}: unknown type "${String(endpoint.type)}" (known types: ${MODEL_SERVER_TYPES.join(', ')})`,
			});
		}
		if (endpoint.headers !== undefined) {
			const h = endpoint.headers as unknown;
			if (!h || typeof h !== 'object' || Array.isArray(h)) {
				problems.push({ index, message: `${at}: headers must be an object of name: value` });
			} else {
				for (const [name, value] of Object.entries(h)) {
					if (typeof value !== 'string') {
						problems.push({ index, message: `${at}: header "${name}" must be a string` });
					}
				}
			}
		}
		if (urlOk) {
			const label = serverLabel(endpoint as ModelServerEndpoint);
			const first = seen.get(label);
			if (first !== undefined) {
				problems.push({
					index,
					message: `${at}: same server label "${label}" as endpoint ${first + 1}; give one a name`,
				});
			} else seen.set(label, index);
		}
	});
	return problems;
}
