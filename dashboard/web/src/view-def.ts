/** What a view of the dashboard is to the app: its element, its needs, how it is placed. */
import type { TemplateResult } from 'lit';
import type { Answers, Needs, NeedsFn } from './requests';
import type { Route } from './router';

/** What the app hands the element of the route's view. */
export interface ViewProps<A> {
	route: Route;
	data: A | undefined;
	/** When the answers arrived (browser clock, ms). */
	updatedAt: number | undefined;
	/** Changes with prefers-color-scheme so the charts redraw in the new theme. */
	theme: string;
	/** Where the API is (the app's base), for views that ask more than their needs. */
	base: string;
}

/** One view of the dashboard: its element, what it needs for a route, and how it is placed. */
export interface ViewDef {
	tag: string;
	element: CustomElementConstructor;
	needs: NeedsFn;
	render: (props: ViewProps<Answers<Needs>>) => TemplateResult;
}

/** A view whose render gets the answers to exactly the requests its needs function names. */
export function defineView<N extends Needs>(view: {
	tag: string;
	element: CustomElementConstructor;
	needs: NeedsFn<N>;
	render: (props: ViewProps<Answers<N>>) => TemplateResult;
}): ViewDef {
	// The app fetches view.needs(route) and hands the answers to this same view's render.
	return view as unknown as ViewDef;
}
