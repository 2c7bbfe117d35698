import type { IncomingMessage, ServerResponse } from 'node:http';

import { acknowledgeAlert, LINK_SECRET, verifyLink } from '../../core/alerts';
import type { MonitoringStore } from '../../core/store';

/** The page shows a form that posts back to itself, and nothing else: no script at all. */
const PAGE_CSP = [
	"default-src 'none'",
	"style-src 'unsafe-inline'",
	"form-action 'self'",
	"base-uri 'none'",
	"frame-ancestors 'none'",
].join('; ');

function escapeHtml(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function page(res: ServerResponse, status: number, title: string, body: string) {
	const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
@media (prefers-color-scheme:dark){body{background:#14171a;color:#e6e6e6}}
button{font:inherit;padding:.6rem 1.4rem;border-radius:.4rem;border:0;background:#2563eb;color:#fff;cursor:pointer}
.muted{opacity:.75}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'no-referrer');
	res.writeHead(status, {
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Security-Policy': PAGE_CSP,
		'Cache-Control': 'no-store',
	});
	// A HEAD request gets the headers of the page, without its body.
	res.end(res.req?.method === 'HEAD' ? undefined : html);
}

/**
 * `{base}/ack?alert=&exp=&sig=`: the one-click acknowledge link (core/alerts/links.ts). It needs
 * no login: the signature is its authority, for one alert, one purpose and until it expires. A
 * GET only shows the alert and a button, since mail scanners and link previews open links by
 * themselves; the button posts to the same address, which acknowledges. A forged or altered
 * link is refused with 403, an expired one with 410, each with a page that says so.
 */
export async function ackPage(
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	store: MonitoringStore,
	now: number,
): Promise<void> {
	const secret = await store.alerts.lifecycle.secret(LINK_SECRET, now);
	const q = url.searchParams;
	const check = verifyLink(
		secret,
		'ack',
		{ subject: q.get('alert'), exp: q.get('exp'), sig: q.get('sig') },
		now,
	);
	if ('reason' in check) {
		if (check.reason === 'expired')
			return page(
				res,
				410,
				'This link has expired',
				'<p>Acknowledge links work for a limited time, and this one is past it. Open the dashboard and acknowledge the alert there, or use the link of a newer notification.</p>',
			);
		return page(
			res,
			403,
			'This link is not valid',
			'<p>It was not made by this monitoring system, or it was changed on the way (a character missing or altered). Nothing was acknowledged. Open the link from the notification again, or acknowledge the alert on the dashboard.</p>',
		);
	}
	const alertId = check.subject;
	const alert = await store.alerts.lifecycle.alert(alertId);
	if (!alert)
		return page(
			res,
			404,
			'No such alert',
			'<p>This alert is no longer in the monitoring store.</p>',
		);
	const about = `<p><strong>${escapeHtml(alert.rule)}</strong>${
		alert.host ? ` on <strong>${escapeHtml(alert.host)}</strong>` : ''
	}</p><p class="muted">${escapeHtml(alert.message)}</p>`;
	if (req.method === 'POST') {
		const result = await acknowledgeAlert(store, { alertId, by: 'link', now });
		if (result.outcome === 'acknowledged')
			return page(
				res,
				200,
				'Acknowledged',
				`${about}<p>Acknowledged at ${when(now)}. It will not be sent again or escalated; the workflows watching it are told.</p>`,
			);
		alert.ackedBy = result.ackedBy ?? alert.ackedBy;
		alert.ackedAt = result.ackedAt ?? alert.ackedAt;
		if (result.outcome === 'resolved') alert.status = 'resolved';
	}
	if (alert.ackedAt !== null)
		return page(
			res,
			200,
			'Already acknowledged',
			`${about}<p>Acknowledged by ${escapeHtml(alert.ackedBy ?? 'someone')} at ${when(alert.ackedAt)}.</p>`,
		);
	if (alert.status !== 'firing')
		return page(
			res,
			200,
			'Already resolved',
			`${about}<p>This alert resolved; there is nothing to acknowledge.</p>`,
		);
	// The form posts to this same address (its query carries the signed fields); relative, so a
	// proxy's path prefix in front of n8n stays.
	const action = `ack?alert=${alertId}&amp;exp=${escapeHtml(q.get('exp') ?? '')}&amp;sig=${escapeHtml(
		q.get('sig') ?? '',
	)}`;
	return page(
		res,
		200,
		'Acknowledge this alert?',
		`${about}<p class="muted">Firing since ${when(alert.startedAt)}.</p>
<form method="post" action="${action}"><button type="submit">Acknowledge</button></form>`,
	);
}
