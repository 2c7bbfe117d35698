import type { N8nClient, N8nWorkflow } from './client';

/**
 * n8n's workflow list, kept between collections of the same n8n in this process. Every request
 * to n8n's public API costs that n8n ~17 ms of CPU before it does anything (key check, request
 * validation), and the full list with its nodes ~22 ms at a dozen workflows: asked every minute,
 * it was a fifth of what a collection of n8n cost n8n. Names and the active flag change rarely;
 * a workflow that executions name but the list lacks (made since) makes the next read fresh.
 */
export const WORKFLOWS_FRESH_MS = 5 * 60_000;

interface Kept {
	at: number;
	workflows: N8nWorkflow[];
}

/** One entry per n8n and key (client.identity): a different key may see different workflows. */
const kept = new Map<string, Kept>();

/** The kept list when it is younger than `freshMs`, else a new one from n8n. */
export async function workflowList(
	client: N8nClient,
	options: { now: number; freshMs?: number; signal?: AbortSignal },
): Promise<{ workflows: N8nWorkflow[]; fresh: boolean }> {
	const entry = kept.get(client.identity);
	if (
		entry &&
		options.now - entry.at < (options.freshMs ?? WORKFLOWS_FRESH_MS) &&
		options.now >= entry.at
	)
		return { workflows: entry.workflows, fresh: false };
	return { workflows: await refreshWorkflowList(client, options), fresh: true };
}

/** A new list from n8n, kept for the next collections. */
export async function refreshWorkflowList(
	client: N8nClient,
	options: { now: number; signal?: AbortSignal },
): Promise<N8nWorkflow[]> {
	const workflows = await client.allWorkflows(options.signal);
	kept.set(client.identity, { at: options.now, workflows });
	return workflows;
}

/** Forgets every kept list (tests). */
export function forgetWorkflowLists(): void {
	kept.clear();
}
