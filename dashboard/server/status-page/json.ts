import type { StatusPageModel } from '../../../core/query/status-page';

/**
 * The page's model as JSON (/status.json): the same public facts as the page, for scripts and
 * other dashboards. < > & are escaped so that a name like <script> stays inert even if a
 * browser were tricked into reading the answer as HTML.
 */
export function renderStatusJson(model: StatusPageModel): string {
	return JSON.stringify({ version: 1, ...model })
		.replace(/</g, '\\u003c')
		.replace(/>/g, '\\u003e')
		.replace(/&/g, '\\u0026');
}
