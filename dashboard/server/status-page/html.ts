import type {
	PublicStatus,
	StatusDay,
	StatusIncident,
	StatusItem,
	StatusPageModel,
} from '../../../core/query/status-page';
import { UPTIME_RANGES } from '../../../core/query/status-page';
import { escapeHtml as esc } from '../handler';
import {
	formatDuration,
	formatPercent,
	formatTime,
	STRINGS,
	type Language,
	type Strings,
} from './i18n';

export interface HtmlOptions {
	language: Language;
	refreshSeconds: number;
	/** The page's own path ('' or '/webhook/status'), for the links to its feed and JSON. */
	base: string;
}

/**
 * The public page as one server-rendered document: no script, no bundle, styles inline; it
 * refreshes itself with a meta refresh, so it works with JavaScript off and caches as one file.
 * Every text that came from a person or the store goes through esc().
 */
export function renderStatusHtml(model: StatusPageModel, options: HtmlOptions): string {
	const t = STRINGS[options.language];
	const b = esc(options.base);
	const current = model.incidents.current;
	const groups = model.groups.filter((g) => g.items.length > 0);
	return `<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${options.refreshSeconds}">
<meta name="color-scheme" content="light dark">
<title>${esc(model.title)}</title>
<link rel="alternate" type="application/atom+xml" title="${esc(t.feed)}" href="${b}/feed.atom">
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(model.title)}</h1>
${model.description ? `<p class="description">${esc(model.description)}</p>` : ''}
</header>
<section class="banner s-${model.status}" aria-live="polite"><span class="dot" aria-hidden="true"></span>${esc(t.overall[model.status])}</section>
${model.maintenance.map((m) => maintenanceBlock(m, t)).join('\n')}
${
	current.length
		? `<section class="incidents current"><h2>${esc(t.currentIncidents)}</h2>${current
				.map((i) => incidentBlock(i, t))
				.join('\n')}</section>`
		: ''
}
${
	groups.length
		? groups
				.map(
					(g) =>
						`<section class="group">${g.name ? `<h2>${esc(g.name)}</h2>` : ''}<ul class="items">${g.items
							.map((i) => itemBlock(i, t))
							.join('\n')}</ul></section>`,
				)
				.join('\n')
		: `<p class="empty">${esc(t.noItems)}</p>`
}
<section class="incidents past"><h2>${esc(t.pastIncidents)}</h2>${
		model.incidents.past.length
			? model.incidents.past.map((i) => incidentBlock(i, t)).join('\n')
			: `<p class="empty">${esc(t.noPastIncidents)}</p>`
	}</section>
<footer>${esc(t.updated)} <time datetime="${new Date(model.generatedAt).toISOString()}">${formatTime(
		model.generatedAt,
	)}</time> · ${esc(t.refreshes(options.refreshSeconds))} · <a href="${b}/feed.atom">${esc(
		t.feed,
	)}</a> · <a href="${b}/status.json">${esc(t.json)}</a></footer>
</main>
</body>
</html>
`;
}

function itemBlock(item: StatusItem, t: Strings): string {
	const days = item.days;
	return `<li class="item" id="item-${esc(item.slug)}">
<div class="row"><span class="name">${esc(item.name)}</span><span class="pill s-${item.status}">${esc(
		t.status[item.status],
	)}</span></div>
<div class="bars" role="img" aria-label="${esc(`${t.range['90d']} ${t.uptime}: ${formatPercent(item.uptime['90d'])}`)}">${days
		.map((d) => bar(d, t))
		.join('')}</div>
<div class="axis"><span class="wide">${esc(t.daysAgo(days.length))}</span><span class="narrow">${esc(
		t.daysAgo(Math.min(30, days.length)),
	)}</span><span>${esc(t.today)}</span></div>
<dl class="uptime">${UPTIME_RANGES.map(
		(r) => `<div><dt>${esc(t.range[r])}</dt><dd>${esc(formatPercent(item.uptime[r]))}</dd></div>`,
	).join('')}</dl>
${item.details ? detailsBlock(item, t) : ''}
</li>`;
}

function detailsBlock(item: StatusItem, t: Strings): string {
	const d = item.details!;
	const rows: Array<[string, string | null]> = [
		[t.host, d.host],
		[t.target, d.kind === 'host' ? null : d.name],
		[t.url, d.url],
		[t.lastError, d.reason],
	];
	return `<dl class="details">${rows
		.filter(([, v]) => v)
		.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v!)}</dd></div>`)
		.join('')}</dl>`;
}

/** A day's bar: a gap (no data), full, partly down or mostly down; its title says which. */
function bar(day: StatusDay, t: Strings): string {
	const p = day.uptimePercent;
	const level: string =
		p === null ? 'gap' : day.downMinutes === 0 ? 'up' : p >= 95 ? 'partial' : 'major';
	const title =
		p === null ? t.dayNoData(day.day) : t.dayUp(day.day, formatPercent(p), day.downMinutes);
	return `<span class="bar ${level}" title="${esc(title)}"></span>`;
}

function incidentTitle(incident: StatusIncident, t: Strings): string {
	if (incident.title) return incident.title;
	return incident.items.length ? `${t.disruption}: ${incident.items.join(', ')}` : t.disruption;
}

function incidentBlock(incident: StatusIncident, t: Strings): string {
	const open = incident.resolvedAt === null;
	const state: PublicStatus = open
		? incident.severity === 'critical'
			? 'down'
			: 'degraded'
		: 'operational';
	const entries = [...incident.timeline].reverse();
	return `<article class="incident" id="incident-${esc(incident.id)}">
