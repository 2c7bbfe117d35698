/**
 * Every view of the dashboard by its route name. A view's file holds its element, the data it
 * needs and how the app places it; adding a view is that file plus one line here (and its route
 * in router.ts).
 */
import { alertsView } from './components/mon-alerts';
import { databaseView } from './components/mon-database-detail';
import { endpointView } from './components/mon-endpoint-detail';
import { gpuView } from './components/mon-gpu-detail';
import { hostView } from './components/mon-host-detail';
import { modelView } from './components/mon-model-detail';
import { overviewView } from './components/mon-overview';
import { workflowView } from './components/mon-workflow-detail';
import type { ViewDef } from './view-def';
import type { View } from './router';

export const VIEWS: Partial<Record<View, ViewDef>> = {
	overview: overviewView,
	alerts: alertsView,
	host: hostView,
	gpu: gpuView,
	database: databaseView,
	endpoint: endpointView,
	model: modelView,
	workflow: workflowView,
};
