import { createHash } from 'node:crypto';

import type { StatusIncident, StatusPageModel } from '../../../core/query/status-page';
import { escapeXml } from './badge';
import { formatDuration, formatTime, STRINGS, type Language } from './i18n';

/**
 * The page's incidents as an Atom feed (RFC 4287): one entry per incident, current ones first,
 * updated when its timeline last moved. Links are relative to the feed (xml:base), so the feed
 * never repeats a Host header a client sent; ids are URNs made from the page's path and the
 * incident's id, stable across rebuilds.
 */
export function renderAtomFeed(
	model: StatusPageModel,
	options: { language: Language; base: string },
): string {
	const t = STRINGS[options.language];
	const pageId = createHash('sha256').update(options.base).digest('hex').slice(0, 32);
	const incidents = [...model.incidents.current, ...model.incidents.past];
	const updated = incidents.reduce((u, i) => Math.max(u, i.updatedAt), 0) || model.generatedAt;
	const iso = (ms: number) => new Date(ms).toISOString();
	const link = `${options.base}/`;
	const entry = (i: StatusIncident) => {
		const title =
			i.title ?? (i.items.length ? `${t.disruption}: ${i.items.join(', ')}` : t.disruption);
		const state = i.resolvedAt === null ? t.ongoing : t.resolved;
		const lines = [
			`${t.started} ${formatTime(i.startedAt)}${
				i.resolvedAt !== null ? ` · ${t.resolved} ${formatTime(i.resolvedAt)}` : ''
			} · ${t.duration} ${formatDuration(i.durationMs, t)}`,
			...[...i.timeline]
				.reverse()
				.map(
					(e) =>
						`${formatTime(e.at)} ${
							e.kind === 'update'
								? `${t.update[e.status ?? 'update'] ?? t.update.update}: ${e.message ?? ''}`
								: `${e.item ?? ''} ${e.kind === 'down' ? t.wentDown : t.recovered}`
						}`,
				),
		];
		return `<entry>
<id>urn:n8n-nodes-monitoring:status:${pageId}:incident:${escapeXml(i.id)}</id>
<title type="text">[${escapeXml(state)}] ${escapeXml(title)}</title>
<published>${iso(i.startedAt)}</published>
<updated>${iso(i.updatedAt)}</updated>
<link rel="alternate" type="text/html" href="${escapeXml(`${link}#incident-${encodeURIComponent(i.id)}`)}"/>
${i.items.map((n) => `<category term="${escapeXml(n)}"/>`).join('')}
<content type="text">${escapeXml(lines.join('\n'))}</content>
</entry>`;
	};
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${options.language}" xml:base="${escapeXml(link)}">
<id>urn:n8n-nodes-monitoring:status:${pageId}</id>
<title type="text">${escapeXml(model.title)}</title>
${model.description ? `<subtitle type="text">${escapeXml(model.description)}</subtitle>` : ''}
<updated>${iso(updated)}</updated>
<author><name>${escapeXml(model.title)}</name></author>
<link rel="alternate" type="text/html" href="${escapeXml(link)}"/>
<link rel="self" type="application/atom+xml" href="${escapeXml(`${options.base}/feed.atom`)}"/>
<generator>n8n-nodes-monitoring</generator>
${incidents.map(entry).join('\n')}
</feed>
`;
}
