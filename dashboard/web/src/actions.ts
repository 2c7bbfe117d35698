/**
 * What the dashboard changes (acknowledge, silences): a POST of JSON to {base}/api/<route>, typed
 * by the wire contract. Views ask for one with a `mon-action` event; the app (which knows the
 * base) posts it and refreshes the view's data.
 */
import type {
	ActionHeader,
	ActionRoute,
	DashboardActions,
} from '../../../core/contract/dashboard-api';

const ACTION_HEADER: ActionHeader = 'x-monitoring-action';

/** The detail of a `mon-action` event: what to post, and who to tell how it went. */
export interface ActionRequest<A extends ActionRoute = ActionRoute> {
	route: A;
	body: DashboardActions[A]['body'];
	reply?: (result: DashboardActions[A]['response'] | undefined, error?: string) => void;
}

/** A bubbling `mon-action` event that leaves the component's shadow root. */
export function actionEvent<A extends ActionRoute>(request: ActionRequest<A>): CustomEvent {
	return new CustomEvent('mon-action', { detail: request, bubbles: true, composed: true });
}

export async function postAction<A extends ActionRoute>(
	base: string,
	route: A,
	body: DashboardActions[A]['body'],
): Promise<DashboardActions[A]['response']> {
	const res = await fetch(`${base.replace(/\/$/, '')}/api/${route}`, {
		method: 'POST',
		headers: {
			accept: 'application/json',
			'content-type': 'application/json',
			[ACTION_HEADER]: '1',
		},
		body: JSON.stringify(body),
		cache: 'no-store',
	});
	let answer: unknown;
	try {
		answer = await res.json();
	} catch {
		answer = undefined;
	}
	if (!res.ok) {
		const msg = (answer as { error?: unknown } | undefined)?.error;
		throw new Error(typeof msg === 'string' ? msg : `HTTP ${res.status}`);
	}
	return answer as DashboardActions[A]['response'];
}