<h3><span class="pill s-${state}">${esc(open ? t.ongoing : t.resolved)}</span> ${esc(incidentTitle(incident, t))}</h3>
<p class="when">${esc(t.started)} ${formatTime(incident.startedAt)}${
		incident.resolvedAt !== null ? ` · ${esc(t.resolved)} ${formatTime(incident.resolvedAt)}` : ''
	} · ${esc(t.duration)} ${esc(formatDuration(incident.durationMs, t))}</p>
${
	entries.length
		? `<ol class="timeline">${entries
				.map(
					(e) =>
						`<li><time datetime="${new Date(e.at).toISOString()}">${formatTime(e.at)}</time> ${
							e.kind === 'update'
								? `<strong>${esc(t.update[e.status ?? 'update'] ?? t.update.update)}</strong> <span class="message">${esc(e.message ?? '')}</span>`
								: `${esc(e.item ?? '')} ${esc(e.kind === 'down' ? t.wentDown : t.recovered)}`
						}</li>`,
				)
				.join('')}</ol>`
		: ''
}
</article>`;
}

function maintenanceBlock(m: StatusPageModel['maintenance'][number], t: Strings): string {
	return `<section class="maintenance${m.active ? ' active' : ''}"><h2>${esc(
		m.active ? t.maintenanceNow : t.maintenancePlanned,
	)}</h2><p class="when">${formatTime(m.from)} – ${formatTime(m.to)}</p>${
		m.note ? `<p class="message">${esc(m.note)}</p>` : ''
	}${m.items.length ? `<p class="affects">${esc(t.affects)}: ${esc(m.items.join(', '))}</p>` : ''}</section>`;
}

/**
 * Light by default, dark when the reader's system asks; one column that fits 320 px and up. The
 * banner keeps the same dark-enough colours in both, so its white text always reads.
 */
const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--fg:#1d2329;--muted:#5f6b76;--line:#dfe3e8;--ok:#1f9d55;--warn:#d68910;--bad:#d0342c;--info:#3b6fd4;--gap:#dfe3e8}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--card:#1a1f25;--fg:#e7ebef;--muted:#9aa6b2;--line:#2c333b;--ok:#34c46b;--warn:#f0a531;--bad:#f0605a;--info:#6f9bff;--gap:#2c333b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR","Apple SD Gothic Neo",sans-serif}
main{max-width:860px;margin:0 auto;padding:24px 16px 40px}
h1{font-size:1.6rem;margin:0 0 4px;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:0 0 12px;overflow-wrap:anywhere}
h3{font-size:1rem;margin:0 0 4px;overflow-wrap:anywhere}
.description{color:var(--muted);margin:0 0 16px;white-space:pre-line;overflow-wrap:anywhere}
section,article{margin:16px 0}
.banner{display:flex;align-items:center;gap:10px;padding:14px 16px;border-radius:8px;color:#fff;font-weight:600;font-size:1.05rem}
.banner .dot{width:10px;height:10px;border-radius:50%;background:#fff;flex:none}
.banner.s-operational{background:#1f8a4c}.banner.s-degraded{background:#b0700c}.banner.s-down{background:#c62f28}
.banner.s-maintenance{background:#3563c4}.banner.s-nodata{background:#5f6b76}
.group,.incidents,.maintenance{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px}
.maintenance{border-left:4px solid var(--info)}
.items{list-style:none;margin:0;padding:0}
.item{padding:12px 0;border-top:1px solid var(--line)}.item:first-child{border-top:0;padding-top:0}
.row{display:flex;justify-content:space-between;align-items:center;gap:12px}
.name{font-weight:600;overflow-wrap:anywhere;min-width:0}
.pill{flex:none;font-size:.8rem;font-weight:600;padding:2px 8px;border-radius:999px;border:1px solid currentColor}
.pill.s-operational{color:var(--ok)}.pill.s-degraded{color:var(--warn)}.pill.s-down{color:var(--bad)}
.pill.s-maintenance{color:var(--info)}.pill.s-nodata{color:var(--muted)}
.bars{display:flex;gap:2px;height:30px;margin:10px 0 4px}
.bar{flex:1 1 0;min-width:2px;border-radius:2px;background:var(--ok)}
.bar.partial{background:var(--warn)}.bar.major{background:var(--bad)}
.bar.gap{background:var(--gap);opacity:.6}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.75rem}
.axis .narrow{display:none}
.uptime{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:8px 0 0}
.uptime div{min-width:0}.uptime dt{color:var(--muted);font-size:.75rem}.uptime dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.details{margin:8px 0 0;font-size:.85rem;color:var(--muted)}
.details div{display:flex;gap:8px}.details dt{flex:none}.details dd{margin:0;overflow-wrap:anywhere}
.incident{border-top:1px solid var(--line);padding-top:12px}.incidents h2+.incident{border-top:0;padding-top:0}
.when,.affects{color:var(--muted);font-size:.85rem;margin:0 0 6px}
.message{white-space:pre-line;overflow-wrap:anywhere}
.timeline{list-style:none;margin:0;padding:0 0 0 12px;border-left:2px solid var(--line);font-size:.9rem}
.timeline li{margin:4px 0;overflow-wrap:anywhere}.timeline time{color:var(--muted);font-size:.8rem;margin-right:6px}
.empty{color:var(--muted)}
footer{color:var(--muted);font-size:.8rem;margin-top:24px;text-align:center}
a{color:var(--info)}
@media (max-width:600px){
main{padding:16px 12px 32px}
.bar:nth-child(-n+60){display:none}
.axis .wide{display:none}.axis .narrow{display:inline}
.uptime{gap:4px}.uptime dd{font-size:.85rem}
}
`.replace(/\n/g, '');
