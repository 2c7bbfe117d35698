import { type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

/** The Authentication choices of the operations that call a server (Endpoint, Prometheus). */
export const AUTHENTICATIONS = ['none', 'basicAuth', 'headerAuth'] as const;
export type Authentication = (typeof AUTHENTICATIONS)[number];

type CredentialReader = Pick<IExecuteFunctions, 'getNode' | 'getCredentials'>;

const CREDENTIAL_NAMES = {
	httpBasicAuth: 'Basic Auth',
	httpHeaderAuth: 'Header Auth',
} as const;

export interface AuthSpec {
	/** Who asks, to start the message when no credential is set: "Check 1 asks for". */
	askedBy: string;
	itemIndex: number;
	/** What else the user can do than select a credential; "choose another authentication". */
	otherwise?: string;
}

/**
 * The request header an Authentication choice stands for, from n8n's own Basic Auth or Header
 * Auth credential; undefined for none. Every operation that calls a server goes through here, so
 * a missing credential and a Header Auth credential without a header name are refused the same
 * way everywhere (a request without the header would fail later with a less clear reason).
 */
export async function authHeader(
	ctx: CredentialReader,
	authentication: Authentication,
	spec: AuthSpec,
): Promise<Record<string, string> | undefined> {
	if (authentication === 'headerAuth') {
		const h = await requiredCredential<{ name?: unknown; value?: unknown }>(
			ctx,
			'httpHeaderAuth',
			spec,
		);
		const name = typeof h.name === 'string' ? h.name.trim() : '';
		if (!name) {
			throw new NodeOperationError(ctx.getNode(), 'The Header Auth credential has no header name', {
				itemIndex: spec.itemIndex,
				description: 'Set the header name (e.g. Authorization) in the credential.',
			});
		}
		return { [name]: String(h.value ?? '') };
	}
	if (authentication === 'basicAuth') {
		const b = await requiredCredential<{ user?: unknown; password?: unknown }>(
			ctx,
			'httpBasicAuth',
			spec,
		);
		const token = Buffer.from(`${b.user ?? ''}:${b.password ?? ''}`).toString('base64');
		return { authorization: `Basic ${token}` };
	}
	return undefined;
}

/**
 * A credential an option asks for. n8n's own error when none is selected ("Node does not require
 * credentials") names neither the option nor the credential.
 */
async function requiredCredential<T>(
	ctx: CredentialReader,
	type: keyof typeof CREDENTIAL_NAMES,
	spec: AuthSpec,
): Promise<T> {
	try {
		return (await ctx.getCredentials(type, spec.itemIndex)) as T;
	} catch {
		const name = CREDENTIAL_NAMES[type];
		throw new NodeOperationError(
			ctx.getNode(),
			`${spec.askedBy} ${name}, but no ${name} credential is set`,
			{
				itemIndex: spec.itemIndex,
				description: `Select a ${name} credential in the node, or ${spec.otherwise ?? 'choose another authentication'}.`,
			},
		);
	}
}
