import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

import {
	buildStatusPage,
	UPTIME_RANGES,
	type StatusPageConfig,
	type StatusPageModel,
	type UptimeRange,
} from '../../../core/query/status-page';
import { openStore, type StoreConfig } from '../../../core/store';
import { statusBadge, uptimeBadge } from './badge';
import { renderAtomFeed } from './feed';
import { renderStatusHtml } from './html';
import { negotiateLanguage, STRINGS, type Language } from './i18n';
import { renderStatusJson } from './json';

export interface StatusPageOptions {
	store: StoreConfig;
	page: StatusPageConfig;
	/** The page's path without a trailing slash: '' or '/webhook/status'. */
	basePath?: string;
	/** A fixed language, or `auto`: the reader's Accept-Language (en when it names neither). */
	language: Language | 'auto';
	refreshSeconds: number;
	/** The model is built at most once per this many seconds; answers say max-age of it. */
	cacheSeconds: number;
	now?: () => number;
}

export type StatusPageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The paths under the page; n8n registers each as a static webhook path of its own. */
export const STATUS_PAGE_PATHS = ['/status.json', '/feed.atom', '/badge.svg'] as const;

const HTML_CSP = [
	"default-src 'none'",
	"style-src 'unsafe-inline'",
	"img-src 'self' data:",
	"base-uri 'none'",
	"form-action 'none'",
].join('; ');
/** An SVG opened on its own is a document: nothing in it may run or load. */
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'";

interface Rendered {
	body: Buffer;
	etag: string;
	type: string;
	/** Made on the first request that accepts it; a 100 KB page is ~8 KB gzipped. */
	gzip?: Buffer;
}

/**
 * A public status page: no login, and answers that any cache may keep. The model is built at
 * most once per `cacheSeconds` (in this process); while a newer one is being built, readers get
 * the one before (stale while revalidating), so a crowd of readers costs one build and waits on
 * none but the first. Each rendering (page, JSON, feed, badge; per language) is made once per
 * model and answered with an ETag (gzipped when the reader accepts it); a matching If-None-Match
 * gets 304.
 */
export function createStatusPageHandler(options: StatusPageOptions): StatusPageHandler {
	const base = normaliseBase(options.basePath ?? '');
	const now = options.now ?? Date.now;
	const cacheMs = Math.max(1, options.cacheSeconds) * 1000;
	let current: { model: StatusPageModel; builtAt: number } | undefined;
	let building: Promise<StatusPageModel> | undefined;
	let rendered = new Map<string, Rendered>();

	const build = () => {
		building ??= (async () => {
			const t = now();
			const model = await buildStatusPage(await openStore(options.store), options.page, t);
			current = { model, builtAt: t };
			rendered = new Map();
			return model;
		})().finally(() => (building = undefined));
		return building;
	};

	const model = async (): Promise<StatusPageModel> => {
		if (!current) return await build();
		if (now() - current.builtAt >= cacheMs)
			build().catch(() => {
				// The previous model keeps being served; the next request tries again.
			});
		return current.model;
	};

	return async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		let route = safeDecode(url.pathname);
		if (base) {
			if (route !== base && !route.startsWith(base + '/')) return sendText(res, 404, 'not found');
			route = route.slice(base.length) || '/';
		}
		if (route.length > 1) route = route.replace(/\/+$/, '');
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.setHeader('Allow', 'GET, HEAD');
			return sendText(res, 405, 'method not allowed');
		}
		const language =
			options.language === 'auto'
				? negotiateLanguage(header(req, 'accept-language'))
				: options.language;
		if (
			route !== '/' &&
			route !== '/index.html' &&
			!(STATUS_PAGE_PATHS as readonly string[]).includes(route)
		)
			return sendText(res, 404, 'not found');
		let m: StatusPageModel;
		try {
			m = await model();
		} catch {
			// A public page says nothing about why: error text may name hosts, paths or users.
			return sendText(res, 503, STRINGS[language].unavailable, { 'Retry-After': '30' });
		}
		let key = `${route}:${language}`;
		let make: () => Omit<Rendered, 'etag'>;
		if (route === '/status.json')
			make = () => ({
				body: Buffer.from(renderStatusJson(m)),
				type: 'application/json; charset=utf-8',
			});
		else if (route === '/feed.atom')
			make = () => ({
				body: Buffer.from(renderAtomFeed(m, { language, base })),
				type: 'application/atom+xml; charset=utf-8',
			});
		else if (route === '/badge.svg') {
			const badge = badgeOf(m, url.searchParams, language);
			if (typeof badge === 'object') return sendText(res, badge.status, badge.message);
			key = `${key}:${url.searchParams.get('item') ?? ''}:${url.searchParams.get('show') ?? ''}`;
			make = () => ({ body: Buffer.from(badge), type: 'image/svg+xml; charset=utf-8' });
		} else
			make = () => ({
				body: Buffer.from(
					renderStatusHtml(m, { language, refreshSeconds: options.refreshSeconds, base }),
				),
				type: 'text/html; charset=utf-8',
			});
		let answer = rendered.get(key);
		if (!answer) {
			const r = make();
			answer = {
				...r,
				etag: `"${createHash('sha1').update(r.body).digest('base64url')}"`,
			};
			// Badges are many (items x shows x languages) but bounded by the page's own items.
			if (rendered.size < 2000) rendered.set(key, answer);
		}
		const gzip = /\bgzip\b/.test(header(req, 'accept-encoding') ?? '');
		if (gzip) answer.gzip ??= gzipSync(answer.body);
		// Each encoding is a representation of its own, with its own validator.
		const etag = gzip ? answer.etag.replace(/"$/, '-gz"') : answer.etag;
		const headers: Record<string, string | number> = {
			'Content-Type': answer.type,
			'Cache-Control': `public, max-age=${Math.round(cacheMs / 1000)}`,
			ETag: etag,
			Vary: options.language === 'auto' ? 'Accept-Encoding, Accept-Language' : 'Accept-Encoding',
			'X-Content-Type-Options': 'nosniff',
			'Referrer-Policy': 'no-referrer',
		};
		if (gzip) headers['Content-Encoding'] = 'gzip';
		if (route === '/' || route === '/index.html') headers['Content-Security-Policy'] = HTML_CSP;
		else {
			// JSON, feed and badges are for other sites (READMEs, wikis, dashboards) to read.
			headers['Access-Control-Allow-Origin'] = '*';
			if (route === '/badge.svg') headers['Content-Security-Policy'] = SVG_CSP;
		}
		if (matchesEtag(header(req, 'if-none-match'), etag)) {
			delete headers['Content-Encoding'];
			res.writeHead(304, headers);
			res.end();
			return;
		}
		const body = gzip ? answer.gzip! : answer.body;
		headers['Content-Length'] = body.length;
		res.writeHead(200, headers);
		res.end(req.method === 'HEAD' ? undefined : body);
	};
}

