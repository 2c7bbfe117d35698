/**
 * The dashboard's entry: picks the language from the browser, then defines the custom elements.
 * The server's page holds <mon-app base="…" refresh="60"> and loads this bundle.
 */
import { pickLang, setLang } from './i18n';
import { MonApp } from './components/mon-app';
import { MonChart } from './components/mon-chart';
import { MonFleet } from './components/mon-fleet';
import { MonOverview } from './components/mon-overview';
import { MonStatusLight } from './components/mon-status-light';
import { MonRangePicker } from './components/mon-range-picker';
import { MonHostDetail } from './components/mon-host-detail';
import { MonGpuDetail } from './components/mon-gpu-detail';
import { MonDatabaseDetail } from './components/mon-database-detail';
import { MonEndpointDetail } from './components/mon-endpoint-detail';
import { MonModelDetail } from './components/mon-model-detail';
import { MonWorkflowDetail } from './components/mon-workflow-detail';
import { MonAlerts } from './components/mon-alerts';
import { MonState } from './components/mon-state';

setLang(pickLang(navigator.language));
document.documentElement.lang = navigator.language?.toLowerCase().startsWith('ko') ? 'ko' : 'en';

// The page is the app: no default body margin around it (that would also cost phones 16 px).
document.body.style.margin = '0';

const elements: [string, CustomElementConstructor][] = [
	['mon-chart', MonChart],
	['mon-status-light', MonStatusLight],
	['mon-range-picker', MonRangePicker],
	['mon-state', MonState],
	['mon-alerts', MonAlerts],
	['mon-fleet', MonFleet],
	['mon-overview', MonOverview],
	['mon-host-detail', MonHostDetail],
	['mon-gpu-detail', MonGpuDetail],
	['mon-database-detail', MonDatabaseDetail],
	['mon-endpoint-detail', MonEndpointDetail],
	['mon-model-detail', MonModelDetail],
	['mon-workflow-detail', MonWorkflowDetail],
	// Last, so its first render finds every child element defined.
	['mon-app', MonApp],
];
for (const [name, ctor] of elements)
	if (!customElements.get(name)) customElements.define(name, ctor);
