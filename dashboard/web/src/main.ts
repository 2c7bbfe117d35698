/**
 * The dashboard's entry: picks the language from the browser, then defines the custom elements.
 * The server's page holds <mon-app base="…" refresh="60"> and loads this bundle.
 */
import { pickLang, setLang } from './i18n';
import { MonApp } from './components/mon-app';
import { MonChart } from './components/mon-chart';
import { MonFleet } from './components/mon-fleet';
import { MonStatusLight } from './components/mon-status-light';
import { MonRangePicker } from './components/mon-range-picker';
import { MonAlerts } from './components/mon-alerts';
import { MonIncidents } from './components/mon-incidents';
import { MonState } from './components/mon-state';
import { MonContainers } from './components/mon-containers';
import { MonUnusual } from './components/mon-unusual';
import { VIEWS } from './views';

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
	['mon-incidents', MonIncidents],
	['mon-fleet', MonFleet],
	['mon-unusual', MonUnusual],
	['mon-containers', MonContainers],
	...Object.values(VIEWS).map(({ def }): [string, CustomElementConstructor] => [
		def.tag,
		def.element,
	]),
	// Last, so its first render finds every child element defined.
	['mon-app', MonApp],
];
for (const [name, ctor] of elements)
	if (!customElements.get(name)) customElements.define(name, ctor);