/**
 * /badge.svg?item=<slug>&show=status|24h|7d|30d|90d; no item: the whole page's status. The label
 * is the item's display name (or the page's title), the only names a page shows anyway.
 */
function badgeOf(
	m: StatusPageModel,
	params: URLSearchParams,
	language: Language,
): string | { status: number; message: string } {
	const t = STRINGS[language];
	const slug = params.get('item');
	const show = params.get('show') ?? 'status';
	if (show !== 'status' && !(UPTIME_RANGES as readonly string[]).includes(show))
		return { status: 400, message: `show must be status, ${UPTIME_RANGES.join(', ')}` };
	if (slug === null || slug === '') {
		if (show !== 'status')
			return { status: 400, message: 'an uptime badge needs ?item=<slug of an item>' };
		return statusBadge(m.title, m.status, t.status[m.status]);
	}
	const item = m.groups.flatMap((g) => g.items).find((i) => i.slug === slug);
	if (!item) return { status: 404, message: 'no item with this slug on this page' };
	if (show === 'status') return statusBadge(item.name, item.status, t.status[item.status]);
	const range = show as UptimeRange;
	return uptimeBadge(`${item.name} ${t.uptime} ${range}`, item.uptime[range], t.status.nodata);
}

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v.join(',') : v;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
	if (!ifNoneMatch) return false;
	return ifNoneMatch
		.split(',')
		.map((s) => s.trim().replace(/^W\//, ''))
		.some((s) => s === '*' || s === etag);
}

function sendText(
	res: ServerResponse,
	status: number,
	text: string,
	extra: Record<string, string> = {},
) {
	res.writeHead(status, {
		'Content-Type': 'text/plain; charset=utf-8',
		'Cache-Control': 'no-store',
		'X-Content-Type-Options': 'nosniff',
		...extra,
	});
	res.end(text + '\n');
}

function safeDecode(pathname: string): string {
	try {
		return decodeURIComponent(pathname);
	} catch {
		return pathname;
	}
}

function normaliseBase(basePath: string): string {
	let base = basePath.trim();
	if (base && !base.startsWith('/')) base = '/' + base;
	return base.replace(/\/+$/, '');
}
