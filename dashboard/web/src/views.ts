/**
 * Every view of the dashboard by its route name, with how many path segments its route takes
 * (#/host/<host> takes 1). A view's file holds its element, the data it needs and how the app
 * places it; adding a view is that file plus one line here: the router reads names and arity here.
 * A view's file exports its definition typed `ViewDef` (`export const fooView: ViewDef = …`): the
 * names here type Route.view, so inferring a view's type from its code would go round in a circle.
 */
import { alertsView } from './components/mon-alerts';
import { containerView } from './components/mon-container-detail';
import { databaseView } from './components/mon-database-detail';
import { endpointView } from './components/mon-endpoint-detail';
import { gpuView } from './components/mon-gpu-detail';
import { hostView } from './components/mon-host-detail';
import { modelView } from './components/mon-model-detail';
import { n8nView } from './components/mon-n8n-detail';
import { overviewView } from './components/mon-overview';
import { silencesView } from './components/mon-silences';
import { workflowView } from './components/mon-workflow-detail';
import type { RouteShape, View } from './router';
import type { ViewDef } from './view-def';

/** One registered view: its definition and the number of path segments after its name. */
export interface ViewEntry extends RouteShape {
	def: ViewDef;
}

export const VIEWS = {
	overview: { arity: 0, def: overviewView },
	alerts: { arity: 0, def: alertsView },
	silences: { arity: 0, def: silencesView },
	host: { arity: 1, def: hostView },
	gpu: { arity: 1, def: gpuView },
	database: { arity: 2, def: databaseView },
	endpoint: { arity: 2, def: endpointView },
	model: { arity: 2, def: modelView },
	workflow: { arity: 2, def: workflowView },
	container: { arity: 2, def: containerView },
	n8n: { arity: 1, def: n8nView },
} satisfies Record<string, ViewEntry>;

// The registry's names are the router's View (see ViewRegistry).
declare module './router' {
	// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the names come from VIEWS
	interface ViewRegistry extends Registered {}
}
type Registered = { [K in keyof typeof VIEWS]: true };

/** The registered view of a route, or undefined for 'unknown'. */
export function viewOf(view: View): ViewEntry | undefined {
	return view === 'unknown' ? undefined : VIEWS[view];
}
