import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	NodeOperationError,
} from 'n8n-workflow';

import type { Collector } from '../../../core/collectors/types';
import type { CollectorState } from '../../../core/model';
import { collectAndStore, type CollectResult, type StateKeeper } from '../../../core/pipeline';
import { StoreError } from '../../../core/store/errors';
import { getStoreConfig } from '../../shared/store-config';

export interface CollectSettings {
	itemIndex: number;
	host: string;
	store: boolean;
	timeoutSeconds?: number;
}

/**
 * Runs one collector for one item the way every Collect operation does: into the store (or
 * not), state between runs, failures of the source as data, failures of the store as a
 * NodeOperationError that still carries what was collected.
 */
export async function collectWithNode<O, S>(
	this: IExecuteFunctions,
	collector: Collector<O, S>,
	options: O,
	settings: CollectSettings,
): Promise<INodeExecutionData[]> {
	const { itemIndex } = settings;
	let result: CollectResult<S>;
	try {
		const store = settings.store ? await getStoreConfig(this, itemIndex) : null;
		result = await collectAndStore(collector, {
			host: settings.host,
			options,
			store,
			state: store ? undefined : staticDataState(this),
			timeoutMs: settings.timeoutSeconds ? settings.timeoutSeconds * 1000 : undefined,
		});
	} catch (error) {
		throw toNodeError(this, error, itemIndex);
	}
	return resultToItems(this, result, itemIndex);
}

/**
 * The item of a collection; a failed write becomes a NodeOperationError that still carries the
 * item, so that with Continue On Fail nothing collected is lost.
 */
export function resultToItems<S>(
	ctx: IExecuteFunctions,
	result: CollectResult<S>,
	itemIndex: number,
): INodeExecutionData[] {
	const json = toItem(result);
	if (result.storeError) {
		const err = toNodeError(ctx, result.storeError, itemIndex);
		(err as NodeOperationError & { partial?: IDataObject }).partial = json;
		throw err;
	}
	return [{ json, pairedItem: { item: itemIndex } }];
}

function toItem<S>(result: CollectResult<S>): IDataObject {
	const c = result.collection;
	return {
		collector: c.collector,
		host: c.host,
		time: new Date(c.time).toISOString(),
		ok: c.ok,
		...(c.error ? { error: c.error } : {}),
		...(c.warnings.length ? { warnings: c.warnings } : {}),
		durationMs: c.durationMs,
		sampleCount: c.samples.length,
		stored: result.stored,
		...(result.store ? { store: result.store } : {}),
		snapshot: (c.snapshot ?? null) as IDataObject | null,
	};
}

export function toNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof StoreError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: error.hint,
		});
	}
	if (error instanceof Error && error.name === 'N8nApiError') {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: 'Check the base URL and API key in the n8n API credential.',
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `Storing the collection failed: ${message}`, {
		itemIndex,
		description:
			'The collected values are in this error item; check that the monitoring store is reachable and writable.',
	});
}

/** Counters for rates when nothing is stored: kept in the workflow, which n8n saves between runs. */
function staticDataState(ctx: IExecuteFunctions): StateKeeper {
	const data = ctx.getWorkflowStaticData('node') as IDataObject;
	return {
		load: (host, collector) => data[`${collector}@${host}`] as CollectorState | undefined,
		save: (host, collector, state) => {
			if (state) data[`${collector}@${host}`] = state as unknown as IDataObject;
		},
	};
}
